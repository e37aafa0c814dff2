"""The value of a customer base (product.md Transfer 1, cli.md `custody valuation`).

Figures accumulate from one `ValuationCustomer` per distinct customer, streamed in by the
service (`ValuationBuilder.add_customer(...)`, then `result()`); memory grows with the
number of months and purposes, never with the number of customers.

Semantics (checked against shared/data/customers-dev/manifest.json):
- a customer is active within N days when `0 <= as_of - last_activity <= N` days, the
  last activity being the latest activity date on or before `as_of`;
- blank amounts count as 0; revenue is summed exactly (Decimal);
- a minor is under 14 on `as_of`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from custody.domain.customers import age_on, is_minor
from custody.errors import InputError

__all__ = [
    "Amount",
    "CohortCurve",
    "Payment",
    "Valuation",
    "ValuationBuilder",
    "ValuationCustomer",
    "age_on",
    "to_decimal",
]

Amount = Decimal | int | float | str | None
UNDATED = "undated"
_ZERO = Decimal(0)


def to_decimal(value: Amount) -> Decimal:
    """An amount as Decimal; blank or None is 0; InputError for text that is not a number."""
    if value is None:
        return _ZERO
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = value.strip().replace(",", "").replace("¥", "").replace("￥", "")
    if not text:
        return _ZERO
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InputError("amount is not a number", field="transaction.amount") from None


@dataclass(frozen=True)
class Payment:
    """One amount, with the date it belongs to if known."""

    amount: Amount
    date: dt.date | None = None


@dataclass(frozen=True)
class ValuationCustomer:
    """What the valuation needs about one distinct customer (no identifying values)."""

    customer_id: str
    activity_dates: tuple[dt.date, ...] = ()
    payments: tuple[Payment, ...] = ()
    first_date: dt.date | None = None
    birth_date: dt.date | None = None
    minor: bool | None = None
    consents: frozenset[str] = frozenset()
    sensitive: bool = False
    rows: int = 1
    invalid_values: int = 0
    duplicate_rows: int = 0


@dataclass(frozen=True)
class CohortCurve:
    """Customers first seen in a month, and how many were still active m months later
    (survival: last activity on or after month m); offsets not yet observable are left out."""

    cohort: str
    size: int
    retained: tuple[int, ...]

    @property
    def rates(self) -> tuple[float, ...]:
        return tuple(r / self.size for r in self.retained) if self.size else ()


@dataclass(frozen=True)
class Valuation:
    """The valuation figures (cli.md keys first)."""

    as_of: dt.date
    distinct_customers: int
    active_90d: int
    active_365d: int
    revenue_total: Decimal
    minors: int
    rows: int
    revenue_by_month: dict[str, Decimal]
    revenue_trailing_12m: Decimal
    retention_12m: float | None
    projected_revenue_12m: Decimal
    projection_method: str
    cohorts: tuple[CohortCurve, ...]
    consent_coverage: dict[str, float]
    invalid_share: float
    duplicate_share: float
    sensitive_share: float
    minors_share: float
    extra: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form for `custody valuation --json` and the report."""
        return {
            "as_of": self.as_of.isoformat(),
            "distinct_customers": self.distinct_customers,
            "active_90d": self.active_90d,
            "active_365d": self.active_365d,
            "revenue_total": _money(self.revenue_total),
            "minors": self.minors,
            "rows": self.rows,
            "revenue_by_month": {k: _money(v) for k, v in self.revenue_by_month.items()},
            "revenue_trailing_12m": _money(self.revenue_trailing_12m),
            "retention_12m": self.retention_12m,
            "projected_revenue_12m": _money(self.projected_revenue_12m),
            "projection_method": self.projection_method,
            "cohorts": [
                {"cohort": c.cohort, "size": c.size, "retained": list(c.retained)}
                for c in self.cohorts
            ],
            "consent_coverage": self.consent_coverage,
            "invalid_share": self.invalid_share,
            "duplicate_share": self.duplicate_share,
            "sensitive_share": self.sensitive_share,
            "minors_share": self.minors_share,
            **self.extra,
        }


def _money(d: Decimal) -> float:
    return float(d.quantize(Decimal("0.01")))


