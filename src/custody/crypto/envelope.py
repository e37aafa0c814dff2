"""AES-256-GCM sealing of field values and of wrapped keys, with bound associated data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from custody.errors import VerificationError

__all__ = [
    "FieldCipher", "KeyWrapper", "new_key", "new_keys", "open_blob", "seal_blob", "unwrap_key",
    "wrap_key",
]

NONCE_BYTES = 12


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return AESGCM.generate_key(bit_length=256)


def new_keys(n: int) -> list[bytes]:
    """`n` fresh random 256-bit keys from one read of the system's random source."""
    pool = os.urandom(32 * n)
    return [pool[i:i + 32] for i in range(0, 32 * n, 32)]


@contextmanager
def _map_crypto_errors(what: str) -> Iterator[None]:
    try:
        yield
    except InvalidTag as exc:
        raise VerificationError(f"{what} failed to authenticate") from exc


def seal_blob(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """nonce ‖ AES-GCM(key, nonce, plaintext, aad)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_blob(key: bytes, blob: bytes, aad: bytes, *, what: str = "ciphertext") -> bytes:
    """Inverse of seal_blob; VerificationError when key, aad or blob do not match."""
    with _map_crypto_errors(what):
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)


def wrap_key(kek: bytes, key: bytes, purpose: str) -> bytes:
    """Wrap `key` under `kek`; `purpose` names the slot and is bound as associated data."""
    return KeyWrapper(kek).wrap(key, purpose)


def unwrap_key(kek: bytes, wrapped: bytes, purpose: str) -> bytes:
    return KeyWrapper(kek).unwrap(wrapped, purpose)


class KeyWrapper:
    """wrap_key / unwrap_key under one key-encryption key set up once (wrapping many keys)."""

    __slots__ = ("_aead",)

    def __init__(self, kek: bytes) -> None:
        self._aead = AESGCM(kek)

    def wrap(self, key: bytes, purpose: str) -> bytes:
        """nonce ‖ AES-GCM(kek, nonce, key, "custody-wrap:" + purpose), as seal_blob writes."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, key, _wrap_aad(purpose))

    def unwrap(self, wrapped: bytes, purpose: str) -> bytes:
        with _map_crypto_errors(f"key {purpose}"):
            return self._aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:],
                                      _wrap_aad(purpose))


def _wrap_aad(purpose: str) -> bytes:
    return b"custody-wrap:" + purpose.encode()


class FieldCipher:
    """Seals and opens the fields of one customer under that customer's data key."""

    __slots__ = ("_aead", "_prefix", "key_version")

    def __init__(self, data_key: bytes, *, vault_id: str, customer_id: str, key_version: int):
        self._aead = AESGCM(data_key)
        self._prefix = f"custody-field\x1f{vault_id}\x1f{customer_id}\x1f"
        self.key_version = key_version

    def _aad(self, field: str) -> bytes:
        return f"{self._prefix}{field}\x1f{self.key_version}".encode()

    def seal(self, field: str, value: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, value.encode(), self._aad(field))

    def open(self, field: str, blob: bytes) -> str:
        try:  # inline rather than _map_crypto_errors: this is the hot path of every read
            plain = self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], self._aad(field))
        except InvalidTag as exc:
            raise VerificationError(f"field {field} failed to authenticate") from exc
        return plain.decode()
