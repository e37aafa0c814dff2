from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from custody.domain.transfer.agreement import Agreement
from custody.domain.transfer.envelope import (
    SignedAgreement,
    check_envelope,
    countersign,
    envelope_bytes,
    envelope_to_dict,
    parse_envelope,
    require_valid_envelope,
    sign_agreement,
)
from custody.errors import InputError, VerificationError


def _signed(keys: Any, agreement: Agreement) -> SignedAgreement:
    env = sign_agreement(agreement, public_key="seller-pk", sign=keys.signer("seller-pk"))
    return countersign(env, public_key="buyer-pk", sign=keys.signer("buyer-pk"))


def test_signed_and_countersigned_envelope_verifies_after_a_file_round_trip(
    keys: Any, agreement_factory: Callable[..., Agreement]
) -> None:
    env = parse_envelope(envelope_bytes(_signed(keys, agreement_factory())))
    result = check_envelope(env, verify=keys.verify, seller_public_key="seller-pk")
    assert result.ok and result.seller_valid and result.buyer_valid
    sigs = envelope_to_dict(env)["signatures"]
    assert isinstance(sigs, dict) and set(sigs) == {"seller", "buyer"}


def test_seller_only_envelope_passes_when_buyer_not_required(
    keys: Any, agreement_factory: Callable[..., Agreement]
) -> None:
    env = sign_agreement(agreement_factory(), public_key="seller-pk", sign=keys.signer("seller-pk"))
    assert check_envelope(env, verify=keys.verify, require_buyer=False).ok
    assert not check_envelope(env, verify=keys.verify).ok


def test_altered_agreement_fails_both_signatures(
    keys: Any, agreement_factory: Callable[..., Agreement]
) -> None:
    env = _signed(keys, agreement_factory())
    doc = json.loads(envelope_bytes(env))
    doc["agreement"]["scope"]["customer_count"] = 9999
    result = check_envelope(parse_envelope(json.dumps(doc)), verify=keys.verify)
    assert not result.ok
    assert not result.seller_valid and not result.buyer_valid
    with pytest.raises(VerificationError):
        require_valid_envelope(parse_envelope(json.dumps(doc)), verify=keys.verify)


def test_buyer_must_sign_with_the_key_the_agreement_names(
    keys: Any, agreement_factory: Callable[..., Agreement]
) -> None:
    env = sign_agreement(agreement_factory(), public_key="seller-pk", sign=keys.signer("seller-pk"))
    with pytest.raises(VerificationError):
        countersign(env, public_key="other-pk", sign=keys.signer("other-pk"))
    forged = replace(
        _signed(keys, agreement_factory()),
        buyer=countersign(env, public_key="buyer-pk", sign=keys.signer("other-pk")).buyer,
    )
    assert "buyer signature does not verify" in check_envelope(forged, verify=keys.verify).problems


def test_unexpected_seller_key_is_reported(
    keys: Any, agreement_factory: Callable[..., Agreement]
) -> None:
    env = _signed(keys, agreement_factory())
    assert not check_envelope(env, verify=keys.verify, seller_public_key="other-pk").ok


def test_countersigning_an_unsigned_agreement_is_refused(
    keys: Any, agreement_factory: Callable[..., Agreement]
) -> None:
    with pytest.raises(VerificationError):
        countersign(
            SignedAgreement(agreement_factory()),
            public_key="buyer-pk",
            sign=keys.signer("buyer-pk"),
        )


@pytest.mark.parametrize(
    "document",
    [
        b"not json",
        "[]",
        '{"agreement": {}, "signatures": {}}',
    ],
)
def test_malformed_envelopes_are_input_errors(document: str | bytes) -> None:
    with pytest.raises(InputError):
        parse_envelope(document)


def test_bad_base64_and_unknown_roles_are_input_errors(
    keys: Any, agreement_factory: Callable[..., Agreement]
) -> None:
    doc = json.loads(envelope_bytes(_signed(keys, agreement_factory())))
    doc["signatures"]["seller"]["signature"] = "***"
    with pytest.raises(InputError):
        parse_envelope(doc)
    doc = json.loads(envelope_bytes(_signed(keys, agreement_factory())))
    doc["signatures"]["agent"] = doc["signatures"]["seller"]
    with pytest.raises(InputError):
        parse_envelope(doc)