def _month(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _month_key(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class ValuationBuilder:
    """Accumulates customers; call `add_customer` once per distinct customer."""

    def __init__(
        self, as_of: dt.date, *, purposes: tuple[str, ...] = (), max_offset: int = 24
    ) -> None:
        self.as_of = as_of
        self.max_offset = max_offset
        self._counts: Counter[str] = Counter()
        self._consents: Counter[str] = Counter({p: 0 for p in purposes})
        self._revenue = _ZERO
        self._t12m = _ZERO
        self._by_month: dict[str, Decimal] = {}
        self._cohorts: dict[int, list[int]] = {}
        self._earliest: dt.date | None = None

    def _add_revenue(self, c: ValuationCustomer) -> None:
        year_ago = self.as_of - dt.timedelta(days=365)
        for p in c.payments:
            amount = to_decimal(p.amount)
            self._revenue += amount
            key = UNDATED if p.date is None else _month_key(_month(p.date))
            self._by_month[key] = self._by_month.get(key, _ZERO) + amount
            if p.date is not None and year_ago < p.date <= self.as_of:
                self._t12m += amount
                self._counts["dated_payments"] += 1

    def _add_retention(self, first: dt.date, last: dt.date | None) -> None:
        # Base: customers already a year ago and seen in the two years up to as_of.
        if last is None or first > self.as_of - dt.timedelta(days=365):
            return
        gap = (self.as_of - last).days
        if gap <= 730:
            self._counts["retention_base"] += 1
            self._counts["retention_kept"] += gap <= 365

    def _add_activity(self, c: ValuationCustomer) -> None:
        past = [d for d in c.activity_dates if d <= self.as_of]
        dated = [*past, *(p.date for p in c.payments if p.date and p.date <= self.as_of)]
        first = c.first_date or min(dated, default=None)
        last = max(past, default=None)
        if last is not None:
            gap = (self.as_of - last).days
            self._counts["active_90d"] += gap <= 90
            self._counts["active_365d"] += gap <= 365
        if first is None or first > self.as_of:
            return
        if self._earliest is None or first < self._earliest:
            self._earliest = first
        self._add_retention(first, last)
        cohort = _month(first)
        span = min(_month(self.as_of) - cohort, self.max_offset)
        curve = self._cohorts.setdefault(cohort, [0] * (self.max_offset + 2))
        curve[-1] += 1  # the cohort's size
        last_any = max(dated, default=None)
        reach = -1 if last_any is None else _month(max(last_any, first)) - cohort
        for m in range(min(span, reach) + 1):
            curve[m] += 1

    def add_customer(self, c: ValuationCustomer) -> None:
        """Fold one distinct customer into the figures."""
        n = self._counts
        n["distinct_customers"] += 1
        n["rows"] += c.rows
        n["duplicate_rows"] += c.duplicate_rows
        n["invalid_values"] += c.invalid_values
        n["customers_with_invalid"] += c.invalid_values > 0
        n["sensitive"] += c.sensitive
        minor = c.minor
        if minor is None and c.birth_date is not None:
            minor = is_minor(c.birth_date, self.as_of)
        n["minors"] += bool(minor)
        self._consents.update(c.consents)
        self._add_revenue(c)
        self._add_activity(c)

    def _projection(self, retention: float | None) -> tuple[Decimal, str]:
        factor = Decimal(str(round(retention, 4))) if retention is not None else Decimal(1)
        note = (
            f"× 12-month customer retention {float(factor):.2%}"
            if retention is not None
            else "× 1 (no customers old enough to measure retention)"
        )
        if self._counts["dated_payments"]:
            method = f"trailing-12-month revenue run-rate {note}; new customers not counted"
            return (self._t12m * factor).quantize(Decimal("0.01")), method
        days = (self.as_of - (self._earliest or self.as_of)).days
        years = Decimal(max(days, 365)) / Decimal(365)
        method = (
            f"no dated revenue in the last 12 months: average yearly revenue over "
            f"{float(years):.1f} years of history {note}"
        )
        return (self._revenue / years * factor).quantize(Decimal("0.01")), method

    def result(self) -> Valuation:
        """The figures so far."""
        n = self._counts
        total = n["distinct_customers"]

        def share(part: int) -> float:
            return part / total if total else 0.0

        base = n["retention_base"]
        retention = n["retention_kept"] / base if base else None
        projected, method = self._projection(retention)
        observable = _month(self.as_of)
        cohorts = tuple(
            CohortCurve(
                _month_key(m), curve[-1], tuple(curve[: min(observable - m, self.max_offset) + 1])
            )
            for m, curve in sorted(self._cohorts.items())
        )
        return Valuation(
            as_of=self.as_of,
            distinct_customers=total,
            active_90d=n["active_90d"],
            active_365d=n["active_365d"],
            revenue_total=self._revenue,
            minors=n["minors"],
            rows=n["rows"],
            revenue_by_month=dict(sorted(self._by_month.items())),
            revenue_trailing_12m=self._t12m,
            retention_12m=retention,
            projected_revenue_12m=projected,
            projection_method=method,
            cohorts=cohorts,
            consent_coverage={p: share(c) for p, c in sorted(self._consents.items())},
            invalid_share=share(n["customers_with_invalid"]),
            duplicate_share=n["duplicate_rows"] / n["rows"] if n["rows"] else 0.0,
            sensitive_share=share(n["sensitive"]),
            minors_share=share(n["minors"]),
            extra={
                "invalid_values": n["invalid_values"],
                "duplicate_rows": n["duplicate_rows"],
                "customers_with_invalid": n["customers_with_invalid"],
            },
        )
