"""drop ix_consents_customer: uq_consents_scope starts with customer_id and serves it

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_consents_customer", table_name="consents")


def downgrade() -> None:
    op.create_index("ix_consents_customer", "consents", ["customer_id"], unique=False)
