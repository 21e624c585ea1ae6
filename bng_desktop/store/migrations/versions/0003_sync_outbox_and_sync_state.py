"""Team sync: the outbox of quotes to push, team quotes, pulled versions, the sync log.

Quotes saved before this migration are queued too, so a team that turns sync
on later loses none of them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 05:37:18.462485
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.Text(), nullable=False),
        sa.Column("finished_at", sa.Text(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("versions_pulled", sa.Integer(), nullable=False),
        sa.Column("quotes_pushed", sa.Integer(), nullable=False),
        sa.Column("team_quotes", sa.Integer(), nullable=False),
        sa.Column("renumbered", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_log")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_log_finished_at"), ["finished_at"], unique=False)

    op.create_table(
        "sync_central_version",
        sa.Column("central_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("pulled_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_sync_central_version_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("central_id", name=op.f("pk_sync_central_version")),
        sa.UniqueConstraint("version_id", name=op.f("uq_sync_central_version_version_id")),
    )
    op.create_table(
        "sync_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_uuid", sa.Text(), nullable=False),
        sa.Column("queued_reference", sa.Text(), nullable=False),
        sa.Column("queued_at", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_uuid"],
            ["quote.uuid"],
            name=op.f("fk_sync_outbox_quote_uuid_quote"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_outbox")),
        sa.UniqueConstraint("quote_uuid", name=op.f("uq_sync_outbox_quote_uuid")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_outbox_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "sync_team_quote",
        sa.Column("quote_uuid", sa.Text(), nullable=False),
        sa.Column("central_seq", sa.Integer(), nullable=False),
        sa.Column("pulled_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_uuid"],
            ["quote.uuid"],
            name=op.f("fk_sync_team_quote_quote_uuid_quote"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("quote_uuid", name=op.f("pk_sync_team_quote")),
    )
    with op.batch_alter_table("sync_team_quote", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_team_quote_central_seq"), ["central_seq"], unique=False
        )

    op.execute(
        "INSERT INTO sync_outbox (quote_uuid, queued_reference, queued_at, attempts, last_error) "
        "SELECT uuid, reference, updated_at, 0, '' FROM quote ORDER BY created_at, reference"
    )


def downgrade() -> None:
    with op.batch_alter_table("sync_team_quote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_team_quote_central_seq"))

    op.drop_table("sync_team_quote")
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_outbox_sent_at"))

    op.drop_table("sync_outbox")
    op.drop_table("sync_central_version")
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_log_finished_at"))

    op.drop_table("sync_log")
