"""Patterns rewritten for speed match exactly what their plain forms match.

Each fast pattern opens on one character class or on literals, so that the regular
expression engine skips to a candidate at once; the plain form is kept here as the
reference it must agree with on any text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from custody.discovery.text import TextScannerImpl
from custody.discovery.text.address import _HINT_CHARS
from custody.discovery.text.identifiers import _DIGITS

_PLAIN_DIGITS = re.compile(
    r"(?<![0-9A-Za-z])(?:\(\+?86\)[ \-]?|(?:\+|00)86[ \-]?)?\d(?:[ \-]?\d)*[Xx]?(?![0-9])"
)
_PLAIN_ADDRESS_HINT = re.compile(f"[{_HINT_CHARS}]|\\d号")

_DIGIT_TEXTS = st.text(alphabet="0123456789868600+()- Xxa号", max_size=24)
_NOTE_TEXTS = st.text(alphabet="0123456789号路市区街，。 A·阿斯尔特王李周末客户说的Mx", max_size=24)


@settings(max_examples=400)
@given(_DIGIT_TEXTS, st.integers(min_value=0, max_value=3))
def test_digit_runs_are_those_of_the_plain_pattern(text: str, pos: int) -> None:
    fast = [m.span() for m in _DIGITS.finditer(text, pos)]
    assert fast == [m.span() for m in _PLAIN_DIGITS.finditer(text, pos)]


def test_digit_runs_with_country_codes_and_separators() -> None:
    text = "电话(+86)138 1234 5678，或0086-13812345678，卡62220212345678901X号"
    assert [m.group() for m in _DIGITS.finditer(text)] == [
        "(+86)138 1234 5678",
        "0086-13812345678",
        "62220212345678901X",
    ]


@settings(max_examples=300)
@given(_NOTE_TEXTS)
def test_address_gate_is_a_hint_character_or_a_number_before_hao(
    scanner: TextScannerImpl, text: str
) -> None:
    fast = scanner._addresses._hint.search(text) is not None
    assert fast == (_PLAIN_ADDRESS_HINT.search(text) is not None)


@settings(max_examples=300)
@given(_NOTE_TEXTS)
def test_foreign_gate_is_a_capital_a_dot_or_two_transliteration_characters(
    scanner: TextScannerImpl, text: str
) -> None:
    names = scanner._names
    foreign = names._foreign_run.pattern[1 : names._foreign_run.pattern.index("]")]
    plain = re.compile(f"[A-Z·•]|[{foreign}]{{2}}")
    assert (names._foreign_hint.search(text) is not None) == (plain.search(text) is not None)


@settings(max_examples=300)
@given(st.text(alphabet="北京市上海浙江杭州路区镇村3号，。 的在寄到", max_size=24))
def test_address_starts_are_those_of_one_plain_pattern(scanner: TextScannerImpl, text: str) -> None:
    finder = scanner._addresses
    plain = re.compile(
        rf"(?:{finder._place.pattern})|(?:^|(?<=[，,。；;！!？?\s:：、（(）)]))"
        + finder._soon_suffix.pattern
    )
    expected = {m.start() for m in plain.finditer(text)}
    assert set(finder._starts(text)) == expected


def test_address_may_start_at_the_text_start_a_clause_start_or_a_place(
    scanner: TextScannerImpl,
) -> None:
    text = "城关镇幸福村3组，和平路126弄7号，寄到北京市海淀区"
    starts = sorted(set(scanner._addresses._starts(text)))
    assert starts == [0, 9, 19, 21]


def test_a_run_opening_on_a_digit_of_another_script_is_no_identifier(
    scanner: TextScannerImpl,
) -> None:
    assert [m.group() for m in _DIGITS.finditer("账号١3812345678")] == []
    assert scanner.scan_raw("账号١3812345678") == []
