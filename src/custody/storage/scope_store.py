"""Streams the sealed records of a set of datasets, grouped by customer, and fetches the
consents and notice states of a batch of those customers in one query each."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Collection, Container, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Dialect,
    Select,
    String,
    TypeDecorator,
    func,
    select,
    type_coerce,
)

from custody.storage.tables import consents, customers, records, transfer_notices

__all__ = [
    "ConsentRow",
    "SealedCustomer",
    "SealedRecord",
    "consents_of",
    "iter_sealed_customers",
    "notices_of",
]


class SealedRecord(NamedTuple):
    """One stored record, still sealed (a tuple: one is built per record streamed)."""

    record_id: int
    dataset_id: str
    row_no: int
    digest: str
    sealed: bytes


class SealedCustomer(NamedTuple):
    """A customer's wrapped key and sealed records within the requested datasets."""

    id: str
    wrapped_key: bytes
    key_version: int
    key_generation: int
    records: list[SealedRecord]


class ConsentRow(NamedTuple):
    """One stored consent of a customer (the customer id is the key it is filed under)."""

    dataset_id: str | None
    purpose: str
    kind: str
    label: str | None
    evidence: str
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None


def iter_sealed_customers(
    conn: Connection, dataset_ids: Collection[str], *, batch: int = 2000
) -> Iterator[SealedCustomer]:
    """Active customers with records in `dataset_ids`, ordered by id; streamed."""
    in_scope: ColumnElement[str] = records.c.dataset_id
    if conn.dialect.name == "sqlite":
        # Not by the (dataset, digest) index: SQLite would then sort every record, sealed
        # blobs and all, in a temporary B-tree before the first row. Walking the customer
        # index returns the rows in the order asked for, with nothing to sort.
        in_scope = in_scope.concat("")
    q = (
        select(records.c.customer_id, records.c.id, records.c.dataset_id, records.c.row_no,
               type_coerce(records.c.digest, _AsStored), records.c.sealed,
               customers.c.wrapped_key, customers.c.key_version, customers.c.key_generation)
        .join(customers, customers.c.id == records.c.customer_id)
        .where(in_scope.in_(list(dataset_ids)), customers.c.state == "active")
        .order_by(records.c.customer_id, records.c.id)
    )
    current: SealedCustomer | None = None
    with _stored_rows(conn, q, batch) as rows:
        for cid, rid, ds, row_no, digest, sealed, wrapped, version, generation in rows:
            if current is None or current.id != cid:
                if current is not None:
                    yield current
                current = SealedCustomer(cid, wrapped, version, generation, [])
            current.records.append(SealedRecord(rid, ds, row_no, digest.hex(), sealed))
    if current is not None:
        yield current


@contextmanager
def _stored_rows(conn: Connection, q: Select[Any], batch: int) -> Iterator[Iterator[Any]]:
    """The rows of `q` streamed as the driver returns them: on SQLite straight from the
    driver's cursor (SQLAlchemy's per-row work costs more than the query on these hot
    paths), elsewhere through SQLAlchemy's streaming result. Columns that need result
    processing must be read with `_AsStored`; parameters must be plain values."""
    if conn.dialect.name != "sqlite":
        # statement-level option: Connection.execution_options would stream every later
        # statement on this connection too (and PostgreSQL refuses executemany on those)
        result = conn.execute(q, execution_options={"yield_per": batch})
        try:
            yield iter(result)
        finally:
            result.close()
        return
    compiled = q.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]  # open
    try:
        cursor.execute(str(compiled), params)
        yield itertools.chain.from_iterable(iter(lambda: cursor.fetchmany(batch), []))
    finally:
        cursor.close()


def consents_of(conn: Connection, first: str, last: str, wanted: Container[str]
                ) -> dict[str, tuple[ConsentRow, ...]]:
    """customer → every consent on file (live and withdrawn), for the `wanted` customers
    whose ids lie between `first` and `last` (inclusive, in the database's own order).

    One range query per batch of customers streamed in id order: the ranges of
    successive batches do not overlap, so a whole pass reads each consent at most once,
    and rows of customers outside the batch are dropped as they arrive.

    Many customers share the same consents (one import, one evidence): customers with the
    same rows share one tuple, so that callers can remember what they work out from it by
    identity, and each distinct row becomes one `ConsentRow`, its timestamps converted
    once (SQLAlchemy would parse them per row). On SQLite each row comes as one JSON
    array (one string to fetch and compare instead of seven values), parsed once per
    distinct row."""
    c = consents.c
    content = (c.dataset_id, c.purpose, c.kind, c.label, c.evidence,
               type_coerce(c.recorded_at, _AsStored), type_coerce(c.withdrawn_at, _AsStored))
    as_json = conn.dialect.name == "sqlite"
    q = (select(c.customer_id,
                *((type_coerce(func.json_array(*content), _AsStored),) if as_json else content))
         .where(c.customer_id >= first, c.customer_id <= last)
         .order_by(c.customer_id, c.id))
    found: dict[str, list[Any]] = {}
    with _stored_rows(conn, q, 4096) as stream:
        for stored in stream if as_json else ((r[0], tuple(r[1:])) for r in stream):
            if (cid := stored[0]) not in wanted:
                continue
            if (mine := found.get(cid)) is None:
                found[cid] = [stored[1]]
            else:
                mine.append(stored[1])
    when = _timestamp_reader(conn)
    rows: dict[Any, ConsentRow] = {}
    shared: dict[tuple[Any, ...], tuple[ConsentRow, ...]] = {}
    out: dict[str, tuple[ConsentRow, ...]] = {}
    for cid, keys in found.items():
        same = shared.get(key := tuple(keys))
        if same is None:
            same = shared[key] = tuple([
                rows.get(k) or rows.setdefault(k, _consent_row(json.loads(k) if as_json else k,
                                                               when))
                for k in keys])
        out[cid] = same
    return out


def _consent_row(stored: Sequence[Any], when: Callable[[Any], Any]) -> ConsentRow:
    ds, purpose, kind, label, evidence, recorded, withdrawn = stored
    return ConsentRow(ds, purpose, kind, label, evidence, when(recorded),
                      None if withdrawn is None else when(withdrawn))


class _AsStored(TypeDecorator[object]):
    """A column read as the driver returns it (no result processing)."""

    impl = String
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> None:
        return None


def _timestamp_reader(conn: Connection) -> Callable[[Any], Any]:
    """What SQLAlchemy does to a stored `consents` timestamp (a text on SQLite; PostgreSQL's
    driver hands over a datetime already)."""
    proc = consents.c.recorded_at.type.dialect_impl(conn.dialect).result_processor(
        conn.dialect, None)
    return (lambda value: value) if proc is None else proc


def notices_of(conn: Connection, transfer_id: str, first: str, last: str,
               wanted: Container[str]) -> dict[str, tuple[str, str | None]]:
    """customer → (delivery status, objection or None) of the transfer's notice, for the
    `wanted` customers between `first` and `last` (as for `consents_of`)."""
    n = transfer_notices.c
    q = select(n.customer_id, n.status, n.objection).where(
        n.transfer_id == transfer_id, n.customer_id >= first, n.customer_id <= last)
    with _stored_rows(conn, q, 4096) as stream:
        return {cid: (status, objection) for cid, status, objection in stream
                if cid in wanted}
