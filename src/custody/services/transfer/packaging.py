"""Build the handover package: gate first, then stream what may move, encrypted (TR-13)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection

from custody.domain.access import Action
from custody.domain.transfer.agreement import agreement_hash, canonical_json
from custody.domain.transfer.chain import Step
from custody.domain.transfer.gate import GateFacts, evaluate, passes
from custody.errors import Conflict, PolicyRefused
from custody.services.audit import verify_audit
from custody.services.bulk import cycle_collection_paused
from custody.services.ports import PackageWriter, Progress, ValueRules
from custody.services.reveal import export_values
from custody.services.transfer.common import load, record_step, signer
from custody.services.transfer.gate import ScopeTally, gate_facts
from custody.services.transfer.scope import ScopeCustomer, map_scope, scope_datasets
from custody.services.vault import Vault
from custody.storage import transfer_store as ts
from custody.storage.scope_store import ConsentRow

__all__ = ["CUSTOMERS_PER_FILE", "package_transfer"]

CUSTOMERS_PER_FILE = 5000
_MEMO_LIMIT = 4096
# json.dumps(..., ensure_ascii=False, sort_keys=True), without building an encoder per line
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, check_circular=False)
# one string as that encoder writes it (the C encoder it uses itself)
_text: Callable[[str], str] = json.encoder.encode_basestring


def _refuse_unless_gate_passes(vault: Vault, conn: Connection, row: ts.TransferRow,
                               rules: ValueRules, scope: ScopeTally) -> GateFacts:
    """The gate over the tally of the packaging pass itself (one scan, not two)."""
    facts = gate_facts(vault, conn, row, rules, scope)
    findings = evaluate(facts)
    if not passes(findings):
        first = next(f for f in findings if f.severity == "block")
        raise PolicyRefused(f"packaging refused by {first.rule}: {first.message}",
                            rule=first.rule)
    return facts


def _datasets_member(conn: Connection, agreement: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    carried: dict[str, list[str]] = {}
    for p in agreement["purposes"]:
        carried.setdefault(p["dataset"], []).append(p["purpose"])
    labels = set(agreement["scope"]["field_labels"])
    docs, names = [], {}
    for ds_id, d in sorted(scope_datasets(conn, agreement).items(), key=lambda x: x[1].name):
        names[ds_id] = d.name
        docs.append({"name": d.name, "original_purposes": d.purposes,
                     "purposes": sorted(carried.get(d.name, [])), "legal_basis": d.legal_basis,
                     "columns": [c for c in d.columns if c["label"] in labels],
                     "origin": d.origin})
    return json.dumps(docs, ensure_ascii=False, sort_keys=True).encode(), names


def _refuse_early(row: ts.TransferRow) -> None:
    """What can be refused before reading any customer; the full gate runs at the end of
    the packaging pass, before the manifest is signed."""
    doc = row.document
    missing = [what for what, key in (("a countersigned agreement", "countersigned"),
                                      ("customer notices", "notice"),
                                      ("an impact assessment", "pia")) if key not in doc]
    if missing:
        raise PolicyRefused(f"packaging refused: the transfer has no {missing[0]} yet")


class _Packed(NamedTuple):
    """What the packaging pass makes of one batch of customers (in a worker process or
    here): lines, member rows and counts, no opened values."""

    lines: list[bytes]  # one per customer who moves
    members: list[dict[str, Any]]
    excluded: Counter[str]
    scope: ScopeTally
    shapes: Counter[tuple[str, tuple[str, ...]]]  # (dataset id, labels of a record) → records
    kinds: Counter[tuple[str, ...]]  # live consent kinds of a customer who moves → customers


class _Packer:
    """Turns a batch of judged customers into their record lines and counts."""

    def __init__(self, transfer_id: str, names: dict[str, str]) -> None:
        self.transfer_id, self.names = transfer_id, names
        # id of a shared consent tuple → (it, its JSON, its live kinds); the tuple is kept
        # so that its id cannot be reused while remembered
        self._consent_lists: dict[int, tuple[tuple[ConsentRow, ...], str, tuple[str, ...]]] = {}
        # JSON of each dataset's name (by id) and of each label, encoded once
        self._dataset_json = {i: _JSON.encode(n) for i, n in names.items()}
        self._label_json: dict[str, str] = {}

    def pack(self, customers: list[ScopeCustomer]) -> _Packed:
        out = _Packed([], [], Counter(), ScopeTally(), Counter(), Counter())
        for sc in customers:
            out.scope.add(sc)
            d = sc.judged.decision
            out.members.append({"transfer_id": self.transfer_id, "customer_id": sc.plain.id,
                                **sc.judged.member})
            if not d.moves:
                out.excluded.update(d.reasons)
                continue
            out.lines.append(self._line(sc, out))
        return out

    def _consents(self, consents: tuple[ConsentRow, ...], kinds: Counter[tuple[str, ...]]
                  ) -> str:
        """JSON of the live consents. Customers with the same consents share one tuple
        (scope_store.consents_of), so each is encoded once; their kinds are counted by
        list and folded into the summary."""
        done = self._consent_lists.get(id(consents))
        if done is None or done[0] is not consents:
            if len(self._consent_lists) >= _MEMO_LIMIT:
                self._consent_lists.clear()
            live = [c for c in consents if c.withdrawn_at is None]
            docs = [{"dataset_id": self.names.get(str(c.dataset_id), c.dataset_id),
                     "purpose": c.purpose, "kind": c.kind, "label": c.label,
                     "evidence": c.evidence, "recorded_at": str(c.recorded_at)} for c in live]
            done = self._consent_lists[id(consents)] = (
                consents, _JSON.encode(docs), tuple(c.kind for c in live))
        kinds[done[2]] += 1
        return done[1]

    def _label(self, label: str) -> str:
        done = self._label_json.get(label)
        if done is None:
            if len(self._label_json) >= _MEMO_LIMIT:
                self._label_json.clear()
            done = self._label_json[label] = _JSON.encode(label)
        return done

    def _line(self, sc: ScopeCustomer, out: _Packed) -> bytes:
        """{"consents", "customer", "records"} byte for byte as json.dumps(ensure_ascii=False,
        sort_keys=True) writes it, built from pieces: the consents' and the labels' JSON
        are encoded once, each value once (`_text`, as json.dumps does)."""
        recs = export_values(sc.plain, labels=sc.judged.decision.fields, purpose="transfer")
        shapes, label, text = out.shapes, self._label_json, _text
        lines = []
        for r in recs:
            fields: list[list[Any]] = r["fields"]  # type: ignore[assignment]  # JSON list
            ds = str(r["dataset_id"])
            shapes[ds, tuple([f[1] for f in fields])] += 1
            items = ", ".join([f"[{i}, {label.get(lab) or self._label(lab)}, {text(v)}]"
                               for i, lab, v in fields])
            lines.append(f'{{"dataset": {self._dataset_json[ds]}, "fields": [{items}], '
                         f'"row": {int(r["row"])}}}')  # type: ignore[call-overload]  # an int
        consents = self._consents(sc.consents, out.kinds)
        return (f'{{"consents": {consents}, "customer": {text(sc.plain.id)}, '
                f'"records": [{", ".join(lines)}]}}\n').encode()


class _RecordFiles:
    """Streams record files of CUSTOMERS_PER_FILE customers and tallies the summary; the
    batches are packed by `_Packer`, in worker processes where cores are free."""

    def __init__(self, vault: Vault, conn: Connection, row: ts.TransferRow, rules: ValueRules,
                 names: dict[str, str], summary: dict[str, Any], progress: Progress | None):
        self.vault, self.conn, self.row, self.rules = vault, conn, row, rules
        self.names, self.summary, self.progress = names, summary, progress
        self.labels: Counter[str] = Counter()
        self.per_dataset: Counter[str] = Counter()
        self.consents: Counter[str] = Counter()
        self.excluded: Counter[str] = Counter()
        self.customers = self.records = 0

    def _count(self, packed: _Packed) -> None:
        for (ds, labels), n in packed.shapes.items():  # every record moved has a shape
            self.records += n
            self.per_dataset[self.names[ds]] += n
            for lab in labels:
                self.labels[lab] += n
        for kinds, n in packed.kinds.items():
            for kind in kinds:
                self.consents[kind] += n
        self.excluded.update(packed.excluded)

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        buf: list[bytes] = []
        members: list[dict[str, Any]] = []
        part = 0
        scope = ScopeTally()
        packer = _Packer(self.row.id, self.names)
        for packed in map_scope(self.vault, self.conn, self.row, self.rules,
                                purpose="transfer", work=packer.pack):
            scope.merge(packed.scope)
            self._count(packed)
            members.extend(packed.members)
            if len(members) >= CUSTOMERS_PER_FILE:
                ts.add_members(self.conn, members)
                members = []
            for line in packed.lines:
                buf.append(line)
                self.customers += 1
                if len(buf) >= CUSTOMERS_PER_FILE:
                    part += 1
                    yield f"records/part-{part:05d}.jsonl", b"".join(buf)
                    buf = []
                    if self.progress:
                        self.progress(self.customers, None)
        facts = _refuse_unless_gate_passes(self.vault, self.conn, self.row, self.rules, scope)
        if buf:
            part += 1
            yield f"records/part-{part:05d}.jsonl", b"".join(buf)
        ts.add_members(self.conn, members)
        self.summary.update({
            "transfer_id": self.row.id, "customers": self.customers, "records": self.records,
            "record_files": part, "per_dataset_records": dict(sorted(self.per_dataset.items())),
            "per_label_values": dict(sorted(self.labels.items())),
            "consent_states": dict(sorted(self.consents.items())),
            "excluded_by_reason": dict(sorted(self.excluded.items())),
            # TR-23: the buyer's receipt sets the Art. 14 notice deadline when this is > 0
            "gdpr_customers": facts.gdpr_customers,
        })


def package_transfer(vault: Vault, transfer_id: str, out: Path, *, rules: ValueRules,
                     write: PackageWriter, progress: Progress | None = None) -> dict[str, Any]:
    """Write the handover package for the buyer; refused while the gate blocks."""
    vault.require(Action.TRANSFER_MANAGE)
    if not verify_audit(vault).ok:
        raise PolicyRefused("packaging refused: the audit trail does not verify (TR-14)")
    with cycle_collection_paused(), vault.transaction("transfer package") as conn:
        row = load(conn, transfer_id, "seller")
        if "package" in row.document:
            raise Conflict(f"transfer {transfer_id} is already packaged")
        _refuse_early(row)
        agreement = row.document["agreement"]
        datasets, names = _datasets_member(conn, agreement)
        countersigned = canonical_json(row.document["countersigned"])
        summary: dict[str, Any] = {}
        files = _RecordFiles(vault, conn, row, rules, names, summary, progress)
        info = write(
            out, recipient=agreement["buyer"]["age_recipient"], files=files,
            extra_members={"agreement.json": countersigned, "datasets.json": datasets},
            summary=summary, agreement_hash=agreement_hash(agreement), sign=signer(vault),
            signer_public_key=vault.keys.signing_public_key,
            created_at=vault.clock().replace(microsecond=0).isoformat(),
        )
        record = {"manifest_sha256": info.manifest_sha256, "merkle_root": info.merkle_root,
                  "ciphertext_sha256": info.ciphertext_sha256, "file": out.name,
                  "summary": summary, "packaged_at": vault.clock().isoformat()}
        ts.save_document(conn, transfer_id, "packaged", {**row.document, "package": record},
                         vault.clock())
        record_step(vault, conn, transfer_id, Step.PACKAGED, info.manifest_sha256,
                    {"customers": summary["customers"], "records": summary["records"]})
        vault.audit(conn, "transfer.step", purpose="transfer",
                    labels=tuple(summary["per_label_values"]),
                    details={"transfer": transfer_id, "export": "handover package",
                             "customers": summary["customers"],
                             "ciphertext_sha256": info.ciphertext_sha256})
    return record


