"""Value the customer base from the vault: exact figures over every active customer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from custody.domain.schooling import GRADE_LABEL, minor_by_latest_grade
from custody.domain.taxonomy import SENSITIVE_LABELS
from custody.domain.valuation import Payment, Valuation, ValuationBuilder, ValuationCustomer
from custody.errors import InputError
from custody.services.ports import Progress, ValueRules
from custody.services.reveal import PlainCustomer, aggregate_text, birth_date_of, open_scope
from custody.services.vault import Vault
from custody.storage import customer_store as store

__all__ = ["compute_valuation", "valuation_customer"]

_NEEDED = ("transaction.date", "transaction.amount", "person.birth_date", "identity.resident_id",
           GRADE_LABEL)


def valuation_customer(
    c: PlainCustomer, consents: Collection[str], rules: ValueRules, as_of: dt.date,
    validated: Collection[str],
) -> ValuationCustomer:
    """The valuation facts of one customer: dates, payments, birth date, consents; without
    a birth date, a school grade stated on a record decides whether the customer is a minor."""
    dates: list[dt.date] = []
    payments: list[Payment] = []
    grades: list[tuple[dt.date, str]] = []
    invalid = 0
    for r in c.records:
        rec_dates, amounts, rec_grades = [], [], []
        for _, label, p in r.fields:
            if label == "transaction.date":
                d = rules.date(aggregate_text(p))
                if d is not None:
                    rec_dates.append(d)
            elif label == "transaction.amount":
                amounts.append(aggregate_text(p))
            elif label == GRADE_LABEL:
                rec_grades.append(aggregate_text(p))
            if label in validated and not rules.is_valid(label, aggregate_text(p)):
                invalid += 1
        dates.extend(rec_dates)
        stated_on = max(rec_dates, default=as_of)
        grades.extend((stated_on, g) for g in rec_grades)
        for a in amounts:
            try:
                payments.append(Payment(a, min(rec_dates, default=None)))
            except InputError:
                invalid += 1
    born = birth_date_of(((label, p) for r in c.records for _, label, p in r.fields), rules)
    return ValuationCustomer(
        customer_id=c.id, activity_dates=tuple(dates), payments=tuple(payments),
        first_date=min(dates, default=None), birth_date=born,
        minor=None if born is not None else minor_by_latest_grade(grades, as_of),
        consents=frozenset(consents),
        sensitive=bool(c.labels & SENSITIVE_LABELS), rows=len(c.records),
        invalid_values=invalid, duplicate_rows=len(c.records) - 1,
    )


def compute_valuation(
    vault: Vault, *, as_of: dt.date, rules: ValueRules, progress: Progress | None = None,
    validated: Collection[str] = ("identity.resident_id", "contact.mobile", "contact.email"),
) -> Valuation:
    """The valuation of every active customer as of `as_of` (audited as one aggregate read)."""
    with vault.transaction("valuation") as conn:
        datasets = store.all_datasets(conn)
        purposes = sorted({p for d in datasets for p in d.purposes})
        builder = ValuationBuilder(as_of, purposes=tuple(purposes))
        consents = store.purpose_consents(conn)
        n = 0
        for c in open_scope(vault, conn, [d.id for d in datasets], purpose="valuation"):
            builder.add_customer(valuation_customer(c, consents.get(c.id, ()), rules, as_of,
                                                    validated))
            n += 1
            if progress and n % 5000 == 0:
                progress(n, None)
        result = builder.result()
        vault.audit(conn, "valuation", purpose="valuation",
                    labels=_NEEDED, details={"customers": n, "as_of": as_of.isoformat()})
    return result
