"""Blind index tokens: stable per key, different across keys and labels."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from custody.crypto.blind_index import BlindIndexer


@given(st.text(min_size=1, max_size=40))
def test_token_is_stable_and_keyed(value: str) -> None:
    a, b = BlindIndexer(b"k" * 32), BlindIndexer(b"j" * 32)
    assert a.token("contact.mobile", value) == a.token("contact.mobile", value)
    assert a.token("contact.mobile", value) != b.token("contact.mobile", value)
    assert a.token("contact.mobile", value) != a.token("contact.email", value)


def test_token_does_not_contain_the_value() -> None:
    token = BlindIndexer(b"k" * 32).token("contact.mobile", "+8613812345678")
    assert "13812345678" not in token and len(token) == 32
