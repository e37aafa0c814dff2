"""TR-16: customers get a window to object before the package is built, and objectors
are excluded (PIPL Art. 44, 15; the window itself is a design choice)."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.route import LegalRoute
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE"]


def _check(f: GateFacts) -> Iterator[Finding]:
    if f.objection_window_ends is None:
        if f.customers_in_scope > 0:
            yield RULE.block(
                "no objection window is open: notify customers first",
                "尚未开启异议期：请先通知客户",
            )
    elif f.now < f.objection_window_ends:
        yield RULE.block(
            f"the objection window runs until {f.objection_window_ends.isoformat()}",
            f"异议期至 {f.objection_window_ends.isoformat()} 结束，届满前不得打包",
        )
    if f.objection_days == 0:
        yield RULE.warn(
            "the objection window is 0 days (allowed for demos and tests only)",
            "异议期为 0 天（仅用于演示和测试）",
        )
    if f.objectors > 0 and not f.objectors_excluded:
        yield RULE.block(
            f"{f.objectors} customers objected and are still in scope",
            f"{f.objectors} 名提出异议的客户仍在移交范围内",
        )


RULE = register(
    Rule(
        "TR-16",
        "Objection window and objectors",
        "PIPL Art. 15, 44",
        _check,
        routes=frozenset({LegalRoute.ART22_NOTICE, LegalRoute.ART23_SEPARATE_CONSENT}),
    )
)
