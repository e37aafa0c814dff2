"""The region of a phone number written with its country code (ValueRules.phone_region)."""

from __future__ import annotations

import pytest

from custody.discovery.rules import RuleValueRules

RULES = RuleValueRules()


@pytest.mark.parametrize(
    ("value", "region"),
    [
        ("+49 151 23456789", "DE"),
        ("0049 151 23456789", "DE"),
        ("＋４９ １５１ ２３４５６７８９", "DE"),
        ("+33 6 12 34 56 78", "FR"),
        ("(+353) 85 123 4567", "IE"),
        ("+47 22 12 34 56", "NO"),
        ("+86 138 0013 8000", "CN"),
        ("+44 7700 900123", "GB"),
    ],
)
def test_numbers_with_a_country_code_name_their_region(value: str, region: str) -> None:
    assert RULES.phone_region(value) == region


@pytest.mark.parametrize(
    "value", ["13800138000", "138-0013-8000", "010-12345678", "(010) 1234 5678", "+", "abc", ""]
)
def test_numbers_without_a_country_code_name_no_region(value: str) -> None:
    # mainland numbers as our users write them: the country is not stated, so not guessed
    assert RULES.phone_region(value) is None
