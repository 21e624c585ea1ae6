"""Initial schema: reference versions and rows, quotes and lines, result cache, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 04:06:31.685014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_setting")),
    )
    op.create_table(
        "reference_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("row_counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_version")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("reference_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reference_version_content_hash"), ["content_hash"], unique=False
        )
        batch_op.create_index(
            "ux_reference_version_current",
            ["is_current"],
            unique=True,
            sqlite_where=sa.text("is_current = 1"),
        )

    op.create_table(
        "quote",
        sa.Column("uuid", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("base_reference", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), server_default="0", nullable=False),
        sa.Column("client_name", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("reference_version_id", sa.Integer(), nullable=True),
        sa.Column("lpa", sa.Text(), nullable=False),
        sa.Column("nca", sa.Text(), nullable=False),
        sa.Column("contract_size", sa.Text(), nullable=False),
        sa.Column("subtotal", sa.Float(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("display_total", sa.Integer(), nullable=False),
        sa.Column("solver_name", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reference_version_id"],
            ["reference_version.id"],
            name=op.f("fk_quote_reference_version_id_reference_version"),
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_quote")),
        sa.UniqueConstraint(
            "base_reference", "revision", name=op.f("uq_quote_base_reference_revision")
        ),
        sa.UniqueConstraint("reference", name=op.f("uq_quote_reference")),
    )
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quote_base_reference"), ["base_reference"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_quote_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_quote_lpa"), ["lpa"], unique=False)
        batch_op.create_index(batch_op.f("ix_quote_nca"), ["nca"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_quote_reference_version_id"), ["reference_version_id"], unique=False
        )

    op.create_table(
        "ref_bank",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("lpa", sa.Text(), nullable=False),
        sa.Column("nca", sa.Text(), nullable=False),
        sa.Column("postcode", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_bank_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_bank")),
        sa.UniqueConstraint("version_id", "bank_id", name=op.f("uq_ref_bank_version_id_bank_id")),
    )
    with op.batch_alter_table("ref_bank", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ref_bank_version_id"), ["version_id"], unique=False)

    op.create_table(
        "ref_distinctiveness",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("level_value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_distinctiveness_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_distinctiveness")),
    )
    with op.batch_alter_table("ref_distinctiveness", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ref_distinctiveness_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "ref_habitat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit_type", sa.Text(), nullable=False),
        sa.Column("band", sa.Text(), nullable=False),
        sa.Column("broad_habitat", sa.Text(), nullable=False),
        sa.Column("trading_broad_habitat", sa.Text(), nullable=False),
        sa.Column("irreplaceable", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_habitat_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_habitat")),
        sa.UniqueConstraint("version_id", "name", name=op.f("uq_ref_habitat_version_id_name")),
    )
    with op.batch_alter_table("ref_habitat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ref_habitat_version_id"), ["version_id"], unique=False)

    op.create_table(
        "ref_lpa_neighbour",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("place_a", sa.Text(), nullable=False),
        sa.Column("place_b", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_lpa_neighbour_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_lpa_neighbour")),
    )
    with op.batch_alter_table("ref_lpa_neighbour", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ref_lpa_neighbour_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "ref_nca_neighbour",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("place_a", sa.Text(), nullable=False),
        sa.Column("place_b", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_nca_neighbour_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_nca_neighbour")),
    )
    with op.batch_alter_table("ref_nca_neighbour", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ref_nca_neighbour_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "ref_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_policy_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_policy")),
    )
    with op.batch_alter_table("ref_policy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ref_policy_version_id"), ["version_id"], unique=False)

    op.create_table(
        "ref_price",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Text(), nullable=False),
        sa.Column("habitat_name", sa.Text(), nullable=False),
        sa.Column("contract_size", sa.Text(), nullable=False),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("price", sa.Text(), nullable=False),
        sa.Column("broader_type", sa.Text(), nullable=False),
        sa.Column("distinctiveness_name", sa.Text(), nullable=False),
        sa.Column("bank_name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_price_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_price")),
    )
    with op.batch_alter_table("ref_price", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ref_price_version_id"), ["version_id"], unique=False)

    op.create_table(
        "ref_srm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("multiplier", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_srm_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_srm")),
    )
    with op.batch_alter_table("ref_srm", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ref_srm_version_id"), ["version_id"], unique=False)

    op.create_table(
        "ref_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("stock_id", sa.Text(), nullable=False),
        sa.Column("bank_id", sa.Text(), nullable=False),
        sa.Column("habitat_name", sa.Text(), nullable=False),
        sa.Column("quantity_available", sa.Text(), nullable=False),
        sa.Column("available_excl_quotes", sa.Text(), nullable=True),
        sa.Column("quoted", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_stock_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_stock")),
        sa.UniqueConstraint(
            "version_id", "stock_id", name=op.f("uq_ref_stock_version_id_stock_id")
        ),
    )
    with op.batch_alter_table("ref_stock", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ref_stock_version_id"), ["version_id"], unique=False)

    op.create_table(
        "ref_trading_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("demand_habitat", sa.Text(), nullable=False),
        sa.Column("allowed_supply_habitat", sa.Text(), nullable=False),
        sa.Column("min_band", sa.Text(), nullable=True),
        sa.Column("companion_habitat", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_trading_rule_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_trading_rule")),
    )
    with op.batch_alter_table("ref_trading_rule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ref_trading_rule_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "result_cache",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("reference_version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reference_version_id"],
            ["reference_version.id"],
            name=op.f("fk_result_cache_reference_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_result_cache")),
    )
    with op.batch_alter_table("result_cache", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_result_cache_reference_version_id"),
            ["reference_version_id"],
            unique=False,
        )

    op.create_table(
        "quote_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_uuid", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("demand_index", sa.Integer(), nullable=True),
        sa.Column("demand_habitat", sa.Text(), nullable=False),
        sa.Column("unit_type", sa.Text(), nullable=False),
        sa.Column("bank_id", sa.Text(), nullable=False),
        sa.Column("bank_name", sa.Text(), nullable=False),
        sa.Column("supply_habitat", sa.Text(), nullable=False),
        sa.Column("tier", sa.Text(), nullable=True),
        sa.Column("units_supplied", sa.Text(), nullable=False),
        sa.Column("unit_price", sa.Text(), nullable=False),
        sa.Column("cost", sa.Text(), nullable=False),
        sa.Column("price_source", sa.Text(), nullable=False),
        sa.Column("stock_use", sa.Text(), nullable=False),
        sa.Column("paired_parts", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_uuid"],
            ["quote.uuid"],
            name=op.f("fk_quote_line_quote_uuid_quote"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_line")),
    )
    with op.batch_alter_table("quote_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quote_line_bank_id"), ["bank_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quote_line_quote_uuid"), ["quote_uuid"], unique=False)


def downgrade() -> None:
    """Drops every table (and so every row): only for tests and development."""
    op.drop_table("quote_line")
    op.drop_table("result_cache")
    op.drop_table("ref_trading_rule")
    op.drop_table("ref_stock")
    op.drop_table("ref_srm")
    op.drop_table("ref_price")
    op.drop_table("ref_policy")
    op.drop_table("ref_nca_neighbour")
    op.drop_table("ref_lpa_neighbour")
    op.drop_table("ref_habitat")
    op.drop_table("ref_distinctiveness")
    op.drop_table("ref_bank")
    op.drop_table("quote")
    op.drop_table("reference_version")
    op.drop_table("app_setting")
