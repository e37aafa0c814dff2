"""Create, open and unlock a vault; the `Vault` session every other use case receives."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select

from custody.crypto.envelope import new_key
from custody.crypto.keyring import (
    KeyFile,
    KeyRing,
    Secrets,
    create_keyfile,
    new_secrets,
    unlock_master,
)
from custody.domain.access import Action, allowed
from custody.domain.audit import AuditEvent, checkpoint_message
from custody.domain.types import Role
from custody.errors import AccessDenied, Conflict, InputError, NotFound, StorageError
from custody.storage import audit_store, key_store
from custody.storage.engine import begin, connect, is_current, map_db_errors, migrate, sqlite_url
from custody.storage.tables import settings, users

__all__ = ["Actor", "Clock", "Vault", "VaultInfo", "init_vault", "open_vault", "utc_now"]

Clock = Callable[[], dt.datetime]
CONFIG = "custody.json"
KEYRING = "keyring.json"
DATABASE = "vault.db"
HEAD_FILE = "audit-head.json"
CHECKPOINT_EVERY = 1000


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Actor:
    """Who acts, with the role the vault gives them."""

    name: str
    role: Role


@dataclass(frozen=True)
class VaultInfo:
    """What `custody init` reports."""

    path: Path
    vault_id: str
    org: str
    database: str
    owner: str


@dataclass
class Vault:
    """An unlocked vault: its database, its keys and the acting user."""

    path: Path
    vault_id: str
    org: str
    org_contact: str
    engine: Engine
    keys: KeyRing
    actor: Actor
    clock: Clock

    def require(self, action: Action) -> None:
        """AccessDenied unless the actor's role may perform `action` (audited by caller)."""
        if not allowed(self.actor.role, action):
            raise AccessDenied(
                f"user {self.actor.name} (role {self.actor.role.value}) may not {action.value}"
            )

    _head: tuple[int, str] | None = None

    @contextmanager
    def transaction(self, what: str, *, bulk_load: bool = False) -> Iterator[Connection]:
        """One all-or-nothing database transaction; the audit head is noted on commit.

        `bulk_load`: see storage.engine.begin (imports and receipts)."""
        self._head = None
        with map_db_errors(what), begin(self.engine, bulk_load=bulk_load) as conn:
            yield conn
        if self._head is not None:
            seq, digest = self._head
            _write_head(self.path, seq, digest)

    def audit(self, conn: Connection, action: str, **fields: object) -> None:
        """Append an audit event for the current actor inside `conn`'s transaction."""
        event = AuditEvent(actor=self.actor.name, role=self.actor.role.value, action=action,
                           **fields)  # type: ignore[arg-type]  # fields mirror AuditEvent
        chained = audit_store.append_event(conn, event, self.clock())
        self._head = (chained.seq, chained.hash)
        if chained.seq % CHECKPOINT_EVERY == 0:
            msg = checkpoint_message(self.vault_id, chained.seq, chained.hash)
            audit_store.save_checkpoint(
                conn, chained.seq, chained.hash, chained.at,
                lambda m: base64.b64encode(self.keys.sign(m)).decode(), msg)



def _write_head(path: Path, seq: int, digest: str) -> None:
    tmp = path / (HEAD_FILE + ".tmp")
    tmp.write_text(json.dumps({"seq": seq, "hash": digest}))
    tmp.replace(path / HEAD_FILE)


def _database_url(path: Path, database_url: str | None) -> str:
    return database_url or sqlite_url(path / DATABASE)


