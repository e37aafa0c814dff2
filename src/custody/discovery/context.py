"""File-level context: decisions one column cannot make alone (employer or customer
organisation, birth date or transaction date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from custody.discovery.checksums import resident_id_birth_date, to_halfwidth
from custody.discovery.dates import parse_date
from custody.discovery.profile import ColumnProfile

__all__ = ["is_birth_date_column", "resolve_org"]

_PERSONAL_MARKERS = frozenset(
    {"identity.resident_id", "identity.passport", "person.gender", "person.birth_date",
     "financial.bank_card", "education.school", "education.grade"}
)
_ADULT_YEARS = 6


def resolve_org(index: int, labels: Sequence[str]) -> str:
    """"org.*": a customer organisation in B2B files, else the person's employer."""
    present = set(labels)
    if "org.uscc" in present:
        return "org.name"
    if present & _PERSONAL_MARKERS:
        return "employment.employer"
    first_text = next((i for i, lab in enumerate(labels) if lab != "other"), index)
    return "org.name" if first_text == index else "employment.employer"


def _matches_id(column: int, id_columns: Sequence[int], sample: Sequence[Sequence[str]]) -> float:
    hits = total = 0
    for row in sample:
        born = parse_date(to_halfwidth(row[column]).strip()) if column < len(row) else None
        if born is None:
            continue
        for id_col in id_columns:
            stated = resident_id_birth_date(to_halfwidth(row[id_col]).strip().upper())
            if stated is not None:
                total += 1
                hits += stated == born
                break
    return hits / total if total else -1.0


def is_birth_date_column(
    column: int,
    profiles: Sequence[ColumnProfile],
    labels: Sequence[str],
    sample: Sequence[Sequence[str]],
    today: dt.date,
) -> bool:
    """A date column whose dates agree with the resident IDs, or lie years in the past
    and older than every other date column."""
    id_columns = [i for i, lab in enumerate(labels) if lab == "identity.resident_id"]
    if id_columns:
        agreement = _matches_id(column, id_columns, sample)
        if agreement >= 0:
            return agreement >= 0.5
    median = profiles[column].median_date()
    if median is None or (today - median).days < _ADULT_YEARS * 365:
        return False
    others = [
        profiles[i].median_date() for i, lab in enumerate(labels)
        if i != column and lab in ("transaction.date", "person.birth_date")
    ]
    return all(other is None or other > median for other in others)
