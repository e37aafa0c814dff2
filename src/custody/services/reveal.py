"""The one plaintext gate (S9): role, purpose and consent are checked, then audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection

from custody.crypto.record_pack import open_record
from custody.domain.access import Action, ConsentFacts, decide_reveal
from custody.domain.customers import is_minor
from custody.domain.schooling import GRADE_LABEL, minor_by_latest_grade
from custody.domain.values import Plain
from custody.errors import AccessDenied, NotFound
from custody.services.customers import RecordView, open_records
from custody.services.ports import ValueRules
from custody.services.vault import Vault
from custody.storage import customer_store as store
from custody.storage import scope_store

__all__ = [
    "BULK_PURPOSES",
    "PlainCustomer",
    "PlainRecord",
    "Revealed",
    "aggregate_text",
    "aggregate_values",
    "birth_date_of",
    "consent_facts",
    "export_values",
    "open_customer",
    "open_scope",
    "require_bulk_purpose",
    "reveal_field",
]

_BIRTH = ("person.birth_date", "identity.resident_id")


@dataclass(frozen=True)
class Revealed:
    """Plaintext handed to an allowed actor, one per stored value of the label."""

    customer_id: str
    label: str
    header: str
    dataset: str
    text: str


def birth_date_of(values: Iterable[tuple[str, Plain]], rules: ValueRules) -> dt.date | None:
    """The first birth date stated by a birth-date field or a valid resident ID; used to
    decide minors and age bands, never shown."""
    for label, p in values:
        if label in _BIRTH:
            born = rules.birth_date(label, p.reveal())
            if born is not None:
                return born
    return None


def consent_facts(
    vault: Vault, conn: Connection, customer_id: str, recs: list[RecordView],
    purpose: str, rules: ValueRules,
) -> ConsentFacts:
    """What the vault records about this customer's basis for `purpose`."""
    datasets = {d.name: d for d in store.all_datasets(conn)}
    mine = [datasets[n] for n in {r.dataset for r in recs} if n in datasets]
    cons = [c for c in store.consents_for(conn, customer_id) if c["withdrawn_at"] is None]
    on_purpose = [c for c in cons if c["purpose"] == purpose]
    return ConsentFacts(
        dataset_purposes=frozenset(p for d in mine for p in d.purposes),
        consent_based=any(d.legal_basis == "consent" for d in mine),
        purpose_consent=any(c["kind"] == "purpose" for c in on_purpose),
        separate_consent_labels=frozenset(
            str(c["label"]) for c in on_purpose if c["kind"] == "separate"),
        minor=_presumed_minor(recs, rules, vault.clock().date()),
        guardian_consent=any(c["kind"] == "guardian" for c in on_purpose),
    )


def _presumed_minor(recs: list[RecordView], rules: ValueRules, today: dt.date) -> bool:
    """Under 14 by birth date; without one, by the latest school grade (the same rule as
    valuation and the transfer gate), a grade taken as stated on its record's last date."""
    born = birth_date_of(((f.label, f.value) for r in recs for f in r.fields), rules)
    if born is not None:
        return is_minor(born, today)
    grades: list[tuple[dt.date, str]] = []
    for r in recs:
        dates = [d for f in r.fields if f.label == "transaction.date"
                 if (d := rules.date(aggregate_text(f.value))) is not None]
        grades.extend((max(dates, default=today), aggregate_text(f.value))
                      for f in r.fields if f.label == GRADE_LABEL)
    return minor_by_latest_grade(grades, today) is True


