"""Ed25519 signatures over `cryptography`: keypairs, sign, verify, public-key text form.

Keys travel as raw bytes (32-byte private seed, 32-byte public key). The text form of a
public key, as shown by `custody keys show` and written into manifests and agreements, is
the standard base64 of the raw 32 public bytes (44 characters, with one "=").
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from custody.errors import InputError, VerificationError

__all__ = [
    "PUBLIC_KEY_BYTES",
    "SIGNATURE_BYTES",
    "SigningKeyPair",
    "check_signature",
    "generate_keypair",
    "parse_public_key",
    "public_key_bytes",
    "public_key_text",
    "sign",
    "verify",
]

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64


@dataclass(frozen=True)
class SigningKeyPair:
    """An Ed25519 keypair; `private_key` is the raw 32-byte seed and never shown in repr."""

    private_key: bytes = field(repr=False)
    public_key: bytes

    @property
    def public_key_text(self) -> str:
        return public_key_text(self.public_key)


def generate_keypair() -> SigningKeyPair:
    """A fresh random Ed25519 keypair."""
    private = Ed25519PrivateKey.generate()
    return SigningKeyPair(private_key=private.private_bytes_raw(), public_key=_raw(private))


def _private(private_key: bytes) -> Ed25519PrivateKey:
    try:
        return Ed25519PrivateKey.from_private_bytes(private_key)
    except ValueError as exc:
        raise InputError("signing key is not a 32-byte Ed25519 private key") from exc


def _raw(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_bytes(private_key: bytes) -> bytes:
    """The raw 32-byte public key of a raw private key."""
    return _raw(_private(private_key))


def public_key_text(public_key: bytes) -> str:
    """Base64 text form of a raw 32-byte public key."""
    if len(public_key) != PUBLIC_KEY_BYTES:
        raise InputError("public key must be 32 bytes")
    return base64.b64encode(public_key).decode("ascii")


def parse_public_key(public_key: str | bytes) -> bytes:
    """Raw 32 bytes from the text form (or raw bytes, passed through); InputError if bad."""
    if isinstance(public_key, bytes):
        raw = public_key
    else:
        try:
            raw = base64.b64decode(public_key.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InputError("public key is not valid base64") from exc
    if len(raw) != PUBLIC_KEY_BYTES:
        raise InputError("public key is not a 32-byte Ed25519 key")
    return raw


def sign(private_key: bytes, data: bytes) -> bytes:
    """The 64-byte Ed25519 signature of `data`."""
    return _private(private_key).sign(data)


def verify(public_key: str | bytes, data: bytes, signature: bytes) -> bool:
    """True when `signature` is a valid signature of `data` by `public_key`.

    Malformed keys or signatures give False, never an exception.
    """
    try:
        key = Ed25519PublicKey.from_public_bytes(parse_public_key(public_key))
        key.verify(signature, data)
    except (InputError, InvalidSignature, ValueError):
        return False
    return True


def check_signature(public_key: str | bytes, data: bytes, signature: bytes, *, what: str) -> None:
    """Like `verify`, but raise VerificationError naming `what` when it does not hold."""
    if not verify(public_key, data, signature):
        raise VerificationError(f"{what}: signature is not valid")
