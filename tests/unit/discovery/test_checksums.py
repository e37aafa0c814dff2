"""Check digits and canonical forms (custody.discovery.checksums); issue 3, part 1."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custody.discovery import checksums as c

RNG = random.Random(3)


def make_resident_id(born: dt.date, rng: random.Random, *, valid: bool = True) -> str:
    body = "110101" + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    total = sum(int(d) * w for d, w in zip(body, c._ID_WEIGHTS, strict=True))
    check = c._ID_CHECK[total % 11]
    return body + (check if valid else c._ID_CHECK[(total + 3) % 11])


VALID_ID = make_resident_id(dt.date(1990, 3, 7), RNG)


def test_valid_resident_id_passes_and_states_its_birth_date() -> None:
    assert c.resident_id_valid(VALID_ID)
    assert c.resident_id_birth_date(VALID_ID) == dt.date(1990, 3, 7)


def test_resident_id_with_lower_case_x_is_valid_and_normalised_upper() -> None:
    for _ in range(200):
        rid = make_resident_id(dt.date(2001, 5, 9), RNG)
        if rid.endswith("X"):
            lower = rid[:-1] + "x"
            assert c.resident_id_valid(lower)
            assert c.normalize_resident_id(lower) == rid
            return
    pytest.fail("no X check digit generated")


@pytest.mark.parametrize("region", ["990101", "000000", "720101"])
def test_resident_id_with_a_region_code_no_table_knows_is_still_valid(region: str) -> None:
    body = region + "19900307" + "123"
    total = sum(int(d) * w for d, w in zip(body, c._ID_WEIGHTS, strict=True))
    rid = body + c._ID_CHECK[total % 11]
    assert c.resident_id_valid(rid)
    assert c.normalize_resident_id(rid) == rid
    assert c.resident_id_birth_date(rid) == dt.date(1990, 3, 7)


@pytest.mark.parametrize(
    "value",
    [
        make_resident_id(dt.date(1990, 3, 7), RNG, valid=False),  # wrong check digit
        "468145384019161461",  # an 18-digit member number
        VALID_ID[:17],  # too short
        VALID_ID + "1",
        "",
        "11010119900307123",
        "abcdefghijklmnopqr",
    ],
)
def test_resident_id_look_alikes_are_rejected(value: str) -> None:
    assert not c.resident_id_valid(value)
    assert c.normalize_resident_id(value) is None


def test_resident_id_with_impossible_or_future_birth_date_is_rejected() -> None:
    for born in ("18991231", "21000101"):
        body = "110101" + born + "123"
        check = c._ID_CHECK[sum(int(d) * w for d, w in zip(body, c._ID_WEIGHTS, strict=True)) % 11]
        assert not c.resident_id_valid(body + check)
    body = "11010119900230123"  # 30 February
    check = c._ID_CHECK[sum(int(d) * w for d, w in zip(body, c._ID_WEIGHTS, strict=True)) % 11]
    assert not c.resident_id_valid(body + check)


def test_unknown_county_code_is_not_a_reason_to_reject() -> None:
    body = "119999" + "19900307" + "123"
    check = c._ID_CHECK[sum(int(d) * w for d, w in zip(body, c._ID_WEIGHTS, strict=True)) % 11]
    assert c.resident_id_valid(body + check)


def test_full_width_resident_id_is_normalised() -> None:
    wide = VALID_ID.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    assert c.normalize_resident_id(wide) == VALID_ID


@pytest.mark.parametrize(
    "value",
    ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+8613812345678",
     "008613812345678", "8613812345678", "１３８１２３４５６７８", "(+86) 138-1234-5678"],
)
def test_mobile_spellings_normalise_to_e164(value: str) -> None:
    assert c.normalize_mobile(value) == "+8613812345678"


@pytest.mark.parametrize(
    "value",
    ["12812345678", "1381234567", "138123456789", "021-61953767", "20229693470647", "",
     "SF4874885097888", "abc"],
)
def test_mobile_look_alikes_are_rejected(value: str) -> None:
    assert c.normalize_mobile(value) is None


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       st.sampled_from(["{}", "+86 {}", "0086{}", "{0}-{1}-{2}", "{0} {1} {2}", "wide"]))
def test_mobile_format_variations_normalise_equal_and_idempotent(number: str, style: str) -> None:
    if style == "wide":
        text = number.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    elif "{0}" in style:
        text = style.format(number[:3], number[3:7], number[7:])
    else:
        text = style.format(number)
    normal = c.normalize_mobile(text)
    assert normal == "+86" + number
    assert c.normalize_mobile(normal) == normal


@given(st.from_regex(r"[a-z][a-z0-9]{0,10}@example\.(com|org|net)", fullmatch=True))
def test_email_normalisation_is_idempotent_and_lower_case(address: str) -> None:
    normal = c.normalize_email(address.upper())
    assert normal == address
    assert c.normalize_email(normal) == normal


@pytest.mark.parametrize("value", ["a@b", "a.@example.com", "a..b@example.com", "@example.com",
                                   "ab@-example.com", "张三@example", "13812345678"])
def test_email_look_alikes_are_rejected(value: str) -> None:
    assert c.normalize_email(value) is None


def _luhn_by_the_book(digits: str) -> bool:
    """The Luhn check as usually written: double every second digit from the right."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_luhn_agrees_with_the_check_written_by_the_book(digits: str) -> None:
    assert c.luhn_valid(digits) is _luhn_by_the_book(digits)


