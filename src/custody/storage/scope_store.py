"""Streams the sealed records of a set of datasets, grouped by customer."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, select

from custody.storage.tables import customers, records

__all__ = ["SealedCustomer", "SealedRecord", "iter_sealed_customers"]


@dataclass(frozen=True)
class SealedRecord:
    """One stored record, still sealed."""

    record_id: int
    dataset_id: str
    row_no: int
    digest: str
    sealed: bytes


@dataclass(frozen=True)
class SealedCustomer:
    """A customer's wrapped key and sealed records within the requested datasets."""

    id: str
    wrapped_key: bytes
    key_version: int
    key_generation: int
    records: list[SealedRecord]


def iter_sealed_customers(
    conn: Connection, dataset_ids: Collection[str], *, batch: int = 2000
) -> Iterator[SealedCustomer]:
    """Active customers with records in `dataset_ids`, ordered by id; streamed."""
    q = (
        select(records.c.customer_id, records.c.id, records.c.dataset_id, records.c.row_no,
               records.c.digest, records.c.sealed, customers.c.wrapped_key,
               customers.c.key_version, customers.c.key_generation)
        .join(customers, customers.c.id == records.c.customer_id)
        .where(records.c.dataset_id.in_(list(dataset_ids)), customers.c.state == "active")
        .order_by(records.c.customer_id, records.c.id)
    )
    # statement-level option: Connection.execution_options would stream every later
    # statement on this connection too (and PostgreSQL refuses executemany on those)
    result = conn.execute(q, execution_options={"yield_per": batch})
    current: SealedCustomer | None = None
    try:
        for r in result:
            if current is None or current.id != r[0]:
                if current is not None:
                    yield current
                current = SealedCustomer(r[0], r[6], r[7], r[8], [])
            current.records.append(SealedRecord(r[1], r[2], r[3], r[4], r[5]))
        if current is not None:
            yield current
    finally:
        result.close()
