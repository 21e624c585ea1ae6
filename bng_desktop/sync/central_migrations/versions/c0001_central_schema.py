"""Central schema: reference versions and rows, quotes and lines, promoters, counter, sync log.

Revision ID: c0001
Revises:
Create Date: 2026-11-23 05:40:10.709774
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "promoter",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("username", sa.Text(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("discount_type", sa.Text(), server_default="none", nullable=False),
        sa.Column("discount_value", sa.Text(), server_default="0", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "discount_type IN ('none', 'tier_up', 'percentage')",
            name=op.f("ck_promoter_discount_type_known"),
        ),
        sa.CheckConstraint(
            "discount_value ~ '^[0-9]+(\\.[0-9]+)?(/[0-9]+)?$'",
            name=op.f("ck_promoter_discount_value_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["promoter.id"], name=op.f("fk_promoter_parent_id_promoter")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promoter")),
        sa.UniqueConstraint("name", name=op.f("uq_promoter_name")),
        sa.UniqueConstraint("username", name=op.f("uq_promoter_username")),
    )
    op.create_table(
        "quote_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_quote_counter_single_row")),
        sa.CheckConstraint(
            "last_number >= 0 AND last_seq >= 0", name=op.f("ck_quote_counter_non_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_counter")),
    )
    op.create_table(
        "reference_version",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("published_by", sa.Text(), nullable=False),
        sa.Column("is_current", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("row_counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_version")),
    )
    op.create_index(
        op.f("ix_reference_version_content_hash"),
        "reference_version",
        ["content_hash"],
        unique=False,
    )
    op.create_index(
        "ux_reference_version_current",
        "reference_version",
        ["is_current"],
        unique=True,
        postgresql_where=sa.text("is_current"),
    )
    op.create_table(
        "sync_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("desktop_id", sa.Text(), nullable=False),
        sa.Column("db_user", sa.Text(), server_default=sa.text("CURRENT_USER"), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.CheckConstraint("action IN ('publish', 'push')", name=op.f("ck_sync_log_action_known")),
        sa.CheckConstraint(
            "json_typeof(detail::json) = 'object'", name=op.f("ck_sync_log_detail_is_json_object")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_log")),
    )
    op.create_table(
        "quote",
        sa.Column("uuid", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("base_reference", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("provisional_reference", sa.Text(), nullable=False),
        sa.Column("desktop_id", sa.Text(), nullable=False),
        sa.Column("client_name", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("reference_version_id", sa.Integer(), nullable=True),
        sa.Column("reference_hash", sa.Text(), nullable=False),
        sa.Column("lpa", sa.Text(), nullable=False),
        sa.Column("nca", sa.Text(), nullable=False),
        sa.Column("contract_size", sa.Text(), nullable=False),
        sa.Column("subtotal", sa.Float(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("display_total", sa.Integer(), nullable=False),
        sa.Column("solver_name", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(revision = 0 AND reference = base_reference) OR "
            "(revision > 0 AND reference = base_reference || '.' || revision::text)",
            name=op.f("ck_quote_reference_matches_revision"),
        ),
        sa.CheckConstraint(
            "json_typeof(payload::json) = 'object'", name=op.f("ck_quote_payload_is_json_object")
        ),
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
        sa.UniqueConstraint("seq", name=op.f("uq_quote_seq")),
    )
    op.create_index(op.f("ix_quote_author"), "quote", ["author"], unique=False)
    op.create_index(op.f("ix_quote_base_reference"), "quote", ["base_reference"], unique=False)
    op.create_index(op.f("ix_quote_created_at"), "quote", ["created_at"], unique=False)
    op.create_index(op.f("ix_quote_desktop_id"), "quote", ["desktop_id"], unique=False)
    op.create_index(op.f("ix_quote_lpa"), "quote", ["lpa"], unique=False)
    op.create_index(op.f("ix_quote_nca"), "quote", ["nca"], unique=False)
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
    op.create_index(op.f("ix_ref_bank_version_id"), "ref_bank", ["version_id"], unique=False)
    op.create_table(
        "ref_bank_location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Text(), nullable=False),
        sa.Column("lpa", sa.Text(), nullable=False),
        sa.Column("nca", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("resolved_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_bank_location_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_bank_location")),
        sa.UniqueConstraint(
            "version_id", "bank_id", name=op.f("uq_ref_bank_location_version_id_bank_id")
        ),
    )
    op.create_index(
        op.f("ix_ref_bank_location_version_id"), "ref_bank_location", ["version_id"], unique=False
    )
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
    op.create_index(
        op.f("ix_ref_distinctiveness_version_id"),
        "ref_distinctiveness",
        ["version_id"],
        unique=False,
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
    op.create_index(op.f("ix_ref_habitat_version_id"), "ref_habitat", ["version_id"], unique=False)
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
    op.create_index(
        op.f("ix_ref_lpa_neighbour_version_id"), "ref_lpa_neighbour", ["version_id"], unique=False
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
    op.create_index(
        op.f("ix_ref_nca_neighbour_version_id"), "ref_nca_neighbour", ["version_id"], unique=False
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
    op.create_index(op.f("ix_ref_policy_version_id"), "ref_policy", ["version_id"], unique=False)
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
        sa.CheckConstraint(
            "price ~ '^[0-9]+(\\.[0-9]+)?(/[0-9]+)?$'", name=op.f("ck_ref_price_price_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_price_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_price")),
    )
    op.create_index(op.f("ix_ref_price_version_id"), "ref_price", ["version_id"], unique=False)
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
    op.create_index(op.f("ix_ref_srm_version_id"), "ref_srm", ["version_id"], unique=False)
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
        sa.CheckConstraint(
            "available_excl_quotes ~ '^[0-9]+(\\.[0-9]+)?(/[0-9]+)?$'",
            name=op.f("ck_ref_stock_available_excl_quotes_non_negative"),
        ),
        sa.CheckConstraint(
            "quantity_available ~ '^[0-9]+(\\.[0-9]+)?(/[0-9]+)?$'",
            name=op.f("ck_ref_stock_quantity_available_non_negative"),
        ),
        sa.CheckConstraint(
            "quoted ~ '^[0-9]+(\\.[0-9]+)?(/[0-9]+)?$'",
            name=op.f("ck_ref_stock_quoted_non_negative"),
        ),
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
    op.create_index(op.f("ix_ref_stock_version_id"), "ref_stock", ["version_id"], unique=False)
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
    op.create_index(
        op.f("ix_ref_trading_rule_version_id"), "ref_trading_rule", ["version_id"], unique=False
    )
    op.create_table(
        "quote_line",
        sa.Column("quote_uuid", sa.Uuid(as_uuid=False), nullable=False),
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
        sa.PrimaryKeyConstraint("quote_uuid", "position", name=op.f("pk_quote_line")),
    )
    op.create_index(op.f("ix_quote_line_bank_id"), "quote_line", ["bank_id"], unique=False)
    op.execute("INSERT INTO quote_counter (id, last_number, last_seq) VALUES (1, 2024, 0)")


def downgrade() -> None:
    op.drop_index(op.f("ix_quote_line_bank_id"), table_name="quote_line")
    op.drop_table("quote_line")
    op.drop_index(op.f("ix_ref_trading_rule_version_id"), table_name="ref_trading_rule")
    op.drop_table("ref_trading_rule")
    op.drop_index(op.f("ix_ref_stock_version_id"), table_name="ref_stock")
    op.drop_table("ref_stock")
    op.drop_index(op.f("ix_ref_srm_version_id"), table_name="ref_srm")
    op.drop_table("ref_srm")
    op.drop_index(op.f("ix_ref_price_version_id"), table_name="ref_price")
    op.drop_table("ref_price")
    op.drop_index(op.f("ix_ref_policy_version_id"), table_name="ref_policy")
    op.drop_table("ref_policy")
    op.drop_index(op.f("ix_ref_nca_neighbour_version_id"), table_name="ref_nca_neighbour")
    op.drop_table("ref_nca_neighbour")
    op.drop_index(op.f("ix_ref_lpa_neighbour_version_id"), table_name="ref_lpa_neighbour")
    op.drop_table("ref_lpa_neighbour")
    op.drop_index(op.f("ix_ref_habitat_version_id"), table_name="ref_habitat")
    op.drop_table("ref_habitat")
    op.drop_index(op.f("ix_ref_distinctiveness_version_id"), table_name="ref_distinctiveness")
    op.drop_table("ref_distinctiveness")
    op.drop_index(op.f("ix_ref_bank_location_version_id"), table_name="ref_bank_location")
    op.drop_table("ref_bank_location")
    op.drop_index(op.f("ix_ref_bank_version_id"), table_name="ref_bank")
    op.drop_table("ref_bank")
    op.drop_index(op.f("ix_quote_nca"), table_name="quote")
    op.drop_index(op.f("ix_quote_lpa"), table_name="quote")
    op.drop_index(op.f("ix_quote_desktop_id"), table_name="quote")
    op.drop_index(op.f("ix_quote_created_at"), table_name="quote")
    op.drop_index(op.f("ix_quote_base_reference"), table_name="quote")
    op.drop_index(op.f("ix_quote_author"), table_name="quote")
    op.drop_table("quote")
    op.drop_table("sync_log")
    op.drop_index(
        "ux_reference_version_current",
        table_name="reference_version",
        postgresql_where=sa.text("is_current"),
    )
    op.drop_index(op.f("ix_reference_version_content_hash"), table_name="reference_version")
    op.drop_table("reference_version")
    op.drop_table("quote_counter")
    op.drop_table("promoter")
