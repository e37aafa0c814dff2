"""What discovery tells about a file: column labels, spans and quality counts."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ClassifyReport", "ColumnLabel", "Span"]


@dataclass(frozen=True)
class ColumnLabel:
    """The label chosen for one column, with the classifier's confidence (0..1)."""

    index: int
    header: str | None
    label: str
    sensitive: bool
    confidence: float


@dataclass(frozen=True)
class Span:
    """A piece of personal information inside free text: [start, end) in characters."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class ClassifyReport:
    """The result of `custody classify` (cli.md, Discovery)."""

    file: str
    encoding: str
    header_row: bool
    rows: int
    columns: list[ColumnLabel]
    minors: int
    duplicates: int
    invalid: dict[str, int]
    extra: dict[str, object] = field(default_factory=dict)