def reveal_field(
    vault: Vault, customer_id: str, label: str, purpose: str, *, rules: ValueRules
) -> list[Revealed]:
    """Plaintext of one label of one customer, if role, purpose and consent allow it."""
    if not purpose.strip():
        raise AccessDenied("a purpose is required to see plaintext")
    with vault.transaction("reveal") as conn:
        recs = open_records(vault, conn, customer_id)
        if not recs:
            raise NotFound(f"no readable customer {customer_id}")
        facts = consent_facts(vault, conn, customer_id, recs, purpose, rules)
        decision = decide_reveal(vault.actor.role, label, purpose, facts)
        if not decision.allowed or not _role_may_reveal(vault):
            vault.audit(conn, "field.reveal", purpose=purpose, customers=(customer_id,),
                        labels=(label,), result="denied", details={"reason": decision.reason})
        else:
            out = [Revealed(customer_id, label, f.header, r.dataset, f.value.reveal())
                   for r in recs for f in r.fields if f.label == label]
            vault.audit(conn, "field.reveal", purpose=purpose, customers=(customer_id,),
                        labels=(label,), details={"values": len(out)})
            return out
    raise AccessDenied(f"plaintext refused: {decision.reason}")


def _role_may_reveal(vault: Vault) -> bool:
    try:
        vault.require(Action.REVEAL)
    except AccessDenied:
        return False
    return True


@dataclass(frozen=True)
class PlainRecord:
    """One record of a customer opened for a bulk purpose; values print masked."""

    dataset_id: str
    row_no: int
    fields: list[tuple[int, str, Plain]]


@dataclass(frozen=True)
class PlainCustomer:
    """A customer opened for a bulk purpose (packaging, notices, valuation)."""

    id: str
    records: list[PlainRecord]

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(label for r in self.records for _, label, _ in r.fields)


BULK_PURPOSES: dict[str, Action] = {
    "transfer": Action.TRANSFER_MANAGE,
    "transfer-notice": Action.TRANSFER_MANAGE,
    "valuation": Action.VALUATION,
    "due-diligence": Action.TRANSFER_MANAGE,
}


def open_scope(
    vault: Vault, conn: Connection, dataset_ids: Collection[str], *, purpose: str
) -> Iterator[PlainCustomer]:
    """Stream every active customer of `dataset_ids`, opened for a bulk purpose.

    The role must hold the purpose's action; the caller appends one audit event for the
    whole operation (customers counted, labels named).
    """
    require_bulk_purpose(vault, purpose)
    for sc in scope_store.iter_sealed_customers(conn, dataset_ids):
        yield open_customer(vault, sc)


def require_bulk_purpose(vault: Vault, purpose: str) -> None:
    """AccessDenied unless `purpose` is a bulk purpose whose action the role holds."""
    action = BULK_PURPOSES.get(purpose)
    if action is None:
        raise AccessDenied(f"{purpose} is not a bulk purpose")
    vault.require(action)


def open_customer(vault: Vault, sc: scope_store.SealedCustomer) -> PlainCustomer:
    """One sealed customer opened, for a bulk pass that require_bulk_purpose allowed."""
    dk = vault.keys.unwrap_data_key(sc.id, sc.wrapped_key, sc.key_version)
    cipher = vault.keys.cipher(sc.id, dk, sc.key_generation)
    return PlainCustomer(sc.id, [
        PlainRecord(r.dataset_id, r.row_no, [
            (i, label, Plain(label, value))
            for i, label, value in open_record(cipher, f"{r.dataset_id}/{r.digest}", r.sealed)
        ]) for r in sc.records
    ])


def export_values(customer: PlainCustomer, *, labels: Collection[str], purpose: str
                  ) -> list[dict[str, object]]:
    """Plaintext of the allowed labels for an export the caller has authorised and audits
    (transfer package, notices). Only for the purposes in BULK_PURPOSES."""
    if purpose not in BULK_PURPOSES:
        raise AccessDenied(f"{purpose} is not an export purpose")
    return [
        {"dataset_id": r.dataset_id, "row": r.row_no,
         "fields": [[i, label, p.reveal()] for i, label, p in r.fields if label in labels]}
        for r in customer.records
    ]


def aggregate_values(customer: PlainCustomer, labels: Collection[str]) -> dict[str, list[str]]:
    """Values used only to compute aggregates (valuation, minors); never shown."""
    out: dict[str, list[str]] = {}
    for r in customer.records:
        for _, label, p in r.fields:
            if label in labels:
                out.setdefault(label, []).append(p.reveal())
    return out


def aggregate_text(p: Plain) -> str:
    """One value used only to compute an aggregate (a date, an amount); never shown."""
    return p.reveal()
