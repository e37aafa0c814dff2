"""Names in news lines: titles before a name, dotted foreign names, and the fragments of
place names and common words that are not names. The people here are made up."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from faker import Faker

Found = Callable[[str], list[tuple[str, str]]]

TITLES = ["总工程师", "副局长", "主教练", "发言人", "分析师", "制片人", "首席执行官"]


@pytest.mark.parametrize("title", TITLES)
def test_a_name_after_a_job_title_is_found(found: Found, title: str) -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(3)
    names = [fake.name() for _ in range(40)]
    hits = sum((n, "PERSON") in found(f"研究开发中心{title}{n}表示，行业回暖。") for n in names)
    assert hits >= 0.85 * len(names)


def test_a_place_before_the_title_does_not_swallow_the_name(found: Found) -> None:
    spans = found("中山市红木家具研究开发中心总工程师黄立新表示，行业回暖。")
    assert ("黄立新", "PERSON") in spans
    assert all(label != "ADDRESS" for _, label in spans)


def test_dotted_foreign_name_is_whole_before_any_word(found: Found) -> None:
    assert ("维克多·巴尔顿", "PERSON") in found("维克多·巴尔顿日前表示将复出。")


def test_a_surname_inside_a_place_name_starts_no_name(found: Found) -> None:
    assert found("会议在乌鲁木齐、深圳两地举行。") == []


def test_frequent_words_jieba_tags_as_names_are_not_names(found: Found) -> None:
    assert found("我们荣幸地邀请各位来宾。") == []


@pytest.mark.parametrize("sep", ["，", "：", ","])
def test_a_name_heading_a_resume_line_before_its_sex(found: Found, sep: str) -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(9)
    names = [fake.name() for _ in range(40)]
    hits = sum((n, "PERSON") in found(f"{n}{sep}男，汉族，大学本科学历。") for n in names)
    assert hits >= 0.95 * len(names)


def test_an_honorific_after_a_heading_name_stays_outside(found: Found) -> None:
    assert ("骆飞", "PERSON") in found("骆飞先生：男，中国国籍，无境外居留权。")


def test_a_field_label_before_the_sex_is_not_a_name(found: Found) -> None:
    assert all(label != "PERSON" for _, label in found("性别：男，民族：汉"))


def test_places_and_buildings_jieba_tags_as_names_are_not_names(found: Found) -> None:
    for text in ("我们周末去了黄鹤楼。", "那座玉虚宫很古老。", "游客在金水桥边拍照。"):
        assert all(label != "PERSON" for _, label in found(text)), text
    assert ("孙中山", "PERSON") in found("孙中山先生说过这句话。")


def test_given_names_with_chang_are_names(found: Found) -> None:
    assert ("何长庚", "PERSON") in found("常委何长庚视察工作。")
    assert found("孩子成长很快，经济增长放缓。") == []


def test_a_rare_character_never_seen_in_a_name_does_not_rule_a_name_out(found: Found) -> None:
    assert ("孔鹬", "PERSON") in found("干部孔鹬表示，将加强检查。")
