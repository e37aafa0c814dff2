"""TR-23: the legitimate-interest record (the balancing test) for customers covered by the
GDPR. Its text and SHA-256 are kept with the transfer; while the agreement is unsigned a
clause naming the record's SHA-256 is added to the buyer's obligations, so both parties
sign it."""

from __future__ import annotations

import hashlib
from typing import Any

from custody.domain.access import Action
from custody.domain.transfer.agreement import agreement_from_dict, agreement_to_dict
from custody.domain.transfer.clauses import with_legitimate_interest
from custody.errors import Conflict, InputError
from custody.services.transfer.common import load
from custody.services.vault import Vault
from custody.storage import transfer_store as ts

__all__ = ["MAX_RECORD_BYTES", "attach_legitimate_interest"]

MAX_RECORD_BYTES = 1 << 20


def _text(document: bytes) -> str:
    if len(document) > MAX_RECORD_BYTES:
        raise InputError("the legitimate-interest record is larger than 1 MiB")
    try:
        text = document.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("the legitimate-interest record must be UTF-8 text") from exc
    if not text.strip():
        raise InputError("the legitimate-interest record is empty")
    return text


def attach_legitimate_interest(vault: Vault, transfer_id: str, document: bytes) -> dict[str, Any]:
    """Keep the balancing test with the transfer; bind it into the agreement if unsigned."""
    vault.require(Action.TRANSFER_MANAGE)
    text, digest = _text(document), hashlib.sha256(document).hexdigest()
    with vault.transaction("transfer legitimate interest") as conn:
        row = load(conn, transfer_id, "seller")
        doc = dict(row.document)
        if "package" in doc:
            raise Conflict(f"transfer {transfer_id} is already packaged")
        old = doc.get("legitimate_interest")
        signed = "seller_envelope" in doc
        if signed and old and old["bound_to_agreement"] and old["sha256"] != digest:
            raise Conflict("the signed agreement binds another legitimate-interest record")
        bound = not signed or bool(old and old["bound_to_agreement"])
        if not signed:
            agreement = agreement_from_dict(doc["agreement"])
            doc["agreement"] = agreement_to_dict(
                with_legitimate_interest(
                    agreement, digest, replacing=old["sha256"] if old else None
                )
            )
        doc["legitimate_interest"] = {
            "sha256": digest,
            "text": text,
            "recorded_at": vault.clock().isoformat(),
            "recorded_by": vault.actor.name,
            "bound_to_agreement": bound,
        }
        ts.save_document(conn, transfer_id, row.state, doc, vault.clock())
        vault.audit(
            conn,
            "transfer.step",
            purpose="transfer",
            details={
                "transfer": transfer_id,
                "legitimate_interest": digest,
                "bound_to_agreement": bound,
            },
        )
    return {"transfer_id": transfer_id, "sha256": digest, "bound_to_agreement": bound}
