"""SQLAlchemy Core table definitions; Alembic migrations create exactly these."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = [
    "audit_checkpoints",
    "audit_events",
    "HexBytes",
    "consents",
    "customers",
    "datasets",
    "imports",
    "lookup",
    "metadata",
    "records",
    "secrets",
    "settings",
    "transfer_members",
    "transfer_notices",
    "transfer_steps",
    "transfers",
    "users",
    "vault_keys",
]

metadata = MetaData()


class HexBytes(TypeDecorator[str]):
    """A hex string in Python, its bytes in the database: keyed tokens and row digests are
    half the size on disk, so the indexes that hold them stay twice as dense."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        return bytes.fromhex(value) if isinstance(value, str) else value

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else bytes(value).hex()

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

vault_keys = Table(
    "vault_keys", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("wrapped", LargeBinary, nullable=False),
    Column("state", String(16), nullable=False),  # active | retiring | retired
    Column("created_at", DateTime(timezone=True), nullable=False),
)

secrets = Table(
    "secrets", metadata,
    Column("name", String(64), primary_key=True),
    Column("wrapped", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

users = Table(
    "users", metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(32), nullable=False),
    Column("display_name", String(128), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("removed_at", DateTime(timezone=True), nullable=True),
)

datasets = Table(
    "datasets", metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("purposes", Text, nullable=False),  # JSON list
    Column("legal_basis", String(32), nullable=False),
    Column("responsible", String(64), nullable=False),
    Column("origin", Text, nullable=False),  # JSON: file or transfer provenance
    Column("columns", Text, nullable=False),  # JSON: [{index, header, label, confidence}]
    Column("created_at", DateTime(timezone=True), nullable=False),
)

imports = Table(
    "imports", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset_id", String(40), ForeignKey("datasets.id"), nullable=False),
    Column("source_name", String(255), nullable=False),
    Column("source_sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("imported", Integer, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("dataset_id", "source_sha256", name="uq_imports_dataset_source"),
)

customers = Table(
    "customers", metadata,
    Column("id", String(24), primary_key=True),
    Column("state", String(16), nullable=False),  # active | shredded
    Column("wrapped_key", LargeBinary, nullable=True),  # None once crypto-shredded
    Column("key_version", Integer, nullable=True),  # vault key version wrapping the data key
    Column("key_generation", Integer, nullable=False, default=1),  # bound into field AAD
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("shredded_at", DateTime(timezone=True), nullable=True),
    Column("shred_reason", String(64), nullable=True),
)

records = Table(
    "records", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("customer_id", String(24), ForeignKey("customers.id"), nullable=False),
    Column("dataset_id", String(40), ForeignKey("datasets.id"), nullable=False),
    Column("row_no", Integer, nullable=False),
    Column("digest", HexBytes, nullable=False),  # keyed row fingerprint, 16 bytes
    Column("sealed", LargeBinary, nullable=False),  # framed per-field AES-GCM blobs
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("dataset_id", "digest", name="uq_records_dataset_digest"),
    Index("ix_records_customer", "customer_id"),
)

lookup = Table(
    "lookup", metadata,
    Column("token", HexBytes, primary_key=True),  # blind-index token, 16 bytes
    Column("customer_id", String(24), ForeignKey("customers.id"), primary_key=True),
    Column("label", String(32), nullable=False),
    # On an e-mail's row: the customer's name+e-mail token, so that the pair merges
    # without a row of its own (merge.name_email rows remain for a customer's other names).
    Column("qualifier", HexBytes, nullable=True),
    Index("ix_lookup_customer", "customer_id"),
    sqlite_with_rowid=False,  # the table is its primary-key index: half the writes
)

consents = Table(
    "consents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(24), ForeignKey("customers.id"), nullable=False),
    Column("dataset_id", String(40), ForeignKey("datasets.id"), nullable=True),
    Column("purpose", String(128), nullable=False),
    Column("kind", String(16), nullable=False),  # purpose | guardian | separate | provision
    Column("label", String(32), nullable=True),  # for separate consent: the sensitive label
    Column("evidence", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("withdrawn_at", DateTime(timezone=True), nullable=True),
    # Its index starts with customer_id: it serves the look-ups by customer too.
    UniqueConstraint("customer_id", "dataset_id", "purpose", "kind", "label",
                     name="uq_consents_scope"),
)

audit_events = Table(
    "audit_events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),  # ISO-8601 UTC, hashed as text
    Column("actor", String(64), nullable=False),
    Column("role", String(32), nullable=False),
    Column("action", String(64), nullable=False),
    Column("purpose", String(128), nullable=False),
    Column("customers", Text, nullable=False),  # JSON list of ids (or summary)
    Column("labels", Text, nullable=False),  # JSON list of field labels
    Column("result", String(16), nullable=False),
    Column("details", Text, nullable=False),  # JSON metadata, never a personal value
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_checkpoints = Table(
    "audit_checkpoints", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event_hash", String(64), nullable=False),
    Column("at", String(40), nullable=False),
    Column("signature", Text, nullable=False),
)

transfers = Table(
    "transfers", metadata,
    Column("id", String(40), primary_key=True),
    Column("side", String(8), nullable=False),  # seller | buyer
    Column("state", String(24), nullable=False),
    Column("deal_type", String(24), nullable=False),
    Column("document", Text, nullable=False),  # JSON: agreement draft and step artifacts
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # What the user stated at `transfer create` (migration 0006), read by the gate:
    # important data (TR-19), every customer GDPR-covered (TR-23), no successor (TR-18).
    Column("important_data", Boolean, nullable=False, server_default=false()),
    Column("gdpr_all", Boolean, nullable=False, server_default=false()),
    Column("no_successor", Boolean, nullable=False, server_default=false()),
)

transfer_steps = Table(
    "transfer_steps", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("transfer_id", String(40), ForeignKey("transfers.id"), nullable=False),
    Column("step", String(32), nullable=False),
    Column("artifact_hash", String(64), nullable=False),
    Column("link", String(64), nullable=False),
    Column("details", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

transfer_notices = Table(
    "transfer_notices", metadata,
    Column("transfer_id", String(40), ForeignKey("transfers.id"), primary_key=True),
    Column("customer_id", String(24), ForeignKey("customers.id"), primary_key=True),
    Column("channel", String(16), nullable=False),
    Column("status", String(16), nullable=False),  # prepared | delivered | failed
    Column("message_hash", String(64), nullable=False),
    Column("notified_at", DateTime(timezone=True), nullable=False),
    Column("objected_at", DateTime(timezone=True), nullable=True),
    Column("objection", String(16), nullable=True),  # object | delete
)


transfer_members = Table(
    "transfer_members", metadata,
    Column("transfer_id", String(40), ForeignKey("transfers.id"), primary_key=True),
    Column("customer_id", String(24), primary_key=True),
    Column("moved", Integer, nullable=False),  # 1 packaged, 0 excluded
    Column("reason", String(48), nullable=True),
    Column("fields", Text, nullable=False),  # JSON list of labels that moved
)
