"""Default display masking per label (shared/spec/taxonomy.md, 'Default display masking')."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["MASKERS", "mask", "mask_address", "mask_name", "pseudonym_label"]

_STAR = "*"


def mask_name(value: str) -> str:
    """张伟 → 张*; 欧阳娜娜 → 欧***; Anna Smith → A*********."""
    v = value.strip()
    return v[:1] + _STAR * (len(v) - 1) if v else v


def _mask_digits(value: str, keep_head: int, keep_tail: int) -> str:
    v = re.sub(r"[\s\-]", "", value)
    if len(v) <= keep_head + keep_tail:
        return _STAR * len(v)
    return v[:keep_head] + _STAR * (len(v) - keep_head - keep_tail) + v[-keep_tail:]


def mask_mobile(value: str) -> str:
    """13812345678 → 138****5678 (country code dropped)."""
    digits = re.sub(r"\D", "", value.translate(_FULLWIDTH))
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return _mask_digits(digits, 3, 4)


def mask_landline(value: str) -> str:
    """021-61953767 → 021-****3767."""
    v = value.strip().translate(_FULLWIDTH)
    m = re.match(r"^(\(?\+?\d{2,4}\)?)[\s\-]?(\d+)(.*)$", v)
    if not m:
        return _mask_digits(v, 0, 4)
    local = m.group(2)
    return f"{m.group(1).strip('()')}-{_STAR * max(len(local) - 4, 0)}{local[-4:]}"


def mask_email(value: str) -> str:
    """zhangwei@example.com → z*******@example.com."""
    local, sep, domain = value.strip().partition("@")
    if not sep:
        return mask_name(value)
    return local[:1] + _STAR * (len(local) - 1) + "@" + domain


_DISTRICT = re.compile(
    r"^(.{0,12}?(?:自治区|特别行政区|省|市))?(.{0,10}?(?:自治州|地区|盟|市))?"
    r"(.{0,10}?(?:新区|区|县|旗|市))?"
)


def mask_address(value: str) -> str:
    """江苏省南京市玄武区中山路8号3栋 → 江苏省南京市玄武区****** (kept to district)."""
    v = value.strip()
    m = _DISTRICT.match(v)
    kept = m.group(0) if m else ""
    if not kept:
        return _STAR * min(len(v), 6)
    return kept + _STAR * 6


def mask_resident_id(value: str) -> str:
    """110101199003071233 → 110***********1233."""
    return _mask_digits(value.strip().upper(), 3, 4)


def mask_bank_card(value: str) -> str:
    """6222021234567890128 → 6222***********0128."""
    return _mask_digits(value.strip(), 4, 4)


def mask_birth_date(value: str) -> str:
    """1990-03-07 → 1990-**-**."""
    m = re.match(r"^\s*(\d{4})", value)
    return f"{m.group(1)}-**-**" if m else _STAR * 4


def mask_generic(value: str) -> str:
    """Anything else personal: first character, then stars (at most 8)."""
    v = value.strip()
    return v[:1] + _STAR * min(max(len(v) - 1, 1), 8) if v else v


def keep(value: str) -> str:
    """Not personal information: shown as is."""
    return value


_FULLWIDTH = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF0B: 0x2B, 0xFF0D: 0x2D}

MASKERS: dict[str, Callable[[str], str]] = {
    "person.name": mask_name,
    "contact.mobile": mask_mobile,
    "contact.landline": mask_landline,
    "contact.email": mask_email,
    "contact.address": mask_address,
    "identity.resident_id": mask_resident_id,
    "identity.passport": lambda v: _mask_digits(v.strip(), 1, 3),
    "financial.bank_card": mask_bank_card,
    "financial.account": mask_bank_card,
    "person.birth_date": mask_birth_date,
    "org.name": keep,
    "org.uscc": keep,
    "other": keep,
    "transaction.amount": keep,
    "transaction.date": keep,
    "transaction.item": keep,
    "education.grade": keep,
    "person.gender": keep,
}


def mask(label: str, value: str) -> str:
    """The default display form of `value` under `label`."""
    if not value:
        return value
    return MASKERS.get(label, mask_generic)(value)


def pseudonym_label(label: str) -> str:
    """Prefix for keyed pseudonym tokens of a label (e.g. 'mobile')."""
    return label.rsplit(".", 1)[-1]
