"""lookup.qualifier: an e-mail's lookup row carries its customer's name+e-mail key

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable and without a default: SQLite and PostgreSQL add it without a rewrite. Rows
    # written before keep their separate merge.name_email rows, which still merge.
    op.add_column("lookup", sa.Column("qualifier", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lookup", schema=None,
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.drop_column("qualifier")
