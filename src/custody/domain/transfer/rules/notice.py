"""TR-02: every in-scope customer is told the recipient's name and contact (PIPL Art. 22;
on the Art. 23 route the notice is part of asking for separate consent)."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.route import LegalRoute
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE"]


def _check(f: GateFacts) -> Iterator[Finding]:
    if f.customers_not_notified > 0:
        yield RULE.block(
            f"{f.customers_not_notified} of {f.customers_in_scope} in-scope customers "
            "have no notice of the recipient's name and contact",
            f"{f.customers_in_scope} 名待移交客户中有 {f.customers_not_notified} 名"
            "尚未收到接收方名称和联系方式的告知",
        )


RULE = register(
    Rule(
        "TR-02",
        "Notice of the recipient",
        "PIPL Art. 22",
        _check,
        routes=frozenset({LegalRoute.ART22_NOTICE, LegalRoute.ART23_SEPARATE_CONSENT}),
    )
)
