"""XLSX/XLS tables through python-calamine: every sheet, one selected by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import python_calamine as calamine

from custody.importers.delimited import HeaderProbe
from custody.importers.header import leading_title_rows
from custody.importers.seam import RowCursor, fail

__all__ = ["SpreadsheetSource", "cell_text"]

_SNIFF_ROWS = 200


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a user would see ("" when blank)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


@contextmanager
def _calamine_errors(path: Path, cursor: RowCursor | None = None) -> Iterator[None]:
    try:
        yield
    except calamine.PasswordError as exc:
        raise fail(path, "the workbook is password-protected") from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError) as exc:
        row = cursor.row + 1 if cursor else None
        raise fail(path, "truncated or corrupt workbook", row) from exc
    except (ValueError, TypeError, OSError) as exc:
        raise fail(path, f"cannot read the workbook ({type(exc).__name__})") from exc


class SpreadsheetSource:
    """One sheet of a workbook; `sheet=None` picks the first non-empty sheet."""

    def __init__(
        self, path: Path, *, sheet: str | None, has_header: bool | None, probe: HeaderProbe
    ) -> None:
        self.path = path
        self.encoding = path.suffix.lower().lstrip(".") or "xlsx"
        with _calamine_errors(path):
            self._book = calamine.CalamineWorkbook.from_path(str(path))
            self._sheet = self._choose(sheet)
            head = self._head()
        if not head:
            raise fail(path, f"sheet {self._sheet.name!r} is empty")
        self.sheet_name = self._sheet.name
        titles = leading_title_rows(head)
        head = head[titles:]
        self.has_header = probe(head[0], head[1:]) if has_header is None else has_header
        width = len(head[0]) if self.has_header else max(len(r) for r in head)
        self.headers = [c.strip() for c in head[0]] if self.has_header else [""] * width
        self._skip = titles + int(self.has_header)  # non-blank rows above the data

    def _choose(self, name: str | None) -> Any:
        names = list(self._book.sheet_names)
        if name is not None:
            if name not in names:
                raise fail(self.path, f"no sheet {name!r} (sheets: {', '.join(names)})")
            return self._book.get_sheet_by_name(name)
        for candidate in names:
            sheet = self._book.get_sheet_by_name(candidate)
            if sheet.height > 0 and any(self._texts(sheet, 1)):
                return sheet
        raise fail(self.path, "every sheet is empty")

    @staticmethod
    def _texts(sheet: Any, limit: int) -> Iterator[list[str]]:
        for count, raw in enumerate(sheet.iter_rows()):
            if count >= limit:
                return
            row = [cell_text(v) for v in raw]
            if any(c.strip() for c in row):
                yield row

    def _head(self) -> list[list[str]]:
        return list(self._texts(self._sheet, _SNIFF_ROWS))

    def size_hint(self) -> int | None:
        """Rows in the sheet's used range, minus the header."""
        return max(0, int(self._sheet.height) - self._skip)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number as in the spreadsheet, cells)."""
        first_row = int(self._sheet.start[0]) if self._sheet.start else 0
        width = len(self.headers)
        cursor = RowCursor()
        to_skip = self._skip
        with _calamine_errors(self.path, cursor):
            for offset, raw in enumerate(self._sheet.iter_rows()):
                cursor.row = first_row + offset + 1
                row = [cell_text(v) for v in raw]
                if not any(c.strip() for c in row):
                    continue
                if to_skip:
                    to_skip -= 1
                    continue
                yield cursor.row, _fit(self.path, row, width, cursor.row)

    def close(self) -> None:
        """Release the workbook."""
        self._book.close()


def _fit(path: Path, row: list[str], width: int, number: int) -> list[str]:
    if len(row) < width:
        return row + [""] * (width - len(row))
    if len(row) > width and any(c.strip() for c in row[width:]):
        raise fail(path, f"{len(row)} cells but the header has {width}", number)
    return row[:width]
