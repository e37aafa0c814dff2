"""Evidence for and against a name: titles, the word after a name, given names that are
common words, transliterated names with a person cue, and claimed spans."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from custody.discovery.text import build_scanner
from custody.discovery.text.identifiers import to_halfwidth_same_length
from custody.discovery.text.names import build_name_finder

Found = Callable[[str], list[tuple[str, str]]]


@pytest.mark.parametrize("text", ["王主任说下周来", "李经理已确认", "请转告赵老师"])
def test_surname_with_a_title_is_a_reference_not_a_name(found: Found, text: str) -> None:
    assert [p for p in found(text) if p[1] == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("今天王晶曾任公司董事", "王晶"), ("张伟曾经来过", "张伟"), ("据刘洋表示，已续费", "刘洋")],
)
def test_a_name_stops_where_the_next_word_starts(found: Found, text: str, name: str) -> None:
    assert (name, "PERSON") in found(text)


def test_a_three_character_name_is_still_whole(found: Found) -> None:
    assert ("王建国", "PERSON") in found("今天王建国曾任公司董事")


@pytest.mark.parametrize("text", ["两国关系比较友好", "双方适宜在周末见面"])
def test_a_given_name_that_is_a_common_word_needs_more_than_a_surname(
    found: Found, text: str
) -> None:
    assert [p for p in found(text) if p[1] == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("教练哈维尔表示很满意", "哈维尔"), ("据福尔德介绍，球队状态很好", "福尔德")],
)
def test_transliterated_name_with_a_person_cue_is_found(found: Found, text: str, name: str) -> None:
    assert (name, "PERSON") in found(text)


@pytest.mark.parametrize("text", ["球队下周前往阿富汗比赛", "航班下午飞往伦敦"])
def test_transliterated_place_without_a_person_cue_is_not_a_name(found: Found, text: str) -> None:
    assert [p for p in found(text) if p[1] == "PERSON"] == []


def test_names_inside_claimed_spans_are_not_proposed() -> None:
    finder = build_name_finder()
    text = "联系人王芳"
    assert finder.find(text, []) == [(3, 5, "PERSON")]
    assert finder.find(text, [(2, 5)]) == []
    assert finder.find(text, [(0, 2)]) == [(3, 5, "PERSON")]


@pytest.mark.parametrize(
    "text", ["家长说，周末有空", "ＡＢＣ１２３，", "　全角空格", "no wide text", "，" * 20]
)
def test_half_width_mapping_keeps_length_and_matches_translate(text: str) -> None:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
    norm = to_halfwidth_same_length(text)
    assert len(norm) == len(text)
    assert norm == text.translate(table)


@pytest.mark.parametrize(
    "text", ["电话(+86)13812345678", "客户手机+86 138 1234 5678，白天打", "联系0086-13812345678"]
)
def test_mobile_with_country_code_after_text_is_whole(text: str) -> None:
    spans = build_scanner().scan_raw(text)
    assert [(text[a:b], label) for a, b, label in spans][-1][0].endswith("5678")
    assert spans[-1][2] == "MOBILE"
    assert text[spans[-1][0]] in "(+0"
