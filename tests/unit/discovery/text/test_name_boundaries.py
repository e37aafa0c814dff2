"""Where a name starts and ends: time words, words a name would cut, given-name
characters, and full names joined by a middle dot. The people here are made up."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Found = Callable[[str], list[tuple[str, str]]]


def persons(found: Found, text: str) -> list[str]:
    return [covered for covered, label in found(text) if label == "PERSON"]


@pytest.mark.parametrize("text", ["公司周中开会", "季初销量下滑", "周中比赛较多", "季末冲刺"])
def test_parts_of_a_week_or_season_are_time_words_not_names(found: Found, text: str) -> None:
    assert persons(found, text) == []


@pytest.mark.parametrize("given", ["瑞", "安", "德", "华"])
def test_a_name_does_not_end_inside_a_longer_common_word(found: Found, given: str) -> None:
    assert persons(found, f"参观了王{given}博物馆") == [f"王{given}"]


def test_quan_is_a_given_name_character(found: Found) -> None:
    assert persons(found, "联系人：曾荫权") == ["曾荫权"]
    assert persons(found, "员工李权说明天到") == ["李权"]


@pytest.mark.parametrize(
    "text", ["股权转让已完成", "业主有权查看", "客户要求维权，电话联系", "董事会全权负责"]
)
def test_words_ending_in_quan_are_not_names(found: Found, text: str) -> None:
    assert persons(found, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("泰国总理颂猜·翁沙瓦表示将访华", "颂猜·翁沙瓦"),
        ("主演凯文·科斯特纳出席首映", "凯文·科斯特纳"),
        ("藏族诗人央金·次仁的新作", "央金·次仁"),
        ("歌手阿依·古丽的新歌", "阿依·古丽"),
    ],
)
def test_a_full_name_joined_by_a_middle_dot_is_one_name(found: Found, text: str, name: str) -> None:
    assert persons(found, text) == [name]


@pytest.mark.parametrize("text", ["中国·杭州国际论坛", "北京·朝阳区"])
def test_places_joined_by_a_middle_dot_are_not_names(found: Found, text: str) -> None:
    assert all("·" not in covered for covered in persons(found, text))
