"""Value recognisers: valid values, invalid ones and look-alikes (issue 3, part 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from custody.discovery.dates import parse_date
from custody.discovery.recognisers import RECOGNISERS
from custody.discovery.rules import RuleValueRules

CASES = {
    "mobile": (["13812345678", "+86 138 1234 5678", "１３８１２３４５６７８"],
               ["12812345678", "20229693470647", "021-61953767"]),
    "landline": (["021-61953767", "0755-6805783", "(010)65529988"],
                 ["13812345678", "7-3-4988", "61953767"]),
    "email": (["weidong@example.org", "Zhang.Wei@Example.COM"],
              ["weidong@", "zhang wei@example.com", "@example.com"]),
    "bank_card": (["4111111111111111", "6222 0212 3456 7890 128"],
                  ["4111111111111112", "468145384019161461", "SF4874885097888"]),
    "uscc": (["91110000600037341L"], ["91110000600037341M", "91510107DWA5A3AGL"]),
    "passport": (["E12345678", "EA1234567", "C12345678"], ["12345678", "GA1234567", "张伟"]),
    "date": (["2024-03-07", "2024/3/7", "2024年3月7日", "20240307"],
             ["2024-13-01", "7-3-4988", "468145384019161461", "100.50"]),
    "amount": (["4606.15", "¥1,234.50", "800元", "3000"], ["2024-03-07", "abc", "1.2.3"]),
    "decimal": (["4606.15", "￥99.9"], ["3000", "2024-03-07"]),
    "gender": (["男", "女", "F", "male", "女士"], ["男孩子们", "13812345678"]),
    "name": (["张伟", "欧阳娜娜", "Zhang Wei"], ["少儿英语", "北京市朝阳区", "的确良"]),
    "org": (["数字100科技有限公司", "城南工作室"], ["张伟", "第一中学", "少儿英语"]),
    "school": (["杭州外国语学校", "城南实验小学", "Riverside School"], ["科技有限公司", "三年级"]),
    "grade": (["三年级", "初二", "高一(3)班", "Grade 5"], ["三年级的学生很多", "张伟"]),
    "address": (["江苏省南京市玄武区中山路8号3栋", "北京市朝阳区建国路8号"],
                ["张伟", "少儿英语", "北京"]),
    "level": (["金卡", "VIP", "LV3", "普通会员"], ["张伟", "少儿英语"]),
    "id_shape": (["11010119900307123X", "468145384019161461"], ["1101011990030712", "abc"]),
    "code": (["SF4874885097888", "7-3-4988", "ZTO8042424973028"], ["张伟", "abc"]),
    "wechat": (["wxid_abc12345", "微信:zhang_123"], ["zhangwei", "13812345678"]),
    "job": (["销售经理", "电子工程师/技术员", "Sales Manager"], ["少儿英语", "张伟"]),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_recogniser_accepts_valid_and_rejects_look_alikes(kind: str) -> None:
    recognise = RECOGNISERS[kind]
    valid, invalid = CASES[kind]
    assert [v for v in valid if not recognise(v)] == []
    assert [v for v in invalid if recognise(v)] == []


def test_resident_id_recogniser_rejects_member_numbers_and_bad_checks() -> None:
    recognise = RECOGNISERS["resident_id"]
    assert recognise("11010119900307124" + "1")
    assert not recognise("468145384019161461")
    assert not recognise("11010119900307124" + "2")


def test_parse_date_spellings() -> None:
    assert parse_date("2015-03") == dt.date(2015, 3, 1)
    assert parse_date("2024-03-07 10:30:00") == dt.date(2024, 3, 7)
    assert parse_date("1899-12-31") is None


def test_value_rules_normalise_validate_and_state_birth_dates() -> None:
    rules = RuleValueRules()
    assert rules.normalize("contact.mobile", "138-1234-5678") == "+8613812345678"
    assert rules.normalize("contact.email", " A@Example.com ") == "a@example.com"
    assert rules.normalize("identity.resident_id", "110101199003071241") == "110101199003071241"
    assert rules.normalize("person.name", "  张  伟 ") == "张 伟"
    assert rules.normalize("contact.mobile", "  ") is None
    assert rules.is_valid("financial.bank_card", "4111111111111111")
    assert not rules.is_valid("org.uscc", "91110000600037341M")
    assert rules.is_valid("transaction.item", "少儿英语")
    assert not rules.is_valid("contact.mobile", "")
    assert rules.birth_date("identity.resident_id", "110101199003071241") == dt.date(1990, 3, 7)
    assert rules.birth_date("person.birth_date", "2015/3/7") == dt.date(2015, 3, 7)
    assert rules.birth_date("contact.mobile", "13812345678") is None
