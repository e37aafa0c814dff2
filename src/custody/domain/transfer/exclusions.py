"""Who moves and which of their fields move: one pure decision per customer.

The service streams customers, builds a small `CustomerFacts` for each, calls
`decide_customer`, packages `Decision.fields` for those with `moves`, and feeds every
decision to an `ExclusionTally` whose counts go into `GateFacts`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from custody.domain.taxonomy import is_sensitive
from custody.domain.transfer.route import LegalRoute

__all__ = [
    "CustomerFacts",
    "Decision",
    "ExclusionPolicy",
    "ExclusionTally",
    "Reason",
    "WhenMissing",
    "decide_customer",
]


class Reason(StrEnum):
    """Why a customer does not move."""

    OBJECTED = "objected"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    RETENTION_EXPIRED = "retention_expired"
    MINOR_WITHOUT_GUARDIAN_CONSENT = "minor_without_guardian_consent"
    NO_VALID_BASIS = "no_valid_basis"
    NO_PROVISION_CONSENT = "no_provision_consent"
    NOTHING_LEFT = "nothing_left"


class WhenMissing(StrEnum):
    """What to do when a consent is missing: leave the item out, or keep it (the gate
    then blocks on it)."""

    LEAVE_OUT = "leave-out"
    BLOCK = "block"


@dataclass(frozen=True)
class ExclusionPolicy:
    """The route and the choices the privacy officer made for missing consents."""

    route: LegalRoute
    sensitive_without_consent: WhenMissing = WhenMissing.LEAVE_OUT
    without_basis: WhenMissing = WhenMissing.LEAVE_OUT
    without_provision_consent: WhenMissing = WhenMissing.LEAVE_OUT


@dataclass(frozen=True)
class CustomerFacts:
    """What the service knows about one in-scope customer (labels, not values)."""

    customer_id: str
    fields: frozenset[str]
    minor: bool = False
    guardian_consent: bool = False
    separate_consent: frozenset[str] = frozenset()
    has_valid_basis: bool = True
    objected: bool = False
    consent_withdrawn: bool = False
    retention_expired: bool = False
    provision_consent: bool = False
    provision_labels: frozenset[str] = frozenset()  # empty: covers the whole scope


@dataclass(frozen=True)
class Decision:
    """Whether a customer moves, which fields move, and what stays behind and why."""

    customer_id: str
    moves: bool
    fields: frozenset[str]
    left_out: frozenset[str]
    reasons: tuple[Reason, ...]
    unconsented_sensitive: frozenset[str]
    without_basis: bool
    without_provision_consent: bool


def _excluded(c: CustomerFacts, policy: ExclusionPolicy) -> tuple[Reason, ...]:
    art23 = policy.route is LegalRoute.ART23_SEPARATE_CONSENT
    checks = (
        (c.objected, Reason.OBJECTED),
        (c.consent_withdrawn, Reason.CONSENT_WITHDRAWN),
        (c.retention_expired, Reason.RETENTION_EXPIRED),
        (c.minor and not c.guardian_consent, Reason.MINOR_WITHOUT_GUARDIAN_CONSENT),
        (
            not c.has_valid_basis and policy.without_basis is WhenMissing.LEAVE_OUT,
            Reason.NO_VALID_BASIS,
        ),
        (
            art23
            and not c.provision_consent
            and policy.without_provision_consent is WhenMissing.LEAVE_OUT,
            Reason.NO_PROVISION_CONSENT,
        ),
    )
    return tuple(reason for hit, reason in checks if hit)


def decide_customer(c: CustomerFacts, policy: ExclusionPolicy) -> Decision:
    """Decide for one customer. Objectors, withdrawn consents, expired retention and
    under-14s without guardian consent never move; missing bases and provision consents
    and unconsented sensitive fields are left out or kept for the gate, per policy."""
    reasons = _excluded(c, policy)
    art23 = policy.route is LegalRoute.ART23_SEPARATE_CONSENT
    allowed = c.fields
    if art23 and c.provision_consent and c.provision_labels:
        allowed = allowed & c.provision_labels
    unconsented = frozenset(
        label for label in allowed if is_sensitive(label) and label not in c.separate_consent
    )
    left_out = c.fields - allowed
    if policy.sensitive_without_consent is WhenMissing.LEAVE_OUT:
        left_out |= unconsented
        allowed = allowed - unconsented
        unconsented = frozenset()
    if not reasons and not allowed:
        reasons = (Reason.NOTHING_LEFT,)
    moves = not reasons
    return Decision(
        customer_id=c.customer_id,
        moves=moves,
        fields=allowed if moves else frozenset(),
        left_out=left_out if moves else c.fields,
        reasons=reasons,
        unconsented_sensitive=unconsented if moves else frozenset(),
        without_basis=moves and not c.has_valid_basis,
        without_provision_consent=moves and art23 and not c.provision_consent,
    )


class ExclusionTally:
    """Bounded-memory counts over decisions, ready for `GateFacts`."""

    def __init__(self) -> None:
        self.moving = 0
        self.excluded = 0
        self.excluded_by_reason: Counter[str] = Counter()
        self.fields_left_out: Counter[str] = Counter()
        self.unconsented_sensitive: Counter[str] = Counter()
        self.without_basis = 0
        self.without_provision_consent = 0
        self.fields_to_move: set[str] = set()

    def add(self, d: Decision, count: int = 1) -> None:
        """Count `count` customers decided as `d` (customer ids play no part)."""
        if not d.moves:
            self.excluded += count
            self.excluded_by_reason[d.reasons[0].value] += count  # the first reason only
            return
        self.moving += count
        self.fields_to_move |= d.fields
        for label in d.left_out:
            self.fields_left_out[label] += count
        for label in d.unconsented_sensitive:
            self.unconsented_sensitive[label] += count
        self.without_basis += d.without_basis * count
        self.without_provision_consent += d.without_provision_consent * count

    def merge(self, other: ExclusionTally) -> None:
        """Add the customers another tally counted (a batch counted elsewhere)."""
        self.moving += other.moving
        self.excluded += other.excluded
        self.excluded_by_reason.update(other.excluded_by_reason)
        self.fields_left_out.update(other.fields_left_out)
        self.unconsented_sensitive.update(other.unconsented_sensitive)
        self.without_basis += other.without_basis
        self.without_provision_consent += other.without_provision_consent
        self.fields_to_move |= other.fields_to_move
