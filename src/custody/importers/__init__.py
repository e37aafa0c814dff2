"""Importers: table files (CSV/TSV, XLSX/XLS, JSON/JSONL) read as streaming rows."""

from __future__ import annotations

from custody.importers.reader import FileTableReader

__all__ = ["FileTableReader"]
