"""Walk the customers a transfer covers and decide, per customer, what would move."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import Connection

from custody.domain.customers import is_minor
from custody.domain.taxonomy import SENSITIVE_LABELS
from custody.domain.transfer.exclusions import (
    CustomerFacts,
    Decision,
    ExclusionPolicy,
    decide_customer,
)
from custody.domain.transfer.route import LegalRoute
from custody.services.ports import ValueRules
from custody.services.reveal import PlainCustomer, aggregate_text, birth_date_of, open_scope
from custody.services.vault import Vault
from custody.storage import customer_store as store
from custody.storage import transfer_store as ts

__all__ = ["ScopeCustomer", "iter_scope", "scope_datasets"]

STALE_AFTER = dt.timedelta(days=3 * 365)
_VALIDATED = ("identity.resident_id", "contact.mobile", "contact.email", "financial.bank_card")
_CHUNK = 500


@dataclass(frozen=True)
class ScopeCustomer:
    """One in-scope customer: opened values, the facts and the exclusion decision."""

    plain: PlainCustomer
    facts: CustomerFacts
    decision: Decision
    consents: list[dict[str, Any]]
    notice: tuple[str, str | None] | None
    stale: bool
    invalid: bool


def scope_datasets(conn: Connection, agreement: dict[str, Any]) -> dict[str, store.DatasetRow]:
    """Dataset id → dataset for the agreement's scope."""
    names = set(agreement["scope"]["datasets"])
    return {d.id: d for d in store.all_datasets(conn) if d.name in names}


def _quality(c: PlainCustomer, rules: ValueRules, today: dt.date) -> tuple[bool, bool]:
    last: dt.date | None = None
    invalid = False
    for r in c.records:
        for _, label, p in r.fields:
            if label == "transaction.date":
                d = rules.date(aggregate_text(p))
                if d is not None and (last is None or d > last):
                    last = d
            elif label in _VALIDATED and not rules.is_valid(label, aggregate_text(p)):
                invalid = True
    stale = last is not None and today - last > STALE_AFTER
    return stale, invalid


def _facts(
    c: PlainCustomer, consents: list[dict[str, Any]], notice: tuple[str, str | None] | None,
    datasets: dict[str, store.DatasetRow], agreement: dict[str, Any], transfer_id: str,
    rules: ValueRules, today: dt.date,
) -> CustomerFacts:
    labels = c.labels & set(agreement["scope"]["field_labels"])
    live = [x for x in consents if x["withdrawn_at"] is None]
    mine = {r.dataset_id for r in c.records}
    basis = any(
        datasets[d].legal_basis != "consent"
        or any(x["kind"] == "purpose" and x["dataset_id"] == d for x in live)
        for d in mine
    )
    born = birth_date_of(((label, p) for r in c.records for _, label, p in r.fields), rules)
    provision = [x for x in live if x["kind"] == "provision"
                 and x["purpose"] == f"transfer:{transfer_id}"]
    return CustomerFacts(
        customer_id=c.id, fields=frozenset(labels), minor=is_minor(born, today),
        guardian_consent=any(x["kind"] == "guardian" for x in live),
        separate_consent=frozenset(
            str(x["label"]) for x in live if x["kind"] == "separate") & SENSITIVE_LABELS,
        has_valid_basis=basis, objected=bool(notice and notice[1]),
        consent_withdrawn=any(x["withdrawn_at"] is not None for x in consents),
        provision_consent=bool(provision),
    )


def iter_scope(
    vault: Vault, conn: Connection, row: ts.TransferRow, rules: ValueRules, *, purpose: str
) -> Iterator[ScopeCustomer]:
    """Every active customer of the agreement's datasets, with facts and decision."""
    agreement = row.document["agreement"]
    datasets = scope_datasets(conn, agreement)
    policy = ExclusionPolicy(LegalRoute(agreement["route"]))
    today = vault.clock().date()
    stream = open_scope(vault, conn, list(datasets), purpose=purpose)
    while chunk := list(islice(stream, _CHUNK)):
        ids = [c.id for c in chunk]
        consents = store.consents_for_many(conn, ids)
        notices = ts.notice_state(conn, row.id, ids)
        for c in chunk:
            cons = consents.get(c.id, [])
            facts = _facts(c, cons, notices.get(c.id), datasets, agreement, row.id, rules,
                           today)
            stale, invalid = _quality(c, rules, today)
            yield ScopeCustomer(c, facts, decide_customer(facts, policy), cons,
                                notices.get(c.id), stale, invalid)
