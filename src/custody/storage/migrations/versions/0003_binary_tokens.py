"""binary tokens: blind-index tokens and row digests stored as bytes, not hex text

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS = (("lookup", "token"), ("records", "digest"))


def _sqlite_functions() -> None:
    raw = op.get_bind().connection.driver_connection
    assert raw is not None  # a live SQLite connection during the migration
    raw.create_function("custody_unhex", 1,
                        lambda v: bytes.fromhex(v) if isinstance(v, str) else v,
                        deterministic=True)
    raw.create_function("custody_hex", 1,
                        lambda v: bytes(v).hex() if isinstance(v, bytes) else v,
                        deterministic=True)


def _convert(to_bytes: bool) -> None:
    text, binary = sa.String(length=32), sa.LargeBinary()
    new, old = (binary, text) if to_bytes else (text, binary)
    if op.get_bind().dialect.name == "postgresql":
        fn = "decode({c}, 'hex')" if to_bytes else "encode({c}, 'hex')"
        for table, column in _COLUMNS:
            op.alter_column(table, column, type_=new, existing_type=old,
                            existing_nullable=False, postgresql_using=fn.format(c=column))
        return
    _sqlite_functions()
    fn = "custody_unhex" if to_bytes else "custody_hex"
    for table, column in _COLUMNS:
        # SQLite keeps whatever a cell holds: convert the values, then declare the type.
        op.execute(f"UPDATE {table} SET {column} = {fn}({column})")
        kwargs = {"sqlite_with_rowid": False} if table == "lookup" else {}
        with op.batch_alter_table(table, schema=None, table_kwargs=kwargs) as batch_op:
            batch_op.alter_column(column, type_=new, existing_type=old,
                                  existing_nullable=False)


def upgrade() -> None:
    _convert(to_bytes=True)


def downgrade() -> None:
    _convert(to_bytes=False)
