"""Statutory credit prices an admin set, or pulled from the team's database, by date.

Revision ID: 0008_credit_prices
Revises: 0007_customers
Create Date: 2026-12-05 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_credit_prices"
down_revision: str | Sequence[str] | None = "0007_customers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit_price",
        sa.Column("effective_from", sa.Text(), nullable=False),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("price", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("set_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("effective_from", "tier", name=op.f("pk_credit_price")),
    )


def downgrade() -> None:
    op.drop_table("credit_price")
