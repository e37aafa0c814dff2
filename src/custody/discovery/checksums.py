"""Check digits and canonical forms of Chinese identifiers and contact values.

Pure, allocation-light functions used in hot loops (column classification, quality
counts, span scanning). Every regular expression is compiled once, at import.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = [
    "bank_card_valid",
    "landline_normalize",
    "luhn_valid",
    "normalize_email",
    "normalize_mobile",
    "normalize_resident_id",
    "passport_valid",
    "resident_id_birth_date",
    "resident_id_valid",
    "to_halfwidth",
    "uscc_valid",
]

# Full-width ASCII (U+FF01..U+FF5E) to half-width, ideographic space to space.
_HALFWIDTH: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20
# Same, and drop the separators people put inside phone numbers.
_PHONE_CLEAN = dict(_HALFWIDTH)
for _sep in " -()（）.\u2010\u2011\u2012\u2013\u2014\u00a0\t":
    _PHONE_CLEAN[ord(_sep)] = None
for _sep in "－（）．":
    _PHONE_CLEAN[ord(_sep)] = None

_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"
_ID_LAST = frozenset("0123456789Xx")
_EARLIEST_BIRTH = dt.date(1900, 1, 1)
# Generous upper bound: a birth date up to the end of next year is still plausible.
_LATEST_BIRTH = dt.date(dt.date.today().year + 1, 12, 31)

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}")

_MOBILE_RE = re.compile(r"(?:\+?86|\+?0086|0)?(1[3-9][0-9]{9})")
_MOBILE_SECOND = frozenset("3456789")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,24}")
_CARD_PREFIX_RE = re.compile(r"6[0256789]|4|5[0-8]|2[2-7]|3[0456789]|8|9|1[08]")
_PASSPORT_RES = tuple(
    re.compile(p)
    for p in (
        r"[EG][0-9]{8}",  # ordinary passports
        r"E[A-HJ-NP-Z][0-9]{7}",  # ordinary e-passports, new series
        r"[DPS]E?[0-9]{7}",  # diplomatic, public affairs, service
        r"[CHM][0-9]{8,10}",  # Hong Kong / Macau permits, home-return permits
        r"C[A-Z][0-9]{7}",  # exit-entry permit for Hong Kong and Macau, new series
        r"T[0-9]{8}",  # mainland residents' permit to Taiwan
        r"[0-9]{8}(?:[0-9]{2})?",  # Taiwan residents' permit to the mainland
    )
)
_FOREIGN_PASSPORT_RE = re.compile(r"(?=.*[0-9].*[0-9].*[0-9].*[0-9])[A-Z0-9]{7,10}")
_LANDLINE_RE = re.compile(
    r"(?:\+?86|0086)?0?((?:10|2[0-9])|[3-9][0-9]{2})([1-9][0-9]{6,7})"
    r"(?:(?:转|ext\.?|x|#|分机)[0-9]{1,6})?",
    re.IGNORECASE,
)


def to_halfwidth(value: str) -> str:
    """Full-width letters, digits and punctuation turned into their ASCII forms."""
    return value.translate(_HALFWIDTH)


def _birth_date_digits(digits: str) -> dt.date | None:
    try:
        born = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    if born < _EARLIEST_BIRTH or born > _LATEST_BIRTH:
        return None
    return born


def _resident_id_checksum_ok(value: str) -> bool:
    # Weights are 2**(17-i) mod 11 and 13 = 2 (mod 11), so reading the 17 digits in base
    # 13 gives the weighted sum (halved) modulo 11 in one C call.
    total = 2 * int(value[:17], 13)
    return _ID_CHECK[total % 11] == value[17].upper()


def _valid_birth_digits() -> frozenset[str]:
    """Every valid YYYYMMDD birth date (built per month: this runs at every start)."""
    days = [f"{day:02d}" for day in range(1, 32)]
    valid: list[str] = []
    for year in range(_EARLIEST_BIRTH.year, _LATEST_BIRTH.year + 1):
        for month in range(1, 13):
            head = f"{year}{month:02d}"
            valid += [head + day for day in days[: calendar.monthrange(year, month)[1]]]
    return frozenset(valid)


_BIRTH_DIGITS = _valid_birth_digits()


def resident_id_valid(value: str) -> bool:
    """True for an 18-character resident ID with a valid check digit and birth date.

    The region code (first six digits) is not checked: code tables miss newer regions, and
    the taxonomy's rule is the check digit and the birth date.
    """
    if len(value) != 18 or not value.isascii() or not value[:17].isdigit():
        return False
    if value[17] not in _ID_LAST:
        return False
    return value[6:14] in _BIRTH_DIGITS and _resident_id_checksum_ok(value)


def resident_id_birth_date(value: str) -> dt.date | None:
    """The birth date inside a valid resident ID, else None."""
    if not resident_id_valid(value):
        return None
    return _birth_date_digits(value[6:14])


def normalize_resident_id(value: str) -> str | None:
    """Upper-case resident ID without surrounding blanks, or None when it is not valid.

    Written out in one function: it runs once per row of every file classified.
    """
    if len(value) != 18 or not value.isascii():
        value = to_halfwidth(value).strip().replace(" ", "")
        if len(value) != 18 or not value.isascii():
            return None
    head = value[:17]
    if not head.isdigit() or value[6:14] not in _BIRTH_DIGITS:
        return None
    last = value[17]
    if last == "x":
        last = "X"
        value = head + last
    return value if _ID_CHECK[2 * int(head, 13) % 11] == last else None


# A doubled Luhn digit written as the digit of its digit sum (7 -> 14 -> 5).
_LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")


def luhn_valid(digits: str) -> bool:
    """True when a string of ASCII digits passes the Luhn check.

    The sums are taken over the digits' bytes (each is 48 + its value): one pass in C
    instead of a Python loop per digit, which matters for every number in every note.
    """
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    kept = digits[::-2]
    doubled = digits[-2::-2].translate(_LUHN_DOUBLED)
    total = sum(kept.encode()) + sum(doubled.encode()) - 48 * len(digits)
    return total % 10 == 0


def bank_card_valid(value: str) -> bool:
    """True for 15-19 digits (spaces/dashes allowed) with a Luhn check and issuer prefix."""
    digits = value.translate(_PHONE_CLEAN)
    if not 15 <= len(digits) <= 19 or not digits.isascii() or not digits.isdigit():
        return False
    if _CARD_PREFIX_RE.match(digits) is None:
        return False
    return luhn_valid(digits)


def uscc_valid(value: str) -> bool:
    """True for a Unified Social Credit Code (GB 32100) with a valid check character."""
    code = value.translate(_PHONE_CLEAN).upper()
    if len(code) != 18 or _USCC_RE.fullmatch(code) is None:
        return False
    total = 0
    for weight, char in zip(_USCC_WEIGHTS, code[:17], strict=True):
        total += weight * _USCC_VALUE[char]
    return _USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


def normalize_mobile(value: str) -> str | None:
    """E.164 form ("+8613812345678") of a mainland mobile number in any common format."""
    if len(value) == 11 and value.isascii() and value.isdigit():
        return "+86" + value if value[0] == "1" and value[1] in _MOBILE_SECOND else None
    compact = value.translate(_PHONE_CLEAN)
    match = _MOBILE_RE.fullmatch(compact)
    if match is None:
        return None
    return "+86" + match.group(1)


def normalize_email(value: str) -> str | None:
    """Lower-case e-mail address, or None when the value is not one."""
    candidate = (value if value.isascii() else to_halfwidth(value)).strip()
    if _EMAIL_RE.fullmatch(candidate) is None:
        return None
    local, _, domain = candidate.partition("@")
    if local[0] == "." or local[-1] == "." or ".." in local:
        return None
    if domain[0] == "-" or "-." in domain or ".-" in domain:
        return None
    return candidate.lower()


def passport_valid(value: str, *, foreign: bool = False) -> bool:
    """True for a Chinese passport or travel-permit number.

    With `foreign=True`, any 7-10 letters and digits holding at least four digits also
    pass (foreign passports have no common shape: use it only under a passport header).
    """
    candidate = to_halfwidth(value).strip().replace(" ", "").upper()
    if not 7 <= len(candidate) <= 11:
        return False
    if any(pattern.fullmatch(candidate) is not None for pattern in _PASSPORT_RES):
        return True
    if not foreign or candidate[:1] in ("E", "G") and candidate[1:2].isalpha():
        return False
    return _FOREIGN_PASSPORT_RE.fullmatch(candidate) is not None


def landline_normalize(value: str) -> str | None:
    """E.164 form ("+862161953767") of a mainland fixed-line number with area code."""
    compact = value.translate(_PHONE_CLEAN)
    match = _LANDLINE_RE.fullmatch(compact)
    if match is None:
        return None
    area, local = match.group(1), match.group(2)
    trunked = compact.startswith(("0", "+", "86"))
    if not trunked and not (area == "10" and compact.startswith("10")):
        return None
    return "+86" + area + local
