"""TR-06: a personal-information impact assessment precedes the provision (PIPL Art. 55,
56); open questions are shown as a warning, no assessment at all blocks."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE"]


def _check(f: GateFacts) -> Iterator[Finding]:
    if not f.pia_recorded:
        yield RULE.block(
            "no impact assessment is recorded for this transfer (run `transfer assess`)",
            "本次转让尚无个人信息保护影响评估记录（请运行 transfer assess）",
        )
    elif f.pia_open_questions > 0:
        yield RULE.warn(
            f"the impact assessment has {f.pia_open_questions} unanswered questions",
            f"影响评估尚有 {f.pia_open_questions} 个问题未回答",
        )


RULE = register(Rule("TR-06", "Impact assessment", "PIPL Art. 55, 56", _check))
