"""Buyer side: countersign, verify and receive a handover package, and sign a receipt."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection

from custody.domain.access import Action
from custody.domain.classification import ColumnLabel
from custody.domain.taxonomy import is_sensitive
from custody.domain.transfer.agreement import agreement_hash, agreement_to_dict
from custody.domain.transfer.chain import Step
from custody.domain.transfer.envelope import (
    check_envelope,
    countersign,
    envelope_to_dict,
    parse_envelope,
)
from custody.domain.transfer.rules.gdpr import art14_notice_due
from custody.errors import Conflict, VerificationError
from custody.parallel import OrderedWorkers
from custody.services.bulk import cycle_collection_paused
from custody.services.importing import (
    ImportJob,
    ImportOptions,
    ImportSummary,
    ParsedBatch,
    StoredMatch,
)
from custody.services.ports import PackageReader, ValueRules
from custody.services.transfer.common import (
    artifact_hash,
    record_step,
    sign_document,
    signer,
    verifier,
)
from custody.services.vault import Vault
from custody.storage import customer_store as store
from custody.storage import transfer_store as ts
from custody.storage.engine import bulk_insert
from custody.storage.tables import consents

__all__ = ["PARALLEL_AFTER", "Received", "countersign_agreement", "receive_package",
           "verify_received_package"]

# customers received in this process before records members are parsed in worker processes
PARALLEL_AFTER = 20_000


def countersign_agreement(vault: Vault, document: bytes) -> dict[str, Any]:
    """Check the seller's signature, countersign as the buyer and keep the agreement."""
    vault.require(Action.TRANSFER_RECEIVE)
    env = parse_envelope(document)
    check = check_envelope(env, verify=verifier, require_buyer=False)
    if not check.seller_valid:
        raise VerificationError(f"agreement refused: {check.problems[0]}")
    if env.agreement.buyer.age_recipient != vault.keys.age_recipient:
        raise VerificationError("the agreement names another recipient than this vault")
    signed = countersign(env, public_key=vault.keys.signing_public_key, sign=signer(vault))
    doc = envelope_to_dict(signed)
    tid = env.agreement.transfer_id
    with vault.transaction("transfer countersign") as conn:
        if ts.get_transfer(conn, tid) is not None:
            raise Conflict(f"transfer {tid} is already known to this vault")
        ts.create_transfer(conn, ts.TransferRow(
            tid, "buyer", "countersigned", env.agreement.deal_type.value,
            {"agreement": agreement_to_dict(env.agreement), "countersigned": doc}), vault.clock())
        record_step(vault, conn, tid, Step.CREATED, agreement_hash(env.agreement))
        record_step(vault, conn, tid, Step.COUNTERSIGNED, artifact_hash(doc))
    return doc


def _buyer_transfer(conn: Connection, transfer_id: str) -> ts.TransferRow:
    row = ts.find_transfer(conn, transfer_id, "buyer")
    if row is None:
        raise VerificationError("package is for a transfer this vault never countersigned")
    return row


def _check_authentic(row: ts.TransferRow, verified: Any) -> None:
    agreement = row.document["agreement"]
    if verified.agreement_hash != agreement_hash(agreement):
        raise VerificationError("package is bound to another agreement than the countersigned one")
    seller_key = row.document["countersigned"]["signatures"]["seller"]["public_key"]
    if verified.signer_public_key != seller_key:
        raise VerificationError("package is not signed by the seller of the agreement")


def verify_received_package(vault: Vault, path: Path, *, read: PackageReader) -> dict[str, Any]:
    """Decrypt and check everything without importing: signature, hashes, agreement, counts."""
    vault.require(Action.TRANSFER_RECEIVE)
    counts: Counter[str] = Counter()

    def count(name: str, data: bytes) -> None:
        if name.startswith("records/"):
            counts["customers"] += data.count(b"\n")

    verified = read(path, identity=vault.keys.age_identity, on_file=count)
    summary = dict(verified.summary)
    with vault.transaction("transfer verify") as conn:
        row = _buyer_transfer(conn, str(summary.get("transfer_id")))
        _check_authentic(row, verified)
        if counts["customers"] != summary.get("customers"):
            raise VerificationError("package customer count does not match its manifest")
        vault.audit(conn, "transfer.step", purpose="transfer",
                    details={"transfer": row.id, "verified": True})
    return {"ok": True, "transfer_id": row.id, "customers": summary.get("customers"),
            "records": summary.get("records"), "files": len(verified.files),
            "manifest_sha256": verified.manifest_sha256, "merkle_root": verified.merkle_root,
            "agreement_hash": verified.agreement_hash, "signer": verified.signer_public_key}


