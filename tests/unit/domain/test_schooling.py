"""A school grade bounds a pupil's age when no birth date is known (issue 4, minors)."""

from __future__ import annotations

import datetime as dt

import pytest

from custody.domain.schooling import earliest_birth, minor_by_grade, school_year

DAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("cell", "year"),
    [
        ("一年级", 1), ("三年级", 3), ("小三", 3), ("小学六年级", 6), ("3年级2班", 3),
        ("５年级", 5), ("初一", 7), ("初中二年级", 8), ("七年级", 7), ("九年级", 9),
        ("高一", 10), ("高中三年级", 12), ("幼儿园大班", 0), ("Grade 4", 4),
    ],
)
def test_grade_spellings_name_their_school_year(cell: str, year: int) -> None:
    assert school_year(cell) == year


@pytest.mark.parametrize("cell", ["", "大一", "大学一年级", "研二", "小班", "初中", "VIP", "二十"])
def test_text_that_names_no_school_grade_gives_none(cell: str) -> None:
    assert school_year(cell) is None
    assert minor_by_grade(cell, DAY, DAY) is None


def test_school_year_starts_on_the_first_of_september() -> None:
    assert earliest_birth(1, dt.date(2026, 8, 31)) == dt.date(2018, 9, 1)
    assert earliest_birth(1, dt.date(2026, 9, 1)) == dt.date(2019, 9, 1)


def test_first_junior_year_is_under_14_but_second_is_not() -> None:
    assert minor_by_grade("初一", DAY, DAY) is True
    assert minor_by_grade("五年级", DAY, DAY) is True
    assert minor_by_grade("初二", DAY, DAY) is False
    assert minor_by_grade("高一", DAY, DAY) is False


def test_a_grade_stated_years_ago_ages_with_the_pupil() -> None:
    assert minor_by_grade("五年级", dt.date(2025, 10, 1), DAY) is True
    assert minor_by_grade("五年级", dt.date(2022, 10, 1), DAY) is False
