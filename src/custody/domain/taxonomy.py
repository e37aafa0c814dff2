"""The label vocabulary of shared/spec/taxonomy.md, as data."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COLUMN_LABELS",
    "INDEXED_LABELS",
    "PERSONAL_LABELS",
    "SENSITIVE_LABELS",
    "SPAN_LABELS",
    "LabelInfo",
    "is_personal",
    "is_sensitive",
    "label_info",
]


@dataclass(frozen=True)
class LabelInfo:
    """One column label: whether it is personal, sensitive, and its span label."""

    label: str
    personal: bool
    sensitive: bool
    span_label: str | None
    zh: str
    en: str


COLUMN_LABELS: dict[str, LabelInfo] = {
    info.label: info
    for info in (
        LabelInfo("person.name", True, False, "PERSON", "姓名", "name"),
        LabelInfo("person.gender", True, False, None, "性别", "gender"),
        LabelInfo("person.birth_date", True, False, None, "出生日期", "birth date"),
        LabelInfo("contact.mobile", True, False, "MOBILE", "手机号", "mobile"),
        LabelInfo("contact.landline", True, False, "LANDLINE", "固定电话", "landline"),
        LabelInfo("contact.email", True, False, "EMAIL", "电子邮箱", "e-mail"),
        LabelInfo("contact.address", True, False, "ADDRESS", "地址", "address"),
        LabelInfo("contact.im", True, False, "IM", "微信/QQ", "WeChat/QQ id"),
        LabelInfo("identity.resident_id", True, True, "RESIDENT_ID", "身份证号", "resident ID"),
        LabelInfo("identity.passport", True, True, "PASSPORT", "护照/通行证", "passport"),
        LabelInfo("financial.bank_card", True, True, "BANK_CARD", "银行卡号", "bank card"),
        LabelInfo("financial.account", True, True, "BANK_ACCOUNT", "银行账号", "bank account"),
        LabelInfo("education.school", True, False, None, "学校", "school"),
        LabelInfo("education.grade", True, False, None, "年级", "grade"),
        LabelInfo("employment.employer", True, False, "ORG", "工作单位", "employer"),
        LabelInfo("employment.title", True, False, None, "职务", "job title"),
        LabelInfo("org.name", False, False, "ORG", "单位名称", "organisation"),
        LabelInfo("org.uscc", False, False, "USCC", "统一社会信用代码", "USCC"),
        LabelInfo("transaction.item", True, False, None, "项目", "item"),
        LabelInfo("transaction.amount", True, False, None, "金额", "amount"),
        LabelInfo("transaction.date", True, False, None, "日期", "date"),
        LabelInfo("note.free_text", True, False, None, "备注", "note"),
        LabelInfo("other", False, False, None, "其他", "other"),
    )
}

SPAN_LABELS: frozenset[str] = frozenset(
    i.span_label for i in COLUMN_LABELS.values() if i.span_label is not None
)
PERSONAL_LABELS: frozenset[str] = frozenset(k for k, i in COLUMN_LABELS.items() if i.personal)
SENSITIVE_LABELS: frozenset[str] = frozenset(k for k, i in COLUMN_LABELS.items() if i.sensitive)
# Labels whose normalised value gets a keyed blind index for lookup and duplicate detection.
INDEXED_LABELS: frozenset[str] = frozenset(
    {"identity.resident_id", "contact.mobile", "contact.email"}
)


def label_info(label: str) -> LabelInfo:
    """The taxonomy entry of a label; unknown labels count as 'other'."""
    return COLUMN_LABELS.get(label, COLUMN_LABELS["other"])


def is_personal(label: str) -> bool:
    """True when values under this label are personal information."""
    return label_info(label).personal


def is_sensitive(label: str) -> bool:
    """True for sensitive personal information (PIPL Art. 28)."""
    return label_info(label).sensitive