@dataclass
class Received:
    """Staged import of a package, reconciled before commit."""

    transfer: ts.TransferRow | None = None
    datasets: dict[str, str] = field(default_factory=dict)  # source name → our dataset id
    jobs: dict[str, ImportJob] = field(default_factory=dict)
    customers: int = 0
    records: Counter[str] = field(default_factory=Counter)
    new_customers: int = 0
    merged: int = 0


# A consent as a package line offers it: (our dataset id or "", purpose, kind, label or "",
# evidence).
_Offer = tuple[str, str, str, str, str]
# Per dataset: its rows (row number, cells) and the package customer of each row.
_Rows = dict[str, tuple[list[tuple[int, list[str]]], list[str]]]


class _Member(NamedTuple):
    """A records member read and parsed: what `_Receiver._apply` writes."""

    parsed: dict[str, ParsedBatch]  # per source dataset name, in the member's order
    offered: list[tuple[str, list[_Offer]]]  # each package customer's consents
    customers: int
    records: Counter[str]  # per source dataset name


class _Receiver:
    """on_file callback: stages every member in the open transaction.

    Records members are read and parsed (keyed digests, identity tokens) in worker
    processes forked from this one where cores are free (custody.parallel), a few members
    ahead; they are merged, sealed and written here, in the package's order. `finish`
    writes what is still under way; `close` stops the workers."""

    def __init__(self, vault: Vault, conn: Connection, rules: ValueRules) -> None:
        self.vault, self.conn, self.rules = vault, conn, rules
        self.state = Received()
        self.nothing_stored = not store.has_lookup_entries(conn)
        self.next_id = store.next_record_id(conn)  # shared by the datasets' jobs
        self._members: OrderedWorkers[tuple[str, bytes], _Member] | None = None

    def __call__(self, name: str, data: bytes) -> None:
        if name == "agreement.json":
            env = parse_envelope(data)
            row = _buyer_transfer(self.conn, env.agreement.transfer_id)
            if "received" in row.document:
                raise Conflict(f"the package of transfer {row.id} was already received")
            self.state.transfer = row
        elif name == "datasets.json":
            self._datasets(json.loads(data))
        elif name.startswith("records/"):
            if self._members is None:  # the datasets' jobs exist: workers may fork
                self._members = OrderedWorkers(self._parse, inline_first=PARALLEL_AFTER,
                                               size=lambda member: member[1].count(b"\n"))
            for member in self._members.put((name, data)):
                self._apply(member)

    def finish(self) -> None:
        if self._members is not None:
            for member in self._members.finish():
                self._apply(member)

    def close(self) -> None:
        if self._members is not None:
            self._members.close()

    def _datasets(self, docs: list[dict[str, Any]]) -> None:
        row = self.state.transfer
        if row is None:
            raise VerificationError("package has no agreement before its data")
        seller = row.document["agreement"]["seller"]["name"]
        for d in docs:
            name = d["name"]
            existing = store.get_dataset(self.conn, name=name)
            ours = name if existing is None else f"{name}（{seller}）"
            if store.get_dataset(self.conn, name=ours) is not None:
                raise Conflict(f"dataset {ours} already exists in this vault")
            labels = [ColumnLabel(int(c["index"]), c.get("header"), c["label"],
                                  is_sensitive(c["label"]), float(c.get("confidence", 1.0)))
                      for c in d["columns"]]
            ds = store.DatasetRow(
                id="ds_" + artifact_hash(f"{row.id}/{name}".encode())[:16], name=ours,
                purposes=list(d["purposes"]), legal_basis=d["legal_basis"],
                responsible=self.vault.actor.name,
                origin={"kind": "transfer", "transfer_id": row.id, "source_org": seller,
                        "source_dataset": name, "agreement_hash": agreement_hash(
                            row.document["agreement"]), "source_origin": d.get("origin")},
                columns=[{"index": c.index, "header": c.header, "label": c.label,
                          "confidence": c.confidence} for c in labels])
            store.create_dataset(self.conn, ds, self.vault.clock())
            self.state.datasets[name] = ds.id
            width = max((c.index for c in labels), default=-1) + 1
            full = [ColumnLabel(i, None, "other", False, 0.0) for i in range(width)]
            for c in labels:
                full[c.index] = c
            opts = ImportOptions(dataset=ours, purposes=tuple(d["purposes"]),
                                 legal_basis=d["legal_basis"])
            self.state.jobs[name] = ImportJob(
                self.vault, self.conn, ds.id, opts, full, self.rules,
                ImportSummary(dataset=ours), groups={}, new_dataset=True)
        # The package's customers merge with the buyer's, never with each other.
        match = StoredMatch(tuple(self.state.datasets.values()), self.nothing_stored)
        for job in self.state.jobs.values():
            job.match = match

    def _parse(self, member: tuple[str, bytes]) -> _Member:
        """Read and parse one records member; touches nothing stored (may run in a worker)."""
        name, data = member
        try:
            per_ds, offered, customers, records = self._read_lines(data)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            # Signed, yet not what this version writes: refused, never half-read.
            raise VerificationError(f"package member {name} is malformed "
                                    f"({type(exc).__name__})") from exc
        jobs = self.state.jobs
        return _Member({ds: jobs[ds].parse_batch(batch, keys)
                        for ds, (batch, keys) in per_ds.items()}, offered, customers, records)

    def _apply(self, member: _Member) -> None:
        """Merge, seal and write a parsed member, dataset by dataset, then its consents."""
        self.state.customers += member.customers
        self.state.records.update(member.records)
        groups: dict[str, str] = {}
        created: set[str] = set()
        for ds_name, batch in member.parsed.items():
            job = self.state.jobs[ds_name]
            job.groups = groups
            job.next_id = self.next_id  # record ids run on across the datasets' jobs
            job.write_parsed(batch)
            self.next_id = job.next_id
            created |= job.created
        self._consents(member.offered, groups, created)

    def _read_lines(self, data: bytes
                    ) -> tuple[_Rows, list[tuple[str, list[_Offer]]], int, Counter[str]]:
        """One records member read into each dataset's rows (with the package customer of
        each), each package customer's consents, and the customers and records (per
        dataset) counted; a line of the wrong shape raises."""
        per_ds: _Rows = {}
        offered: list[tuple[str, list[_Offer]]] = []
        datasets, jobs = self.state.datasets, self.state.jobs
        customers = 0
        records: Counter[str] = Counter()
        for raw in data.splitlines():
            if not raw.strip():
                continue
            line = orjson.loads(raw)
            customers += 1
            for rec in line["records"]:
                job = jobs.get(rec["dataset"])
                if job is None:
                    raise VerificationError("package record names an unknown dataset")
                cells = [""] * len(job.labels)
                for i, label, value in rec["fields"]:
                    if i >= len(cells) or job.labels[i] != label:
                        raise VerificationError("package record does not match its dataset")
                    cells[i] = value
                batch, keys = per_ds.setdefault(rec["dataset"], ([], []))
                batch.append((int(rec["row"]), cells))
                keys.append(line["customer"])
                records[rec["dataset"]] += 1
            # "" stands for no dataset and no label while the consents are sorted.
            offered.append((line["customer"], [
                (datasets.get(str(c["dataset_id"]), "") if c["dataset_id"] else "",
                 c["purpose"], c["kind"], c["label"] or "", c["evidence"])
                for c in line["consents"]]))
        return per_ds, offered, customers, records

    def _consents(self, offered: list[tuple[str, list[_Offer]]], groups: dict[str, str],
                  created: set[str]) -> None:
        """The customers' consents, in the datasets received; `created` are customers
        made by this member, who cannot hold consents yet."""
        wanted = {(cid, *offer) for customer, offers in offered
                  if (cid := groups.get(customer)) is not None for offer in offers}
        probe = {w[0] for w in wanted} - created
        existing: set[tuple[str, str, str, str, str]] = set()
        for ds in {w[1] for w in wanted if w[1]} if probe else ():
            existing |= {(cid, ds, p, k, lab or "") for cid, p, k, lab in
                         store.existing_consents(self.conn, ds, probe)}
        now = self.vault.clock()
        bulk_insert(self.conn, consents, [
            {"customer_id": cid, "dataset_id": ds or None, "purpose": p, "kind": k,
             "label": lab or None, "evidence": ev, "recorded_at": now}
            for cid, ds, p, k, lab, ev in sorted(wanted) if (cid, ds, p, k, lab) not in existing])


