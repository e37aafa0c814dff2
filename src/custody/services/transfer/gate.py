"""The personal information impact assessment and the pre-transfer gate (TR-06, item 6)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from custody.domain.access import Action
from custody.domain.taxonomy import SENSITIVE_LABELS
from custody.domain.transfer.chain import Step
from custody.domain.transfer.exclusions import Decision, ExclusionTally
from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.gate import Finding, evaluate, passes
from custody.domain.transfer.route import DealType, LegalRoute
from custody.domain.transfer.rules.criminal import tr12_category
from custody.errors import InputError
from custody.services.audit import verify_chain_in
from custody.services.ports import ValueRules
from custody.services.transfer.common import (
    artifact_hash,
    load,
    record_step,
    stored_envelope,
    verifier,
)
from custody.services.transfer.scope import ScopeCustomer, map_scope
from custody.services.vault import Vault
from custody.storage import customer_store
from custody.storage import transfer_store as ts

__all__ = [
    "PIA_QUESTIONS",
    "GateResult",
    "ScopeTally",
    "assess_transfer",
    "check_transfer",
    "gate_facts",
]

# PIPL Art. 56: what an impact assessment must cover.
PIA_QUESTIONS: dict[str, str] = {
    "lawfulness_necessity":
        "处理目的、处理方式等是否合法、正当、必要 / lawful, legitimate, necessary",
    "impact_risk": "对个人权益的影响及安全风险 / impact on individuals and security risks",
    "safeguards": "保护措施是否合法、有效并与风险程度相适应 / safeguards fit the risk",
}


@dataclass(frozen=True)
class GateResult:
    """What `transfer check` reports."""

    ok: bool
    findings: list[Finding]
    facts: dict[str, Any]


class ScopeTally:
    """Counts over the customers in scope that the gate needs; fed one customer at a time
    by the gate's own scan or by the packaging pass (which then needs no second scan).

    Customers with the same decision and the same gate-relevant facts are counted
    together and folded into the totals when these are read (or when many distinct
    kinds have gathered), so memory stays bounded whatever the scope's size."""

    _FOLD_AT = 4096

    def __init__(self) -> None:
        self._exclusions = ExclusionTally()
        self._counts: Counter[str] = Counter()
        self._no_route: Counter[str] = Counter()
        # (decision's content, notice missing, stale, invalid, minor, guardian consent,
        # objected, EU/EEA contact) → [one such decision, customers]
        self._kinds: dict[tuple[Any, ...], list[Any]] = {}

    def add(self, sc: ScopeCustomer) -> None:
        d, f = sc.judged.decision, sc.judged.facts
        key = (d.moves, d.fields, d.left_out, d.reasons, d.unconsented_sensitive,
               d.without_basis, d.without_provision_consent, sc.notice is None, sc.stale,
               sc.invalid, f.minor, f.guardian_consent, f.objected, sc.eea)
        seen = self._kinds.get(key)
        if seen is not None:
            seen[1] += 1
            return
        if len(self._kinds) >= self._FOLD_AT:
            self._fold()
        self._kinds[key] = [d, 1]

    def merge(self, other: ScopeTally) -> None:
        """Add the customers another tally counted (a batch counted in a worker process)."""
        for key, (d, n) in other._kinds.items():
            seen = self._kinds.get(key)
            if seen is not None:
                seen[1] += n
                continue
            if len(self._kinds) >= self._FOLD_AT:
                self._fold()
            self._kinds[key] = [d, n]
        self._exclusions.merge(other._exclusions)
        self._counts.update(other._counts)
        self._no_route.update(other._no_route)

    def _fold(self) -> None:
        for key, (d, n) in self._kinds.items():
            self._count(d, key[7:], n)
        self._kinds.clear()

    def _count(self, d: Decision, flags: tuple[bool, ...], n: int) -> None:
        not_notified, stale, invalid, minor, guardian, objected, eea = flags
        extra = self._counts
        self._exclusions.add(d, n)
        extra["customers_total"] += n
        if d.moves:
            extra["moving"] += n
            extra["not_notified"] += n * not_notified
            extra["stale"] += n * stale
            extra["invalid"] += n * invalid
            extra["minors"] += n * minor
            extra["minor_no_guardian"] += n * (minor and not guardian)
            extra["sensitive"] += n * bool(d.fields & SENSITIVE_LABELS)
            extra["eea"] += n * eea
            if d.without_basis or d.without_provision_consent:
                self._no_route[tr12_category(d.fields)] += n
        extra["objectors"] += n * objected

    @property
    def exclusions(self) -> ExclusionTally:
        self._fold()
        return self._exclusions

    @property
    def counts(self) -> Counter[str]:
        self._fold()
        return self._counts

    @property
    def no_route(self) -> Counter[str]:
        self._fold()
        return self._no_route