def test_luhn_and_bank_cards() -> None:
    assert c.luhn_valid("79927398713")
    assert not c.luhn_valid("79927398710")
    assert not c.luhn_valid("")
    assert c.bank_card_valid("6222 0212 3456 7890 128") is c.luhn_valid("6222021234567890128")
    assert c.bank_card_valid("4111-1111-1111-1111")
    assert not c.bank_card_valid("4111111111111112")  # Luhn fails
    assert not c.bank_card_valid("0111111111111111")  # no issuer starts with 0
    assert not c.bank_card_valid("411111111111")  # too short


def test_uscc_check_character() -> None:
    assert c.uscc_valid("91110000600037341L")
    assert c.uscc_valid("91 110000 600037341L")
    assert not c.uscc_valid("91110000600037341M")
    assert not c.uscc_valid("A1110000600037341L")


@pytest.mark.parametrize("value", ["E12345678", "G25352389", "EA1234567", "C12345678",
                                   "H1234567890", "T12345678", "P1234567"])
def test_chinese_passports_and_permits(value: str) -> None:
    assert c.passport_valid(value)


@pytest.mark.parametrize("value", ["GA1234567", "EI1234567", "E-1234567", "K0123456", "E123"])
def test_passport_look_alikes_are_rejected(value: str) -> None:
    assert not c.passport_valid(value)


def test_foreign_passports_only_when_asked() -> None:
    assert not c.passport_valid("X1234567Z")
    assert c.passport_valid("X1234567Z", foreign=True)


@pytest.mark.parametrize(
    ("value", "normal"),
    [("021-61953767", "+862161953767"), ("(0755)8888-1234", "+8675588881234"),
     ("+86 21 6195 3767", "+862161953767"), ("0571-87654321转123", "+8657187654321"),
     ("010 6552 9988", "+861065529988")],
)
def test_landlines_normalise(value: str, normal: str) -> None:
    assert c.landline_normalize(value) == normal


@pytest.mark.parametrize("value", ["13812345678", "61953767", "2161953767", "abc", ""])
def test_landline_look_alikes_are_rejected(value: str) -> None:
    assert c.landline_normalize(value) is None


def test_the_birth_date_table_holds_every_calendar_day_in_range_and_no_other() -> None:
    day, last = c._EARLIEST_BIRTH, c._LATEST_BIRTH
    expected = set()
    while day <= last:
        expected.add(day.strftime("%Y%m%d"))
        day += dt.timedelta(days=1)
    assert expected == c._BIRTH_DIGITS
