"""A school grade as evidence of age, for customers whose birth date is unknown.

China's school-entry rule: a child enters grade 1 in the September after turning 6 (by
31 August). A pupil on time in school year `g` during the school year that began on
1 September of year Y was therefore born no earlier than 1 September of Y - g - 6. A
record that states a grade on a date thus bounds the pupil's age on any later day; when
even the oldest on-time pupil of that grade is under 14 on the day, the customer is
presumed a minor (taxonomy.md, Minors). A stated birth date always wins over a grade.

School years: 0 kindergarten/pre-school, 1-6 primary, 7-9 junior middle (初一-初三 or
七-九年级), 10-12 senior middle (高一-高三). University years are not school grades here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from custody.domain.customers import is_minor

__all__ = ["GRADE_LABEL", "earliest_birth", "minor_by_grade", "minor_by_latest_grade",
           "school_year"]

# The taxonomy label of a school grade column.
GRADE_LABEL = "education.grade"

_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {
    c: i for i, c in enumerate("０１２３４５６７８９")
}
_N = r"([0-9０-９一二三四五六七八九十]{1,2})"
_NOT_SCHOOL = re.compile(r"大学|本科|专科|研究生|大[一二三四五]|研[一二三]")
_PATTERNS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"幼儿园|学前"), -1),
    (re.compile(rf"初中{_N}年级|初{_N}(?![0-9])"), 6),
    (re.compile(rf"高中{_N}年级|高{_N}(?![0-9])"), 9),
    (re.compile(rf"(?:小学|小)?{_N}年级|小学?{_N}(?![0-9])"), 0),
    (re.compile(rf"grade{_N}(?![0-9])", re.IGNORECASE), 0),
)


def _number(text: str) -> int | None:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _DIGITS.get(text[1], -100)
    if len(text) == 2 and text[1] == "十":  # never a school grade
        return None
    value = 0
    for c in text:
        value = value * 10 + (int(c) if c.isascii() else _DIGITS[c])
    return value


def school_year(grade: str) -> int | None:
    """The school year a grade cell names (0 kindergarten, 1-12), or None if it names none.

    "三年级", "小三", "3年级2班" -> 3; "初一", "七年级", "初中一年级" -> 7; "高二" -> 11."""
    text = "".join(grade.split())
    if _NOT_SCHOOL.search(text):
        return None
    for pattern, offset in _PATTERNS:
        m = pattern.search(text)
        if m is None:
            continue
        if offset == -1:
            return 0
        n = _number(next(g for g in m.groups() if g))
        if n is None:
            return None
        year = n + offset
        return year if 1 <= year <= 12 and (offset == 0 or n <= 3) else None
    return None


def earliest_birth(year: int, on: dt.date) -> dt.date:
    """The earliest birth date of a pupil on time in school `year` on the day `on`."""
    started = on.year if on.month >= 9 else on.year - 1
    return dt.date(started - year - 6, 9, 1)


def minor_by_grade(grade: str, stated_on: dt.date, day: dt.date) -> bool | None:
    """Whether a pupil in `grade` on `stated_on` is presumed under 14 on `day`; None when
    the text names no school grade."""
    year = school_year(grade)
    if year is None:
        return None
    return is_minor(earliest_birth(year, stated_on), day)


def minor_by_latest_grade(grades: Iterable[tuple[dt.date, str]], day: dt.date) -> bool | None:
    """Presumed under 14 on `day` by the latest-dated (stated on, grade) pair that names a
    school year; None when none does."""
    for stated_on, grade in sorted(grades, key=lambda sg: sg[0], reverse=True):
        minor = minor_by_grade(grade, stated_on, day)
        if minor is not None:
            return minor
    return None
