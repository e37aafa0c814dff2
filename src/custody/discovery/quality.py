"""Quality counts over every row: invalid values, minors, repeated customers, blanks.

A customer is recognised by a strong key (a valid resident ID or a mobile number) or,
when no strong key contradicts it, a weak key (name with address, name with e-mail).
E-mail alone is not a key: families and colleagues share mailboxes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from operator import itemgetter
from typing import Any

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


def _cutoff(as_of: dt.date) -> dt.date:
    try:
        return as_of.replace(year=as_of.year - MINOR_AGE)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - MINOR_AGE, day=28)


def _claims(
    columns: Sequence[Sequence[Hashable | None]], index: dict[Any, int], numbers: range
) -> dict[int, list[int]]:
    """Register each key for its row's number; rows whose key was claimed before (by an
    earlier row or batch) get the earlier numbers, in column order."""
    hits: dict[int, list[int]] = {}
    claim = index.setdefault
    for values in columns:
        taken = [
            (n, g) for v, n in zip(values, numbers, strict=True)
            if v is not None and (g := claim(v, n)) != n
        ]
        for n, g in taken:
            hits.setdefault(n - numbers.start, []).append(g)
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
            (c.index, c.label, _normaliser(rules, c.label), _STRONG.get(c.label, 0))
            for c in columns if c.label in VALIDATED
        ]
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
        columns = [list(map(get, batch)) for get in self._getters]
        for index, column in enumerate(columns):
            self.filled[index] += count - column.count("")
        strong: list[list[str | None]] = []
        kinds: list[int] = []
        id_normals: list[str | None] | None = None
        for index, label, normalise, kind in self._checks:
            column = columns[index]
            normals = list(map(normalise, column))
            failed = [c for c, n in zip(column, normals, strict=True) if n is None and c]
            if failed:
                self.invalid[label] += sum(1 for c in failed if not c.isspace())
            if kind:
                strong.append(normals)
                kinds.append(kind)
                if kind == 1 and id_normals is None:
                    id_normals = normals
        customers = self._customers(columns, strong, kinds, count)
        if self._birth_columns or self._id_columns:
            minor_rows = self._minor_rows(columns, count, id_normals)
            self._minors.update(
                c for c, minor in zip(customers, minor_rows, strict=True) if minor
            )

    def _weak_columns(self, columns: Sequence[Sequence[str]]) -> list[list[int | None]]:
        """One weak key per row: hash of (name, address), else of (name, e-mail).

        One key, not two, keeps the index small: it is the costliest part of the count.
        """
        if self._name is None:
            return []
        names = columns[self._name]
        if self._address is None or self._email is None:
            single = self._address if self._address is not None else self._email
            if single is None:
                return []
            return [[hash((n, v)) if n and v else None
                     for n, v in zip(names, columns[single], strict=True)]]
        return [[
            hash((n, a)) if n and a else hash((n, "@", e)) if n and e else None
            for n, a, e in zip(names, columns[self._address], columns[self._email], strict=True)
        ]]

    def _customers(
        self,
        columns: Sequence[Sequence[str]],
        strong: Sequence[Sequence[str | None]],
        kinds: Sequence[int],
        count: int,
    ) -> list[int]:
        """Customer number of every row; counts rows that repeat an earlier customer.

        Every row first claims a new number and registers its keys (one dict operation
        per key); the few rows whose keys were already taken are then merged, in order.
        """
        base = len(self._flags)
        numbers = range(base, base + count)
        flags = [0] * count
        for kind, normals in zip(kinds, strong, strict=True):
            flags = [f | kind if v is not None else f for f, v in zip(flags, normals, strict=True)]
        self._flags.extend(flags)
        strong_hits = _claims(strong, self._keys, numbers)
        weak_hits = _claims(self._weak_columns(columns), self._weak_index, numbers)
        for row in sorted(strong_hits.keys() | weak_hits.keys()):
            self._merge(base + row, strong_hits.get(row, []), weak_hits.get(row, []))
        return [self._root(n) for n in numbers]

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
        """Per row: under 14 (True), not (False) or unknown (None)."""
        flags: list[bool | None] = [None] * count
        cut_iso, born_minor = self._born_after_iso, self._born_minor
        for index in self._birth_columns:
            flags = [
                f if f is not None or not c
                else c > cut_iso if len(c) == 10 and c[4] == "-" and c[7] == "-"
                else born_minor(c)
                for f, c in zip(flags, columns[index], strict=True)
            ]
        if id_normals is not None:
            cut = self._born_after_digits
            flags = [
                f if f is not None or rid is None else rid[6:14] > cut
                for f, rid in zip(flags, id_normals, strict=True)
            ]
        elif self._id_columns:  # resident IDs that were not validated above
            id_rows = zip(*(columns[i] for i in self._id_columns), strict=True)
            flags = [
                f if f is not None else self._id_minor(cells)
                for f, cells in zip(flags, id_rows, strict=True)
            ]
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
