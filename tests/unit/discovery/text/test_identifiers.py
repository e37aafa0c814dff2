"""Identifier recognisers: valid values are found, look-alikes and failed checks are not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Found = Callable[[str], list[tuple[str, str]]]


def test_resident_id_with_valid_checksum_and_birth_date_is_found(found: Found, values: Any) -> None:
    rid = values.resident_id("320102", "19850612", "431")
    assert found(f"身份证{rid}已核验") == [(rid, "RESIDENT_ID")]


def test_resident_id_with_lower_case_x_is_found(found: Found, values: Any) -> None:
    for seq in range(100, 400):
        rid = values.resident_id("440305", "20120229", str(seq))
        if rid.endswith("X"):
            break
    text = f"证件号{rid.lower()}，已登记"
    assert found(text) == [(rid.lower(), "RESIDENT_ID")]


def test_resident_id_with_unknown_county_code_is_still_found(found: Found, values: Any) -> None:
    rid = values.resident_id("329999", "19780101", "007")
    assert found(f"身份证号：{rid}") == [(rid, "RESIDENT_ID")]


def test_resident_id_failing_checksum_is_not_reported(found: Found, values: Any) -> None:
    rid = values.bad_check(values.resident_id("110101", "19900307", "123"))
    assert all(label != "RESIDENT_ID" for _, label in found(f"身份证{rid}"))


def test_resident_id_with_impossible_birth_date_is_not_reported(found: Found, values: Any) -> None:
    rid = values.resident_id("110101", "19900231", "123")
    assert found(f"会员号{rid}") == []


def test_eighteen_digit_member_number_is_not_an_identifier(found: Found) -> None:
    member = "880000" + "12345678" + "9012"
    assert found(f"会员编号{member}请保留") == []


@pytest.mark.parametrize(
    "mobile",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "(+86)13812345678",
        "０１３８１２３４５６７８"[1:],
    ],
)
def test_mobile_in_common_formats_is_found(found: Found, mobile: str) -> None:
    assert found(f"电话{mobile}，白天打") == [(mobile, "MOBILE")]


def test_two_mobiles_side_by_side_are_two_spans(found: Found) -> None:
    assert found("13812345678 15912345678") == [
        ("13812345678", "MOBILE"),
        ("15912345678", "MOBILE"),
    ]


def test_number_that_is_not_a_mobile_prefix_is_not_reported(found: Found) -> None:
    assert found("号码12812345678") == []


def test_order_and_tracking_numbers_are_not_identifiers(found: Found) -> None:
    assert found("订单20828884469342已发货") == []
    assert found("运单号SF1234567890123，请查收") == []
    assert found("取件码 8812") == []


def test_bank_card_with_luhn_and_issuer_prefix_is_found(found: Found, values: Any) -> None:
    card = values.luhn_complete("622202123456789012")
    assert found(f"已退费到卡号{card}，请核对") == [(card, "BANK_CARD")]


def test_bank_card_with_spaces_is_found(found: Found, values: Any) -> None:
    card = values.luhn_complete("622588012345678")
    spaced = " ".join(card[i : i + 4] for i in range(0, 16, 4))
    assert found(f"银行卡 {spaced} 已绑定") == [(spaced, "BANK_CARD")]


def test_bank_card_failing_luhn_is_not_reported(found: Found, values: Any) -> None:
    card = values.bad_check(values.luhn_complete("622202123456789012"))
    assert found(f"卡号{card}") == []


def test_luhn_valid_number_without_card_context_or_issuer_is_not_a_card(
    found: Found, values: Any
) -> None:
    number = values.luhn_complete("100000000000123")
    assert found(f"流水{number}") == []


def test_email_is_found_without_the_words_before_it(found: Found) -> None:
    assert found("发到邮箱zhang.wei@example.com谢谢") == [("zhang.wei@example.com", "EMAIL")]


def test_qq_mail_is_one_email_not_an_im_id(found: Found) -> None:
    assert found("QQ邮箱 12345678@qq.com") == [("12345678@qq.com", "EMAIL")]


def test_wechat_and_qq_ids_in_context_are_im(found: Found) -> None:
    assert found("微信: zhang_wei88，QQ 12345678") == [("zhang_wei88", "IM"), ("12345678", "IM")]


def test_landline_with_area_code_is_found(found: Found) -> None:
    assert found("座机021-61953767转总机") == [("021-61953767", "LANDLINE")]


def test_passport_needs_its_cue_word(found: Found) -> None:
    assert found("护照号码E12345678") == [("E12345678", "PASSPORT")]
    assert found("型号E12345678") == []


def test_uscc_with_valid_check_character_is_found(found: Found) -> None:
    assert found("统一社会信用代码91350100M000100Y43") == [("91350100M000100Y43", "USCC")]
    assert found("代码91350100M000100Y44") == []


def test_bank_account_needs_account_context(found: Found) -> None:
    assert found("对公账户 1234 5678 9012 3") == [("1234 5678 9012 3", "BANK_ACCOUNT")]


def test_dates_and_amounts_are_not_identifiers(found: Found) -> None:
    assert found("2026-11-22 付款 12800.00 元，共 3 次") == []
