"""Quote drafts: the quote each desktop user is working on, kept across restarts.

Revision ID: 0004_screen_draft
Revises: 0003
Create Date: 2026-12-05 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_screen_draft"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quote_draft",
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("user_name", name=op.f("pk_quote_draft")),
    )


def downgrade() -> None:
    op.drop_table("quote_draft")
