"""Canonical JSON: the one byte form that hashes and signatures are computed over."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence

from custody.errors import InputError

__all__ = ["canonical_json", "sha256_hex"]


def _check(obj: object, path: str) -> None:
    if obj is None or isinstance(obj, (bool, int, str)):
        return
    if isinstance(obj, float):
        if not math.isfinite(obj):
            raise InputError(f"canonical JSON cannot hold {obj!r} at {path}", path=path)
        return
    if isinstance(obj, Mapping):
        for key, value in obj.items():
            if not isinstance(key, str):
                raise InputError(f"canonical JSON keys must be text at {path}", path=path)
            _check(value, f"{path}.{key}")
        return
    if isinstance(obj, Sequence) and not isinstance(obj, (bytes, bytearray)):
        for i, value in enumerate(obj):
            _check(value, f"{path}[{i}]")
        return
    raise InputError(f"canonical JSON cannot hold a {type(obj).__name__} at {path}", path=path)


def canonical_json(obj: object) -> bytes:
    """Sorted keys, UTF-8 (no escapes for non-ASCII), no insignificant whitespace.

    Equal JSON values give equal bytes whatever their key order; tuples encode as
    lists. Raises InputError for values JSON cannot hold (bytes, NaN, non-text keys).
    """
    _check(obj, "$")
    text = json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()
