"""TR-13/TR-14: the audit chain must verify before packaging; every step is recorded in a
tamper-evident log (PIPL Art. 9, 51, 55; CSL Art. 21(3))."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE"]


def _check(f: GateFacts) -> Iterator[Finding]:
    if not f.audit_chain_ok:
        yield RULE.block(
            "the audit chain does not verify; run `custody audit verify`",
            "审计链校验未通过；请运行 custody audit verify",
        )


RULE = register(
    Rule("TR-14", "Tamper-evident record of the transfer", "PIPL Art. 9, 51, 55", _check)
)
