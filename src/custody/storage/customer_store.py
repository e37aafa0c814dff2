"""Customers, records, blind-index lookups and consents, in batches (S5)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, delete, func, insert, select, text, update

from custody.storage.tables import consents, customers, datasets, imports, lookup, records

__all__ = [
    "CustomerKeyRow",
    "DatasetRow",
    "all_datasets",
    "consents_for",
    "consents_for_many",
    "count_active_customers",
    "create_dataset",
    "customer_keys",
    "customers_by_token",
    "existing_consents",
    "existing_digests",
    "find_all_by_token",
    "has_lookup_entries",
    "get_dataset",
    "import_seen",
    "lock_for_import",
    "next_record_id",
    "purpose_consents",
    "records_of",
    "shred_customer",
    "tokens_of",
    "update_dataset_purposes",
]

T = TypeVar("T", bytes, str)
_CHUNK = 900  # stays below every driver's bound-parameter limit


def _chunks(items: Collection[T]) -> Iterable[list[T]]:
    """Keys in bounded chunks, in key order: consecutive look-ups then walk the index
    instead of jumping across it (measured twice as fast on a 4M-entry index)."""
    seq = sorted(items)
    for i in range(0, len(seq), _CHUNK):
        yield seq[i:i + _CHUNK]


@dataclass(frozen=True)
class DatasetRow:
    """A dataset as stored."""

    id: str
    name: str
    purposes: list[str]
    legal_basis: str
    responsible: str
    origin: dict[str, object]
    columns: list[dict[str, object]]


def _dataset(r: Row[Any]) -> DatasetRow:
    return DatasetRow(
        id=r.id, name=r.name, purposes=json.loads(r.purposes), legal_basis=r.legal_basis,
        responsible=r.responsible, origin=json.loads(r.origin), columns=json.loads(r.columns),
    )


def get_dataset(conn: Connection, *, name: str | None = None, id: str | None = None
                ) -> DatasetRow | None:
    q = select(datasets)
    q = q.where(datasets.c.name == name) if name is not None else q.where(datasets.c.id == id)
    row = conn.execute(q).first()
    return _dataset(row) if row else None


def count_active_customers(conn: Connection) -> int:
    """Customers the vault holds (not shredded): distinct individuals, since import merges
    the records of one person by identity keys."""
    q = select(func.count()).select_from(customers).where(customers.c.state == "active")
    return int(conn.execute(q).scalar_one())


def all_datasets(conn: Connection) -> list[DatasetRow]:
    return [_dataset(r) for r in conn.execute(select(datasets).order_by(datasets.c.name))]


def create_dataset(conn: Connection, ds: DatasetRow, now: dt.datetime) -> None:
    conn.execute(insert(datasets).values(
        id=ds.id, name=ds.name, purposes=json.dumps(ds.purposes, ensure_ascii=False),
        legal_basis=ds.legal_basis, responsible=ds.responsible,
        origin=json.dumps(ds.origin, ensure_ascii=False),
        columns=json.dumps(ds.columns, ensure_ascii=False), created_at=now,
    ))


def update_dataset_purposes(conn: Connection, dataset_id: str, purposes: list[str]) -> None:
    conn.execute(update(datasets).where(datasets.c.id == dataset_id).values(
        purposes=json.dumps(purposes, ensure_ascii=False)))


def import_seen(conn: Connection, dataset_id: str, sha256: str) -> int | None:
    """The rows counted when this file was imported into the dataset, or None."""
    q = select(imports.c.rows).where(imports.c.dataset_id == dataset_id,
                                     imports.c.source_sha256 == sha256)
    rows = conn.execute(q).scalar_one_or_none()
    return None if rows is None else int(rows)


def lock_for_import(conn: Connection) -> None:
    """One importer at a time (SQLite already holds the write lock from BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE records IN SHARE ROW EXCLUSIVE MODE"))


def next_record_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(records.c.id), 0))).scalar_one()) + 1


def _marks(conn: Connection, n: int) -> str:
    return ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * n)


def existing_digests(conn: Connection, dataset_id: str, digests: Collection[bytes]
                     ) -> set[bytes]:
    """Hot path of every import batch: plain driver SQL on the stored 16-byte digests."""
    found: set[bytes] = set()
    for part in _chunks(digests):
        sql = (f"SELECT digest FROM records WHERE dataset_id = {_marks(conn, 1)} "
               f"AND digest IN ({_marks(conn, len(part))})")
        found.update(bytes(r[0]) for r in conn.exec_driver_sql(sql, (dataset_id, *part)))
    return found


