"""Use case: classify a table file's columns and count its data-quality figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Protocol

from custody.domain.classification import ClassifyReport, ColumnLabel
from custody.services.ports import ColumnClassifier, Progress, TableReader, ValueRules

__all__ = ["QualityFactory", "QualityMeter", "SAMPLE_ROWS", "classify_file"]

SAMPLE_ROWS = 1000
_BATCH = 4096


class QualityMeter(Protocol):
    """Counts quality figures while rows stream past (discovery.quality implements it)."""

    rows: int
    duplicates: int
    invalid: dict[str, int]

    def add_rows(self, batch: Sequence[Sequence[str]]) -> None:
        """Count a batch of data rows (all as wide as the header)."""
        ...

    @property
    def minors(self) -> int:
        """Distinct customers under 14 on the processing date."""
        ...

    def extra(self) -> dict[str, object]:
        """Further figures for the report's `extra`."""
        ...


QualityFactory = Callable[[Sequence[ColumnLabel], ValueRules, dt.date], QualityMeter]


def classify_file(
    path: Path,
    *,
    reader: TableReader,
    classifier: ColumnClassifier,
    rules: ValueRules,
    as_of: dt.date,
    sheet: str | None = None,
    has_header: bool | None = None,
    progress: Progress | None = None,
    quality: QualityFactory | None = None,
) -> ClassifyReport:
    """Label the columns from a sample of rows, then stream every row through the counts.

    Without a `quality` factory only rows are counted (minors, duplicates, invalid = 0).
    """
    with reader.open(path, sheet=sheet, has_header=has_header) as source:
        rows = source.rows()
        sample = [cells for _, cells in islice(rows, SAMPLE_ROWS) if any(cells)]
        columns = classifier.classify(source.headers, sample)
        meter = quality(columns, rules, as_of) if quality else None
        count = _stream(sample, rows, meter, progress, source.size_hint())
        return ClassifyReport(
            file=path.name,
            encoding=source.encoding,
            header_row=source.has_header,
            rows=count,
            columns=columns,
            minors=meter.minors if meter else 0,
            duplicates=meter.duplicates if meter else 0,
            invalid=dict(meter.invalid) if meter else {},
            extra=meter.extra() if meter else {},
        )


def _stream(
    sample: Sequence[Sequence[str]],
    rest: Iterator[tuple[int, list[str]]],
    meter: QualityMeter | None,
    progress: Progress | None,
    total: int | None,
) -> int:
    """Feed the sample, then every further row in batches, to the meter; returns the count."""
    add_rows = meter.add_rows if meter is not None else (lambda batch: None)
    add_rows(sample)
    count = len(sample)
    while chunk := list(islice(rest, _BATCH)):
        batch = [cells for _, cells in chunk if any(cells)]
        add_rows(batch)
        count += len(batch)
        if progress is not None:
            progress(count, total)
    if progress is not None:
        progress(count, total)
    return count
