"""Built-in gate rules: importing this package registers every one of them (S11)."""

from __future__ import annotations

from custody.domain.transfer.rules import (  # noqa: F401  (imported to register)
    accuracy,
    agreement,
    audit,
    consent,
    criminal,
    cross_border,
    notice,
    objection,
    pia,
    purposes,
    route,
)
from custody.domain.transfer.rules.base import RULES, Finding, Rule, Severity, register

__all__ = ["RULES", "Finding", "Rule", "Severity", "register"]
