"""Transfers, their chain-of-custody steps, notices and members."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from custody.storage.engine import bulk_insert
from custody.storage.tables import transfer_members, transfer_notices, transfer_steps, transfers

__all__ = [
    "StepRow",
    "TransferRow",
    "add_members",
    "add_notices",
    "add_step",
    "create_transfer",
    "find_transfer",
    "get_transfer",
    "iter_members",
    "notice_counts",
    "notice_state",
    "record_objection",
    "save_document",
    "steps_of",
]


@dataclass(frozen=True)
class TransferRow:
    """A transfer as stored; `document` holds the agreement and the step artifacts; the
    flags are what the user stated at `transfer create` (important data, every customer
    GDPR-covered, no successor)."""

    id: str
    side: str
    state: str
    deal_type: str
    document: dict[str, Any]
    important_data: bool = False
    gdpr_all: bool = False
    no_successor: bool = False


@dataclass(frozen=True)
class StepRow:
    """One chain-of-custody step."""

    step: str
    artifact_hash: str
    link: str
    details: dict[str, Any]
    at: dt.datetime


def create_transfer(conn: Connection, row: TransferRow, now: dt.datetime) -> None:
    conn.execute(insert(transfers).values(
        id=row.id, side=row.side, state=row.state, deal_type=row.deal_type,
        document=json.dumps(row.document, ensure_ascii=False), created_at=now, updated_at=now,
        important_data=row.important_data, gdpr_all=row.gdpr_all, no_successor=row.no_successor,
    ))


def get_transfer(conn: Connection, transfer_id: str) -> TransferRow | None:
    r = conn.execute(select(transfers).where(transfers.c.id == transfer_id)).first()
    if r is None:
        return None
    return TransferRow(r.id, r.side, r.state, r.deal_type, json.loads(r.document),
                       bool(r.important_data), bool(r.gdpr_all), bool(r.no_successor))


def find_transfer(conn: Connection, transfer_id: str, side: str) -> TransferRow | None:
    row = get_transfer(conn, transfer_id)
    return row if row is not None and row.side == side else None


def save_document(conn: Connection, transfer_id: str, state: str, document: dict[str, Any],
                  now: dt.datetime) -> None:
    conn.execute(update(transfers).where(transfers.c.id == transfer_id).values(
        state=state, document=json.dumps(document, ensure_ascii=False), updated_at=now))


def add_step(conn: Connection, transfer_id: str, step: StepRow) -> None:
    conn.execute(insert(transfer_steps).values(
        transfer_id=transfer_id, step=step.step, artifact_hash=step.artifact_hash,
        link=step.link, details=json.dumps(step.details, ensure_ascii=False), at=step.at))


def steps_of(conn: Connection, transfer_id: str) -> list[StepRow]:
    q = select(transfer_steps).where(transfer_steps.c.transfer_id == transfer_id).order_by(
        transfer_steps.c.id)
    return [StepRow(r.step, r.artifact_hash, r.link, json.loads(r.details), r.at)
            for r in conn.execute(q)]


def add_notices(conn: Connection, rows: list[dict[str, Any]]) -> None:
    bulk_insert(conn, transfer_notices, rows)


def notice_state(conn: Connection, transfer_id: str, customer_ids: Iterable[str]
                 ) -> dict[str, tuple[str, str | None]]:
    """customer → (delivery status, objection or None)."""
    ids = list(customer_ids)
    out: dict[str, tuple[str, str | None]] = {}
    for i in range(0, len(ids), 900):
        q = select(transfer_notices.c.customer_id, transfer_notices.c.status,
                   transfer_notices.c.objection).where(
            transfer_notices.c.transfer_id == transfer_id,
            transfer_notices.c.customer_id.in_(ids[i:i + 900]))
        out.update({r[0]: (r[1], r[2]) for r in conn.execute(q)})
    return out


def notice_counts(conn: Connection, transfer_id: str) -> dict[str, int]:
    q = select(transfer_notices.c.status, func.count()).where(
        transfer_notices.c.transfer_id == transfer_id).group_by(transfer_notices.c.status)
    counts = {str(s): int(n) for s, n in conn.execute(q)}
    objected = conn.execute(select(func.count()).select_from(transfer_notices).where(
        and_(transfer_notices.c.transfer_id == transfer_id,
             transfer_notices.c.objection.is_not(None)))).scalar_one()
    counts["objections"] = int(objected)
    return counts


def record_objection(conn: Connection, transfer_id: str, customer_id: str, kind: str,
                     now: dt.datetime) -> bool:
    res = conn.execute(update(transfer_notices).where(
        transfer_notices.c.transfer_id == transfer_id,
        transfer_notices.c.customer_id == customer_id).values(objection=kind, objected_at=now))
    return bool(res.rowcount)


def add_members(conn: Connection, rows: list[dict[str, Any]]) -> None:
    bulk_insert(conn, transfer_members, rows)


def iter_members(conn: Connection, transfer_id: str, *, moved: bool = True) -> Iterator[str]:
    q = select(transfer_members.c.customer_id).where(
        transfer_members.c.transfer_id == transfer_id,
        transfer_members.c.moved == (1 if moved else 0)).order_by(transfer_members.c.customer_id)
    yield from conn.execute(q).scalars()
