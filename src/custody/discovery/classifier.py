"""RuleColumnClassifier: header evidence and value evidence vote on each column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from custody.discovery.context import is_birth_date_column, resolve_org
from custody.discovery.evidence import compatible, value_label
from custody.discovery.profile import ColumnProfile, profile_column
from custody.discovery.vocabulary import HeaderHint, header_hint, normalise_header
from custody.domain.classification import ColumnLabel
from custody.domain.taxonomy import is_sensitive

__all__ = ["RuleColumnClassifier"]


def _family(hint: HeaderHint, header: str, p: ColumnProfile) -> str | None:
    label = hint.label
    if label == "name.*":
        if p.share("org") >= 0.5:
            return "org.*"
        return "person.name" if compatible("person.name", p) else None
    if label == "phone.*":
        if max(p.share("mobile"), p.share("landline")) < 0.3:
            return "contact.im" if compatible("contact.im", p) else None
        return "contact.mobile" if p.share("mobile") >= p.share("landline") else "contact.landline"
    if label == "id.*":
        if compatible("identity.resident_id", p):
            return "identity.resident_id"
        if p.share("passport") >= 0.5:
            return "identity.passport"
        return "other" if p.share("id_shape") >= 0.5 else None
    if label == "card.*":
        if p.share("bank_card") >= 0.5:
            return "financial.bank_card"
        text = normalise_header(header)
        if "账" in text or "account" in text or "iban" in text:
            return "financial.account"
        return "other"
    if label == "org.*":
        return "org.*" if compatible("org.name", p) else None
    return label if compatible(label, p) else None


class RuleColumnClassifier:
    """Implements ColumnClassifier with header keywords, value recognisers and context."""

    def __init__(self, today: dt.date | None = None) -> None:
        self._today = today or dt.date.today()

    def classify(
        self, headers: Sequence[str], sample: Sequence[Sequence[str]]
    ) -> list[ColumnLabel]:
        """Label every column from its header (may be "") and a sample of its values."""
        width = max([len(headers)] + [len(r) for r in sample[:1]])
        heads = [headers[i] if i < len(headers) else "" for i in range(width)]
        profiles = [profile_column([r[i] for r in sample if i < len(r)]) for i in range(width)]
        labels: list[str] = []
        confidences: list[float] = []
        from_header: list[bool] = []
        for head, profile in zip(heads, profiles, strict=True):
            label, confidence, by_header = self._column(head, profile)
            labels.append(label)
            confidences.append(confidence)
            from_header.append(by_header)
        self._apply_context(labels, from_header, profiles, sample)
        return [
            ColumnLabel(i, heads[i] or None, lab, is_sensitive(lab), round(conf, 3))
            for i, (lab, conf) in enumerate(zip(labels, confidences, strict=True))
        ]

    def _column(self, header: str, p: ColumnProfile) -> tuple[str, float, bool]:
        by_values, value_conf = value_label(p)
        hint = header_hint(header) if header else None
        if hint is None:
            if p.count == 0:
                return "other", 0.3, False
            return by_values, min(0.95, 0.5 + value_conf * 0.45), False
        chosen = _family(hint, header, p)
        if chosen is None:
            return by_values, min(0.9, 0.4 + value_conf * 0.4), False
        if p.count == 0:
            return chosen, 0.6, True
        agree = chosen == by_values or (chosen, by_values) in _NEAR
        return chosen, (0.99 if agree else 0.85), True

    def _apply_context(
        self,
        labels: list[str],
        from_header: Sequence[bool],
        profiles: Sequence[ColumnProfile],
        sample: Sequence[Sequence[str]],
    ) -> None:
        for i, label in enumerate(labels):
            if label == "org.*":
                labels[i] = resolve_org(i, labels)
        for i, label in enumerate(labels):
            if (
                label == "transaction.date"
                and not from_header[i]
                and is_birth_date_column(i, profiles, labels, sample, self._today)
            ):
                labels[i] = "person.birth_date"


_NEAR = frozenset(
    {
        ("person.birth_date", "transaction.date"),
        ("employment.employer", "org.*"),
        ("org.name", "org.*"),
        ("employment.title", "transaction.item"),
        ("transaction.item", "employment.title"),
        ("other", "transaction.item"),
    }
)