def init_vault(
    path: Path, *, org: str, passphrase: str, database_url: str | None = None,
    owner: str = "owner", org_contact: str = "", clock: Clock = utc_now,
) -> VaultInfo:
    """Create a vault directory with its keyring, database and owner user."""
    if not org.strip():
        raise InputError("--org must name the organisation")
    if (path / CONFIG).exists():
        raise Conflict(f"{path} is already a vault")
    if path.exists() and any(path.iterdir()):
        raise Conflict(f"{path} exists and is not empty")
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    vault_id = uuid.uuid4().hex
    now = clock()
    fast = os.environ.get("CUSTODY_FAST_KDF") == "1"
    keyfile, master = create_keyfile(vault_id, passphrase, fast_kdf=fast)
    url = _database_url(path, database_url)
    engine = connect(url)
    migrate(engine)
    secrets = new_secrets()
    with map_db_errors("vault creation"), engine.begin() as conn:
        if conn.execute(select(settings)).first() is not None:
            raise Conflict("the database already holds a vault")
        vk = new_key()
        key_store.save_vault_key(
            conn, 1, KeyRing.wrap_vault_key(master, vault_id, 1, vk), "active", now
        )
        key_store.save_secrets(conn, secrets.wrapped(master, vault_id), now)
        conn.execute(insert(settings).values(key="vault_id", value=vault_id))
        conn.execute(insert(users).values(
            name=owner, role=Role.OWNER.value, display_name=owner, created_at=now
        ))
        audit_store.append_event(
            conn, AuditEvent(actor=owner, role="owner", action="vault.init",
                             details={"org": org}), now)
    engine.dispose()
    keyfile.dump(path / KEYRING)
    config = {
        "format": "custody-vault/1", "vault_id": vault_id, "org": org,
        "org_contact": org_contact, "database_url": database_url, "owner": owner,
        "created_at": now.isoformat(),
    }
    (path / CONFIG).write_text(json.dumps(config, indent=2, ensure_ascii=False))
    return VaultInfo(path, vault_id, org, "postgresql" if database_url else "sqlite", owner)


def read_config(path: Path) -> dict[str, object]:
    try:
        doc = json.loads((path / CONFIG).read_text())
    except FileNotFoundError:
        raise NotFound(f"{path} is not a vault (no {CONFIG}); run `custody init` first") from None
    except ValueError:
        raise StorageError(f"{CONFIG} in {path} is damaged") from None
    if not isinstance(doc, dict):
        raise StorageError(f"{CONFIG} in {path} is damaged")
    return doc


def open_vault(
    path: Path, *, passphrase: str, user: str | None = None, clock: Clock = utc_now
) -> Vault:
    """Unlock a vault for `user` (default: its owner)."""
    config = read_config(path)
    keyfile = KeyFile.load(path / KEYRING)
    master = unlock_master(keyfile, passphrase)
    configured = config.get("database_url")
    url = _database_url(path, configured if isinstance(configured, str) else None)
    engine = connect(url)
    try:
        return _unlock(path, config, keyfile, master, engine, user, clock)
    except BaseException:
        engine.dispose()
        raise


def _unlock(
    path: Path, config: dict[str, object], keyfile: KeyFile, master: bytes, engine: Engine,
    user: str | None, clock: Clock,
) -> Vault:
    if not is_current(engine):
        migrate(engine)
    with map_db_errors("unlock"), engine.connect() as conn:
        stored = conn.execute(select(settings.c.value).where(settings.c.key == "vault_id"))
        if stored.scalar_one_or_none() != keyfile.vault_id:
            raise StorageError("the database does not belong to this vault")
        vkeys = {
            v: KeyRing.unwrap_vault_key(master, keyfile.vault_id, v, blob)
            for v, blob, _state in key_store.load_vault_keys(conn)
        }
        secrets = Secrets.unwrapped(master, keyfile.vault_id, key_store.load_secrets(conn))
        name = user or str(config.get("owner", "owner"))
        row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None or row.removed_at is not None:
        raise AccessDenied(f"unknown user {name}")
    return Vault(
        path=path, vault_id=keyfile.vault_id, org=str(config.get("org", "")),
        org_contact=str(config.get("org_contact", "")), engine=engine,
        keys=KeyRing(keyfile.vault_id, master, vkeys, secrets),
        actor=Actor(name, Role(row.role)), clock=clock,
    )
