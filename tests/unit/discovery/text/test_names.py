"""Personal names in generated sentences; common words that start with a surname are not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from faker import Faker

Found = Callable[[str], list[tuple[str, str]]]

TEMPLATES = [
    "{}的备用号码是13812345678，白天打",
    "家长{}说孩子周末有空",
    "客户{}要求开发票",
    "订单已发货，联系{}",
    "经办人{}已确认",
    "今天{}来上课了",
    "收件人：{}，电话13900001111",
    "{}表示下周续费",
    "客户要求退款，开户人{}",
    "快递到了，通知{}来取",
    "{}（家长）反映作业太多",
    "合同已寄出，对接人{}，邮箱li@example.com",
    "家长：{}，手机：13800001111",
    "联系方式 13800001111（{}）",
    "客户{}身份证110101199003071237",
]


@pytest.mark.parametrize("template", TEMPLATES)
def test_generated_names_in_note_sentences_are_found(found: Found, template: str) -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(7)
    hits = 0
    names = [fake.name() for _ in range(60)]
    for name in names:
        if (name, "PERSON") in found(template.format(name)):
            hits += 1
    # A given name can swallow the next character ("王利来上课"): allow a few of those.
    assert hits >= 0.9 * len(names)


@pytest.mark.parametrize(
    "text",
    [
        "周末上课",
        "已退费到卡号，请核对",
        "对课程很感兴趣",
        "学习态度认真",
        "白天打电话",
        "需要加强练习",
        "客户满意",
        "高兴地说",
        "方便的时候回电",
        "谢谢",
    ],
)
def test_common_words_starting_with_a_surname_are_not_names(found: Found, text: str) -> None:
    assert [label for _, label in found(text)] == []


def test_compound_surname_is_kept_whole(found: Found) -> None:
    assert ("欧阳娜娜", "PERSON") in found("联系人欧阳娜娜，电话13812345678")


def test_title_after_a_surname_is_not_a_given_name(found: Found) -> None:
    assert all(label != "PERSON" for _, label in found("张总说下周再谈"))


def test_surname_after_a_word_ending_like_a_compound_is_still_found(found: Found) -> None:
    # Regression (issue 3): "家长孙倩" was read as the compound surname 长孙.
    assert ("孙倩", "PERSON") in found("家长孙倩说孩子周末有空")


def test_dotted_foreign_name_is_one_span(found: Found) -> None:
    assert ("哈维尔·巴尔顿", "PERSON") in found("影星哈维尔·巴尔顿在颁奖礼上说")


def test_cues_with_full_width_punctuation_still_count(found: Found) -> None:
    # Regression (issue 3): text is matched in half-width form, so "，男" became ",男".
    assert found("车立成，男，1971年出生，高级经济师") == [("车立成", "PERSON")]


def test_given_name_with_a_rare_character_is_found(found: Found) -> None:
    # Regression (issue 3): characters never seen in the name statistics were skipped.
    assert ("张彧", "PERSON") in found("联系人张彧，电话13812345678")


def test_a_verb_after_a_name_is_not_its_last_character(found: Found) -> None:
    assert ("张明", "PERSON") in found("快递到了，通知张明来取")
    assert ("许成", "PERSON") in found("快递到了，通知许成来取")
    assert ("王军", "PERSON") in found("给王军寄了教材")


def test_a_rare_dictionary_word_does_not_hide_a_name_in_context(found: Found) -> None:
    # 高军 and 许成 are rare words in jieba's dictionary (frequency 5 or less)
    assert found("高军的备用号码是13305085933，白天打")[0] == ("高军", "PERSON")
    assert ("许成", "PERSON") in found("通知许成来取")


def test_a_cue_word_after_a_name_ends_it(found: Found) -> None:
    assert ("邹丽丽", "PERSON") in found("邹丽丽阿姨来接孩子")  # 丽丽 + 阿 is no transliteration
    assert ("赵想", "PERSON") in found("备注：赵想要求发票寄到公司")  # 要求, not 想要
    assert ("崔飞", "PERSON") in found("客户崔飞身份证110101199003071237")


def test_names_joined_by_and_are_both_found(found: Found) -> None:
    assert {("邱平", "PERSON"), ("周秀芳", "PERSON")} <= set(found("今天邱平和周秀芳一起来的"))


def test_a_famous_name_is_a_customers_name_too(found: Found) -> None:
    # 李娜 and 赵云 are frequent `nr` words in jieba's dictionary (famous people)
    assert ("李娜", "PERSON") in found("由李娜负责跟进")
    assert ("赵云", "PERSON") in found("今天赵云和萧琴一起来的")


def test_a_transliterated_name_in_sports_news(found: Found) -> None:
    assert ("阿尔巴罗", "PERSON") in found("本场比赛主力中卫阿尔巴罗缺阵")  # a position
    assert ("阿尔巴罗", "PERSON") in found("球队请来的教练老阿尔巴罗上任")  # title, 老
    assert ("阿尔巴罗", "PERSON") in found("连阿尔巴罗都说这场比赛很难打")  # 都说
    assert ("阿尔巴罗", "PERSON") not in found("连阿尔巴罗都去了")  # no cue: a place, maybe
