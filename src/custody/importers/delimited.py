"""CSV/TSV tables: encoding and delimiter detection, then lazy rows via the csv module."""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from custody.importers.encoding import detect_encoding, read_sample
from custody.importers.header import leading_title_rows
from custody.importers.seam import RowCursor, fail, map_read_errors

__all__ = ["DelimitedSource", "HeaderProbe", "detect_delimiter"]

HeaderProbe = Callable[[Sequence[str], Sequence[Sequence[str]]], bool]

_DELIMITERS = (",", "\t", ";", "|")
_SNIFF_ROWS = 200
_ESCAPED = re.compile("[\udc80-\udcff]")
csv.field_size_limit(min(sys.maxsize, 1 << 30))


def _sample_records(text: str, delimiter: str, limit: int) -> list[tuple[int, list[str]]]:
    """(record number, cells) of the first non-blank records of a decoded head sample."""
    records: list[tuple[int, list[str]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                records.append((number, row))
            if len(records) >= limit:
                break
    except csv.Error:
        return []
    return records


def _sample_rows(text: str, delimiter: str, limit: int) -> list[list[str]]:
    return [row for _, row in _sample_records(text, delimiter, limit)]


def detect_delimiter(text: str, preferred: str = ",") -> str:
    """The delimiter that splits the sample into the most consistent multi-column rows."""
    best, best_score = preferred, (0, 0)
    for delimiter in _DELIMITERS:
        rows = _sample_rows(text, delimiter, 50)
        widths = [len(r) for r in rows]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        if mode < 2:
            continue
        score = (widths.count(mode) * 100 // len(widths), mode)
        if score > best_score or (score == best_score and delimiter == preferred):
            best, best_score = delimiter, score
    return best


class DelimitedSource:
    """An opened CSV/TSV file; `rows()` streams records, bounded memory."""

    def __init__(
        self, path: Path, raw: BinaryIO, *, has_header: bool | None, probe: HeaderProbe
    ) -> None:
        self.path = path
        self._raw = raw
        with map_read_errors(path):
            sample = read_sample(raw)
        if not sample.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
            raise fail(path, "empty file")
        self.encoding = detect_encoding(path, sample)
        text = self._decode_head(sample)
        preferred = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
        self.delimiter = detect_delimiter(text, preferred)
        records = _sample_records(text, self.delimiter, _SNIFF_ROWS)
        if not records:
            raise fail(path, "empty file")
        titles = leading_title_rows([row for _, row in records])
        first_number, first = records[titles]
        head = [row for _, row in records[titles:]]
        self.has_header = probe(first, head[1:]) if has_header is None else has_header
        width = len(first) if self.has_header else max(len(r) for r in head)
        self.headers = [c.strip() for c in first] if self.has_header else [""] * width
        self.headers[0] = self.headers[0].lstrip("\ufeff")
        self._first_data = first_number + 1 if self.has_header else first_number

    def _decode_head(self, sample: bytes) -> str:
        decoder_text = sample.decode(self.encoding, errors="ignore")
        cut = decoder_text.rfind("\n")
        return decoder_text[: cut + 1] if cut > 0 else decoder_text

    def size_hint(self) -> int | None:
        """Unknown without reading the whole file."""
        return None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(record number as in a spreadsheet, cells), skipping blank records."""
        self._raw.seek(0)
        stream = io.TextIOWrapper(self._raw, encoding=self.encoding, errors="strict", newline="")
        cursor = RowCursor()
        width = len(self.headers)
        yield from self._records(stream, cursor, width)
        stream.detach()

    def row_batches(self, size: int) -> Iterator[list[list[str]]]:
        """The cells `rows()` yields, in lists of up to `size` rows, without record numbers
        (the csv module reads each batch in one C call)."""
        self._raw.seek(0)
        stream = io.TextIOWrapper(self._raw, encoding=self.encoding, errors="strict", newline="")
        cursor = RowCursor()
        width = len(self.headers)
        try:
            with map_read_errors(self.path, self.encoding, cursor, self._undecodable_row):
                reader = self._data_reader(stream, cursor)
                while batch := self._next_batch(reader, size, cursor):
                    first = cursor.row + 1
                    cursor.row += len(batch)
                    if min(map(len, batch)) != width or max(map(len, batch)) != width:
                        batch = self._fitted(batch, width, first)
                    yield batch
        finally:
            stream.detach()

    def _next_batch(
        self, reader: Iterator[list[str]], size: int, cursor: RowCursor
    ) -> list[list[str]]:
        try:
            return list(islice(reader, size))
        except csv.Error:
            cursor.row = self._malformed_row() - 1  # the batch hides which record failed
            raise

    def _data_reader(self, stream: io.TextIOWrapper, cursor: RowCursor) -> Iterator[list[str]]:
        """A csv reader positioned at the first data record."""
        reader = csv.reader(stream, delimiter=self.delimiter)
        for _ in range(self._first_data - 1):
            next(reader, None)
        cursor.row = self._first_data - 1
        return reader

    def _fitted(self, batch: list[list[str]], width: int, first: int) -> list[list[str]]:
        fitted = []
        for number, row in enumerate(batch, start=first):
            cells = row if len(row) == width else _fit(self.path, row, width, number)
            if cells is not None:
                fitted.append(cells)
        return fitted

    def _records(
        self, stream: io.TextIOWrapper, cursor: RowCursor, width: int
    ) -> Iterator[tuple[int, list[str]]]:
        with map_read_errors(self.path, self.encoding, cursor, self._undecodable_row):
            reader = self._data_reader(stream, cursor)
            for row in reader:
                cursor.row += 1
                if len(row) != width:
                    fitted = _fit(self.path, row, width, cursor.row)
                    if fitted is None:
                        continue
                    row = fitted
                yield cursor.row, row

    def _malformed_row(self) -> int:
        """The record the csv module cannot parse (error path only: rescans)."""
        self._raw.seek(0)
        stream = io.TextIOWrapper(
            self._raw, encoding=self.encoding, errors="surrogateescape", newline=""
        )
        parsed = 0
        try:
            for _ in csv.reader(stream, delimiter=self.delimiter):
                parsed += 1
        except csv.Error:
            pass
        finally:
            stream.detach()
        return parsed + 1

    def _undecodable_row(self) -> int | None:
        """The record holding the first undecodable byte (error path only: rescans)."""
        self._raw.seek(0)
        stream = io.TextIOWrapper(
            self._raw, encoding=self.encoding, errors="surrogateescape", newline=""
        )
        try:
            for number, row in enumerate(csv.reader(stream, delimiter=self.delimiter), 1):
                if any(_ESCAPED.search(cell) for cell in row):
                    return number
        except (csv.Error, OSError):
            return None
        finally:
            stream.detach()
        return None


def _fit(path: Path, row: list[str], width: int, number: int) -> list[str] | None:
    if not any(cell.strip() for cell in row):
        return None
    if len(row) < width:
        return row + [""] * (width - len(row))
    if any(cell.strip() for cell in row[width:]):
        raise fail(path, f"{len(row)} cells but the header has {width}", number)
    return row[:width]
