"""Value evidence: the label a column's values alone point to, and whether values are
compatible with the label a header names."""

from __future__ import annotations

from collections.abc import Callable

from custody.discovery.profile import ColumnProfile

__all__ = ["compatible", "value_label"]

# Labels whose values carry a check (digit, format) strong enough to overrule a header.
_VERIFIED = ("contact.email", "contact.mobile", "org.uscc", "contact.landline")


def _identifier_label(p: ColumnProfile) -> tuple[str, float] | None:
    if p.share("id_shape") >= 0.8:
        valid = p.share("resident_id") / p.share("id_shape")
        return ("identity.resident_id", valid) if valid >= 0.5 else ("other", 1 - valid)
    for share_name, label in (
        ("email", "contact.email"), ("uscc", "org.uscc"), ("mobile", "contact.mobile"),
        ("landline", "contact.landline"),
    ):
        if p.share(share_name) >= 0.6:
            return label, p.share(share_name)
    if p.share("mobile") + p.share("landline") >= 0.8:
        best = "contact.mobile" if p.share("mobile") >= p.share("landline") else "contact.landline"
        return best, p.share("mobile") + p.share("landline")
    if p.share("bank_card") >= 0.6:
        return "financial.bank_card", p.share("bank_card")
    if p.share("passport") >= 0.6:
        return "identity.passport", p.share("passport")
    if p.share("wechat") >= 0.3:
        return "contact.im", p.share("wechat")
    return None


def _typed_label(p: ColumnProfile) -> tuple[str, float] | None:
    if p.share("date") >= 0.8:
        return "transaction.date", p.share("date")  # birth dates are told apart in context
    if p.share("gender") >= 0.9 and p.distinct <= 8:
        return "person.gender", p.share("gender")
    if p.share("amount") >= 0.9:
        if p.share("decimal") >= 0.3 or _money_integers(p):
            return "transaction.amount", p.share("amount")
        return "other", 0.7  # counts, codes, small integers
    if p.share("code") >= 0.6 or p.share("integer") >= 0.6:
        return "other", max(p.share("code"), p.share("integer"))
    return None


def _money_integers(p: ColumnProfile) -> bool:
    """Whole amounts: currency marks, or integers of varying length with a median >= 100."""
    if any(v[0] in "¥￥$" or v.endswith("元") for v in p.values[:200]):
        return True
    digits = [v.replace(",", "") for v in p.values if v.replace(",", "").isdigit()]
    if len(digits) < 0.9 * p.count or any(d.startswith("0") and len(d) > 1 for d in digits):
        return False
    lengths = {len(d) for d in digits}
    in_order = [int(d) for d in digits]
    steps = sum(1 for a, b in zip(in_order, in_order[1:], strict=False) if b == a + 1)
    if steps >= 0.8 * (len(in_order) - 1):
        return False  # row or serial numbers
    numbers = sorted(in_order)
    return len(lengths) >= 2 and max(lengths) <= 8 and numbers[len(numbers) // 2] >= 100


def _text_label(p: ColumnProfile) -> tuple[str, float]:
    checks = (
        ("grade", "education.grade", 0.7), ("school", "education.school", 0.6),
        ("level", "other", 0.6), ("org", "org.*", 0.6), ("name", "person.name", 0.7),
        ("address", "contact.address", 0.6),
    )
    for share_name, label, threshold in checks:
        if p.share(share_name) >= threshold:
            return label, p.share(share_name)
    varied = p.distinct >= min(10, p.count / 3)
    if varied and (p.share("sentence") >= 0.15 or p.mean_len >= 12):
        return "note.free_text", 0.7
    if p.distinct > 30 or (p.distinct_ratio >= 0.5 and p.share("job") >= 0.3):
        return "employment.title", 0.6
    return "transaction.item", 0.6


def value_label(p: ColumnProfile) -> tuple[str, float]:
    """(label, confidence) from the sample values alone; "org.*" needs context."""
    if p.count == 0:
        return "other", 0.3
    return _identifier_label(p) or _typed_label(p) or _text_label(p)


def _texty(p: ColumnProfile) -> bool:
    """Not mostly numbers, dates, identifiers or e-mail addresses (a column of e-mails under
    "Email Address" is no postal address, whatever the header's last word)."""
    typed = max(
        p.share("amount"), p.share("date"), p.share("id_shape"), p.share("mobile"),
        p.share("email"),
    )
    return typed < 0.5


_COMPATIBLE: dict[str, Callable[[ColumnProfile], bool]] = {
    "person.name": lambda p: p.share("name") >= 0.5 or (_texty(p) and p.share("org") < 0.3),
    "org.name": lambda p: _texty(p),
    "employment.employer": lambda p: _texty(p),
    "contact.mobile": lambda p: p.share("mobile") >= 0.5,
    "contact.landline": lambda p: p.share("landline") >= 0.5,
    "contact.email": lambda p: p.share("email") >= 0.5,
    "contact.im": lambda p: p.share("im") + p.share("email") >= 0.5 and p.share("id_shape") < 0.5,
    "contact.address": lambda p: _texty(p),
    "identity.resident_id": lambda p: p.share("id_shape") >= 0.5
    and p.share("resident_id") >= 0.5 * p.share("id_shape"),
    "identity.passport": lambda p: p.share("id_shape") < 0.5 and p.share("code") >= 0.5,
    "financial.bank_card": lambda p: p.share("bank_card") >= 0.5,
    "financial.account": lambda p: p.share("code") + p.share("integer") >= 0.5
    and p.share("id_shape") < 0.5,
    "org.uscc": lambda p: p.share("uscc") >= 0.5,
    "person.birth_date": lambda p: p.share("date") >= 0.6,
    "transaction.date": lambda p: p.share("date") >= 0.6,
    "transaction.amount": lambda p: p.share("amount") >= 0.6,
    "person.gender": lambda p: p.share("gender") >= 0.6,
    "education.school": lambda p: _texty(p),
    "education.grade": lambda p: p.share("date") < 0.5 and p.share("mobile") < 0.5,
    "employment.title": lambda p: _texty(p),
    "transaction.item": lambda p: _texty(p),
    "note.free_text": lambda p: p.share("mobile") + p.share("email") < 0.5
    and p.share("id_shape") < 0.5,
}


def compatible(label: str, p: ColumnProfile) -> bool:
    """True when the values do not contradict the label a header names."""
    if p.count == 0 or label == "other":
        return True
    if label in _VERIFIED and p.share(label.split(".")[1]) >= 0.5:
        return True
    check = _COMPATIBLE.get(label)
    return check(p) if check else True
