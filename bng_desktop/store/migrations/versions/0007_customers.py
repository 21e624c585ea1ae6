"""Customers, each quote's customer, and the promoters pulled from the team's database.

Revision ID: 0007_customers
Revises: 0006_durable
Create Date: 2026-12-05 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_customers"
down_revision: str | Sequence[str] | None = "0006_durable"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer",
        sa.Column("uuid", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("company", sa.Text(), nullable=False),
        sa.Column("contact_person", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("email_key", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("phone_key", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("from_team", sa.Boolean(), nullable=False),
        sa.Column("pushed_at", sa.Text(), nullable=True),
        sa.Column("push_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_customer")),
        sa.UniqueConstraint("email_key", name=op.f("uq_customer_email_key")),
        sa.UniqueConstraint("phone_key", name=op.f("uq_customer_phone_key")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_pushed_at"), ["pushed_at"], unique=False)
    op.create_table(
        "promoter",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("discount_type", sa.Text(), nullable=False),
        sa.Column("discount_value", sa.Text(), nullable=False),
        sa.Column("pulled_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_promoter")),
    )
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_uuid", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_quote_customer_uuid"), ["customer_uuid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quote_customer_uuid"))
        batch_op.drop_column("customer_uuid")
    op.drop_table("promoter")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_pushed_at"))
    op.drop_table("customer")
