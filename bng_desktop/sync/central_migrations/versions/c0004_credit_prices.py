"""Statutory credit prices in the team database: every desktop pulls them, admins set them.

- ``credit_price``: one row per tier and effective date; a set of prices is
  in force from its date until the next set's (core/statutory_credits.py).
- Grants as for promoters (c0002): a consultant reads, an admin adds,
  changes and removes.
- Each price added, changed or removed is written to the audit log by a
  trigger (who, when, from which desktop), as promoters are.

Revision ID: c0004_credit_prices
Revises: c0003_customers
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0004_credit_prices"
down_revision: str | Sequence[str] | None = "c0003_customers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADMIN = "bng_admin"
CONSULTANT = "bng_consultant"
TIERS = ("A1", "A2", "A3", "A4", "A5", "H", "W")
ACTIONS = (
    "publish",
    "current",
    "push",
    "update",
    "delete",
    "promoter",
    "customer",
    "credit_prices",
)
OLD_ACTIONS = ("publish", "current", "push", "update", "delete", "promoter", "customer")
SESSION_DESKTOP = "nullif(current_setting('bng.desktop_id', true), '')"
EXACT_NON_NEGATIVE = r"^[0-9]+(\.[0-9]+)?(/[0-9]+)?$"


def _scalar(sql: str) -> str:
    return op.get_bind().execute(sa.text(sql)).scalar_one()


def _action_in(actions: Sequence[str]) -> str:
    return "action IN ({})".format(", ".join(f"'{a}'" for a in actions))


def upgrade() -> None:
    op.create_table(
        "credit_price",
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("price", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "set_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("set_by", sa.Text(), server_default=sa.text("SESSION_USER"), nullable=False),
        sa.CheckConstraint(
            "tier IN ({})".format(", ".join(f"'{t}'" for t in TIERS)),
            name=op.f("ck_credit_price_tier_known"),
        ),
        sa.CheckConstraint(
            f"price ~ '{EXACT_NON_NEGATIVE}'", name=op.f("ck_credit_price_price_non_negative")
        ),
        sa.PrimaryKeyConstraint("effective_from", "tier", name=op.f("pk_credit_price")),
    )
    _audit_actions(ACTIONS)
    for sql in (
        "REVOKE ALL ON credit_price FROM PUBLIC",
        f"GRANT SELECT ON credit_price TO {CONSULTANT}",
        f"GRANT INSERT, UPDATE, DELETE ON credit_price TO {ADMIN}",
    ):
        op.execute(sql)
    _audit_trigger()


def _audit_actions(actions: Sequence[str]) -> None:
    op.drop_constraint(op.f("ck_audit_log_action_known"), "audit_log", type_="check")
    op.create_check_constraint(op.f("ck_audit_log_action_known"), "audit_log", _action_in(actions))


def _audit_trigger() -> None:
    schema = op.get_bind().dialect.identifier_preparer.quote_identifier(
        _scalar("SELECT current_schema()")
    )
    op.execute(
        f"""
        CREATE FUNCTION bng_audit_credit_price() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, {schema}, pg_temp AS $fn$
        DECLARE p credit_price;
        BEGIN
            IF TG_OP = 'DELETE' THEN p := OLD; ELSE p := NEW; END IF;
            INSERT INTO audit_log (action, desktop_id, subject, detail)
            VALUES (
                'credit_prices',
                coalesce({SESSION_DESKTOP}, ''),
                'credit prices from ' || p.effective_from,
                json_build_object(
                    'change', lower(TG_OP), 'effective_from', p.effective_from,
                    'tier', p.tier, 'price', p.price, 'source', p.source
                )::text
            );
            RETURN NULL;
        END
        $fn$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION bng_audit_credit_price() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER bng_audit_credit_price AFTER INSERT OR UPDATE OR DELETE ON credit_price "
        "FOR EACH ROW EXECUTE FUNCTION bng_audit_credit_price()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER bng_audit_credit_price ON credit_price")
    op.execute("DROP FUNCTION bng_audit_credit_price()")
    op.execute(f"DELETE FROM audit_log WHERE NOT ({_action_in(OLD_ACTIONS)})")
    _audit_actions(OLD_ACTIONS)
    op.drop_table("credit_price")
