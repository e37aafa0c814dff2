"""Walk the customers a transfer covers and decide, per customer, what would move.

Customers stream in batches: the consents and notice states of a whole batch come in
one query each, and each customer's fields are read in one pass (labels, validity, last
transaction date, birth date); which fields of a record need reading is worked out once
per distinct order of labels. The exclusion decision is a pure function of a handful
of facts, so it is computed once per distinct set of facts and reused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import islice
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection

from custody.domain.customers import is_minor
from custody.domain.eea import eea_country_in_address, is_eea_region
from custody.domain.schooling import GRADE_LABEL, minor_by_latest_grade
from custody.domain.taxonomy import SENSITIVE_LABELS
from custody.domain.transfer.exclusions import (
    CustomerFacts,
    Decision,
    ExclusionPolicy,
    decide_customer,
)
from custody.domain.transfer.route import LegalRoute
from custody.domain.values import Plain
from custody.parallel import map_ordered
from custody.services.ports import ValueRules
from custody.services.reveal import (
    PlainCustomer,
    aggregate_text,
    birth_date_of,
    open_customer,
    require_bulk_purpose,
)
from custody.services.vault import Vault
from custody.storage import customer_store as store
from custody.storage import scope_store
from custody.storage import transfer_store as ts
from custody.storage.scope_store import ConsentRow

__all__ = ["PARALLEL_AFTER", "Judgement", "ScopeCustomer", "iter_scope", "map_scope",
           "scope_datasets"]

STALE_AFTER = dt.timedelta(days=3 * 365)
_VALIDATED = frozenset(
    {"identity.resident_id", "contact.mobile", "contact.email", "financial.bank_card"})
_DATE = "transaction.date"
_BIRTH = frozenset({"person.birth_date", "identity.resident_id"})  # what birth_date_of reads
# Where a customer's country shows (TR-23: an EU/EEA phone number or address).
_ADDRESS = "contact.address"
_CONTACT = frozenset({"contact.mobile", "contact.landline", _ADDRESS})
# A pupil's grade presumes a minor when no birth date is known.
_WATCHED = _VALIDATED | _BIRTH | _CONTACT | {_DATE, GRADE_LABEL}
_CHUNK = 1000
# customers worked on in this process before map_scope hands batches to worker processes
PARALLEL_AFTER = 20_000
R = TypeVar("R")
_MEMO_LIMIT = 4096


@dataclass(frozen=True)
class Judgement:
    """Facts and exclusion decision, shared by every customer whose facts are the same.

    Their `customer_id` is empty: the customer is the `ScopeCustomer` that holds them
    (whose `facts` and `decision` name it)."""

    facts: CustomerFacts
    decision: Decision

    @cached_property
    def member(self) -> dict[str, Any]:
        """The decision as the transfer's member row stores it (moved, reason, fields)."""
        d = self.decision
        return {"moved": int(d.moves), "reason": ",".join(d.reasons) or None,
                "fields": json.dumps(sorted(d.fields))}


@dataclass(frozen=True)
class ScopeCustomer:
    """One in-scope customer: opened values, the facts and the exclusion decision."""

    plain: PlainCustomer
    judged: Judgement
    consents: tuple[ConsentRow, ...]  # shared by customers with the same consents
    notice: tuple[str, str | None] | None
    stale: bool
    invalid: bool
    eea: bool = False  # an EU/EEA phone number or address (TR-23)

    @cached_property
    def facts(self) -> CustomerFacts:
        return replace(self.judged.facts, customer_id=self.plain.id)

    @cached_property
    def decision(self) -> Decision:
        return replace(self.judged.decision, customer_id=self.plain.id)


def scope_datasets(conn: Connection, agreement: dict[str, Any]) -> dict[str, store.DatasetRow]:
    """Dataset id → dataset for the agreement's scope."""
    names = set(agreement["scope"]["datasets"])
    return {d.id: d for d in store.all_datasets(conn) if d.name in names}


class _Shape(NamedTuple):
    """What a record's labels (in field order) tell, worked out once per distinct order."""

    agreed: frozenset[str]  # its labels within the agreement's scope
    watched: tuple[tuple[int, str], ...]  # position and label of each field read for facts


class _Seen(NamedTuple):
    """What one pass over a customer's fields found (a tuple: one per customer)."""

    agreed: frozenset[str]  # labels within the agreement's scope
    datasets: list[str]
    minor: bool  # by birth date, else by the latest school grade (as valuation counts)
    stale: bool
    invalid: bool
    eea: bool  # an EU/EEA phone number or address


