"""Seller side before packaging: create, sign, accept, notify, objections, assessment."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert

from custody.domain.access import Action
from custody.domain.taxonomy import COLUMN_LABELS
from custody.domain.transfer.agreement import (
    Agreement,
    Buyer,
    Party,
    Scope,
    agreement_from_dict,
    agreement_hash,
    agreement_to_dict,
    carry_purposes,
)
from custody.domain.transfer.chain import Step
from custody.domain.transfer.clauses import standard_clauses
from custody.domain.transfer.envelope import (
    check_envelope,
    envelope_to_dict,
    parse_envelope,
    sign_agreement,
)
from custody.domain.transfer.route import DealType, parse_deal_type, route_for
from custody.errors import Conflict, InputError, NotFound, VerificationError
from custody.services.transfer.common import (
    artifact_hash,
    load,
    record_step,
    signer,
    verifier,
)
from custody.services.vault import Vault
from custody.storage import customer_store as store
from custody.storage import transfer_store as ts
from custody.storage.tables import consents

__all__ = [
    "CreateRequest",
    "accept_agreement",
    "create_transfer",
    "record_objection",
    "record_provision_consent",
    "sign_agreement_for",
]


# Deals that may end without a successor (legal catalogue section 1, TR-18).
_WIND_DOWN_DEALS = frozenset({DealType.DISSOLUTION, DealType.BANKRUPTCY})


@dataclass(frozen=True)
class CreateRequest:
    """What `custody transfer create` asks for."""

    deal_type: str
    buyer_name: str
    buyer_contact: str
    buyer_recipient: str
    buyer_signing_key: str
    datasets: Sequence[str] = ()
    fields: Sequence[str] = ()
    purposes: Sequence[str] = ()
    destination_country: str = "CN"
    retention: str = "按原保存期限 / as in the original retention periods"
    important_data: bool = False  # TR-19: the data includes "important data"
    gdpr_all: bool = False  # TR-23: treat every customer as covered by the GDPR
    no_successor: bool = False  # TR-18: dissolution or bankruptcy without a successor


def create_transfer(vault: Vault, req: CreateRequest) -> str:
    """Draft the agreement of a new transfer; returns its id."""
    vault.require(Action.TRANSFER_MANAGE)
    deal = parse_deal_type(req.deal_type)
    if not req.buyer_recipient.startswith("age1"):
        raise InputError("--buyer-recipient must be an age X25519 recipient (age1…)")
    if not (req.buyer_name.strip() and req.buyer_contact.strip()):
        raise InputError("the buyer's name and contact are required (customers must be told)")
    unknown = [f for f in req.fields if f not in COLUMN_LABELS]
    if unknown:
        raise InputError(f"unknown field label {unknown[0]}")
    if req.no_successor and deal not in _WIND_DOWN_DEALS:
        raise InputError("--no-successor applies to a dissolution or bankruptcy only")
    route = route_for(deal)
    transfer_id = "tr_" + uuid.uuid4().hex[:12]
    with vault.transaction("transfer create") as conn:
        all_ds = {d.name: d for d in store.all_datasets(conn)}
        names = list(req.datasets) or sorted(all_ds)
        missing = [n for n in names if n not in all_ds]
        if missing or not names:
            raise NotFound(f"no dataset {missing[0]}" if missing else "the vault has no data")
        labels = sorted(set(req.fields) or {
            str(c["label"]) for n in names for c in all_ds[n].columns if c["label"] != "other"})
        original = {n: all_ds[n].purposes for n in names}
        requested = {n: list(req.purposes) or all_ds[n].purposes for n in names}
        conf, obligations = standard_clauses(route)
        agreement = Agreement(
            transfer_id=transfer_id, deal_type=deal, route=route,
            seller=Party(vault.org, vault.org_contact or vault.org),
            buyer=Buyer(req.buyer_name, req.buyer_contact, req.buyer_recipient,
                        req.buyer_signing_key),
            scope=Scope(tuple(names), tuple(labels), "all active customers of the datasets",
                        _count_customers(conn, [all_ds[n].id for n in names])),
            purposes=carry_purposes(requested, original), confidentiality=conf,
            obligations=obligations, destination_country=req.destination_country.upper(),
            cross_border=req.destination_country.upper() not in {"CN", "CHN"},
            retention_commitment=req.retention, transition_period=None,
            created_at=vault.clock().replace(microsecond=0),
        )
        doc = {"agreement": agreement_to_dict(agreement)}
        flags = {"important_data": req.important_data, "gdpr_all": req.gdpr_all,
                 "no_successor": req.no_successor}
        ts.create_transfer(conn, ts.TransferRow(transfer_id, "seller", "created", deal.value,
                                                doc, **flags), vault.clock())
        record_step(vault, conn, transfer_id, Step.CREATED, agreement_hash(agreement),
                    {"deal_type": deal.value, "route": route.value, **flags})
    return transfer_id


def _count_customers(conn: Any, dataset_ids: list[str]) -> int:
    from sqlalchemy import distinct, func, select

    from custody.storage.tables import customers, records

    q = (select(func.count(distinct(records.c.customer_id)))
         .join(customers, customers.c.id == records.c.customer_id)
         .where(records.c.dataset_id.in_(dataset_ids), customers.c.state == "active"))
    return int(conn.execute(q).scalar_one())


def sign_agreement_for(vault: Vault, transfer_id: str) -> dict[str, Any]:
    """The seller-signed agreement envelope (canonical agreement + Ed25519 signature)."""
    vault.require(Action.TRANSFER_MANAGE)
    with vault.transaction("transfer agreement") as conn:
        row = load(conn, transfer_id, "seller")
        agreement = agreement_from_dict(row.document["agreement"])
        env = envelope_to_dict(sign_agreement(
            agreement, public_key=vault.keys.signing_public_key, sign=signer(vault)))
        if "seller_envelope" not in row.document:
            ts.save_document(conn, transfer_id, "signed",
                             {**row.document, "seller_envelope": env}, vault.clock())
            record_step(vault, conn, transfer_id, Step.AGREEMENT_SIGNED, agreement_hash(agreement))
        else:
            env = row.document["seller_envelope"]
    return env


def accept_agreement(vault: Vault, transfer_id: str, document: bytes) -> str:
    """Check the buyer's countersignature over our agreement and keep it; returns its hash."""
    vault.require(Action.TRANSFER_MANAGE)
    env = parse_envelope(document)
    with vault.transaction("transfer accept") as conn:
        row = load(conn, transfer_id, "seller")
        ours = agreement_hash(row.document["agreement"])
        if agreement_hash(env.agreement) != ours:
            raise VerificationError("the countersigned agreement is not the one we signed")
        check = check_envelope(env, verify=verifier,
                               seller_public_key=vault.keys.signing_public_key)
        if not check.ok:
            raise VerificationError(f"countersigned agreement refused: {check.problems[0]}")
        if "countersigned" in row.document:
            raise Conflict(f"transfer {transfer_id} is already accepted")
        ts.save_document(conn, transfer_id, "accepted",
                         {**row.document, "countersigned": envelope_to_dict(env)}, vault.clock())
        record_step(vault, conn, transfer_id, Step.ACCEPTED,
                    artifact_hash(envelope_to_dict(env)))
    return ours


