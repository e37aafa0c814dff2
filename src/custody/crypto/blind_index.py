"""Keyed blind index: HMAC-SHA-256 over a label and its normalised value."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["BlindIndexer"]


class BlindIndexer:
    """Makes stable search tokens; equal normalised values under one label give equal tokens."""

    __slots__ = ("_base", "_key")

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def token(self, label: str, normalised: str) -> str:
        return self.token_bytes(label, normalised).hex()

    def token_bytes(self, label: str, normalised: str) -> bytes:
        """The token as its 16 bytes (as stored; `token` is their hex form)."""
        h = self._base.copy()
        h.update(f"{label}\x1f{normalised}".encode())
        return h.digest()[:16]

    def digest(self, *parts: str) -> str:
        """A keyed digest of arbitrary parts (row fingerprints for idempotent import)."""
        return self.digest_bytes(*parts).hex()

    def digest_bytes(self, *parts: str) -> bytes:
        """The digest as its 16 bytes (as stored; `digest` is their hex form)."""
        h = self._base.copy()
        h.update(b"digest\x1f" + "\x1f".join(parts).encode())
        return h.digest()[:16]
