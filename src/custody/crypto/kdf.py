"""Passphrase → key-encryption key with Argon2id."""

from __future__ import annotations

import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

__all__ = ["KdfParams", "derive_kek", "new_kdf_params"]


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored beside the wrapped master key."""

    salt: bytes
    time_cost: int = 3
    memory_cost: int = 65536  # KiB
    parallelism: int = 2


def new_kdf_params(*, fast: bool = False) -> KdfParams:
    """Fresh salt; `fast` (tests only, via CUSTODY_FAST_KDF) uses small costs."""
    if fast:
        return KdfParams(salt=os.urandom(16), time_cost=1, memory_cost=1024, parallelism=1)
    return KdfParams(salt=os.urandom(16))


def derive_kek(passphrase: str, params: KdfParams) -> bytes:
    return hash_secret_raw(
        passphrase.encode(), params.salt, time_cost=params.time_cost,
        memory_cost=params.memory_cost, parallelism=params.parallelism, hash_len=32,
        type=Type.ID,
    )
