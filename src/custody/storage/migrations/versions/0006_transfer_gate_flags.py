"""transfers: what the user states at `transfer create` for the gate (TR-18, TR-19, TR-23)

important_data: the transfer carries "important data" (NDSMR Art. 32); gdpr_all: treat
every customer as covered by the GDPR; no_successor: a dissolution or bankruptcy without a
successor (PIPL Art. 47 ¶1(2)).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_FLAGS = ("important_data", "gdpr_all", "no_successor")


def upgrade() -> None:
    # NOT NULL with a constant default: SQLite and PostgreSQL add each column without a
    # rewrite, and transfers created before read as "not stated" (false).
    for name in _FLAGS:
        op.add_column(
            "transfers",
            sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()),
        )


def downgrade() -> None:
    # SQLite (3.35+) drops a plain column in place: no table copy, so the foreign keys of
    # transfer_steps, transfer_notices and transfer_members are left alone.
    for name in reversed(_FLAGS):
        op.drop_column("transfers", name)
