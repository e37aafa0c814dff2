"""Built-in gate rules: importing this package registers every one of them (S11)."""

from __future__ import annotations

from custody.domain.transfer.rules import (  # noqa: F401  (imported to register)
    accuracy,
    agreement,
    audit,
    consent,
    criminal,
    cross_border,
    gdpr,
    important_data,
    notice,
    objection,
    pia,
    purposes,
    route,
    wind_down,
)
from custody.domain.transfer.rules.base import RULES, Finding, Rule, Severity, register

__all__ = ["RULES", "Finding", "Rule", "Severity", "register"]
