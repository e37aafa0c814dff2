"""Shared pieces of the transfer use cases: loading, chain steps, signing helpers."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from functools import partial
from typing import Any

from sqlalchemy import Connection

from custody.crypto import signing
from custody.domain.transfer.agreement import canonical_json
from custody.domain.transfer.chain import Step, genesis, link_of
from custody.domain.transfer.envelope import SignedAgreement, parse_envelope
from custody.errors import NotFound
from custody.services.vault import Vault
from custody.storage import transfer_store as ts

__all__ = [
    "artifact_hash",
    "load",
    "record_step",
    "sign_document",
    "signer",
    "stored_envelope",
    "verify_document",
    "verifier",
]


def artifact_hash(obj: Mapping[str, Any] | bytes) -> str:
    """SHA-256 of an artifact: raw bytes, or the canonical JSON of a document."""
    data = obj if isinstance(obj, bytes) else canonical_json(dict(obj))
    return hashlib.sha256(data).hexdigest()


def load(conn: Connection, transfer_id: str, side: str) -> ts.TransferRow:
    row = ts.find_transfer(conn, transfer_id, side)
    if row is None:
        raise NotFound(f"no {side} transfer {transfer_id}")
    return row


def record_step(vault: Vault, conn: Connection, transfer_id: str, step: Step, artifact: str,
                details: Mapping[str, Any] | None = None) -> str:
    """Append a chain-of-custody step linked to the previous one, and audit it."""
    steps = ts.steps_of(conn, transfer_id)
    prev = steps[-1].link if steps else genesis(transfer_id)
    link = link_of(prev, step, artifact)
    info = dict(details or {})
    ts.add_step(conn, transfer_id, ts.StepRow(step.value, artifact, link, info, vault.clock()))
    vault.audit(conn, "transfer.step", purpose="transfer",
                details={"transfer": transfer_id, "step": step.value, "artifact": artifact,
                         **{k: v for k, v in info.items() if isinstance(v, (int, str, bool))}})
    return link


def signer(vault: Vault) -> partial[bytes]:
    return partial(_sign, vault)


def _sign(vault: Vault, data: bytes) -> bytes:
    return vault.keys.sign(data)


def verifier(public_key: str, data: bytes, signature: bytes) -> bool:
    return signing.verify(public_key, data, signature)


def sign_document(vault: Vault, body: Mapping[str, Any]) -> dict[str, Any]:
    """{"document": body, "signature": {"public_key", "signature"}} over canonical JSON."""
    sig = vault.keys.sign(canonical_json(dict(body)))
    return {"document": dict(body), "signature": {
        "public_key": vault.keys.signing_public_key,
        "signature": base64.b64encode(sig).decode("ascii")}}


def verify_document(doc: Mapping[str, Any], expected_key: str) -> bool:
    """True when `doc` carries a valid signature by `expected_key`."""
    try:
        sig = doc["signature"]
        if sig["public_key"] != expected_key:
            return False
        raw = base64.b64decode(sig["signature"], validate=True)
        return signing.verify(expected_key, canonical_json(dict(doc["document"])), raw)
    except (KeyError, TypeError, ValueError):
        return False


def stored_envelope(row: ts.TransferRow, key: str) -> SignedAgreement:
    doc = row.document.get(key)
    if doc is None:
        raise NotFound(f"transfer {row.id} has no {key.replace('_', ' ')} yet")
    return parse_envelope(doc)
