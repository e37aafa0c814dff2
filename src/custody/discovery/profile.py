"""What a column's sample values look like: the share matching each recogniser."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from custody.discovery.checksums import to_halfwidth
from custody.discovery.dates import parse_date
from custody.discovery.recognisers import RECOGNISERS

__all__ = ["ColumnProfile", "profile_column"]


@dataclass(frozen=True)
class ColumnProfile:
    """Shares (0..1) of non-blank sample values per recogniser, and shape statistics."""

    values: list[str]
    shares: dict[str, float]
    distinct: int
    mean_len: float
    max_len: int
    dates: list[dt.date | None] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Number of non-blank values in the sample."""
        return len(self.values)

    def share(self, name: str) -> float:
        """Share of values the named recogniser accepts."""
        return self.shares.get(name, 0.0)

    @property
    def distinct_ratio(self) -> float:
        """Distinct values over non-blank values."""
        return self.distinct / self.count if self.count else 0.0

    def median_date(self) -> dt.date | None:
        """Median of the values that parse as dates."""
        parsed = sorted(d for d in self.dates if d is not None)
        return parsed[len(parsed) // 2] if parsed else None


def profile_column(cells: Sequence[str]) -> ColumnProfile:
    """Profile one column from its sample cells (blanks ignored)."""
    values = [to_halfwidth(c).strip() for c in cells]
    values = [v for v in values if v]
    count = len(values)
    counts = Counter(values)
    shares: dict[str, float] = {}
    if count:
        for name, recognise in RECOGNISERS.items():
            shares[name] = sum(n for v, n in counts.items() if recognise(v)) / count
    lengths = [len(v) for v in values]
    return ColumnProfile(
        values=values,
        shares=shares,
        distinct=len(counts),
        mean_len=statistics.fmean(lengths) if lengths else 0.0,
        max_len=max(lengths, default=0),
        dates=[parse_date(v) for v in values] if shares.get("date", 0.0) >= 0.5 else [],
    )
