"""When two rows are the same customer: the identity keys a row offers for merging."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")

__all__ = ["EMAIL_LABEL", "MERGE_LABELS", "MINOR_AGE", "NAME_EMAIL_LABEL", "STRONG_LABEL", "age_on",
           "identity_keys", "is_minor", "named_emails"]

# Under 14 on the processing date: a minor whose whole record is sensitive (PIPL Art. 28, 31).
MINOR_AGE = 14


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_minor(birth: dt.date | None, day: dt.date) -> bool:
    """True for a person under 14 on `day`; an unknown birth date is not a minor."""
    return birth is not None and age_on(birth, day) < MINOR_AGE

# A valid resident ID names one person; two different ones never merge.
STRONG_LABEL = "identity.resident_id"
# Keys that make two rows one customer. An e-mail or address alone is shared by families
# and colleagues, so each counts only together with the person's name; the plain e-mail
# key is kept for exact lookup (`customers find --email`) and never merges on its own.
MERGE_LABELS = ("identity.resident_id", "contact.mobile", "merge.name_email",
                "merge.name_address")
EMAIL_LABEL = "contact.email"
NAME_EMAIL_LABEL = "merge.name_email"


def identity_keys(normalised: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """(key label, key text) pairs of one row, from its normalised values per label.

    The first `person.name` value is the customer's own name (later name columns are
    usually a parent or contact person)."""
    keys: list[tuple[str, str]] = []
    for label in ("identity.resident_id", "contact.mobile", "contact.email"):
        keys.extend((label, v) for v in normalised.get(label, ()))
    names = normalised.get("person.name", ())
    if names:
        name = "".join(names[0].split())
        keys.extend((NAME_EMAIL_LABEL, f"{name}\x1f{e}")
                    for e in normalised.get(EMAIL_LABEL, ()))
        keys.extend(("merge.name_address", f"{name}\x1f{''.join(a.split())}")
                    for a in normalised.get("contact.address", ()))
    return keys


def named_emails(keys: Sequence[tuple[str, T]]) -> dict[T, T]:
    """name+e-mail key → the e-mail key it was made from, for one row's keys (as
    `identity_keys` gives them, or their tokens in the same order: the e-mails, then one
    name+e-mail key per e-mail). Each e-mail's lookup entry can then carry the name+e-mail
    key instead of an entry of its own."""
    mails: list[T] = []
    out: dict[T, T] = {}
    n = 0
    for label, key in keys:
        if label == EMAIL_LABEL:
            mails.append(key)
        elif label == NAME_EMAIL_LABEL:
            out[key] = mails[n]
            n += 1
    return out
