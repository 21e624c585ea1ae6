"""Roles in the team database: bng_admin and bng_consultant, row-level security, an audit log.

- Two group roles (NOLOGIN), made if the server does not have them yet
  (roles belong to the whole PostgreSQL server, not to one database: a
  second team database on the same server shares them). bng_admin is a
  member of bng_consultant, so an admin can do all a consultant can.
- Grants: a consultant reads everything but the audit log, pushes quotes
  (INSERT, and UPDATE of only the columns a re-send refreshes) and advances
  the reference counter; an admin also writes reference versions and their
  rows, promoters, and may delete quotes. Nobody but the owner (the login
  that ran the migrations) writes the audit log or changes the schema.
- Row-level security on quote and quote_line, where a grant cannot say it: a
  consultant updates only quotes its own login pushed (``quote.pushed_by``,
  set by the server from ``session_user``, never from the client), and adds
  lines only to those.
- The reference counter only moves forward, so no login can hand out a
  reference again (the owner alone may wind it back, to repair).
- ``sync_log`` becomes ``audit_log``, written by triggers (SECURITY DEFINER,
  as the owner) in the transaction that changes the data: each quote pushed
  or updated or deleted, each reference version published or made current,
  each promoter change — who (``session_user``), when, what, and from which
  desktop (the quote's ``desktop_id``, else the ``bng.desktop_id`` setting
  the app sets in its transaction, else the connection's application name).

Downgrade removes all of this but leaves the two group roles on the server,
as other databases there may use them; audit rows of kinds the old sync log
did not know are deleted.

Revision ID: c0002_central_roles
Revises: c0001
Create Date: 2026-12-05 17:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0002_central_roles"
down_revision: str | Sequence[str] | None = "c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADMIN = "bng_admin"
CONSULTANT = "bng_consultant"
REFERENCE_TABLES = (
    "reference_version",
    "ref_bank",
    "ref_bank_location",
    "ref_distinctiveness",
    "ref_habitat",
    "ref_lpa_neighbour",
    "ref_nca_neighbour",
    "ref_policy",
    "ref_price",
    "ref_srm",
    "ref_stock",
    "ref_trading_rule",
)
QUOTE_TABLES = ("quote", "quote_line")
VERSION_TABLE = "bng_central_version"
ALL_TABLES = (
    *REFERENCE_TABLES,
    *QUOTE_TABLES,
    "promoter",
    "quote_counter",
    "audit_log",
    VERSION_TABLE,
)
RESENT_COLUMNS = ("client_name", "author", "updated_at")
"""What a re-sent quote refreshes (sync/push.py): all a consultant may update."""
ACTIONS = ("publish", "current", "push", "update", "delete", "promoter")
OLD_ACTIONS = ("publish", "push")
SESSION_DESKTOP = "nullif(current_setting('bng.desktop_id', true), '')"
FUNCTIONS = (
    "bng_quote_pusher()",
    "bng_counter_forward()",
    "bng_audit_quote()",
    "bng_audit_reference_version()",
    "bng_audit_promoter()",
)
TRIGGERS = (
    ("quote", "bng_quote_pusher"),
    ("quote_counter", "bng_counter_forward"),
    ("quote", "bng_audit_quote_push"),
    ("quote", "bng_audit_quote_update"),
    ("quote", "bng_audit_quote_delete"),
    ("reference_version", "bng_audit_reference_version"),
    ("promoter", "bng_audit_promoter"),
)
POLICIES = (
    ("quote", "quote_read"),
    ("quote", "quote_push"),
    ("quote", "quote_update_own"),
    ("quote", "quote_admin"),
    ("quote_line", "quote_line_read"),
    ("quote_line", "quote_line_push"),
    ("quote_line", "quote_line_admin"),
)


def _quote(name: str) -> str:
    return op.get_bind().dialect.identifier_preparer.quote_identifier(name)


def _scalar(sql: str) -> str:
    return op.get_bind().execute(sa.text(sql)).scalar_one()


def _tables(names: Sequence[str]) -> str:
    return ", ".join(_quote(name) for name in names)


def upgrade() -> None:
    _create_group_roles()
    _audit_log_from_sync_log()
    op.add_column("quote", sa.Column("pushed_by", sa.Text(), server_default="", nullable=False))
    op.alter_column("quote", "pushed_by", server_default=sa.text("SESSION_USER"))
    _grant()
    _row_level_security()
    _triggers()


def _create_group_roles() -> None:
    for role in (CONSULTANT, ADMIN):
        op.execute(
            f"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                    CREATE ROLE {role} NOLOGIN;
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- made by another database's migration at the same moment
            END
            $$
            """
        )
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT pg_has_role('{ADMIN}', '{CONSULTANT}', 'MEMBER') THEN
                GRANT {CONSULTANT} TO {ADMIN};
            END IF;
        EXCEPTION WHEN unique_violation THEN
            NULL;
        END
        $$
        """
    )


def _audit_log_from_sync_log() -> None:
    op.rename_table("sync_log", "audit_log")
    op.execute("ALTER TABLE audit_log RENAME CONSTRAINT pk_sync_log TO pk_audit_log")
    op.execute(
        "ALTER TABLE audit_log RENAME CONSTRAINT ck_sync_log_detail_is_json_object "
        "TO ck_audit_log_detail_is_json_object"
    )
    op.drop_constraint(op.f("ck_sync_log_action_known"), "audit_log", type_="check")
    op.create_check_constraint(op.f("ck_audit_log_action_known"), "audit_log", _action_in(ACTIONS))
    op.execute("ALTER SEQUENCE sync_log_id_seq RENAME TO audit_log_id_seq")
    op.add_column("audit_log", sa.Column("subject", sa.Text(), server_default="", nullable=False))
    op.alter_column("audit_log", "db_user", server_default=sa.text("SESSION_USER"))
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)


def _action_in(actions: Sequence[str]) -> str:
    return "action IN ({})".format(", ".join(f"'{a}'" for a in actions))


def _grant() -> None:
    database = _quote(_scalar("SELECT current_database()"))
    schema = _quote(_scalar("SELECT current_schema()"))
    reference, quotes = _tables(REFERENCE_TABLES), _tables(QUOTE_TABLES)
    for sql in (
        f"REVOKE ALL ON {_tables(ALL_TABLES)} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO {CONSULTANT}",
        f"GRANT USAGE ON SCHEMA {schema} TO {CONSULTANT}",
        f"GRANT SELECT ON {reference}, {quotes}, promoter, quote_counter, {VERSION_TABLE} "
        f"TO {CONSULTANT}",
        f"GRANT INSERT ON {quotes} TO {CONSULTANT}",
        f"GRANT UPDATE ({', '.join(RESENT_COLUMNS)}) ON quote TO {CONSULTANT}",
        f"GRANT UPDATE ON quote_counter TO {CONSULTANT}",
        f"GRANT INSERT, UPDATE, DELETE ON {reference}, promoter TO {ADMIN}",
        f"GRANT UPDATE, DELETE ON {quotes} TO {ADMIN}",
        f"GRANT SELECT ON audit_log TO {ADMIN}",
    ):
        op.execute(sql)
    for table in (*REFERENCE_TABLES, "promoter"):
        sequence = _scalar(f"SELECT pg_get_serial_sequence('{table}', 'id')")
        op.execute(f"GRANT USAGE ON SEQUENCE {sequence} TO {ADMIN}")


def _row_level_security() -> None:
    mine = "pushed_by = session_user"
    own_quote = (
        "EXISTS (SELECT FROM quote q WHERE q.uuid = quote_line.quote_uuid "
        "AND q.pushed_by = session_user)"
    )
    for sql in (
        "ALTER TABLE quote ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY quote_read ON quote FOR SELECT TO {CONSULTANT} USING (true)",
        f"CREATE POLICY quote_push ON quote FOR INSERT TO {CONSULTANT} WITH CHECK ({mine})",
        f"CREATE POLICY quote_update_own ON quote FOR UPDATE TO {CONSULTANT} "
        f"USING ({mine}) WITH CHECK ({mine})",
        f"CREATE POLICY quote_admin ON quote FOR ALL TO {ADMIN} USING (true) WITH CHECK (true)",
        "ALTER TABLE quote_line ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY quote_line_read ON quote_line FOR SELECT TO {CONSULTANT} USING (true)",
        f"CREATE POLICY quote_line_push ON quote_line FOR INSERT TO {CONSULTANT} "
        f"WITH CHECK ({own_quote})",
        f"CREATE POLICY quote_line_admin ON quote_line FOR ALL TO {ADMIN} "
        "USING (true) WITH CHECK (true)",
    ):
        op.execute(sql)


def _function(name: str, body: str, *, declare: str = "", definer: bool = False) -> None:
    """A trigger function with a fixed search path (this schema, temp tables last)."""
    schema = _quote(_scalar("SELECT current_schema()"))
    security = "SECURITY DEFINER" if definer else ""
    declared = f"DECLARE {declare}" if declare else ""
    op.execute(
        f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql {security}
        SET search_path = pg_catalog, {schema}, pg_temp AS $fn$
        {declared}
        BEGIN
        {body}
        END
        $fn$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {name}() FROM PUBLIC")


def _audit(action: str, desktop: str, subject: str, detail: str) -> str:
    return (
        "INSERT INTO audit_log (action, desktop_id, subject, detail) "
        f"VALUES ({action}, coalesce({desktop}, ''), {subject}, ({detail})::text);"
    )


def _triggers() -> None:
    _function(
        "bng_quote_pusher",
        """
        IF TG_OP = 'INSERT' THEN
            NEW.pushed_by := session_user;
        ELSE
            NEW.pushed_by := OLD.pushed_by;
        END IF;
        RETURN NEW;
        """,
    )
    _function(
        "bng_counter_forward",
        """
        IF (NEW.last_number < OLD.last_number OR NEW.last_seq < OLD.last_seq)
            AND NOT pg_has_role(
                session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE'
            )
        THEN
            RAISE EXCEPTION 'the reference counter only moves forward'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
        """,
    )
    quote_detail = (
        "json_build_object('uuid', q.uuid, 'reference', q.reference, "
        "'provisional_reference', q.provisional_reference, 'revision', q.revision, "
        "'seq', q.seq, 'author', q.author, 'pushed_by', q.pushed_by)"
    )
    session_desktop = f"coalesce({SESSION_DESKTOP}, current_setting('application_name'))"
    _function(
        "bng_audit_quote",
        "IF TG_OP = 'DELETE' THEN q := OLD; ELSE q := NEW; END IF; "
        + _audit(
            "CASE TG_OP WHEN 'INSERT' THEN 'push' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END",
            f"coalesce({SESSION_DESKTOP}, q.desktop_id)",
            "q.reference",
            quote_detail,
        )
        + " RETURN NULL;",
        declare="q quote;",
        definer=True,
    )
    version_detail = (
        "json_build_object('version', NEW.id, 'source', NEW.source, 'label', NEW.label, "
        "'hash', NEW.content_hash, 'published_by', NEW.published_by, "
        "'rows', NEW.row_counts::json)"
    )
    _function(
        "bng_audit_reference_version",
        "IF TG_OP = 'INSERT' THEN "
        + _audit("'publish'", session_desktop, "'version ' || NEW.id", version_detail)
        + " END IF; IF NEW.is_current AND (TG_OP = 'INSERT' OR NOT OLD.is_current) THEN "
        + _audit("'current'", session_desktop, "'version ' || NEW.id", version_detail)
        + " END IF; RETURN NULL;",
        definer=True,
    )
    _function(
        "bng_audit_promoter",
        "IF TG_OP = 'DELETE' THEN p := OLD; ELSE p := NEW; END IF; "
        + _audit(
            "'promoter'",
            session_desktop,
            "p.name",
            "json_build_object('change', lower(TG_OP), 'id', p.id, 'name', p.name, "
            "'discount_type', p.discount_type, 'discount_value', p.discount_value)",
        )
        + " RETURN NULL;",
        declare="p promoter;",
        definer=True,
    )
    for sql in (
        "CREATE TRIGGER bng_quote_pusher BEFORE INSERT OR UPDATE ON quote "
        "FOR EACH ROW EXECUTE FUNCTION bng_quote_pusher()",
        "CREATE TRIGGER bng_counter_forward BEFORE UPDATE ON quote_counter "
        "FOR EACH ROW EXECUTE FUNCTION bng_counter_forward()",
        "CREATE TRIGGER bng_audit_quote_push AFTER INSERT ON quote "
        "FOR EACH ROW EXECUTE FUNCTION bng_audit_quote()",
        "CREATE TRIGGER bng_audit_quote_update AFTER UPDATE ON quote "
        "FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION bng_audit_quote()",
        "CREATE TRIGGER bng_audit_quote_delete AFTER DELETE ON quote "
        "FOR EACH ROW EXECUTE FUNCTION bng_audit_quote()",
        "CREATE TRIGGER bng_audit_reference_version AFTER INSERT OR UPDATE OF is_current "
        "ON reference_version FOR EACH ROW EXECUTE FUNCTION bng_audit_reference_version()",
        "CREATE TRIGGER bng_audit_promoter AFTER INSERT OR UPDATE OR DELETE ON promoter "
        "FOR EACH ROW EXECUTE FUNCTION bng_audit_promoter()",
    ):
        op.execute(sql)


def downgrade() -> None:
    for table, trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
    for table, policy in POLICIES:
        op.execute(f"DROP POLICY {policy} ON {table}")
    for table in QUOTE_TABLES:
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    database = _quote(_scalar("SELECT current_database()"))
    schema = _quote(_scalar("SELECT current_schema()"))
    roles = f"{ADMIN}, {CONSULTANT}"
    op.execute(f"REVOKE ALL ON {_tables(ALL_TABLES)} FROM {roles}")
    for table in (*REFERENCE_TABLES, "promoter"):
        sequence = _scalar(f"SELECT pg_get_serial_sequence('{table}', 'id')")
        op.execute(f"REVOKE ALL ON SEQUENCE {sequence} FROM {ADMIN}")
    op.execute(f"REVOKE ALL ON SCHEMA {schema} FROM {roles}")
    op.execute(f"REVOKE ALL ON DATABASE {database} FROM {roles}")
    op.drop_column("quote", "pushed_by")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_column("audit_log", "subject")
    op.alter_column("audit_log", "db_user", server_default=sa.text("CURRENT_USER"))
    op.execute(f"DELETE FROM audit_log WHERE NOT ({_action_in(OLD_ACTIONS)})")
    op.drop_constraint(op.f("ck_audit_log_action_known"), "audit_log", type_="check")
    op.create_check_constraint(
        op.f("ck_sync_log_action_known"), "audit_log", _action_in(OLD_ACTIONS)
    )
    op.execute("ALTER SEQUENCE audit_log_id_seq RENAME TO sync_log_id_seq")
    op.execute(
        "ALTER TABLE audit_log RENAME CONSTRAINT ck_audit_log_detail_is_json_object "
        "TO ck_sync_log_detail_is_json_object"
    )
    op.execute("ALTER TABLE audit_log RENAME CONSTRAINT pk_audit_log TO pk_sync_log")
    op.rename_table("audit_log", "sync_log")
