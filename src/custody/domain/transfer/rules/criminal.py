"""TR-12: records provided without a valid route count towards the criminal thresholds of
the SPC/SPP interpretation (2017) Art. 5: 50 records of location, communication content,
credit or property data; 500 of accommodation, communication records, health or
transaction data; 5,000 of anything else. For data obtained while serving customers half
those numbers suffice, so the gate blocks once a bucket reaches half its threshold."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["CATEGORIES", "RULE", "Tr12Category", "tr12_category"]


@dataclass(frozen=True)
class Tr12Category:
    """A bucket of the interpretation with its threshold for a 'serious' case."""

    id: str
    threshold: int
    en: str
    zh: str
    labels: frozenset[str]

    @property
    def serving_threshold(self) -> int:
        return self.threshold // 2


CATEGORIES: dict[str, Tr12Category] = {
    c.id: c
    for c in (
        Tr12Category(
            "location_communication_credit_property",
            50,
            "location, communication content, credit or property data",
            "行踪轨迹、通信内容、征信信息、财产信息",
            frozenset({"financial.bank_card", "financial.account"}),
        ),
        Tr12Category(
            "accommodation_health_transaction",
            500,
            "accommodation, communication records, health or transaction data",
            "住宿信息、通信记录、健康生理信息、交易信息",
            frozenset({"transaction.item", "transaction.amount", "transaction.date"}),
        ),
        Tr12Category("other", 5000, "other personal information", "其他公民个人信息", frozenset()),
    )
}


def tr12_category(labels: Iterable[str]) -> str:
    """The most serious bucket a record falls in, from the labels it carries."""
    present = frozenset(labels)
    for category in CATEGORIES.values():
        if category.labels & present:
            return category.id
    return "other"


def _check(f: GateFacts) -> Iterator[Finding]:
    for cid in sorted(f.no_route_by_category):
        n = f.no_route_by_category[cid]
        category = CATEGORIES.get(cid, CATEGORIES["other"])
        if n >= category.serving_threshold:
            yield RULE.block(
                f"{n} in-scope records of {category.en} have no valid route; providing "
                f"{category.serving_threshold} or more may be a serious criminal case",
                f"{n} 条{category.zh}记录无合法转移依据；提供 {category.serving_threshold} "
                "条以上可能构成侵犯公民个人信息罪的“情节严重”",
            )
        elif n > 0:
            yield RULE.warn(
                f"{n} in-scope records of {category.en} have no valid route",
                f"{n} 条{category.zh}记录无合法转移依据",
            )


RULE = register(
    Rule("TR-12", "Criminal thresholds", "SPC/SPP interpretation (2017) Art. 3, 5", _check)
)
