"""Show public keys, export the age identity, and rotate the vault key (resumable)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from custody.crypto.envelope import new_key
from custody.domain.access import Action
from custody.errors import Conflict
from custody.services.ports import Progress
from custody.services.vault import Vault
from custody.storage import key_store
from custody.storage.tables import customers

__all__ = ["PublicKeys", "RotationResult", "export_identity", "rotate_keys", "show_keys"]

ROTATE_BATCH = 2000


@dataclass(frozen=True)
class PublicKeys:
    """What a counterparty needs: where to encrypt to and how to check signatures."""

    age_recipient: str
    signing_public_key: str
    vault_id: str
    vault_key_version: int


def show_keys(vault: Vault) -> PublicKeys:
    vault.require(Action.KEYS_SHOW)
    return PublicKeys(vault.keys.age_recipient, vault.keys.signing_public_key, vault.vault_id,
                      vault.keys.current_version)


def export_identity(vault: Vault, out: Path) -> None:
    """Write the age identity in plaintext for the standard `age` tool (owner, audited)."""
    vault.require(Action.KEYS_EXPORT_IDENTITY)
    if out.exists():
        raise Conflict(f"{out.name} exists; refusing to overwrite a key file")
    with vault.transaction("export identity") as conn:
        vault.audit(conn, "keys.export_identity", details={"file": out.name})
        fd = out.open("x", encoding="ascii")
        out.chmod(0o600)
        with fd:
            fd.write(f"# custody vault {vault.vault_id}\n{vault.keys.age_identity}\n")


@dataclass(frozen=True)
class RotationResult:
    """What `keys rotate` did."""

    version: int
    rewrapped: int
    resumed: bool


def rotate_keys(
    vault: Vault, *, progress: Progress | None = None, batch: int = ROTATE_BATCH
) -> RotationResult:
    """Make a new vault key (or resume an unfinished rotation) and re-wrap every data key.

    Each batch commits on its own; a kill at any point leaves every customer's key
    wrapped under a key the vault still holds, and running again finishes the job.
    """
    vault.require(Action.KEYS_ROTATE)
    keys = vault.keys
    with vault.transaction("rotate keys") as conn:
        states = {v: s for v, _, s in key_store.load_vault_keys(conn)}
        resumed = states.get(keys.current_version) == "rotating"
        if not resumed:
            version = keys.current_version + 1
            wrapped = keys.add_vault_key(version, new_key())
            key_store.save_vault_key(conn, version, wrapped, "rotating", vault.clock())
    version, done = keys.current_version, 0
    while True:
        with vault.transaction("rotate keys") as conn:
            rows = conn.execute(
                select(customers.c.id, customers.c.wrapped_key, customers.c.key_version)
                .where(customers.c.key_version != version, customers.c.wrapped_key.is_not(None))
                .limit(batch)
            ).all()
            for cid, blob, old in rows:
                dk = keys.unwrap_data_key(cid, blob, old)
                new_blob, v = keys.wrap_data_key(cid, dk)
                conn.execute(update(customers).where(customers.c.id == cid).values(
                    wrapped_key=new_blob, key_version=v))
        done += len(rows)
        if progress:
            progress(done, None)
        if not rows:
            break
    with vault.transaction("rotate keys") as conn:
        for v, _, state in key_store.load_vault_keys(conn):
            if v != version and state != "retired":
                key_store.set_key_state(conn, v, "retired")
        key_store.set_key_state(conn, version, "active")
        vault.audit(conn, "keys.rotate", details={"version": version, "rewrapped": done,
                                                  "resumed": resumed})
    return RotationResult(version, done, resumed)
