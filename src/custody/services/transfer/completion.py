"""Seller side after handover: check the receipt, destroy what moved, certify; the log."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, select

from custody.crypto.envelope import new_key
from custody.domain.access import Action
from custody.domain.transfer.agreement import agreement_hash
from custody.domain.transfer.chain import Step, genesis, link_of
from custody.errors import Conflict, InputError, PolicyRefused, VerificationError
from custody.services.audit import verify_audit
from custody.services.customers import open_records
from custody.services.transfer.common import (
    artifact_hash,
    load,
    record_step,
    sign_document,
    verify_document,
)
from custody.services.vault import Vault
from custody.storage import customer_store as store
from custody.storage import transfer_store as ts
from custody.storage.tables import records

__all__ = ["complete_transfer", "transfer_log"]


def _check_receipt(row: ts.TransferRow, receipt: dict[str, Any]) -> dict[str, Any]:
    agreement, package = row.document["agreement"], row.document.get("package")
    if package is None:
        raise Conflict(f"transfer {row.id} has no package yet")
    if not verify_document(receipt, agreement["buyer"]["signing_public_key"]):
        raise VerificationError("receipt is not signed by the buyer named in the agreement")
    body = receipt["document"]
    if body.get("transfer_id") != row.id or body.get("manifest_sha256") != package[
            "manifest_sha256"]:
        raise VerificationError("receipt is for another package")
    got = body.get("received", {})
    want = package["summary"]
    if (got.get("customers"), got.get("records")) != (want["customers"], want["records"]):
        raise VerificationError("receipt counts do not match what was packaged")
    return dict(body)


def _shred_moved(vault: Vault, conn: Connection, transfer_id: str, dataset_ids: set[str]
                 ) -> tuple[int, int]:
    """Crypto-shred moved customers; re-key those who keep records outside the scope."""
    shredded = rekeyed = 0
    now = vault.clock()
    for cid in list(ts.iter_members(conn, transfer_id, moved=True)):
        others = conn.execute(select(records.c.id).where(
            records.c.customer_id == cid, records.c.dataset_id.not_in(dataset_ids)).limit(1)
        ).first()
        if others is None:
            store.shred_customer(conn, cid, f"transfer {transfer_id}", now)
            shredded += 1
        else:
            _rekey_keeping_outside(vault, conn, cid, dataset_ids)
            rekeyed += 1
    return shredded, rekeyed


def _rekey_keeping_outside(vault: Vault, conn: Connection, cid: str, moved: set[str]) -> None:
    from custody.crypto.record_pack import seal_record
    from custody.storage.tables import customers

    keep = [r for r in open_records(vault, conn, cid)]
    k = store.customer_keys(conn, [cid])[cid]
    gen = k.key_generation + 1
    dk = new_key()
    wrapped, version = vault.keys.wrap_data_key(cid, dk)
    cipher = vault.keys.cipher(cid, dk, gen)
    conn.execute(records.delete().where(records.c.customer_id == cid,
                                        records.c.dataset_id.in_(moved)))
    for rec_id, ds_id, _row, digest, _sealed in store.records_of(conn, cid):
        view = next(r for r in keep if r.record_id == rec_id)
        sealed = seal_record(cipher, f"{ds_id}/{digest}",
                             [(f.column, f.label, _plain_text(f.value)) for f in view.fields])
        conn.execute(records.update().where(records.c.id == rec_id).values(sealed=sealed))
    conn.execute(customers.update().where(customers.c.id == cid).values(
        wrapped_key=wrapped, key_version=version, key_generation=gen))


def _plain_text(p: Any) -> str:
    from custody.services.reveal import aggregate_text

    return aggregate_text(p)


def complete_transfer(vault: Vault, transfer_id: str, receipt_bytes: bytes) -> dict[str, Any]:
    """Verify the buyer's receipt, crypto-shred what moved, and issue the certificate."""
    vault.require(Action.TRANSFER_MANAGE)
    try:
        receipt = json.loads(receipt_bytes)
    except ValueError as exc:
        raise InputError("receipt is not a JSON document") from exc
    if not verify_audit(vault).ok:
        raise PolicyRefused("completion refused: the audit trail does not verify (TR-14)")
    with vault.transaction("transfer complete") as conn:
        row = load(conn, transfer_id, "seller")
        if "certificate" in row.document:
            raise Conflict(f"transfer {transfer_id} is already completed")
        _check_receipt(row, receipt)
        record_step(vault, conn, transfer_id, Step.RECEIPT, artifact_hash(receipt))
        names = set(row.document["agreement"]["scope"]["datasets"])
        ds_ids = {d.id for d in store.all_datasets(conn) if d.name in names}
        shredded, rekeyed = _shred_moved(vault, conn, transfer_id, ds_ids)
        summary = row.document["package"]["summary"]
        cert = sign_document(vault, {
            "certificate": "destruction", "transfer_id": transfer_id,
            "seller": row.document["agreement"]["seller"],
            "what": {"datasets": sorted(names),
                     "labels": sorted(summary.get("per_label_values", {}))},
            "how_many": {"customers": summary["customers"], "records": summary["records"],
                         "customers_crypto_shredded": shredded,
                         "customers_rekeyed_keeping_other_records": rekeyed},
            "how": "crypto-shredding: each customer's AES-256 data key destroyed; "
                   "ciphertexts and blind-index entries deleted",
            "when": vault.clock().isoformat(),
            "agreement_hash": agreement_hash(row.document["agreement"]),
            "receipt_hash": artifact_hash(receipt),
            "manifest_sha256": row.document["package"]["manifest_sha256"],
        })
        ts.save_document(conn, transfer_id, "completed",
                         {**row.document, "receipt": receipt, "certificate": cert}, vault.clock())
        record_step(vault, conn, transfer_id, Step.DESTROYED, artifact_hash(cert),
                    {"customers": shredded + rekeyed})
        record_step(vault, conn, transfer_id, Step.COMPLETED, artifact_hash(cert))
        vault.audit(conn, "customer.delete", purpose="transfer",
                    details={"transfer": transfer_id, "customers": shredded + rekeyed,
                             "method": "crypto-shredding"})
    return cert


def transfer_log(vault: Vault, transfer_id: str) -> dict[str, Any]:
    """The chain of custody with every link recomputed."""
    vault.require(Action.TRANSFER_READ)
    with vault.transaction("transfer log") as conn:
        row = ts.get_transfer(conn, transfer_id)
        if row is None:
            from custody.errors import NotFound

            raise NotFound(f"no transfer {transfer_id}")
        steps = ts.steps_of(conn, transfer_id)
    prev, ok, out = genesis(transfer_id), True, []
    for s in steps:
        expected = link_of(prev, Step(s.step), s.artifact_hash)
        ok = ok and expected == s.link
        out.append({"step": s.step, "at": s.at.isoformat() if isinstance(s.at, dt.datetime)
                    else str(s.at), "artifact_hash": s.artifact_hash, "previous": prev,
                    "link": s.link, "details": s.details})
        prev = s.link
    return {"transfer_id": transfer_id, "side": row.side, "state": row.state,
            "deal_type": row.deal_type, "ok": ok, "head": prev, "steps": out}
