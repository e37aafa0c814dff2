"""Column-at-a-time twins of the per-value normalisers, for the quality count's hot loop.

`column_normaliser(normalise)` gives a function that maps a whole column of cells to
exactly `[normalise(cell) for cell in column]`, and `column_failures(normalise)` one that
gives the indices where that is None. For the resident-ID, mobile and e-mail
normalisers of `checksums` it checks the common spelling with one precompiled pattern per
cell (a C-level loop) and hands every other cell to the per-value function, so results
are identical by construction; any other normaliser runs once per distinct value of the
column. Tests compare each twin with its per-value function on adversarial values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import is_

from custody.discovery import checksums

__all__ = [
    "ColumnFailures",
    "ColumnNormaliser",
    "column_failures",
    "column_normaliser",
    "email_failures",
    "mobiles",
    "none_positions",
    "resident_ids",
]

ColumnNormaliser = Callable[[Sequence[str]], list[str | None]]
ColumnFailures = Callable[[Sequence[str]], list[int]]


# Already canonical: 18 ASCII characters, digits, a digit or "X" last.
_PLAIN_ID = re.compile(r"[0-9]{17}[0-9X]")
# Eleven ASCII digits of a mainland mobile: the form normalize_mobile prefixes with +86.
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# The same with a +86/86 prefix and blanks or dashes between the groups: once those are
# dropped (as normalize_mobile drops them) the digits are what it prefixes with +86.
_SPLIT_MOBILE = re.compile(r"(?:\+?86[ \-]?)?(1[3-9][0-9])[ \-]?([0-9]{4})[ \-]?([0-9]{4})")
# An ASCII e-mail address without blanks that normalize_email accepts: no dot at either
# end of the local part or twice in a row, no domain label starting or ending with "-".
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)


def none_positions(values: Sequence[object]) -> list[int]:
    """Indices of the None entries (found in C; most columns have few)."""
    return list(compress(range(len(values)), map(is_, values, repeat(None))))


def resident_ids(column: Sequence[str]) -> list[str | None]:
    """`normalize_resident_id` of every cell."""
    births, check = checksums._BIRTH_DIGITS, checksums._ID_CHECK
    slow = checksums.normalize_resident_id
    return [
        (v if v[6:14] in births and check[2 * int(v[:17], 13) % 11] == v[17] else None)
        if plain is not None else slow(v)
        for v, plain in zip(column, map(_PLAIN_ID.fullmatch, column), strict=True)
    ]


def mobiles(column: Sequence[str]) -> list[str | None]:
    """`normalize_mobile` of every cell."""
    plain = list(map(_PLAIN_MOBILE.fullmatch, column))
    normals: list[str | None] = list(map("+86".__add__, column))
    split, slow = _SPLIT_MOBILE.fullmatch, checksums.normalize_mobile
    for i in none_positions(plain):
        value = column[i]
        parts = split(value)
        normals[i] = "+86" + "".join(parts.groups()) if parts is not None else slow(value)
    return normals


def email_failures(column: Sequence[str]) -> list[int]:
    """Indices of the cells `normalize_email` rejects."""
    slow = checksums.normalize_email
    plain = list(map(_PLAIN_EMAIL.fullmatch, column))
    return [i for i in none_positions(plain) if slow(column[i]) is None]


_TWINS: dict[Callable[[str], str | None], ColumnNormaliser] = {
    checksums.normalize_resident_id: resident_ids,
    checksums.normalize_mobile: mobiles,
}
_FAILURE_TWINS: dict[Callable[[str], str | None], ColumnFailures] = {
    checksums.normalize_email: email_failures,
}


def column_normaliser(normalise: Callable[[str], str | None]) -> ColumnNormaliser:
    """The column twin of a per-value normaliser (same results, fewer Python calls)."""
    twin = _TWINS.get(normalise)
    if twin is not None:
        return twin

    def each_distinct(column: Sequence[str]) -> list[str | None]:
        found = {value: normalise(value) for value in set(column)}
        return list(map(found.__getitem__, column))

    return each_distinct


def column_failures(normalise: Callable[[str], str | None]) -> ColumnFailures:
    """Indices of the cells of a column for which `normalise` gives None."""
    twin = _FAILURE_TWINS.get(normalise)
    if twin is not None:
        return twin
    normals = column_normaliser(normalise)
    return lambda column: none_positions(normals(column))
