"""Wrapped key material in the database: vault keys and long-lived secrets."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert, select, update

from custody.storage.tables import secrets, vault_keys

__all__ = ["load_secrets", "load_vault_keys", "save_secrets", "save_vault_key", "set_key_state"]


def save_vault_key(
    conn: Connection, version: int, wrapped: bytes, state: str, now: dt.datetime
) -> None:
    conn.execute(insert(vault_keys).values(
        version=version, wrapped=wrapped, state=state, created_at=now
    ))


def set_key_state(conn: Connection, version: int, state: str) -> None:
    conn.execute(update(vault_keys).where(vault_keys.c.version == version).values(state=state))


def load_vault_keys(conn: Connection) -> list[tuple[int, bytes, str]]:
    rows = conn.execute(select(vault_keys).order_by(vault_keys.c.version)).all()
    return [(r.version, r.wrapped, r.state) for r in rows]


def save_secrets(conn: Connection, blobs: dict[str, bytes], now: dt.datetime) -> None:
    for name, blob in blobs.items():
        conn.execute(insert(secrets).values(name=name, wrapped=blob, created_at=now))


def load_secrets(conn: Connection) -> dict[str, bytes]:
    return {r.name: r.wrapped for r in conn.execute(select(secrets)).all()}
