"""JSON (an array of objects) and JSONL (one object per line) tables."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from custody.importers.seam import RowCursor, fail, map_read_errors

__all__ = ["JsonLinesSource", "JsonSource", "json_text"]


def json_text(value: Any) -> str:
    """A JSON value as cell text ("" for null)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _keys_in_order(objects: Iterator[tuple[int, dict[str, Any]]]) -> list[str]:
    seen: dict[str, None] = {}
    for _, obj in objects:
        for key in obj:
            seen.setdefault(key, None)
    return list(seen)


class JsonLinesSource:
    """JSONL: every non-blank line one object; headers are the union of keys."""

    encoding = "jsonl"
    has_header = True

    def __init__(self, path: Path, raw: BinaryIO) -> None:
        self.path = path
        self._raw = raw
        self.headers = _keys_in_order(self._objects())
        if not self.headers:
            raise fail(path, "empty file")
        self.encoding = "jsonl"

    def _objects(self) -> Iterator[tuple[int, dict[str, Any]]]:
        self._raw.seek(0)
        cursor = RowCursor()
        with map_read_errors(self.path, "utf-8", cursor):
            for line in self._raw:
                number = cursor.row + 1
                text = line.decode("utf-8-sig" if number == 1 else "utf-8").strip()
                obj = json.loads(text) if text else None
                cursor.row = number
                if obj is None:
                    continue
                if not isinstance(obj, dict):
                    raise fail(self.path, "a line that is not a JSON object", number)
                yield number, obj

    def size_hint(self) -> int | None:
        """Unknown without reading the whole file."""
        return None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells in header order)."""
        for number, obj in self._objects():
            yield number, [json_text(obj.get(key)) for key in self.headers]


class JsonSource:
    """A JSON document holding an array of objects (loaded whole: JSON cannot stream)."""

    encoding = "json"
    has_header = True

    def __init__(self, path: Path, raw: BinaryIO) -> None:
        self.path = path
        with map_read_errors(path, "utf-8"):
            data = raw.read()
            if not data.strip():
                raise fail(path, "empty file")
            document = json.loads(data.decode("utf-8-sig"))
        if not isinstance(document, list) or not all(isinstance(o, dict) for o in document):
            raise fail(path, "JSON must be an array of objects")
        self._objects: list[dict[str, Any]] = document
        self.headers = _keys_in_order(enumerate(self._objects))
        self.encoding = "json"

    def size_hint(self) -> int | None:
        """Number of objects in the array."""
        return len(self._objects)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(1-based position in the array, cells in header order)."""
        for number, obj in enumerate(self._objects, start=1):
            yield number, [json_text(obj.get(key)) for key in self.headers]
