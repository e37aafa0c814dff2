"""Which column labels a declared processing purpose needs (data minimisation)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from custody.domain.classification import ColumnLabel
from custody.domain.taxonomy import is_personal

__all__ = ["PURPOSE_LABELS", "canonical_purpose", "unneeded_columns"]

_SERVICE = {
    "person.name", "person.gender", "person.birth_date", "contact.mobile", "contact.email",
    "contact.landline", "contact.im", "education.school", "education.grade",
    "transaction.item", "transaction.date", "note.free_text",
}
PURPOSE_LABELS: dict[str, frozenset[str]] = {
    "service": frozenset(_SERVICE),
    "marketing": frozenset(
        {"person.name", "contact.mobile", "contact.email", "contact.im", "transaction.item",
         "transaction.date"}
    ),
    "billing": frozenset(
        {"person.name", "contact.mobile", "contact.email", "contact.address", "org.name",
         "org.uscc", "transaction.item", "transaction.amount", "transaction.date",
         "financial.bank_card", "financial.account"}
    ),
    "delivery": frozenset(
        {"person.name", "contact.mobile", "contact.landline", "contact.address",
         "transaction.item", "transaction.date"}
    ),
    "identity": frozenset({"person.name", "identity.resident_id", "identity.passport",
                           "person.birth_date"}),
    "employment": frozenset({"person.name", "employment.employer", "employment.title",
                             "org.name"}),
}
_ALIASES = {
    "教学服务": "service", "教学": "service", "服务": "service", "培训": "service",
    "营销": "marketing", "推广": "marketing", "收费": "billing", "结算": "billing",
    "开票": "billing", "billing": "billing", "配送": "delivery", "快递": "delivery",
    "寄送": "delivery", "实名": "identity", "身份核验": "identity", "teaching": "service",
}


def canonical_purpose(purpose: str) -> str | None:
    """The table key for a purpose name in Chinese or English, or None if unknown."""
    key = purpose.strip().lower()
    return key if key in PURPOSE_LABELS else _ALIASES.get(key)


def unneeded_columns(columns: Sequence[ColumnLabel], purposes: Iterable[str]) -> list[int]:
    """Indices of personal columns that none of the declared purposes needs."""
    needed: set[str] = set()
    known = False
    for purpose in purposes:
        key = canonical_purpose(purpose)
        if key is not None:
            known = True
            needed |= PURPOSE_LABELS[key]
    if not known:
        return []
    return [c.index for c in columns if is_personal(c.label) and c.label not in needed]
