"""Audit events (metadata only) and the SHA-256 hash-chain arithmetic over them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "EVENT_TYPES",
    "GENESIS",
    "AuditEvent",
    "ChainBreak",
    "ChainedEvent",
    "chain_hash",
    "checkpoint_message",
    "find_break",
]

GENESIS = "0" * 64

# Stable event names (S10); docs/audit-events.md lists each with its meaning.
EVENT_TYPES: dict[str, str] = {
    "vault.init": "a vault was created",
    "user.add": "a user was added",
    "user.remove": "a user was removed",
    "import": "a file was imported into a dataset",
    "customers.find": "customers were looked up by blind index",
    "customers.show": "a customer's masked record was shown",
    "field.reveal": "plaintext of a field was requested (allowed or denied)",
    "customer.delete": "a customer was crypto-shredded",
    "keys.rotate": "a new vault key was made and customer keys re-wrapped",
    "keys.export_identity": "the age identity was exported in plaintext",
    "audit.checkpoint": "a signed checkpoint of the chain was written",
    "valuation": "a valuation report was computed from the vault",
    "transfer.step": "a company-transfer step was carried out",
    "transfer.refused": "a company-transfer step was refused",
}


@dataclass(frozen=True)
class AuditEvent:
    """One auditable action: who, role, what, why, which customers and labels, result."""

    actor: str
    role: str
    action: str
    purpose: str = ""
    customers: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    result: str = "ok"
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ChainedEvent:
    """An event as stored: sequence number, time and its links."""

    seq: int
    at: str
    event: AuditEvent
    prev_hash: str
    hash: str


def _canonical(seq: int, at: str, e: AuditEvent, prev_hash: str) -> bytes:
    body = {
        "seq": seq, "at": at, "actor": e.actor, "role": e.role, "action": e.action,
        "purpose": e.purpose, "customers": list(e.customers), "labels": list(e.labels),
        "result": e.result, "details": e.details, "prev": prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(seq: int, at: str, event: AuditEvent, prev_hash: str) -> str:
    """The hash of an event, covering its content and the previous hash."""
    return hashlib.sha256(_canonical(seq, at, event, prev_hash)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """Where and why a chain fails to verify."""

    seq: int
    reason: str


def find_break(events: Iterable[ChainedEvent]) -> tuple[int, ChainBreak | None, str]:
    """Walk the chain in order; returns (events seen, first break or None, last hash)."""
    prev, expected_seq, count = GENESIS, 1, 0
    for ce in events:
        count += 1
        if ce.seq != expected_seq:
            return count, ChainBreak(ce.seq, f"sequence gap: expected {expected_seq}"), prev
        if ce.prev_hash != prev:
            return count, ChainBreak(ce.seq, "previous-hash link does not match"), prev
        if chain_hash(ce.seq, ce.at, ce.event, ce.prev_hash) != ce.hash:
            return count, ChainBreak(ce.seq, "event content does not match its hash"), prev
        prev, expected_seq = ce.hash, expected_seq + 1
    return count, None, prev


def checkpoint_message(vault_id: str, seq: int, event_hash: str) -> bytes:
    """The bytes a checkpoint signature covers."""
    return f"custody-audit-checkpoint\x1f{vault_id}\x1f{seq}\x1f{event_hash}".encode()
