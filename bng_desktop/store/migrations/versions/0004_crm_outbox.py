"""The CRM outbox: saved quotes waiting to be sent to the CRM.

Revision ID: 0004_crm
Revises: 0003
Create Date: 2026-12-05 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_crm"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crm_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("queued_at", sa.Text(), nullable=False),
        sa.Column("next_attempt_at", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.Text(), nullable=True),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_outbox")),
        sa.UniqueConstraint("reference", name=op.f("uq_crm_outbox_reference")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("crm_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_crm_outbox_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_crm_outbox_sent_at"), ["sent_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("crm_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crm_outbox_sent_at"))
        batch_op.drop_index(batch_op.f("ix_crm_outbox_next_attempt_at"))
    op.drop_table("crm_outbox")
