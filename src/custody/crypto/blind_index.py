"""Keyed blind index: HMAC-SHA-256 over a label and its normalised value."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["BlindIndexer"]


class BlindIndexer:
    """Makes stable search tokens; equal normalised values under one label give equal tokens."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        self._key = key

    def token(self, label: str, normalised: str) -> str:
        msg = label.encode() + b"\x1f" + normalised.encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()[:32]

    def digest(self, *parts: str) -> str:
        """A keyed digest of arbitrary parts (row fingerprints for idempotent import)."""
        return hmac.new(self._key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()[:32]
