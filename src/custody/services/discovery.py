"""Use case: classify a table file's columns and count its data-quality figures."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from custody.domain.classification import ClassifyReport, ColumnLabel
from custody.services.bulk import cycle_collection_paused
from custody.services.ports import (
    ColumnClassifier,
    Progress,
    TableReader,
    TableSource,
    ValueRules,
)

__all__ = ["QualityFactory", "QualityMeter", "SAMPLE_ROWS", "classify_file"]

SAMPLE_ROWS = 1000
_BATCH = 512


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
    with (reader.open(path, sheet=sheet, has_header=has_header) as source,
          cycle_collection_paused()):
        batches = _batches(source)
        head = _take(batches, SAMPLE_ROWS)
        sample = list(filter(any, head[:SAMPLE_ROWS]))
        columns = classifier.classify(source.headers, sample)
        meter = quality(columns, rules, as_of) if quality else None
        rest = itertools.chain([head[SAMPLE_ROWS:]], batches)
        count = _stream(sample, rest, meter, progress, source.size_hint())
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


def _batches(source: TableSource) -> Iterator[list[list[str]]]:
    """The cells of `source.rows()` in lists of `_BATCH` (blank rows included)."""
    batched = getattr(source, "row_batches", None)
    if callable(batched):
        found: Iterator[list[list[str]]] = batched(_BATCH)
        return found
    rows = source.rows()
    return iter(lambda: [cells for _, cells in itertools.islice(rows, _BATCH)], [])


def _take(batches: Iterator[list[list[str]]], count: int) -> list[list[str]]:
    """At least `count` rows from the first batches (fewer at the end of the file)."""
    head: list[list[str]] = []
    while len(head) < count:
        batch = next(batches, None)
        if batch is None:
            break
        head.extend(batch)
    return head


def _stream(
    sample: Sequence[Sequence[str]],
    rest: Iterator[list[list[str]]],
    meter: QualityMeter | None,
    progress: Progress | None,
    total: int | None,
) -> int:
    """Feed the sample, then every further non-blank row in batches, to the meter;
    returns the count."""
    add_rows = meter.add_rows if meter is not None else (lambda batch: None)
    add_rows(sample)
    count = len(sample)
    for chunk in rest:
        batch = list(filter(any, chunk))
        if batch:
            add_rows(batch)
            count += len(batch)
        if progress is not None:
            progress(count, total)
    if progress is not None:
        progress(count, total)
    return count