class _Consented(NamedTuple):
    """What a customer's consents say, as the decision reads them."""

    guardian: bool
    withdrawn: bool
    provision: bool
    purposed: frozenset[str | None]  # datasets with a live purpose consent
    separate: frozenset[str]  # sensitive labels with a live separate consent


class _Judge:
    """Facts and decision for each customer of one transfer's scope."""

    def __init__(self, row: ts.TransferRow, datasets: dict[str, store.DatasetRow],
                 rules: ValueRules, today: dt.date) -> None:
        agreement = row.document["agreement"]
        self.agreed = frozenset(agreement["scope"]["field_labels"])
        self.consent_based = frozenset(
            d for d, ds in datasets.items() if ds.legal_basis == "consent")
        self.provision = f"transfer:{row.id}"
        self.policy = ExclusionPolicy(LegalRoute(agreement["route"]))
        self.rules, self.today = rules, today
        self._judged: dict[tuple[Any, ...], Judgement] = {}
        self._shapes: dict[tuple[str, ...], _Shape] = {}
        # id of a shared consent tuple (see scope_store.consents_of) → (it, what it says);
        # the tuple is kept so that its id cannot be reused while remembered
        self._consented: dict[int, tuple[tuple[ConsentRow, ...], _Consented]] = {}

    def _consents(self, consents: tuple[ConsentRow, ...]) -> _Consented:
        known = self._consented.get(id(consents))
        if known is not None and known[0] is consents:
            return known[1]
        guardian = withdrawn = provision = False
        purposed: set[str | None] = set()
        separate: set[str] = set()
        for x in consents:
            if x.withdrawn_at is not None:
                withdrawn = True
            elif x.kind == "purpose":
                purposed.add(x.dataset_id)
            elif x.kind == "guardian":
                guardian = True
            elif x.kind == "separate":
                separate.add(str(x.label))
            elif x.kind == "provision" and x.purpose == self.provision:
                provision = True
        said = _Consented(guardian, withdrawn, provision, frozenset(purposed),
                          frozenset(separate) & SENSITIVE_LABELS)
        if len(self._consented) >= _MEMO_LIMIT:
            self._consented.clear()
        self._consented[id(consents)] = (consents, said)
        return said

    def judge(self, c: PlainCustomer, consents: tuple[ConsentRow, ...],
              notice: tuple[str, str | None] | None) -> ScopeCustomer:
        seen = self._read(c)
        said = self._consents(consents)
        based, purposed = self.consent_based, said.purposed
        key = (seen.agreed, seen.minor, said.guardian, said.separate,
               any(d not in based or d in purposed for d in seen.datasets),
               bool(notice and notice[1]), said.withdrawn, said.provision)
        judged = self._judged.get(key)
        if judged is None:
            judged = self._judge(key)
        return ScopeCustomer(c, judged, consents, notice, seen.stale, seen.invalid, seen.eea)

    def _shape(self, labels: tuple[str, ...]) -> _Shape:
        shape = self._shapes.get(labels)
        if shape is None:
            if len(self._shapes) >= _MEMO_LIMIT:
                self._shapes.clear()
            shape = self._shapes[labels] = _Shape(
                frozenset(labels) & self.agreed,
                tuple((i, label) for i, label in enumerate(labels) if label in _WATCHED))
        return shape

    def _read(self, c: PlainCustomer) -> _Seen:
        """One pass over the customer's fields; of each record only the fields its shape
        names as watched are read (labels, validity, last transaction date, birth date)."""
        rules, today = self.rules, self.today
        agreed: frozenset[str] | None = None
        datasets: list[str] = []
        births: list[tuple[str, Plain]] = []
        grades: list[tuple[dt.date, str]] = []
        last: dt.date | None = None
        invalid = eea = False
        for r in c.records:
            fields = r.fields
            shape = self._shape(tuple([f[1] for f in fields]))
            datasets.append(r.dataset_id)
            agreed = shape.agreed if agreed is None else agreed | shape.agreed
            if not shape.watched:
                continue
            rec_last: dt.date | None = None
            rec_grades: list[str] = []
            for pos, label in shape.watched:
                p = fields[pos][2]
                if label == _DATE:
                    d = rules.date(aggregate_text(p))
                    if d is not None and (rec_last is None or d > rec_last):
                        rec_last = d
                    continue
                if label == GRADE_LABEL:
                    rec_grades.append(aggregate_text(p))
                    continue
                if label in _VALIDATED and not invalid:
                    invalid = not rules.is_valid(label, aggregate_text(p))
                if label in _CONTACT and not eea:
                    eea = self._eea(label, aggregate_text(p))
                if label in _BIRTH:
                    births.append((label, p))
            if rec_grades:  # stated on its record's latest date (today if undated)
                grades.extend((rec_last or today, g) for g in rec_grades)
            if rec_last is not None and (last is None or rec_last > last):
                last = rec_last
        born = birth_date_of(births, rules) if births else None
        minor = (is_minor(born, today) if born is not None
                 else bool(grades) and minor_by_latest_grade(grades, today) is True)
        return _Seen(agreed or frozenset(), datasets, minor,
                     last is not None and today - last > STALE_AFTER, invalid, eea)

    def _eea(self, label: str, text: str) -> bool:
        """Whether a phone number's country code or an address names the EU/EEA."""
        if label == _ADDRESS:
            return eea_country_in_address(text) is not None
        region = self.rules.phone_region(text)
        return region is not None and is_eea_region(region)

    def _judge(self, key: tuple[Any, ...]) -> Judgement:
        """decide_customer is pure: it runs once per distinct facts."""
        fields, minor, guardian, separate, basis, objected, withdrawn, provision = key
        facts = CustomerFacts(
            customer_id="", fields=fields, minor=minor, guardian_consent=guardian,
            separate_consent=separate, has_valid_basis=basis, objected=objected,
            consent_withdrawn=withdrawn, provision_consent=provision)
        if len(self._judged) >= _MEMO_LIMIT:
            self._judged.clear()
        judged = self._judged[key] = Judgement(facts, decide_customer(facts, self.policy))
        return judged


