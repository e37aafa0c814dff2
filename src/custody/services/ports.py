"""Protocols the services depend on; adapters (storage, crypto, importers, discovery)
implement them and `custody.bootstrap` wires the real ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from custody.domain.classification import ColumnLabel, Span

__all__ = [
    "ColumnClassifier",
    "Delivery",
    "Mailer",
    "NoticeWriter",
    "PackageReader",
    "PackageWriter",
    "Progress",
    "TableReader",
    "TableSource",
    "TextScanner",
    "ValueRules",
]

# Called with (done, total or None) as work advances; adapters draw a bar on stderr.
Progress = Callable[[int, int | None], None]


class TableSource(Protocol):
    """An opened tabular file. Rows stream; the whole file is never held in memory."""

    path: Path
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", "utf-16", "xlsx", "xls", "json" ...
    has_header: bool
    headers: list[str]  # one per column; "" where the file has no header row

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number as the user sees it in the file, cells as text; "" for blank)."""
        ...

    def size_hint(self) -> int | None:
        """Number of data rows if cheaply known, else None (for progress bars)."""
        ...


class TableReader(Protocol):
    def open(
        self, path: Path, *, sheet: str | None = None, has_header: bool | None = None
    ) -> AbstractContextManager[TableSource]:
        """Open a CSV/TSV/XLSX/XLS/JSON/JSONL file; raise InputError naming file and problem."""
        ...


class ColumnClassifier(Protocol):
    def classify(
        self, headers: Sequence[str], sample: Sequence[Sequence[str]]
    ) -> list[ColumnLabel]:
        """Label every column from its header (may be "") and a sample of its values."""
        ...


class ValueRules(Protocol):
    def normalize(self, label: str, value: str) -> str | None:
        """Canonical form for the blind index (mobile E.164, ID upper-case, e-mail lower);
        None when blank or not a valid value of that label."""
        ...

    def normaliser(self, label: str) -> Callable[[str], str | None]:
        """`normalize` of one label as a function, for hot loops over non-blank values."""
        ...

    def is_valid(self, label: str, value: str) -> bool:
        """True when a non-blank value passes its label's validation."""
        ...

    def birth_date(self, label: str, value: str) -> dt.date | None:
        """The birth date a value states (birth-date column or valid resident ID)."""
        ...

    def date(self, value: str) -> dt.date | None:
        """A calendar date in any common spelling, or None."""
        ...

    def phone_region(self, value: str) -> str | None:
        """ISO 3166 region of a phone number written with its country code (+CC or 00CC),
        e.g. "DE" for +49; None when the value carries no country code or is no number."""
        ...


class TextScanner(Protocol):
    def scan(self, text: str) -> list[Span]:
        """Spans of personal information inside free text, sorted by start."""
        ...

    def scan_many(self, texts: Sequence[str]) -> list[list[Span]]:
        """`scan` of each text in a batch of hundreds to thousands (faster than one by one)."""
        ...


class Delivery(Protocol):
    """The outcome of one message; `detail` names no address and no content."""

    @property
    def status(self) -> str: ...

    @property
    def detail(self) -> str: ...


class Mailer(Protocol):
    def send(self, to: str, subject: str, body_text: str) -> Delivery:
        """Deliver one plain-text message; never raises for delivery failures."""
        ...


class NoticeWriter(Protocol):
    def __call__(self, rows: Iterable[Mapping[str, object]], out_path: Path, *,
                 columns: Sequence[str] | None = None) -> int:
        """Write notice rows for an SMS gateway; returns the number written."""
        ...


class PackageWriter(Protocol):
    def __call__(self, out_path: Path, *, recipient: str, files: Iterable[tuple[str, bytes]],
                 extra_members: Mapping[str, bytes], summary: Mapping[str, Any],
                 agreement_hash: str, sign: Callable[[bytes], bytes], signer_public_key: str,
                 created_at: str) -> Any:
        """Stream an encrypted, signed handover package; returns its PackageInfo."""
        ...


class PackageReader(Protocol):
    def __call__(self, path: Path, *, identity: str, on_file: Callable[[str, bytes], None],
                 expected_signer_public_key: str | None = None) -> Any:
        """Decrypt and verify a package, handing files to `on_file` before the final check."""
        ...
