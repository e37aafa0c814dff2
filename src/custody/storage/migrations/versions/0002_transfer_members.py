"""transfer members

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "transfer_members",
        sa.Column("transfer_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=24), nullable=False),
        sa.Column("moved", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=48), nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["transfers.id"],
        ),
        sa.PrimaryKeyConstraint("transfer_id", "customer_id"),
    )


def downgrade() -> None:

    op.drop_table("transfer_members")
