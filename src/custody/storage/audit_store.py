"""Append-only, hash-chained audit events, written in the caller's transaction (S10)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Generator

from sqlalchemy import Connection, insert, select, text

from custody.domain.audit import GENESIS, AuditEvent, ChainedEvent, chain_hash
from custody.storage.tables import audit_checkpoints, audit_events

__all__ = [
    "append_event", "iter_events", "last_checkpoint", "save_checkpoint", "tail",
]


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE audit_events IN EXCLUSIVE MODE"))


def tail(conn: Connection) -> tuple[int, str]:
    """(last sequence number, last hash) or (0, GENESIS)."""
    row = conn.execute(
        select(audit_events.c.seq, audit_events.c.hash).order_by(audit_events.c.seq.desc())
        .limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def append_event(conn: Connection, event: AuditEvent, now: dt.datetime) -> ChainedEvent:
    """Append one event after the current tail; failure aborts the caller's transaction."""
    _lock(conn)
    seq, prev = tail(conn)
    seq += 1
    at = now.astimezone(dt.UTC).isoformat(timespec="microseconds")
    digest = chain_hash(seq, at, event, prev)
    conn.execute(insert(audit_events).values(
        seq=seq, at=at, actor=event.actor, role=event.role, action=event.action,
        purpose=event.purpose, customers=json.dumps(list(event.customers)),
        labels=json.dumps(list(event.labels)), result=event.result,
        details=json.dumps(event.details, ensure_ascii=False, sort_keys=True),
        prev_hash=prev, hash=digest,
    ))
    return ChainedEvent(seq, at, event, prev, digest)


def iter_events(conn: Connection, *, batch: int = 5000) -> Generator[ChainedEvent, None, None]:
    """Every stored event in sequence order, streamed."""
    result = conn.execute(select(audit_events).order_by(audit_events.c.seq),
                          execution_options={"yield_per": batch})
    try:
        for r in result:
            ev = AuditEvent(
                actor=r.actor, role=r.role, action=r.action, purpose=r.purpose,
                customers=tuple(json.loads(r.customers)), labels=tuple(json.loads(r.labels)),
                result=r.result, details=json.loads(r.details),
            )
            yield ChainedEvent(r.seq, r.at, ev, r.prev_hash, r.hash)
    finally:
        result.close()


def save_checkpoint(
    conn: Connection, seq: int, event_hash: str, at: str, sign: Callable[[bytes], str],
    message: bytes,
) -> None:
    conn.execute(insert(audit_checkpoints).values(
        seq=seq, event_hash=event_hash, at=at, signature=sign(message),
    ))


def last_checkpoint(conn: Connection) -> tuple[int, str, str] | None:
    row = conn.execute(
        select(audit_checkpoints).order_by(audit_checkpoints.c.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.event_hash, row.signature) if row else None