def record_objection(vault: Vault, transfer_id: str, customer_id: str, *, delete: bool = False
                     ) -> dict[str, Any]:
    """Record a customer's objection; with `delete` the customer is also crypto-shredded."""
    vault.require(Action.TRANSFER_MANAGE)
    with vault.transaction("transfer objection") as conn:
        row = load(conn, transfer_id, "seller")
        if "package" in row.document:
            raise Conflict("the package is already built; record the objection with the buyer")
        now = vault.clock()
        if not ts.record_objection(conn, transfer_id, customer_id,
                                   "delete" if delete else "object", now):
            raise NotFound(f"customer {customer_id} was not notified in transfer {transfer_id}")
        ends = dt.datetime.fromisoformat(row.document["notice"]["window_ends"])
        late = now > ends
        if delete:
            store.shred_customer(conn, customer_id, "deletion request", now)
        record_step(vault, conn, transfer_id, Step.OBJECTION,
                    hashlib.sha256(f"{transfer_id}|{customer_id}".encode()).hexdigest(),
                    {"late": late, "deleted": delete})
        vault.audit(conn, "customer.delete" if delete else "transfer.step",
                    customers=(customer_id,), purpose="transfer",
                    details={"transfer": transfer_id, "objection": True, "late": late})
    return {"customer": customer_id, "excluded": True, "deleted": delete, "late": late}


def record_provision_consent(vault: Vault, transfer_id: str, customer_ids: Sequence[str], *,
                             evidence: str) -> int:
    """Record customers' separate consent to this provision (PIPL Art. 23 route)."""
    vault.require(Action.TRANSFER_MANAGE)
    if not evidence.strip():
        raise InputError("--evidence must say how the consent was obtained")
    with vault.transaction("transfer consent") as conn:
        load(conn, transfer_id, "seller")
        known = store.customer_keys(conn, customer_ids)
        missing = [c for c in customer_ids if c not in known]
        if missing:
            raise NotFound(f"no customer {missing[0]}")
        conn.execute(insert(consents), [
            {"customer_id": c, "dataset_id": None, "purpose": f"transfer:{transfer_id}",
             "kind": "provision", "label": None, "evidence": evidence,
             "recorded_at": vault.clock()} for c in customer_ids])
        vault.audit(conn, "transfer.step", purpose="transfer", customers=tuple(customer_ids),
                    details={"transfer": transfer_id, "provision_consents": len(customer_ids)})
    return len(customer_ids)


