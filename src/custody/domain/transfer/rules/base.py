"""The gate's finding type and its rule registry (S11: built-ins are plugins)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.route import LegalRoute
from custody.errors import Conflict

__all__ = ["MOVING_ROUTES", "RULES", "Finding", "Rule", "Severity", "register"]

MOVING_ROUTES: frozenset[LegalRoute] = frozenset(
    {LegalRoute.ART22_NOTICE, LegalRoute.ART23_SEPARATE_CONSENT, LegalRoute.ART21_PROCESSOR}
)


class Severity(StrEnum):
    """A blocking finding refuses packaging; a warning is shown and recorded."""

    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    """One result of the gate (cli.md `transfer check`), in English and Chinese."""

    rule: str
    severity: Severity
    message: str
    message_zh: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "message_zh": self.message_zh,
            "source": self.source,
        }


@dataclass(frozen=True)
class Rule:
    """A gate rule: a legal-catalogue row, the routes it applies to, and its check."""

    id: str
    title: str
    source: str
    check: Callable[[GateFacts], Iterable[Finding]]
    routes: frozenset[LegalRoute] = MOVING_ROUTES

    def block(self, en: str, zh: str) -> Finding:
        return Finding(self.id, Severity.BLOCK, en, zh, self.source)

    def warn(self, en: str, zh: str) -> Finding:
        return Finding(self.id, Severity.WARN, en, zh, self.source)


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule to the registry; a second rule with the same id is a Conflict."""
    if rule.id in RULES and RULES[rule.id] is not rule:
        raise Conflict(f"gate rule {rule.id} registered twice", rule=rule.id)
    RULES[rule.id] = rule
    return rule
