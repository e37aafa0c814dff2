"""Look customers up by blind index, show them masked, and crypto-shred them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from custody.crypto.record_pack import open_record
from custody.domain.access import Action
from custody.domain.taxonomy import INDEXED_LABELS
from custody.domain.values import Masked, Plain
from custody.errors import InputError, NotFound
from custody.services.ports import ValueRules
from custody.services.vault import Vault
from custody.storage import customer_store as store
from custody.storage.tables import customers

__all__ = [
    "CustomerView",
    "FieldView",
    "RecordView",
    "delete_customer",
    "find_customers",
    "open_records",
    "show_customer",
]


@dataclass(frozen=True)
class FieldView:
    """One stored field of a record; the value is a Plain that prints masked."""

    column: int
    header: str
    label: str
    value: Plain

    @property
    def masked(self) -> Masked:
        return self.value.masked()


@dataclass(frozen=True)
class RecordView:
    """One imported row of a customer."""

    record_id: int
    dataset: str
    row_no: int
    fields: list[FieldView]


@dataclass(frozen=True)
class CustomerView:
    """A customer with their records, masked unless revealed through the gate."""

    id: str
    state: str
    records: list[RecordView]
    consents: list[dict[str, object]]


def find_customers(vault: Vault, label: str, value: str, *, rules: ValueRules) -> list[str]:
    """Customer ids whose `label` equals `value` after normalisation (exact match)."""
    vault.require(Action.CUSTOMERS_READ)
    if label not in INDEXED_LABELS:
        raise InputError(f"{label} has no blind index")
    norm = rules.normalize(label, value)
    if norm is None:
        raise InputError(f"not a valid {label} value")
    token = vault.keys.index.token(label, norm)
    with vault.transaction("lookup") as conn:
        found = store.find_all_by_token(conn, token)
        vault.audit(conn, "customers.find", customers=tuple(found), labels=(label,),
                    details={"matches": len(found)})
    return found


def _customer_state(conn: Connection, customer_id: str) -> str:
    state = conn.execute(
        select(customers.c.state).where(customers.c.id == customer_id)
    ).scalar_one_or_none()
    if state is None:
        raise NotFound(f"no customer {customer_id}")
    return str(state)


def open_records(vault: Vault, conn: Connection, customer_id: str) -> list[RecordView]:
    """Decrypt a customer's records into Plain values (masked wherever they are printed)."""
    keys = store.customer_keys(conn, [customer_id]).get(customer_id)
    if keys is None or keys.wrapped_key is None or keys.key_version is None:
        return []
    dk = vault.keys.unwrap_data_key(customer_id, keys.wrapped_key, keys.key_version)
    cipher = vault.keys.cipher(customer_id, dk, keys.key_generation)
    datasets = {d.id: d for d in store.all_datasets(conn)}
    views = []
    for rec_id, ds_id, row_no, digest, sealed in store.records_of(conn, customer_id):
        ds = datasets[ds_id]
        headers = {int(str(c["index"])): str(c.get("header") or "") for c in ds.columns}
        fields = [FieldView(i, headers.get(i, ""), label, Plain(label, value))
                  for i, label, value in open_record(cipher, f"{ds_id}/{digest}", sealed)]
        views.append(RecordView(rec_id, ds.name, row_no, fields))
    return views


def show_customer(vault: Vault, customer_id: str) -> CustomerView:
    """The customer's records, every value masked per the taxonomy."""
    vault.require(Action.CUSTOMERS_READ)
    with vault.transaction("show customer") as conn:
        state = _customer_state(conn, customer_id)
        recs = open_records(vault, conn, customer_id)
        cons = store.consents_for(conn, customer_id)
        vault.audit(conn, "customers.show", customers=(customer_id,),
                    labels=tuple(sorted({f.label for r in recs for f in r.fields})))
    return CustomerView(customer_id, state, recs, cons)


def delete_customer(vault: Vault, customer_id: str, *, reason: str = "request") -> None:
    """Crypto-shred a customer: their data key and ciphertexts go, a tombstone stays."""
    vault.require(Action.CUSTOMERS_DELETE)
    with vault.transaction("delete customer") as conn:
        if _customer_state(conn, customer_id) == "shredded":
            raise NotFound(f"customer {customer_id} is already deleted")
        store.shred_customer(conn, customer_id, reason, vault.clock())
        vault.audit(conn, "customer.delete", customers=(customer_id,),
                    details={"reason": reason, "method": "crypto-shredding"})
