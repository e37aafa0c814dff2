"""FileTableReader: open any supported table file as a streaming TableSource."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import BinaryIO

from custody.importers.delimited import DelimitedSource, HeaderProbe
from custody.importers.header import looks_like_header
from custody.importers.jsondoc import JsonLinesSource, JsonSource
from custody.importers.seam import fail, map_read_errors
from custody.importers.spreadsheet import SpreadsheetSource
from custody.services.ports import TableSource

__all__ = ["FileTableReader", "sniff_format"]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BY_SUFFIX = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "xlsx",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
}


def sniff_format(path: Path, head: bytes) -> str:
    """"xlsx", "xls", "json", "jsonl" or "delimited", from magic bytes then the suffix."""
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE):
        return "xls"
    kind = _BY_SUFFIX.get(path.suffix.lower(), "delimited")
    if kind in ("xlsx", "xls"):
        raise fail(path, "truncated or corrupt workbook (not a spreadsheet file)")
    return kind


class FileTableReader:
    """Implements TableReader for CSV/TSV, XLSX/XLS, JSON and JSONL files."""

    def __init__(self, header_probe: HeaderProbe | None = None) -> None:
        self._probe = header_probe or looks_like_header

    def open(
        self, path: Path, *, sheet: str | None = None, has_header: bool | None = None
    ) -> AbstractContextManager[TableSource]:
        """Open a file; the context closes it. Raises InputError naming file and problem."""
        return self._opened(Path(path), sheet, has_header)

    @contextmanager
    def _opened(
        self, path: Path, sheet: str | None, has_header: bool | None
    ) -> Iterator[TableSource]:
        with map_read_errors(path):
            if not path.is_file():
                raise fail(path, "no such file" if not path.exists() else "not a file")
            raw = path.open("rb")
        try:
            with map_read_errors(path):
                kind = sniff_format(path, raw.read(8))
            raw.seek(0)
            yield self._source(path, raw, kind, sheet, has_header)
        finally:
            raw.close()

    def _source(
        self, path: Path, raw: BinaryIO, kind: str, sheet: str | None, has_header: bool | None
    ) -> TableSource:
        if kind in ("xlsx", "xls"):
            return SpreadsheetSource(path, sheet=sheet, has_header=has_header, probe=self._probe)
        if kind == "json":
            return JsonSource(path, raw)
        if kind == "jsonl":
            return JsonLinesSource(path, raw)
        return DelimitedSource(path, raw, has_header=has_header, probe=self._probe)