def _scope_tally(vault: Vault, conn: Connection, row: ts.TransferRow, rules: ValueRules
                 ) -> ScopeTally:
    tally = ScopeTally()
    for part in map_scope(vault, conn, row, rules, purpose="transfer", work=_tally_of):
        tally.merge(part)
    return tally


def _tally_of(customers: list[ScopeCustomer]) -> ScopeTally:
    """The tally of one batch (counted in a worker process where cores are free)."""
    tally = ScopeTally()
    for sc in customers:
        tally.add(sc)
    return tally


def assess_transfer(vault: Vault, transfer_id: str, answers: Mapping[str, str], *,
                    rules: ValueRules) -> dict[str, Any]:
    """Record the impact assessment: facts from the vault plus a person's answers."""
    vault.require(Action.TRANSFER_MANAGE)
    unknown = set(answers) - set(PIA_QUESTIONS)
    if unknown:
        raise InputError(f"unknown assessment question {sorted(unknown)[0]}; "
                         f"known: {', '.join(PIA_QUESTIONS)}")
    with vault.transaction("transfer assess") as conn:
        row = load(conn, transfer_id, "seller")
        scope = _scope_tally(vault, conn, row, rules)
        tally, counts = scope.exclusions, scope.counts
        agreement = row.document["agreement"]
        record = {
            "transfer_id": transfer_id, "assessed_at": vault.clock().isoformat(),
            "assessor": vault.actor.name, "assessor_role": vault.actor.role.value,
            "facts": {"route": agreement["route"], "customers_moving": tally.moving,
                      "customers_excluded": tally.excluded, "minors": counts.get("minors", 0),
                      "with_sensitive_fields": counts.get("sensitive", 0),
                      "fields": sorted(tally.fields_to_move),
                      "cross_border": agreement["cross_border"],
                      "destination": agreement["destination_country"]},
            "answers": {q: answers[q] for q in PIA_QUESTIONS if answers.get(q, "").strip()},
            "open_questions": [q for q in PIA_QUESTIONS if not answers.get(q, "").strip()],
            "keep_until": (vault.clock() + dt.timedelta(days=3 * 366)).date().isoformat(),
        }
        ts.save_document(conn, transfer_id, row.state, {**row.document, "pia": record},
                         vault.clock())
        record_step(vault, conn, transfer_id, Step.ASSESSED, artifact_hash(record),
                    {"open_questions": len(record["open_questions"])})
    return record