def receive_package(vault: Vault, path: Path, *, read: PackageReader, rules: ValueRules
                    ) -> dict[str, Any]:
    """Verify and import a package in one transaction; returns the buyer-signed receipt."""
    vault.require(Action.TRANSFER_RECEIVE)
    with cycle_collection_paused(), vault.transaction("transfer receive", bulk_load=True) as conn:
        receiver = _Receiver(vault, conn, rules)
        try:
            verified = read(path, identity=vault.keys.age_identity, on_file=receiver)
            receiver.finish()
        finally:
            receiver.close()
        st = receiver.state
        if st.transfer is None:
            raise VerificationError("package holds no agreement")
        _check_authentic(st.transfer, verified)
        summary = dict(verified.summary)
        if (st.customers, sum(st.records.values())) != (summary.get("customers"),
                                                         summary.get("records")):
            raise VerificationError("received counts do not reconcile with the manifest")
        if dict(st.records) != dict(summary.get("per_dataset_records", {})):
            raise VerificationError("received records per dataset do not reconcile")
        body = {
            "transfer_id": st.transfer.id,
            "agreement_hash": verified.agreement_hash,
            "manifest_sha256": verified.manifest_sha256, "merkle_root": verified.merkle_root,
            "received": {"customers": st.customers, "records": sum(st.records.values()),
                         "per_dataset_records": dict(sorted(st.records.items()))},
            "buyer": {"org": vault.org, "signing_public_key": vault.keys.signing_public_key},
            "received_at": vault.clock().isoformat(),
            **_gdpr_notice(summary, vault.clock()),
        }
        receipt = sign_document(vault, body)
        doc = {**st.transfer.document, "received": body, "receipt": receipt}
        ts.save_document(conn, st.transfer.id, "received", doc, vault.clock())
        record_step(vault, conn, st.transfer.id, Step.RECEIVED, verified.manifest_sha256,
                    {"customers": st.customers})
        record_step(vault, conn, st.transfer.id, Step.RECEIPT, artifact_hash(receipt))
        vault.audit(conn, "import", purpose="transfer",
                    details={"transfer": st.transfer.id, "customers": st.customers,
                             "datasets": sorted(st.datasets)})
    out = {"received": st.customers, "records": sum(st.records.values()),
           "transfer_id": body["transfer_id"], "datasets": sorted(st.datasets),
           "manifest_sha256": verified.manifest_sha256, "receipt": receipt}
    if "gdpr" in body:
        out["gdpr"] = body["gdpr"]
    return out


def _gdpr_notice(summary: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """TR-23: when the seller's signed manifest counts customers covered by the GDPR, the
    receipt records the latest day for their Art. 14 information (receipt + 1 month;
    earlier at first contact or before any further disclosure)."""
    n = summary.get("gdpr_customers")
    if not isinstance(n, int) or n <= 0:
        return {}
    return {"gdpr": {"gdpr_customers": n,
                     "art14_notice_due": art14_notice_due(now.date()).isoformat(),
                     "rule": "TR-23", "source": "GDPR Art. 14(3)"}}


