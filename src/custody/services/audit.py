"""Verify the audit chain, list events and write signed checkpoints."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass

from sqlalchemy import Connection

from custody.crypto import signing
from custody.domain.access import Action
from custody.domain.audit import ChainedEvent, checkpoint_message, find_break
from custody.services.vault import HEAD_FILE, Vault
from custody.storage import audit_store

__all__ = [
    "VerifyResult",
    "audit_events",
    "verify_audit",
    "verify_chain_in",
    "write_checkpoint",
]


@dataclass(frozen=True)
class VerifyResult:
    """The answer of `custody audit verify`."""

    ok: bool
    events: int
    first_bad: int | None = None
    reason: str | None = None
    checkpoints_checked: int = 0


def verify_audit(vault: Vault) -> VerifyResult:
    """Walk the hash chain and check the newest signed checkpoint against it."""
    vault.require(Action.AUDIT_VERIFY)
    with vault.transaction("audit verify") as conn:
        return verify_chain_in(vault, conn)


def verify_chain_in(vault: Vault, conn: Connection) -> VerifyResult:
    """verify_audit inside an open transaction (used by the transfer gate, TR-14)."""
    hashes: dict[int, str] = {}
    checkpoint = audit_store.last_checkpoint(conn)
    want = {checkpoint[0]} if checkpoint else set()
    head = _head_file(vault)
    if head:
        want.add(head[0])

    def remember(events: Iterator[ChainedEvent]) -> Iterator[ChainedEvent]:
        for e in events:
            if e.seq in want:
                hashes[e.seq] = e.hash
            yield e

    with closing(audit_store.iter_events(conn)) as events:
        count, broken, _last = find_break(remember(events))
    if broken is not None:
        return VerifyResult(False, count, broken.seq, broken.reason)
    checked = 0
    for seq, digest, sig in ([checkpoint] if checkpoint else []):
        msg = checkpoint_message(vault.vault_id, seq, digest)
        if not signing.verify(vault.keys.signing_public_key, msg, base64.b64decode(sig)):
            return VerifyResult(False, count, seq, "checkpoint signature is invalid")
        if hashes.get(seq) != digest:
            return VerifyResult(False, count, seq, "events up to a signed checkpoint are missing")
        checked += 1
    if head and hashes.get(head[0]) != head[1]:
        return VerifyResult(False, count, min(head[0], count + 1),
                            "the newest recorded events are missing or altered")
    return VerifyResult(True, count, checkpoints_checked=checked)


def _head_file(vault: Vault) -> tuple[int, str] | None:
    path = vault.path / HEAD_FILE
    if not path.exists():
        return None
    doc = json.loads(path.read_text())
    return int(doc["seq"]), str(doc["hash"])


def write_checkpoint(vault: Vault) -> tuple[int, str]:
    """Sign the current tail of the chain; also kept in the vault directory."""
    vault.require(Action.AUDIT_CHECKPOINT)
    with vault.transaction("audit checkpoint") as conn:
        vault.audit(conn, "audit.checkpoint")
        seq, digest = audit_store.tail(conn)
        at = vault.clock().isoformat()
        msg = checkpoint_message(vault.vault_id, seq, digest)
        audit_store.save_checkpoint(
            conn, seq, digest, at, lambda m: base64.b64encode(vault.keys.sign(m)).decode(), msg)
    return seq, digest


def audit_events(vault: Vault, *, limit: int | None = None) -> list[ChainedEvent]:
    vault.require(Action.AUDIT_READ)
    with vault.transaction("audit log") as conn:
        events = list(audit_store.iter_events(conn))
    return events[-limit:] if limit else events