def iter_scope(
    vault: Vault, conn: Connection, row: ts.TransferRow, rules: ValueRules, *, purpose: str
) -> Iterator[ScopeCustomer]:
    """Every active customer of the agreement's datasets, with facts and decision."""
    judged, batches = _scope_pass(vault, conn, row, rules, purpose)
    for batch in batches:
        yield from judged(batch)


def map_scope(
    vault: Vault, conn: Connection, row: ts.TransferRow, rules: ValueRules, *, purpose: str,
    work: Callable[[list[ScopeCustomer]], R],
) -> Iterator[R]:
    """work(customers) for each batch of iter_scope's customers, in order.

    On a machine with cores to spare, the batches are opened, judged and worked on in
    worker processes forked from this one (custody.parallel) while this process reads the
    next batches; the first PARALLEL_AFTER customers are always worked on here. What
    `work` returns must be picklable and must not hold opened values (Plain refuses)."""
    judged, batches = _scope_pass(vault, conn, row, rules, purpose)
    return map_ordered(lambda batch: work(judged(batch)), batches,
                       inline_first=PARALLEL_AFTER, size=len)


def _scope_pass(vault: Vault, conn: Connection, row: ts.TransferRow, rules: ValueRules,
                purpose: str
                ) -> tuple[Callable[[list[_Sealed]], list[ScopeCustomer]], Iterator[list[_Sealed]]]:
    """The scope's sealed batches, and the function that opens and judges one (which
    touches no database, so it may run in a worker process)."""
    require_bulk_purpose(vault, purpose)
    datasets = scope_datasets(conn, row.document["agreement"])
    judge = _Judge(row, datasets, rules, vault.clock().date())

    def judged(batch: list[_Sealed]) -> list[ScopeCustomer]:
        return [judge.judge(open_customer(vault, sc), consents, notice)
                for sc, consents, notice in batch]

    return judged, _sealed_batches(conn, row, datasets)


# a sealed customer with its consents and notice state
_Sealed = tuple[scope_store.SealedCustomer, tuple[ConsentRow, ...], tuple[str, str | None] | None]


def _sealed_batches(conn: Connection, row: ts.TransferRow,
                    datasets: dict[str, store.DatasetRow]) -> Iterator[list[_Sealed]]:
    """The scope's sealed customers in batches, with the consents and notice states of a
    whole batch read in one query each."""
    sealed = scope_store.iter_sealed_customers(conn, list(datasets))
    while chunk := list(islice(sealed, _CHUNK)):
        first, last, ids = chunk[0].id, chunk[-1].id, {c.id for c in chunk}
        consents = scope_store.consents_of(conn, first, last, ids)
        notices = scope_store.notices_of(conn, row.id, first, last, ids)
        yield [(c, consents.get(c.id, ()), notices.get(c.id)) for c in chunk]
