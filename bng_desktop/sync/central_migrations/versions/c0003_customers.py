"""Customers in the team database: any consultant adds them, the author or an admin edits.

- ``customer``: one row per customer, keyed by the desktop's UUID; email and
  phone unique by their keys (core/customers.py) when given.
- ``quote.customer_uuid``: the customer a quote is for (no foreign key: a
  quote is never refused for its customer's sake).
- Grants and row-level security as for quotes (c0002): a consultant reads
  every customer, adds customers, and changes only those its own login
  pushed (``pushed_by``, set by the server from ``session_user``); an admin
  changes or deletes any.
- Each customer added, changed or deleted is written to the audit log by a
  trigger, as quotes are.

Revision ID: c0003_customers
Revises: c0002_central_roles
Create Date: 2026-12-05 18:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0003_customers"
down_revision: str | Sequence[str] | None = "c0002_central_roles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADMIN = "bng_admin"
CONSULTANT = "bng_consultant"
ACTIONS = ("publish", "current", "push", "update", "delete", "promoter", "customer")
OLD_ACTIONS = ("publish", "current", "push", "update", "delete", "promoter")
EDITABLE = (
    "name",
    "company",
    "contact_person",
    "email",
    "email_key",
    "phone",
    "phone_key",
    "address",
    "updated_at",
)
"""What a consultant may change of its own customers."""
POLICIES = ("customer_read", "customer_add", "customer_update_own", "customer_admin")
SESSION_DESKTOP = "nullif(current_setting('bng.desktop_id', true), '')"


def _scalar(sql: str) -> str:
    return op.get_bind().execute(sa.text(sql)).scalar_one()


def _action_in(actions: Sequence[str]) -> str:
    return "action IN ({})".format(", ".join(f"'{a}'" for a in actions))


def upgrade() -> None:
    _customer_table()
    op.add_column("quote", sa.Column("customer_uuid", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_quote_customer_uuid"), "quote", ["customer_uuid"], unique=False)
    _audit_actions(ACTIONS)
    _grant()
    _row_level_security()
    _triggers()


def _customer_table() -> None:
    op.create_table(
        "customer",
        sa.Column("uuid", sa.Uuid(), nullable=False),
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
        sa.Column("desktop_id", sa.Text(), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("pushed_by", sa.Text(), server_default=sa.text("SESSION_USER"), nullable=False),
        sa.CheckConstraint("name <> ''", name=op.f("ck_customer_name_given")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_customer")),
        sa.UniqueConstraint("email_key", name=op.f("uq_customer_email_key")),
        sa.UniqueConstraint("phone_key", name=op.f("uq_customer_phone_key")),
    )


def _audit_actions(actions: Sequence[str]) -> None:
    op.drop_constraint(op.f("ck_audit_log_action_known"), "audit_log", type_="check")
    op.create_check_constraint(op.f("ck_audit_log_action_known"), "audit_log", _action_in(actions))


def _grant() -> None:
    for sql in (
        "REVOKE ALL ON customer FROM PUBLIC",
        f"GRANT SELECT, INSERT ON customer TO {CONSULTANT}",
        f"GRANT UPDATE ({', '.join(EDITABLE)}) ON customer TO {CONSULTANT}",
        f"GRANT UPDATE, DELETE ON customer TO {ADMIN}",
    ):
        op.execute(sql)


def _row_level_security() -> None:
    mine = "pushed_by = session_user"
    for sql in (
        "ALTER TABLE customer ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY customer_read ON customer FOR SELECT TO {CONSULTANT} USING (true)",
        f"CREATE POLICY customer_add ON customer FOR INSERT TO {CONSULTANT} WITH CHECK ({mine})",
        f"CREATE POLICY customer_update_own ON customer FOR UPDATE TO {CONSULTANT} "
        f"USING ({mine}) WITH CHECK ({mine})",
        f"CREATE POLICY customer_admin ON customer FOR ALL TO {ADMIN} "
        "USING (true) WITH CHECK (true)",
    ):
        op.execute(sql)


def _triggers() -> None:
    schema = op.get_bind().dialect.identifier_preparer.quote_identifier(
        _scalar("SELECT current_schema()")
    )
    path = f"SET search_path = pg_catalog, {schema}, pg_temp"
    op.execute(
        f"""
        CREATE FUNCTION bng_customer_pusher() RETURNS trigger LANGUAGE plpgsql {path} AS $fn$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                NEW.pushed_by := session_user;
            ELSE
                NEW.pushed_by := OLD.pushed_by;
            END IF;
            RETURN NEW;
        END
        $fn$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION bng_audit_customer() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        {path} AS $fn$
        DECLARE c customer;
        BEGIN
            IF TG_OP = 'DELETE' THEN c := OLD; ELSE c := NEW; END IF;
            INSERT INTO audit_log (action, desktop_id, subject, detail)
            VALUES (
                'customer',
                coalesce({SESSION_DESKTOP}, c.desktop_id, ''),
                c.name,
                json_build_object(
                    'change', lower(TG_OP), 'uuid', c.uuid, 'name', c.name,
                    'email', c.email, 'phone', c.phone, 'pushed_by', c.pushed_by
                )::text
            );
            RETURN NULL;
        END
        $fn$
        """
    )
    for function in ("bng_customer_pusher()", "bng_audit_customer()"):
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER bng_customer_pusher BEFORE INSERT OR UPDATE ON customer "
        "FOR EACH ROW EXECUTE FUNCTION bng_customer_pusher()"
    )
    op.execute(
        "CREATE TRIGGER bng_audit_customer AFTER INSERT OR UPDATE OR DELETE ON customer "
        "FOR EACH ROW EXECUTE FUNCTION bng_audit_customer()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER bng_audit_customer ON customer")
    op.execute("DROP TRIGGER bng_customer_pusher ON customer")
    op.execute("DROP FUNCTION bng_audit_customer()")
    op.execute("DROP FUNCTION bng_customer_pusher()")
    for policy in POLICIES:
        op.execute(f"DROP POLICY {policy} ON customer")
    op.execute(f"DELETE FROM audit_log WHERE NOT ({_action_in(OLD_ACTIONS)})")
    _audit_actions(OLD_ACTIONS)
    op.drop_index(op.f("ix_quote_customer_uuid"), table_name="quote")
    op.drop_column("quote", "customer_uuid")
    op.drop_table("customer")
