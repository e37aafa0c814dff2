"""TR-21: keep data accurate and complete through the move (PIPL Art. 8). Reconciliation
happens at `transfer receive`; here stale and invalid records are flagged."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE"]


def _check(f: GateFacts) -> Iterator[Finding]:
    if f.invalid_records > 0:
        yield RULE.warn(
            f"{f.invalid_records} in-scope records hold values that fail validation",
            f"{f.invalid_records} 条待移交记录含未通过校验的值",
        )
    if f.stale_records > 0:
        yield RULE.warn(
            f"{f.stale_records} in-scope records are stale; consider cleaning them up first",
            f"{f.stale_records} 条待移交记录已陈旧，建议先行清理",
        )


RULE = register(Rule("TR-21", "Accuracy through the move", "PIPL Art. 8", _check))
