"""TR-18: a dissolution or bankruptcy without a successor hands nothing over. The business
stops collecting, tells its customers, then deletes or anonymises their data: the
wind-down workflow, not a handover (PIPL Art. 47 ¶1(2); GB/T 35273 9.3, unconfirmed)."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.route import DealType, LegalRoute
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE", "WIND_DOWN_DEALS"]

# Deals that can end without a successor (legal catalogue, section 1).
WIND_DOWN_DEALS = frozenset({DealType.DISSOLUTION, DealType.BANKRUPTCY})
_ZH = {DealType.DISSOLUTION: "解散", DealType.BANKRUPTCY: "破产"}


def _check(f: GateFacts) -> Iterator[Finding]:
    if f.no_successor and f.deal_type in WIND_DOWN_DEALS:
        yield RULE.block(
            f"{f.deal_type.value} without a successor: nothing may be handed over; the "
            "personal information must be deleted or anonymised. The wind-down workflow "
            "applies (stop collecting, tell the customers, then delete or anonymise), "
            "not a handover",
            f"{_ZH[f.deal_type]}且无承继方：不得移交个人信息，应当删除或匿名化处理；"
            "适用停业清理流程（停止收集、告知客户、再删除或匿名化），而非移交",
        )


RULE = register(
    Rule(
        "TR-18",
        "No successor: delete or anonymise, no handover",
        "PIPL Art. 47 ¶1(2); GB/T 35273 9.3",
        _check,
        routes=frozenset(LegalRoute),
    )
)
