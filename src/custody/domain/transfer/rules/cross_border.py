"""TR-22: a buyer or storage outside mainland China makes the move a cross-border
provision; without a recorded mechanism (assessment, certification or standard contract)
it is blocked (PIPL Art. 38-39; XB-01)."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE"]


def _check(f: GateFacts) -> Iterator[Finding]:
    if f.cross_border and not f.cross_border_assessment:
        yield RULE.block(
            "the destination is outside mainland China and no cross-border mechanism "
            "(security assessment, certification or standard contract) is recorded",
            "接收方或存储地位于境外，且未记录出境机制（安全评估、认证或标准合同）",
        )


RULE = register(Rule("TR-22", "Cross-border provision", "PIPL Art. 38, 39", _check))
