"""Quality counts over every row: invalid values, minors, repeated customers, blanks.

A customer is recognised by a strong key (a valid resident ID or a mobile number) or,
when no strong key contradicts it, a weak key (name with address, name with e-mail).
E-mail alone is not a key: families and colleagues share mailboxes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import compress, repeat
from operator import is_not, itemgetter, mul, ne, or_
from typing import Any

from custody.discovery.columns import column_failures, column_normaliser, none_positions
from custody.discovery.purposes import unneeded_columns
from custody.domain.classification import ColumnLabel
from custody.domain.taxonomy import is_sensitive
from custody.services.ports import ValueRules

__all__ = ["MINOR_AGE", "VALIDATED", "QualityCounter"]

MINOR_AGE = 14
VALIDATED = (
    "identity.resident_id", "contact.mobile", "contact.email", "contact.landline",
    "financial.bank_card", "org.uscc", "identity.passport",
)
_STRONG = {"identity.resident_id": 1, "contact.mobile": 2}
_BIRTH = "person.birth_date"
_ID = "identity.resident_id"
# The spelling `_born_minor` compares as text: ten characters, dashes at 4 and 7.
_ISO_SHAPE = re.compile(r".{4}-.{2}-.{2}", re.DOTALL)


def _cutoff(as_of: dt.date) -> dt.date:
    try:
        return as_of.replace(year=as_of.year - MINOR_AGE)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - MINOR_AGE, day=28)


def _claims(
    columns: Sequence[Sequence[Hashable | None]], index: dict[Any, int], numbers: range
) -> dict[int, list[int]]:
    """Register each key for its row's number; rows whose key was claimed before (by an
    earlier row or batch) get the earlier numbers, in column order.

    The claims run in C (`map` over `dict.setdefault`); blank keys (None) claim too and are
    dropped afterwards, so only the few repeated keys are looked at in Python.
    """
    hits: dict[int, list[int]] = {}
    claim = index.setdefault
    for values in columns:
        got = list(map(claim, values, numbers))
        for i in compress(range(len(values)), map(ne, got, numbers)):
            if values[i] is not None:
                hits.setdefault(i, []).append(got[i])
        index.pop(None, None)
    return hits


def _first(columns: Sequence[ColumnLabel], label: str) -> int | None:
    return next((c.index for c in columns if c.label == label), None)


def _normaliser(rules: ValueRules, label: str) -> Callable[[str], str | None]:
    fast = getattr(rules, "normaliser", None)
    if callable(fast):
        found: Callable[[str], str | None] = fast(label)
        return found
    normalize = rules.normalize
    return lambda value: normalize(label, value)


class QualityCounter:
    """Streams rows (cells in column order) and keeps the counts `custody classify` shows."""

    def __init__(
        self,
        columns: Sequence[ColumnLabel],
        rules: ValueRules,
        as_of: dt.date,
        *,
        purposes: Sequence[str] = (),
    ) -> None:
        self.columns = list(columns)
        self._purposes = tuple(purposes)
        self._rules = rules
        cutoff = _cutoff(as_of)
        self._born_after = cutoff
        self._born_after_iso = cutoff.isoformat()
        self._born_after_digits = cutoff.strftime("%Y%m%d")
        self._checks = [
            (c.index, c.label, _STRONG.get(c.label, 0), _normaliser(rules, c.label))
            for c in columns if c.label in VALIDATED
        ]
        self._normalisers = [column_normaliser(check[3]) for check in self._checks]
        self._failures = [column_failures(check[3]) for check in self._checks]
        self._birth_columns = [c.index for c in columns if c.label == _BIRTH]
        self._id_columns = [c.index for c in columns if c.label == _ID]
        self._name = _first(columns, "person.name")
        self._address = _first(columns, "contact.address")
        self._email = _first(columns, "contact.email")
        self.rows = 0
        self.duplicates = 0
        self.invalid = {label: 0 for label in dict.fromkeys(c[1] for c in self._checks)}
        self.filled = [0] * len(columns)
        self._getters = [itemgetter(i) for i in range(len(columns))]
        self._keys: dict[Any, int] = {}  # normalised resident ID or mobile -> row number
        self._weak_index: dict[Any, int] = {}  # hash of (name, address/e-mail) -> row number
        self._parent: dict[int, int] = {}  # row number -> the earlier customer it repeats
        self._flags = bytearray()
        self._minors: set[int] = set()

    def add(self, cells: Sequence[str]) -> None:
        """Count one data row."""
        self.add_rows((cells,))

    def add_rows(self, batch: Sequence[Sequence[str]]) -> None:
        """Count a batch of data rows (column-wise: the hot loop of `custody classify`)."""
        if not batch:
            return
        count = len(batch)
        self.rows += count
        columns = self._columns(batch)
        blanks = [column.count("") for column in columns]
        for index, blank in enumerate(blanks):
            self.filled[index] += count - blank
        strong, kinds, id_normals = self._validate(columns)
        base = len(self._flags)
        self._customers(columns, blanks, strong, kinds, range(base, base + count))
        if self._birth_columns or self._id_columns:
            minor_rows = self._minor_rows(columns, count, id_normals)
            root = self._root
            self._minors.update(map(root, compress(range(base, base + count), minor_rows)))

    def _columns(self, batch: Sequence[Sequence[str]]) -> list[Sequence[str]]:
        """The batch transposed (in C); rows must be at least as wide as the columns."""
        width = len(self._getters)
        columns: list[Sequence[str]] = list(zip(*batch, strict=False))
        if len(columns) < width:  # a short row: index each one, which names the problem
            return [list(map(get, batch)) for get in self._getters]
        return columns[:width]

    def _validate(
        self, columns: Sequence[Sequence[str]]
    ) -> tuple[list[list[str | None]], list[int], list[str | None] | None]:
        """Counts invalid values; returns the strong keys, their kinds and the first
        resident-ID column's normal forms."""
        strong: list[list[str | None]] = []
        kinds: list[int] = []
        id_normals: list[str | None] | None = None
        for (index, label, kind, _), normalise, failures in zip(
            self._checks, self._normalisers, self._failures, strict=True
        ):
            column = columns[index]
            if kind:
                normals = normalise(column)
                failed = none_positions(normals)
                strong.append(normals)
                kinds.append(kind)
                if kind == 1 and id_normals is None:
                    id_normals = normals
            else:
                failed = failures(column)
            if failed:
                self.invalid[label] += sum(
                    1 for i in failed if (c := column[i]) and not c.isspace()
                )
        return strong, kinds, id_normals

    def _weak_columns(
        self, columns: Sequence[Sequence[str]], blanks: Sequence[int]
    ) -> list[list[int | None]]:
        """One weak key per row: hash of (name, address), else of (name, e-mail).

        One key, not two, keeps the index small: it is the costliest part of the count.
        Hashed in C when neither column of the pair has a blank cell in the batch.
        """
        if self._name is None:
            return []
        names = columns[self._name]
        if self._address is None or self._email is None:
            single = self._address if self._address is not None else self._email
            if single is None:
                return []
            if not blanks[self._name] and not blanks[single]:
                return [list(map(hash, zip(names, columns[single], strict=True)))]
            return [[hash((n, v)) if n and v else None
                     for n, v in zip(names, columns[single], strict=True)]]
        addresses = columns[self._address]
        if not blanks[self._name] and not blanks[self._address]:
            return [list(map(hash, zip(names, addresses, strict=True)))]
        return [[
            hash((n, a)) if n and a else hash((n, "@", e)) if n and e else None
            for n, a, e in zip(names, addresses, columns[self._email], strict=True)
        ]]

    def _customers(
        self,
        columns: Sequence[Sequence[str]],
        blanks: Sequence[int],
        strong: Sequence[Sequence[str | None]],
        kinds: Sequence[int],
        numbers: range,
    ) -> None:
        """Gives every row a customer number and counts rows that repeat an earlier one.

        Every row first claims a new number and registers its keys (one dict operation
        per key); the few rows whose keys were already taken are then merged, in order.
        """
        base = numbers.start
        flags = [0] * len(numbers)
        for kind, normals in zip(kinds, strong, strict=True):
            present = map(mul, map(is_not, normals, repeat(None)), repeat(kind))
            flags = list(map(or_, flags, present))
        self._flags.extend(flags)
        strong_hits = _claims(strong, self._keys, numbers)
        weak_hits = _claims(self._weak_columns(columns, blanks), self._weak_index, numbers)
        for row in sorted(strong_hits.keys() | weak_hits.keys()):
            self._merge(base + row, strong_hits.get(row, []), weak_hits.get(row, []))

    def _root(self, number: int) -> int:
        parent = self._parent
        while number in parent:
            number = parent[number]
        return number

    def _merge(self, number: int, strong: list[int], weak: list[int]) -> None:
        """Row `number` repeats an earlier customer if a strong key, or a weak key without
        a conflicting strong key, was claimed before."""
        flags = self._flags[number]
        target = self._root(strong[0]) if strong else None
        if target is None:
            for claimed in weak:
                other = self._root(claimed)
                if not self._flags[other] & flags:
                    target = other
                    break
        if target is None or target == number:
            return
        self._parent[number] = target
        self._flags[target] |= flags
        self.duplicates += 1

    def _minor_rows(
        self, columns: Sequence[Sequence[str]], count: int, id_normals: Sequence[str | None] | None
    ) -> list[bool | None]:
        """Per row: under 14 (True), not (False) or unknown (None); the first birth-date
        column that tells wins, then the resident ID."""
        flags: list[bool | None] | None = None
        for index in self._birth_columns:
            found = self._birth_flags(columns[index])
            if flags is None:
                flags = found
            else:
                for i in none_positions(flags):
                    flags[i] = found[i]
        if flags is None:
            flags = [None] * count
            unknown: Iterable[int] = range(count)
        else:
            unknown = none_positions(flags)
        if id_normals is not None:
            cut = self._born_after_digits
            for i in unknown:
                rid = id_normals[i]
                if rid is not None:
                    flags[i] = rid[6:14] > cut
        elif self._id_columns:  # resident IDs that were not validated above
            for i in unknown:
                flags[i] = self._id_minor([columns[c][i] for c in self._id_columns])
        return flags

    def _birth_flags(self, column: Sequence[str]) -> list[bool | None]:
        """Under 14 by one birth-date column; ISO dates compare as text, in C."""
        flags: list[bool | None] = list(map(self._born_after_iso.__lt__, column))
        for i in none_positions(list(map(_ISO_SHAPE.fullmatch, column))):
            cell = column[i]
            flags[i] = self._born_minor(cell) if cell else None
        return flags

    def _id_minor(self, cells: Sequence[str]) -> bool | None:
        for cell in cells:
            born = self._rules.birth_date(_ID, cell) if cell else None
            if born is not None:
                return born > self._born_after
        return None

    def _born_minor(self, cell: str) -> bool | None:
        if len(cell) == 10 and cell[4] == "-" and cell[7] == "-":
            return cell > self._born_after_iso
        born = self._rules.birth_date(_BIRTH, cell)
        return None if born is None else born > self._born_after

    @property
    def minors(self) -> int:
        """Distinct customers under 14 on the processing date."""
        return len(self._minors)

    @property
    def customers(self) -> int:
        """Distinct customers seen."""
        return len(self._flags) - len(self._parent)

    def extra(self) -> dict[str, object]:
        """Blank shares, sensitive columns and distinct customers for the report."""
        rows = max(self.rows, 1)
        sensitive = [c.index for c in self.columns if is_sensitive(c.label)]
        unneeded = unneeded_columns(self.columns, self._purposes) if self._purposes else None
        return {
            "purposes": list(self._purposes),
            "unneeded_columns": unneeded,
            "distinct_customers": self.customers,
            "blank_share": {
                str(c.index): round(1 - self.filled[c.index] / rows, 4) for c in self.columns
            },
            "sensitive_columns": sensitive,
            "minor_records_sensitive": bool(self._minors),
        }
