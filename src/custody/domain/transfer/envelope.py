"""The signed agreement envelope (TR-07): the agreement plus both parties' signatures.

    {"agreement": {...}, "signatures": {"seller": {"public_key", "signature"},
                                        "buyer":  {"public_key", "signature"}}}

Both signatures cover the same bytes, `canonical_json(agreement)`. Signing and
verification are done by the crypto adapter, passed in as plain callables, so the
domain stays pure: `sign(data) -> signature` and `verify(public_key, data, sig) -> bool`.
Signatures travel as standard base64; public keys are opaque text chosen by the adapter.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from custody.domain.transfer.agreement import (
    Agreement,
    agreement_bytes,
    agreement_from_dict,
    agreement_hash,
    agreement_to_dict,
)
from custody.domain.transfer.canonical import canonical_json
from custody.domain.transfer.wire import as_mapping, only_keys, str_at
from custody.errors import CustodyError, InputError, VerificationError

__all__ = [
    "EnvelopeCheck",
    "Signature",
    "SignedAgreement",
    "Signer",
    "Verifier",
    "check_envelope",
    "countersign",
    "envelope_bytes",
    "envelope_to_dict",
    "parse_envelope",
    "require_valid_envelope",
    "sign_agreement",
]

Signer = Callable[[bytes], bytes]
Verifier = Callable[[str, bytes, bytes], bool]


@dataclass(frozen=True)
class Signature:
    """One party's signature over the canonical agreement bytes (base64 text)."""

    public_key: str
    signature: str

    def raw(self) -> bytes:
        return base64.b64decode(self.signature, validate=True)


@dataclass(frozen=True)
class SignedAgreement:
    """An agreement with the signatures collected so far."""

    agreement: Agreement
    seller: Signature | None = None
    buyer: Signature | None = None


@dataclass(frozen=True)
class EnvelopeCheck:
    """The result of checking both signatures; `problems` are safe to show."""

    agreement_hash: str
    seller_valid: bool
    buyer_valid: bool
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _signature(public_key: str, sign: Signer, data: bytes) -> Signature:
    return Signature(public_key, base64.b64encode(sign(data)).decode("ascii"))


def sign_agreement(agreement: Agreement, *, public_key: str, sign: Signer) -> SignedAgreement:
    """The seller's signature: a new envelope holding only the seller's signature."""
    return SignedAgreement(agreement, _signature(public_key, sign, agreement_bytes(agreement)))


def countersign(envelope: SignedAgreement, *, public_key: str, sign: Signer) -> SignedAgreement:
    """The buyer's signature; the key must be the one the agreement names for the buyer."""
    if envelope.seller is None:
        raise VerificationError("agreement is not signed by the seller", field="seller")
    if public_key != envelope.agreement.buyer.signing_public_key:
        raise VerificationError(
            "signing key is not the buyer key named in the agreement", field="buyer"
        )
    sig = _signature(public_key, sign, agreement_bytes(envelope.agreement))
    return replace(envelope, buyer=sig)


def envelope_to_dict(envelope: SignedAgreement) -> dict[str, object]:
    """The document form; absent signatures are left out."""
    sigs: dict[str, object] = {}
    for role, sig in (("seller", envelope.seller), ("buyer", envelope.buyer)):
        if sig is not None:
            sigs[role] = {"public_key": sig.public_key, "signature": sig.signature}
    return {"agreement": agreement_to_dict(envelope.agreement), "signatures": sigs}


def envelope_bytes(envelope: SignedAgreement) -> bytes:
    """Canonical bytes of the whole envelope (for files and for the chain's artifact hash)."""
    return canonical_json(envelope_to_dict(envelope))


def _parse_signature(obj: object, role: str) -> Signature:
    m = as_mapping(obj, f"signatures.{role}")
    only_keys(m, {"public_key", "signature"}, f"signatures.{role}")
    sig = Signature(str_at(m, "public_key", role), str_at(m, "signature", role))
    try:
        sig.raw()
    except (binascii.Error, ValueError):
        raise InputError(f"signatures.{role}: signature is not base64", field=role) from None
    return sig


def parse_envelope(document: bytes | str | Mapping[str, object]) -> SignedAgreement:
    """Read an envelope document strictly; InputError if it is malformed."""
    obj: object = document
    if isinstance(document, (bytes, str)):
        try:
            obj = json.loads(document)
        except (ValueError, UnicodeDecodeError):
            raise InputError("agreement file is not valid JSON", field="agreement") from None
    m = as_mapping(obj, "envelope")
    only_keys(m, {"agreement", "signatures"}, "envelope")
    sigs = as_mapping(m.get("signatures", {}), "signatures")
    only_keys(sigs, {"seller", "buyer"}, "signatures")
    return SignedAgreement(
        agreement=agreement_from_dict(m.get("agreement")),
        seller=_parse_signature(sigs["seller"], "seller") if "seller" in sigs else None,
        buyer=_parse_signature(sigs["buyer"], "buyer") if "buyer" in sigs else None,
    )


def _valid(verify: Verifier, sig: Signature, data: bytes) -> bool:
    try:
        return bool(verify(sig.public_key, data, sig.raw()))
    except (CustodyError, binascii.Error, ValueError):
        return False


def check_envelope(
    envelope: SignedAgreement,
    *,
    verify: Verifier,
    seller_public_key: str | None = None,
    require_buyer: bool = True,
) -> EnvelopeCheck:
    """Check the signatures over the canonical agreement bytes.

    `seller_public_key`, when given, must be the key the seller signed with (the seller's
    own vault knows it). The buyer must have signed with the key the agreement names.
    """
    data = agreement_bytes(envelope.agreement)
    problems: list[str] = []
    seller_ok = False
    if envelope.seller is None:
        problems.append("seller signature missing")
    elif seller_public_key is not None and envelope.seller.public_key != seller_public_key:
        problems.append("seller signed with an unexpected key")
    else:
        seller_ok = _valid(verify, envelope.seller, data)
        if not seller_ok:
            problems.append("seller signature does not verify")
    buyer_ok = False
    if envelope.buyer is None:
        if require_buyer:
            problems.append("buyer signature missing")
    elif envelope.buyer.public_key != envelope.agreement.buyer.signing_public_key:
        problems.append("buyer signed with a key the agreement does not name")
    else:
        buyer_ok = _valid(verify, envelope.buyer, data)
        if not buyer_ok:
            problems.append("buyer signature does not verify")
    return EnvelopeCheck(agreement_hash(envelope.agreement), seller_ok, buyer_ok, tuple(problems))


def require_valid_envelope(
    envelope: SignedAgreement,
    *,
    verify: Verifier,
    seller_public_key: str | None = None,
    require_buyer: bool = True,
) -> EnvelopeCheck:
    """check_envelope, raising VerificationError on the first problem."""
    result = check_envelope(
        envelope, verify=verify, seller_public_key=seller_public_key, require_buyer=require_buyer
    )
    if not result.ok:
        raise VerificationError(
            f"agreement: {result.problems[0]}",
            agreement_hash=result.agreement_hash,
            source="NDSMR Art. 12",
        )
    return result
