"""Organisations in résumé and news lines: long company names, offices led by a place,
institutions, armed forces and teams. All names are generated or made up here."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from faker import Faker

Found = Callable[[str], list[tuple[str, str]]]

# Industry words that sit inside company names, verbs among them (投资, 制造, 开发).
INDUSTRIES = [
    "投资发展",
    "精密机械制造",
    "管道工程",
    "农业经济开发",
    "信息产业",
    "首饰",
    "实业投资",
    "回转支承",
    "能源开发",
    "热电",
]
SUFFIXES = ["股份有限公司", "集团有限公司", "有限公司", "集团公司", "总公司"]
RESUME_LINES = [
    "{y}年{m}月任{org}董事、副总裁。",
    "现任{org}总经理兼财务总监。",
    "曾任{org}财务部经理，现任该公司监事。",
    "{y}年至今，任{org}副董事长；",
    "曾先后任{org}工程师、副总工程师。",
]


def _company(fake: Faker, rng: random.Random) -> str:
    return fake.city_name() + fake.company_prefix() + rng.choice(INDUSTRIES) + rng.choice(SUFFIXES)


@pytest.mark.parametrize("line", RESUME_LINES)
def test_long_company_names_on_resume_lines_are_whole(found: Found, line: str) -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(11)
    rng = random.Random(11)
    orgs = [_company(fake, rng) for _ in range(40)]
    hits = sum(
        (org, "ORG") in found(line.format(org=org, y=rng.randint(1990, 2015), m=rng.randint(1, 12)))
        for org in orgs
    )
    assert hits >= 0.85 * len(orgs)


def test_the_company_named_by_itself_on_a_resume_line(found: Found) -> None:
    assert ("本公司", "ORG") in found("2012年4月起，任本公司董事。")
    assert ("公司", "ORG") in found("现任公司党委委员、纪委书记。")
    assert all(label != "ORG" for _, label in found("公司地址在哪里？"))


def test_a_department_after_a_company_is_not_part_of_it(found: Found) -> None:
    assert found("现任江城恒远股份有限公司技术部经理。") == [("江城恒远股份有限公司", "ORG")]


def test_resume_boundary_words_stay_outside(found: Found) -> None:
    assert ("青川市热电厂", "ORG") in found("曾先后任青川市热电厂生技处专业工程师。")


def test_an_office_led_by_a_place_is_an_organisation_not_an_address(found: Found) -> None:
    assert found("北京市政府发布通知。") == [("北京市政府", "ORG")]
    assert ("江城市民政局", "ORG") in found("2006年至2011年，任江城市民政局局长。")


def test_institution_short_names_and_leagues(found: Found) -> None:
    assert ("央行", "ORG") in found("央行宣布下调存款准备金率。")
    assert found("英超联赛本周继续，意甲暂停。") == [("英超联赛", "ORG"), ("意甲", "ORG")]
    assert found("他获得了冠军，指甲很长。") == []


def test_armed_forces(found: Found) -> None:
    assert found("美军和美国海军昨天举行演习。") == [("美军", "ORG"), ("美国海军", "ORG")]
    assert all(label != "ORG" for _, label in found("他是一名军人，将军很欣赏他。"))


def test_teams_next_to_match_cues(found: Found) -> None:
    assert found("红星队vs蓝天队推荐：3") == [("红星队", "ORG"), ("蓝天队", "ORG")]
    assert ("青岛", "ORG") in found("上周主场2比1战胜青岛，士气正旺。")


def test_vs_inside_an_email_address_is_no_match_cue(found: Found) -> None:
    spans = found("客户要求开发票，发到邮箱vshen@example.com")
    assert all(label != "ORG" for _, label in spans)


def test_two_subjects_joined_in_a_society_name(found: Found) -> None:
    assert ("江城市腐蚀与防护学会", "ORG") in found("兼任江城市腐蚀与防护学会理事长；")
    assert ("青川市石油和化工协会", "ORG") in found("任青川市石油和化工协会会长。")


def test_a_trade_union_or_party_committee_of_a_company_is_not_part_of_it(found: Found) -> None:
    spans = found("曾任江城恒远投资发展股份有限公司工会副主席。")
    assert ("江城恒远投资发展股份有限公司", "ORG") in spans


def test_a_date_before_a_university_stays_outside(found: Found) -> None:
    assert ("江城联合大学经济管理学院", "ORG") in found("1989年8月江城联合大学经济管理学院本科毕业")


def test_head_of_an_office_is_not_a_second_office(found: Found) -> None:
    assert ("江城市民政局", "ORG") in found("任江城市民政局局长、党组书记；")


def test_a_suffix_character_opening_a_common_word_is_no_suffix(found: Found) -> None:
    assert found("公司网站显示，这是一个社会问题，所以要处理。") == []


def test_a_latin_abbreviation_in_brackets_belongs_to_the_name(found: Found) -> None:
    spans = found("他们向江城证券交易委员会(JSEC)提交了文件。")
    assert ("江城证券交易委员会(JSEC)", "ORG") in spans


def test_a_brand_and_its_trade(found: Found) -> None:
    assert ("恒远地产", "ORG") in found("“恒远地产”市场部认为，房价趋稳。")
    assert ("乐康医疗", "ORG") in found("现任乐康医疗采购部经理。")


def test_a_newspaper_named_by_its_city_is_no_address(found: Found) -> None:
    spans = found("据江城日报社报道，会谈将于明天举行。")
    assert all(label != "ADDRESS" for _, label in spans)


def test_a_news_dateline_opens_with_the_outlet(found: Found) -> None:
    assert ("江城网", "ORG") in found("江城网9月12日讯，市政府近日发布新规。")
    assert ("恒远房产", "ORG") in found("恒远房产讯（编辑张三）新楼盘开盘。")
    assert all(label != "ORG" for _, label in found("本报讯（记者李四）双色球即将出台新规。"))


def test_banks_by_their_short_names(found: Found) -> None:
    assert found("他上周在邮储和渣打各开了一张卡。") == [("邮储", "ORG"), ("渣打", "ORG")]
    assert ("渣打中国", "ORG") in found("渣打中国昨天发布了新的理财产品。")
    assert ("中国邮储", "ORG") in found("这里有中国邮储的网点。")


def test_bank_short_names_inside_words_are_no_banks(found: Found) -> None:
    assert found("大家集中行动，施工行业也要提交行程。") == []


def test_one_common_word_before_a_suffix_describes_rather_than_names(found: Found) -> None:
    for text in ("国内银行都在降息。", "他去了一家贷款公司上班。", "听说新公司待遇不错。"):
        assert all(label != "ORG" for _, label in found(text)), text
    assert ("市委常委会", "ORG") in found("昨天市委常委会召开会议。")


def test_a_time_word_before_an_organisation_stays_outside(found: Found) -> None:
    assert found("昨天青禾银行召开会议。") == [("青禾银行", "ORG")]
    assert found("去年青禾公司搬了家。") == [("青禾公司", "ORG")]


def test_two_whole_names_joined_by_and_stay_two(found: Found) -> None:
    assert found("毕业于江城理工大学和青川师范学院。") == [
        ("江城理工大学", "ORG"),
        ("青川师范学院", "ORG"),
    ]
    assert ("青川腐蚀及防护学会", "ORG") in found("他是青川腐蚀及防护学会的会员。")


def test_a_kind_word_after_a_whole_name_is_not_part_of_it(found: Found) -> None:
    assert ("江城恒远集团公司", "ORG") in found("江城恒远集团公司组织了一次培训。")
    assert ("江城市经济委员会", "ORG") in found("曾任江城市经济委员会企业科副科长。")


def test_a_team_word_that_opens_a_longer_transliteration_is_taken_whole(found: Found) -> None:
    assert ("塞萨洛尼基斯", "ORG") in found("主队上周击败塞萨洛尼基斯，士气正旺。")


def test_a_suffix_inside_a_longer_word_or_a_direction_is_no_suffix(found: Found) -> None:
    assert all(label != "ORG" for _, label in found("他把银行卡和大学生证都弄丢了。"))
    assert all(label != "ORG" for _, label in found("这座小城位于法国南部，靠近海边。"))


def test_a_venue_is_a_place_unless_its_head_follows(found: Found) -> None:
    assert found("周末我们去江城博物馆举办的展览看了看。") == []
    assert found("据江城博物馆副馆长介绍，展览将延期。") == [("江城博物馆", "ORG")]


def test_a_suffix_character_inside_a_verb_ends_no_organisation(found: Found) -> None:
    assert found("大家在门口排队上网。") == []


def test_a_company_short_name_before_an_officer_title_on_a_resume_line(found: Found) -> None:
    assert found("张伟，男，青禾制药独立董事。") == [("张伟", "PERSON"), ("青禾制药", "ORG")]
    assert ("恒远云帆", "ORG") in found("2008年任恒远云帆总经理。")
    assert found("，李明华总经理说") == [("李明华", "PERSON")]
    assert found("，欧阳明华总经理表示") == [("欧阳明华", "PERSON")]
    assert all(label != "ORG" for _, label in found("他是销售部总经理，另有任用辞去总经理职务。"))
