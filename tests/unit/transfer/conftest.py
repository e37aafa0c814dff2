"""Small factories for the transfer unit tests (no I/O)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable

import pytest

from custody.domain.transfer.agreement import (
    Agreement,
    Bilingual,
    Buyer,
    Party,
    Scope,
    TransitionPeriod,
    carry_purposes,
)
from custody.domain.transfer.route import DealType, LegalRoute

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


class FakeKeys:
    """HMAC stand-in for Ed25519: the 'public key' names a secret only this fake knows."""

    def __init__(self) -> None:
        self._secrets = {"seller-pk": b"s" * 32, "buyer-pk": b"b" * 32, "other-pk": b"o" * 32}

    def signer(self, public_key: str) -> Callable[[bytes], bytes]:
        secret = self._secrets[public_key]
        return lambda data: hmac.new(secret, data, hashlib.sha256).digest()

    def verify(self, public_key: str, data: bytes, sig: bytes) -> bool:
        secret = self._secrets.get(public_key)
        if secret is None:
            return False
        return hmac.compare_digest(hmac.new(secret, data, hashlib.sha256).digest(), sig)


def make_agreement(**changes: object) -> Agreement:
    fields: dict[str, object] = dict(
        transfer_id="tr-0001",
        deal_type=DealType.MERGER,
        route=LegalRoute.ART22_NOTICE,
        seller=Party("示例培训学校", "seller@example.com"),
        buyer=Buyer("Example Buyer Ltd", "buyer@example.com", "age1example", "buyer-pk"),
        scope=Scope(("education",), ("person.name", "contact.mobile"), "all active", 120),
        purposes=carry_purposes({"education": ["teaching"]}, {"education": ["teaching"]}),
        confidentiality=(Bilingual("保密", "keep confidential"),),
        obligations=(Bilingual("仅用于原目的", "original purposes only"),),
        destination_country="CN",
        cross_border=False,
        retention_commitment="3 years after the last lesson",
        transition_period=TransitionPeriod(
            dt.date(2026, 12, 1), dt.date(2026, 12, 31), Bilingual("双方共同处理", "joint")
        ),
        created_at=NOW,
    )
    fields.update(changes)
    return Agreement(**fields)  # type: ignore[arg-type]


@pytest.fixture
def keys() -> FakeKeys:
    return FakeKeys()


@pytest.fixture
def agreement_factory() -> Callable[..., Agreement]:
    return make_agreement
