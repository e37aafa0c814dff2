"""Field sealing: round trips, and ciphertexts bound to their vault, customer and field."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custody.crypto.envelope import FieldCipher, new_key, unwrap_key, wrap_key
from custody.crypto.record_pack import pack_fields, unpack_fields
from custody.errors import VerificationError

KEY = new_key()


def cipher(customer: str = "c1", vault: str = "v1", generation: int = 1) -> FieldCipher:
    return FieldCipher(KEY, vault_id=vault, customer_id=customer, key_version=generation)


@given(st.text(max_size=200), st.text(min_size=1, max_size=40))
def test_sealed_value_opens_to_the_same_text(value: str, field: str) -> None:
    assert cipher().open(field, cipher().seal(field, value)) == value


def test_ciphertext_moved_to_another_customer_fails() -> None:
    blob = cipher("c1").seal("ds/r/3/contact.mobile", "13812345678")
    with pytest.raises(VerificationError):
        cipher("c2").open("ds/r/3/contact.mobile", blob)


def test_ciphertext_moved_to_another_field_fails() -> None:
    blob = cipher().seal("ds/r/3/contact.mobile", "13812345678")
    with pytest.raises(VerificationError):
        cipher().open("ds/r/4/contact.mobile", blob)


def test_ciphertext_under_another_vault_or_key_version_fails() -> None:
    blob = cipher().seal("f", "x")
    with pytest.raises(VerificationError):
        cipher(vault="v2").open("f", blob)
    with pytest.raises(VerificationError):
        cipher(generation=2).open("f", blob)


def test_flipped_bit_fails() -> None:
    blob = bytearray(cipher().seal("f", "13812345678"))
    blob[-1] ^= 1
    with pytest.raises(VerificationError):
        cipher().open("f", bytes(blob))


def test_wrapped_key_is_bound_to_its_slot() -> None:
    kek, key = new_key(), new_key()
    wrapped = wrap_key(kek, key, "data-key:v:c1")
    assert unwrap_key(kek, wrapped, "data-key:v:c1") == key
    with pytest.raises(VerificationError):
        unwrap_key(kek, wrapped, "data-key:v:c2")


@given(st.lists(st.tuples(st.integers(0, 65535), st.sampled_from(["person.name", "other"]),
                          st.binary(max_size=64)), max_size=20))
def test_record_framing_round_trips(fields: list[tuple[int, str, bytes]]) -> None:
    assert unpack_fields(pack_fields(fields)) == fields


def test_truncated_record_is_refused() -> None:
    data = pack_fields([(1, "person.name", b"x" * 30)])
    with pytest.raises(VerificationError):
        unpack_fields(data[:-5])
