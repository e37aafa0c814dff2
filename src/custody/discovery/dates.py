"""Parse the date spellings found in customer spreadsheets."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

__all__ = ["parse_date"]

_DATE_RE = re.compile(
    r"\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月?)|(\d{2})(\d{2}))"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*"
)
_EARLIEST = 1900
_LATEST = 2100


@lru_cache(maxsize=65536)
def parse_date(value: str) -> dt.date | None:
    """2024-03-07, 2024/3/7, 2024.03.07, 2024年3月7日, 20240307 (optionally with a time);
    a month alone (2024-03, 2024年3月) is read as its first day."""
    match = _DATE_RE.fullmatch(value)
    if match is None:
        return None
    year = int(match.group(1))
    month = int(match.group(2) or match.group(4))
    day = int(match.group(3) or match.group(5) or 1)  # "2015-03", "2015年3月": the 1st
    if not _EARLIEST <= year <= _LATEST:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
