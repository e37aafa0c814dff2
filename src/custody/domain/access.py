"""The one permission table and the pure decision behind every plaintext read."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from custody.domain.taxonomy import is_sensitive
from custody.domain.types import Role

__all__ = [
    "PERMISSIONS",
    "PLAINTEXT_ROLES",
    "SYSTEM_PURPOSES",
    "Action",
    "ConsentFacts",
    "Decision",
    "allowed",
    "decide_reveal",
]


class Action(StrEnum):
    """Everything a user can ask of a vault; commands and API routes map onto these."""

    IMPORT = "import"
    CUSTOMERS_READ = "customers.read"  # masked views and lookups
    REVEAL = "reveal"  # plaintext, further checked by decide_reveal
    CUSTOMERS_DELETE = "customers.delete"
    USERS_MANAGE = "users.manage"
    USERS_READ = "users.read"
    KEYS_ROTATE = "keys.rotate"
    KEYS_SHOW = "keys.show"
    KEYS_EXPORT_IDENTITY = "keys.export_identity"
    AUDIT_READ = "audit.read"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_CHECKPOINT = "audit.checkpoint"
    DATASETS_READ = "datasets.read"
    VALUATION = "valuation"
    TRANSFER_MANAGE = "transfer.manage"
    TRANSFER_READ = "transfer.read"
    TRANSFER_RECEIVE = "transfer.receive"


_A = Action
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.PRIVACY_OFFICER: frozenset({
        _A.CUSTOMERS_READ, _A.REVEAL, _A.CUSTOMERS_DELETE, _A.USERS_READ, _A.KEYS_SHOW,
        _A.AUDIT_READ, _A.AUDIT_VERIFY, _A.AUDIT_CHECKPOINT, _A.DATASETS_READ, _A.VALUATION,
        _A.TRANSFER_READ, _A.TRANSFER_MANAGE,
    }),
    Role.STAFF: frozenset({_A.CUSTOMERS_READ, _A.REVEAL, _A.DATASETS_READ}),
    Role.AUDITOR: frozenset({
        _A.AUDIT_READ, _A.AUDIT_VERIFY, _A.DATASETS_READ, _A.USERS_READ, _A.TRANSFER_READ,
    }),
    Role.ANALYST: frozenset({_A.DATASETS_READ, _A.VALUATION}),
    Role.TRANSFER_AGENT: frozenset({_A.TRANSFER_READ}),
}

# Roles that may ever see plaintext; auditors, analysts and transfer agents never do.
PLAINTEXT_ROLES: frozenset[Role] = frozenset({Role.OWNER, Role.PRIVACY_OFFICER, Role.STAFF})
# Purposes the law gives a privacy officer or owner regardless of the datasets' purposes.
SYSTEM_PURPOSES: dict[str, frozenset[Role]] = {
    "rights-request": frozenset({Role.OWNER, Role.PRIVACY_OFFICER}),
    "incident": frozenset({Role.OWNER, Role.PRIVACY_OFFICER}),
}


def allowed(role: Role, action: Action) -> bool:
    """True when the role may perform the action at all."""
    return action in PERMISSIONS.get(role, frozenset())


@dataclass(frozen=True)
class ConsentFacts:
    """What the vault knows about one customer's lawful basis for a purpose."""

    dataset_purposes: frozenset[str]  # purposes declared by the customer's datasets
    consent_based: bool  # False when every dataset rests on another legal basis
    purpose_consent: bool  # a valid (not withdrawn) consent for the purpose
    separate_consent_labels: frozenset[str]  # sensitive labels with separate consent
    minor: bool
    guardian_consent: bool
    restricted: bool = False


@dataclass(frozen=True)
class Decision:
    """The gate's answer: allowed or the reason it is not."""

    allowed: bool
    reason: str


def decide_reveal(role: Role, label: str, purpose: str, facts: ConsentFacts) -> Decision:
    """May `role` see the plaintext of `label` for `purpose`, given the customer's facts?"""
    if role not in PLAINTEXT_ROLES or not allowed(role, Action.REVEAL):
        return Decision(False, f"role {role.value} never sees plaintext")
    if facts.restricted:
        return Decision(False, "processing of this customer is restricted")
    if role is Role.STAFF and (is_sensitive(label) or facts.minor):
        return Decision(False, "staff may not see sensitive fields or minors' records")
    if purpose in SYSTEM_PURPOSES:
        if role in SYSTEM_PURPOSES[purpose]:
            return Decision(True, f"system purpose {purpose}")
        return Decision(False, f"purpose {purpose} is not open to role {role.value}")
    if purpose not in facts.dataset_purposes:
        return Decision(False, "purpose is not among the purposes declared for this data")
    if facts.consent_based and not facts.purpose_consent:
        return Decision(False, "no valid consent for this purpose")
    if is_sensitive(label) and label not in facts.separate_consent_labels:
        return Decision(False, "sensitive field without separate consent")
    if facts.minor and not facts.guardian_consent:
        return Decision(False, "minor without guardian consent")
    return Decision(True, "role, purpose and consent allow it")