def gate_facts(vault: Vault, conn: Connection, row: ts.TransferRow, rules: ValueRules,
               scope: ScopeTally | None = None) -> GateFacts:
    """Everything the gate rules read, computed from the vault (scanning the scope unless
    a tally of the same scope is handed in)."""
    doc, agreement = row.document, row.document["agreement"]
    seller_ok = buyer_ok = False
    if "countersigned" in doc:
        check = check_envelope_of(row)
        seller_ok, buyer_ok = check
    scope = scope if scope is not None else _scope_tally(vault, conn, row, rules)
    tally, counts = scope.exclusions, scope.counts
    notice = doc.get("notice") or {}
    carried: dict[str, set[str]] = {}
    for p in agreement["purposes"]:
        carried.setdefault(p["dataset"], set()).add(p["purpose"])
    original = {d.name: frozenset(d.purposes) for d in _datasets(conn, agreement)}
    pia, li = doc.get("pia"), doc.get("legitimate_interest")
    return GateFacts(
        route=LegalRoute(agreement["route"]), deal_type=DealType(agreement["deal_type"]),
        now=vault.clock(), seller_signature_valid=seller_ok, buyer_signature_valid=buyer_ok,
        customers_in_scope=tally.moving, customers_not_notified=counts.get("not_notified", 0),
        objection_window_ends=(dt.datetime.fromisoformat(notice["window_ends"])
                               if notice else None),
        objection_days=notice.get("objection_days"), objectors=counts.get("objectors", 0),
        objectors_excluded=True, fields_agreed=frozenset(agreement["scope"]["field_labels"]),
        fields_to_move=frozenset(tally.fields_to_move),
        purposes_carried={k: frozenset(v) for k, v in carried.items()},
        purposes_original=original,
        sensitive_without_separate_consent=dict(tally.unconsented_sensitive),
        minors_without_guardian_consent=counts.get("minor_no_guardian", 0),
        customers_without_basis=tally.without_basis,
        without_provision_consent=tally.without_provision_consent,
        cross_border=bool(agreement["cross_border"]),
        cross_border_assessment=bool(doc.get("cross_border_assessment")),
        pia_recorded=pia is not None, pia_open_questions=len(pia["open_questions"]) if pia else 0,
        audit_chain_ok=verify_chain_in(vault, conn).ok, stale_records=counts.get("stale", 0),
        invalid_records=counts.get("invalid", 0),
        no_route_by_category=dict(scope.no_route),
        legal_opinion_attached=bool(doc.get("legal_opinion")),
        processor_agreement="countersigned" in doc,
        no_successor=row.no_successor,
        distinct_individuals=customer_store.count_active_customers(conn),
        important_data=row.important_data,
        gdpr_customers=tally.moving if row.gdpr_all else counts.get("eea", 0),
        gdpr_declared=row.gdpr_all, legitimate_interest_attached=li is not None,
        legitimate_interest_bound=bool(li and li["bound_to_agreement"]),
        excluded_by_reason=dict(tally.excluded_by_reason),
        fields_left_out=dict(tally.fields_left_out),
    )


def check_envelope_of(row: ts.TransferRow) -> tuple[bool, bool]:
    from custody.domain.transfer.envelope import check_envelope

    env = stored_envelope(row, "countersigned")
    c = check_envelope(env, verify=verifier)
    return c.seller_valid, c.buyer_valid


def _datasets(conn: Connection, agreement: dict[str, Any]) -> list[Any]:
    names = set(agreement["scope"]["datasets"])
    return [d for d in customer_store.all_datasets(conn) if d.name in names]


def check_transfer(vault: Vault, transfer_id: str, *, rules: ValueRules) -> GateResult:
    """Run the gate; the result is kept and chained, packaging re-runs it."""
    vault.require(Action.TRANSFER_MANAGE)
    with vault.transaction("transfer check") as conn:
        row = load(conn, transfer_id, "seller")
        facts = gate_facts(vault, conn, row, rules)
        findings = evaluate(facts)
        ok = passes(findings)
        summary = {"customers_moving": facts.customers_in_scope,
                   "excluded_by_reason": dict(facts.excluded_by_reason),
                   "fields_to_move": sorted(facts.fields_to_move),
                   "fields_left_out": dict(facts.fields_left_out),
                   "distinct_individuals": facts.distinct_individuals,
                   "gdpr_customers": facts.gdpr_customers}
        record = {"ok": ok, "at": vault.clock().isoformat(),
                  "findings": [f.to_dict() for f in findings], "summary": summary}
        ts.save_document(conn, transfer_id, row.state, {**row.document, "check": record},
                         vault.clock())
        record_step(vault, conn, transfer_id, Step.CHECKED, artifact_hash(record),
                    {"ok": ok, "findings": len(findings)})
    return GateResult(ok, findings, summary)
