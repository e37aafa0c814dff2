"""The key hierarchy of a vault.

    passphrase ──Argon2id──▶ KEK ──wraps──▶ master key            (keyring.json, vault dir)
    master key ──wraps──▶ vault keys v1, v2, …                     (vault_keys table)
    master key ──wraps──▶ index key, signing key, age identity     (secrets table)
    current vault key ──wraps──▶ one data key per customer         (customers table)
    customer data key ──AES-256-GCM──▶ each field, AAD = vault|customer|field|generation

Rotation makes a new vault key and re-wraps every customer's data key; field ciphertexts
do not change. Crypto-shredding deletes a customer's wrapped data key.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path

import pyrage

from custody.crypto import signing
from custody.crypto.blind_index import BlindIndexer
from custody.crypto.envelope import FieldCipher, KeyWrapper, new_key, unwrap_key, wrap_key
from custody.crypto.kdf import KdfParams, derive_kek, new_kdf_params
from custody.errors import InputError, StorageError, VerificationError

__all__ = [
    "KeyFile",
    "KeyRing",
    "Secrets",
    "create_keyfile",
    "new_age_identity",
    "new_secrets",
    "unlock_master",
]


@dataclass(frozen=True)
class KeyFile:
    """keyring.json: the master key wrapped under the passphrase."""

    vault_id: str
    kdf: KdfParams
    wrapped_master: bytes

    def dump(self, path: Path) -> None:
        doc = {
            "format": "custody-keyring/1",
            "vault_id": self.vault_id,
            "kdf": {
                "algorithm": "argon2id",
                "salt": base64.b64encode(self.kdf.salt).decode(),
                "time_cost": self.kdf.time_cost,
                "memory_cost": self.kdf.memory_cost,
                "parallelism": self.kdf.parallelism,
            },
            "wrapped_master": base64.b64encode(self.wrapped_master).decode(),
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, indent=2))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            doc = json.loads(path.read_text())
            kdf = doc["kdf"]
            return cls(
                vault_id=doc["vault_id"],
                kdf=KdfParams(
                    salt=base64.b64decode(kdf["salt"]), time_cost=int(kdf["time_cost"]),
                    memory_cost=int(kdf["memory_cost"]), parallelism=int(kdf["parallelism"]),
                ),
                wrapped_master=base64.b64decode(doc["wrapped_master"]),
            )
        except FileNotFoundError as exc:
            raise StorageError(f"no keyring in {path.parent.name}: not a vault") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise StorageError(f"keyring {path.name} is damaged") from exc


def create_keyfile(vault_id: str, passphrase: str, *, fast_kdf: bool = False) -> tuple[
    KeyFile, bytes
]:
    """A new master key and its keyfile wrapped under the passphrase."""
    if not passphrase:
        raise InputError("an empty passphrase is not allowed")
    params = new_kdf_params(fast=fast_kdf)
    master = new_key()
    wrapped = wrap_key(derive_kek(passphrase, params), master, f"master:{vault_id}")
    return KeyFile(vault_id, params, wrapped), master


def unlock_master(keyfile: KeyFile, passphrase: str) -> bytes:
    """The master key; VerificationError for a wrong passphrase."""
    kek = derive_kek(passphrase, keyfile.kdf)
    try:
        return unwrap_key(kek, keyfile.wrapped_master, f"master:{keyfile.vault_id}")
    except VerificationError:
        raise VerificationError("wrong passphrase for this vault") from None


def new_age_identity() -> str:
    return str(pyrage.x25519.Identity.generate())


@dataclass(frozen=True)
class Secrets:
    """Long-lived vault secrets, stored wrapped under the master key."""

    index_key: bytes = field(repr=False)
    signing_key: bytes = field(repr=False)
    age_identity: str = field(repr=False)

    def wrapped(self, master: bytes, vault_id: str) -> dict[str, bytes]:
        return {
            "index_key": wrap_key(master, self.index_key, f"index:{vault_id}"),
            "signing_key": wrap_key(master, self.signing_key, f"signing:{vault_id}"),
            "age_identity": wrap_key(master, self.age_identity.encode(), f"age:{vault_id}"),
        }

    @classmethod
    def unwrapped(cls, master: bytes, vault_id: str, blobs: dict[str, bytes]) -> Secrets:
        return cls(
            index_key=unwrap_key(master, blobs["index_key"], f"index:{vault_id}"),
            signing_key=unwrap_key(master, blobs["signing_key"], f"signing:{vault_id}"),
            age_identity=unwrap_key(master, blobs["age_identity"], f"age:{vault_id}").decode(),
        )


def new_secrets() -> Secrets:
    return Secrets(new_key(), signing.generate_keypair().private_key, new_age_identity())


class KeyRing:
    """Unlocked key material of one vault, held in memory only."""

    def __init__(
        self, vault_id: str, master: bytes, vault_keys: dict[int, bytes], secrets: Secrets
    ) -> None:
        if not vault_keys:
            raise StorageError("vault has no vault key")
        self.vault_id = vault_id
        self._master = master
        self._vault_keys = {v: KeyWrapper(k) for v, k in vault_keys.items()}
        self.current_version = max(vault_keys)
        self._secrets = secrets
        self.index = BlindIndexer(secrets.index_key)

    # -- vault keys -------------------------------------------------------------------
    @staticmethod
    def wrap_vault_key(master: bytes, vault_id: str, version: int, key: bytes) -> bytes:
        return wrap_key(master, key, f"vault-key:{vault_id}:{version}")

    @staticmethod
    def unwrap_vault_key(master: bytes, vault_id: str, version: int, blob: bytes) -> bytes:
        return unwrap_key(master, blob, f"vault-key:{vault_id}:{version}")

    def add_vault_key(self, version: int, key: bytes) -> bytes:
        """Adopt a new current vault key; returns it wrapped for storage."""
        self._vault_keys[version] = KeyWrapper(key)
        self.current_version = version
        return self.wrap_vault_key(self._master, self.vault_id, version, key)

    # -- customer data keys -----------------------------------------------------------
    def wrap_data_key(self, customer_id: str, data_key: bytes) -> tuple[bytes, int]:
        version = self.current_version
        wrapper = self._vault_keys[version]
        return wrapper.wrap(data_key, f"data-key:{self.vault_id}:{customer_id}"), version

    def unwrap_data_key(self, customer_id: str, blob: bytes, version: int) -> bytes:
        wrapper = self._vault_keys.get(version)
        if wrapper is None:
            raise VerificationError(f"vault key v{version} is not available")
        return wrapper.unwrap(blob, f"data-key:{self.vault_id}:{customer_id}")

    def cipher(self, customer_id: str, data_key: bytes, generation: int) -> FieldCipher:
        return FieldCipher(
            data_key, vault_id=self.vault_id, customer_id=customer_id, key_version=generation
        )

    # -- signing and the age identity -----------------------------------------------
    def sign(self, data: bytes) -> bytes:
        return signing.sign(self._secrets.signing_key, data)

    @property
    def signing_public_key(self) -> str:
        return signing.public_key_text(signing.public_key_bytes(self._secrets.signing_key))

    @property
    def age_identity(self) -> str:
        return self._secrets.age_identity

    @property
    def age_recipient(self) -> str:
        return str(pyrage.x25519.Identity.from_str(self._secrets.age_identity).to_public())
