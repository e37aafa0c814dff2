from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custody.domain.valuation import (
    Payment,
    ValuationBuilder,
    ValuationCustomer,
    age_on,
    to_decimal,
)
from custody.domain.values import Plain
from custody.errors import InputError
from custody.services.reveal import PlainCustomer, PlainRecord
from custody.services.valuation import valuation_customer

AS_OF = dt.date(2026, 11, 22)


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def build(*customers: ValuationCustomer, purposes: tuple[str, ...] = ()) -> dict[str, object]:
    b = ValuationBuilder(AS_OF, purposes=purposes)
    for c in customers:
        b.add_customer(c)
    return b.result().to_dict()


def test_activity_windows_are_inclusive_of_90_and_365_days() -> None:
    v = build(
        *(ValuationCustomer(str(n), activity_dates=(days_ago(n),)) for n in (0, 90, 91, 365, 366))
    )
    assert (v["distinct_customers"], v["active_90d"], v["active_365d"]) == (5, 2, 4)


def test_latest_activity_decides_and_future_dates_are_ignored() -> None:
    c = ValuationCustomer(
        "a", activity_dates=(days_ago(400), days_ago(30), AS_OF.replace(year=2027))
    )
    v = build(c)
    assert v["active_90d"] == 1


def test_revenue_counts_blanks_as_zero_exactly_and_by_month() -> None:
    c = ValuationCustomer(
        "a",
        payments=(
            Payment("1,234.10", dt.date(2026, 10, 3)),
            Payment("", dt.date(2026, 10, 4)),
            Payment(None),
            Payment(0.1, dt.date(2026, 11, 1)),
            Payment(0.2, dt.date(2026, 11, 2)),
        ),
    )
    v = build(c)
    assert v["revenue_total"] == 1234.4
    assert v["revenue_by_month"] == {"2026-10": 1234.1, "2026-11": 0.3, "undated": 0.0}


def test_minors_are_under_14_on_the_as_of_date() -> None:
    v = build(
        ValuationCustomer("turns14today", birth_date=dt.date(2012, 11, 22)),
        ValuationCustomer("turns14tomorrow", birth_date=dt.date(2012, 11, 23)),
        ValuationCustomer("flagged", minor=True),
        ValuationCustomer("adult"),
    )
    assert v["minors"] == 2 and v["minors_share"] == 0.5
    assert age_on(dt.date(2012, 11, 22), AS_OF) == 14


def test_consent_coverage_and_quality_shares() -> None:
    v = build(
        ValuationCustomer(
            "a", consents=frozenset({"teaching"}), rows=2, duplicate_rows=1, sensitive=True
        ),
        ValuationCustomer("b", consents=frozenset({"teaching", "marketing"}), invalid_values=2),
        purposes=("teaching", "marketing", "research"),
    )
    assert v["consent_coverage"] == {"marketing": 0.5, "research": 0.0, "teaching": 1.0}
    assert v["duplicate_share"] == pytest.approx(1 / 3)
    assert v["invalid_share"] == 0.5 and v["sensitive_share"] == 0.5
    assert v["invalid_values"] == 2 and v["rows"] == 3


def test_cohort_curve_counts_customers_still_active_months_later() -> None:
    v = build(
        ValuationCustomer("a", activity_dates=(dt.date(2026, 8, 1), dt.date(2026, 11, 1))),
        ValuationCustomer("b", activity_dates=(dt.date(2026, 8, 5), dt.date(2026, 9, 5))),
        ValuationCustomer("c", activity_dates=(dt.date(2026, 8, 9),)),
    )
    assert v["cohorts"] == [{"cohort": "2026-08", "size": 3, "retained": [3, 2, 1, 1]}]


def test_projection_is_trailing_revenue_times_retention_and_says_so() -> None:
    v = build(
        ValuationCustomer(
            "kept",
            activity_dates=(days_ago(500), days_ago(10)),
            payments=(Payment(1000, days_ago(10)),),
        ),
        ValuationCustomer(
            "lost",
            activity_dates=(days_ago(600), days_ago(400)),
            payments=(Payment(500, days_ago(400)),),
        ),
    )
    assert v["revenue_trailing_12m"] == 1000.0
    assert v["retention_12m"] == 0.5
    assert v["projected_revenue_12m"] == 500.0
    assert "trailing-12-month" in str(v["projection_method"])


def test_projection_without_dated_revenue_uses_yearly_average() -> None:
    v = build(
        ValuationCustomer(
            "a", activity_dates=(days_ago(730), days_ago(5)), payments=(Payment(2000),)
        )
    )
    assert v["projected_revenue_12m"] == 1000.0
    assert "average yearly revenue" in str(v["projection_method"])


def test_empty_valuation_is_all_zero() -> None:
    v = build()
    assert v["distinct_customers"] == 0 and v["revenue_total"] == 0.0
    assert v["retention_12m"] is None


def test_amount_text_that_is_not_a_number_is_an_input_error() -> None:
    with pytest.raises(InputError):
        to_decimal("twelve")


@given(st.lists(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False), max_size=30))
def test_revenue_total_is_the_exact_sum(amounts: list[Decimal]) -> None:
    b = ValuationBuilder(AS_OF)
    for i, a in enumerate(amounts):
        b.add_customer(ValuationCustomer(str(i), payments=(Payment(a),)))
    assert b.result().revenue_total == sum(amounts, Decimal(0))


class IsoRules:
    """Value rules for the service tests: ISO dates only, every value valid."""

    def normalize(self, label: str, value: str) -> str | None:
        return value or None

    def is_valid(self, label: str, value: str) -> bool:
        return True

    def birth_date(self, label: str, value: str) -> dt.date | None:
        return self.date(value) if label == "person.birth_date" else None

    def date(self, value: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None


def customer(*records: dict[str, str]) -> ValuationCustomer:
    recs = [
        PlainRecord("ds", n, [(i, lbl, Plain(lbl, v)) for i, (lbl, v) in enumerate(r.items())])
        for n, r in enumerate(records)
    ]
    return valuation_customer(PlainCustomer("c", recs), (), IsoRules(), AS_OF, ())


def minors(*customers: ValuationCustomer) -> int:
    return int(str(build(*customers)["minors"]))


def test_pupil_without_birth_date_is_a_minor_by_a_primary_grade() -> None:
    # Issue 4: education.csv rows with blank birth date and ID still name a grade.
    pupil = customer({"education.grade": "五年级", "transaction.date": "2026-10-08"})
    assert pupil.minor is True and minors(pupil) == 1


def test_grade_counts_as_stated_on_the_records_latest_date() -> None:
    stale = customer({"education.grade": "五年级", "transaction.date": "2021-10-08"})
    assert stale.minor is False and minors(stale) == 0


def test_stated_birth_date_wins_over_a_grade() -> None:
    adult = customer({"person.birth_date": "2000-01-01", "education.grade": "三年级"})
    assert adult.minor is None and adult.birth_date == dt.date(2000, 1, 1)
    assert minors(adult) == 0


def test_latest_dated_grade_decides_between_records() -> None:
    c = customer(
        {"education.grade": "初二", "transaction.date": "2026-11-01"},
        {"education.grade": "三年级", "transaction.date": "2020-03-01"},
    )
    assert c.minor is False


def test_customer_without_birth_date_or_grade_is_not_counted_a_minor() -> None:
    c = customer({"education.grade": "VIP", "transaction.date": "2026-11-01"}, {"person.name": "x"})
    assert c.minor is None and minors(c) == 0
