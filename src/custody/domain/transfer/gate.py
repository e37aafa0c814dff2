"""The pre-transfer compliance gate (cli.md `transfer check`, legal catalogue 2.1).

`evaluate(facts)` runs every registered rule that applies to the facts' route and
returns its findings; packaging is refused while any finding blocks (`passes`).
Built-in rules live in `custody.domain.transfer.rules`, one module per group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import custody.domain.transfer.rules  # noqa: F401  (importing registers the built-ins)
from custody.domain.transfer.exclusions import (
    CustomerFacts,
    Decision,
    ExclusionPolicy,
    ExclusionTally,
    Reason,
    WhenMissing,
    decide_customer,
)
from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.rules.base import RULES, Finding, Rule, Severity, register
from custody.domain.transfer.rules.criminal import CATEGORIES as TR12_CATEGORIES
from custody.domain.transfer.rules.criminal import tr12_category

__all__ = [
    "TR12_CATEGORIES",
    "CustomerFacts",
    "Decision",
    "ExclusionPolicy",
    "ExclusionTally",
    "Finding",
    "GateFacts",
    "Reason",
    "Rule",
    "Severity",
    "WhenMissing",
    "decide_customer",
    "evaluate",
    "passes",
    "register",
    "report",
    "tr12_category",
]


def _rule_key(rule_id: str) -> tuple[str, int, str]:
    prefix, _, number = rule_id.partition("-")
    return (prefix, int(number) if number.isdigit() else 0, rule_id)


def evaluate(facts: GateFacts, *, registry: Mapping[str, Rule] | None = None) -> list[Finding]:
    """Findings of every applicable rule, in rule order (blocking ones first per rule)."""
    table = RULES if registry is None else registry
    findings: list[Finding] = []
    for rule_id in sorted(table, key=_rule_key):
        rule = table[rule_id]
        if facts.route in rule.routes:
            found = list(rule.check(facts))
            found.sort(key=lambda f: f.severity is not Severity.BLOCK)
            findings.extend(found)
    return findings


def passes(findings: Iterable[Finding]) -> bool:
    """True when no finding blocks."""
    return all(f.severity is not Severity.BLOCK for f in findings)


def report(findings: list[Finding], *, rules_evaluated: int | None = None) -> dict[str, object]:
    """The `transfer check --json` document: {"ok", "findings": [...]}."""
    out: dict[str, object] = {
        "ok": passes(findings),
        "findings": [f.to_dict() for f in findings],
    }
    if rules_evaluated is not None:
        out["rules_evaluated"] = rules_evaluated
    return out
