"""Decide whether the first row of a table is a header (labels) or data (values)."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["leading_title_rows", "looks_like_header", "value_like"]

_DIGITS = re.compile(r"[0-9０-９]")
_EMAIL = re.compile(r"\S+@\S+\.\S+")
_MAX_LABEL = 24
_TITLE = re.compile(
    r"名单|名册|清单|列表|信息表|登记表|统计|汇总|报表|台账|明细|导出|表$|list|report|export|sheet",
    re.IGNORECASE,
)


def value_like(cell: str) -> bool | None:
    """True when a cell looks like a data value, False like a label, None when blank."""
    text = cell.strip()
    if not text:
        return None
    if len(text) > _MAX_LABEL or _EMAIL.search(text):
        return True
    return len(_DIGITS.findall(text)) >= 3


def _column_is_value_like(column: Sequence[str]) -> bool:
    verdicts = [v for v in map(value_like, column) if v is not None]
    return bool(verdicts) and sum(verdicts) * 2 > len(verdicts)


def looks_like_header(first: Sequence[str], following: Sequence[Sequence[str]]) -> bool:
    """Header when the first row's cells look like labels where the columns hold values.

    Votes per column: a label-like first cell over a value-like column says header; a
    value-like first cell says data. Without evidence either way, a first row with
    blank or repeated cells is data, else a header.
    """
    header_votes = data_votes = 0
    for index, cell in enumerate(first):
        verdict = value_like(cell)
        if verdict is None:
            continue
        if verdict:
            data_votes += 1
            continue
        column = [row[index] for row in following if index < len(row)]
        if _column_is_value_like(column):
            header_votes += 1
    if header_votes or data_votes:
        return header_votes > data_votes
    cells = [c.strip() for c in first]
    return all(cells) and len(set(cells)) == len(cells)


def _filled(row: Sequence[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def _is_title(row: Sequence[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    return len(cells) == 1 and _TITLE.search(cells[0]) is not None


def leading_title_rows(rows: Sequence[Sequence[str]]) -> int:
    """Rows above the table holding a single title cell ("2024年学员名单", "客户信息表")."""
    count = 0
    while count < min(5, len(rows) - 1) and _is_title(rows[count]):
        if max(_filled(r) for r in rows[count + 1 : count + 4]) < 3:
            break
        count += 1
    return count