def customers_by_token(conn: Connection, tokens: Collection[bytes],
                       outside: Collection[str] = ()
                       ) -> dict[bytes, list[tuple[str, bytes | None]]]:
    """token (16 bytes) → (customer id, qualifier) of every customer holding it, in id
    order (a family can share a mobile or an e-mail and still be different customers).

    With `outside` (dataset ids), only customers holding a record in some other dataset:
    the customers a vault had before those datasets were written."""
    found: dict[bytes, list[tuple[str, bytes | None]]] = {}
    marks = _marks(conn, 1)
    for part in _chunks(tokens):
        sql = (f"SELECT token, customer_id, qualifier FROM lookup WHERE token IN "
               f"({_marks(conn, len(part))})")
        if outside:
            sql += (" AND EXISTS (SELECT 1 FROM records WHERE records.customer_id = "
                    f"lookup.customer_id AND records.dataset_id NOT IN "
                    f"({', '.join([marks] * len(outside))}))")
        sql += " ORDER BY token, customer_id"
        for tok, cid, qual in conn.exec_driver_sql(sql, (*part, *outside)):
            found.setdefault(bytes(tok), []).append(
                (cid, None if qual is None else bytes(qual)))
    return found


def has_lookup_entries(conn: Connection) -> bool:
    """Whether any customer can be found by a key (false in a vault holding no one yet)."""
    return conn.exec_driver_sql("SELECT 1 FROM lookup LIMIT 1").first() is not None


@dataclass(frozen=True)
class CustomerKeyRow:
    """A customer's wrapped data key as stored."""

    id: str
    state: str
    wrapped_key: bytes | None
    key_version: int | None
    key_generation: int


def customer_keys(conn: Connection, ids: Collection[str]) -> dict[str, CustomerKeyRow]:
    out: dict[str, CustomerKeyRow] = {}
    for part in _chunks(ids):
        q = select(customers.c.id, customers.c.state, customers.c.wrapped_key,
                   customers.c.key_version, customers.c.key_generation
                   ).where(customers.c.id.in_(part))
        for r in conn.execute(q):
            out[r.id] = CustomerKeyRow(r.id, r.state, r.wrapped_key, r.key_version,
                                       r.key_generation)
    return out


def existing_consents(conn: Connection, dataset_id: str, ids: Collection[str]
                      ) -> set[tuple[str, str, str, str | None]]:
    found: set[tuple[str, str, str, str | None]] = set()
    for part in _chunks(ids):
        q = select(consents.c.customer_id, consents.c.purpose, consents.c.kind,
                   consents.c.label).where(consents.c.dataset_id == dataset_id,
                                           consents.c.customer_id.in_(part))
        found.update((r[0], r[1], r[2], r[3]) for r in conn.execute(q))
    return found


def consents_for(conn: Connection, customer_id: str) -> list[dict[str, object]]:
    q = select(consents).where(consents.c.customer_id == customer_id)
    return [dict(r._mapping) for r in conn.execute(q)]


def records_of(conn: Connection, customer_id: str) -> list[tuple[int, str, int, str, bytes]]:
    """(record id, dataset id, row number, digest, sealed) for one customer."""
    q = select(records.c.id, records.c.dataset_id, records.c.row_no, records.c.digest,
               records.c.sealed).where(records.c.customer_id == customer_id
                                       ).order_by(records.c.id)
    return [(r[0], r[1], r[2], r[3], r[4]) for r in conn.execute(q)]


def shred_customer(conn: Connection, customer_id: str, reason: str, now: dt.datetime) -> None:
    """Destroy the data key and every ciphertext; keep a tombstone with no personal data."""
    conn.execute(delete(records).where(records.c.customer_id == customer_id))
    conn.execute(delete(lookup).where(lookup.c.customer_id == customer_id))
    conn.execute(update(customers).where(customers.c.id == customer_id).values(
        state="shredded", wrapped_key=None, key_version=None, shredded_at=now,
        shred_reason=reason,
    ))


def find_all_by_token(conn: Connection, token: str) -> list[str]:
    q = select(lookup.c.customer_id).where(lookup.c.token == token).order_by(
        lookup.c.customer_id)
    return list(conn.execute(q).scalars())


def purpose_consents(conn: Connection) -> dict[str, set[str]]:
    """customer → purposes with a valid (not withdrawn) purpose consent."""
    q = select(consents.c.customer_id, consents.c.purpose).where(
        consents.c.kind == "purpose", consents.c.withdrawn_at.is_(None))
    out: dict[str, set[str]] = {}
    for cid, purpose in conn.execute(q):
        out.setdefault(cid, set()).add(purpose)
    return out


def tokens_of(conn: Connection, customer_ids: Collection[str], label: str
              ) -> dict[str, set[bytes]]:
    """customer → their lookup tokens (16 bytes each) under one label."""
    out: dict[str, set[bytes]] = {}
    for part in _chunks(customer_ids):
        sql = (f"SELECT customer_id, token FROM lookup WHERE label = {_marks(conn, 1)} "
               f"AND customer_id IN ({_marks(conn, len(part))})")
        for cid, tok in conn.exec_driver_sql(sql, (label, *part)):
            out.setdefault(cid, set()).add(bytes(tok))
    return out


def consents_for_many(conn: Connection, customer_ids: Collection[str]
                      ) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for part in _chunks(customer_ids):
        q = select(consents).where(consents.c.customer_id.in_(part))
        for r in conn.execute(q):
            out.setdefault(r.customer_id, []).append(dict(r._mapping))
    return out
