"""Roles in the team database, against the real PostgreSQL: what each login may do.

Each test makes its own logins (``t<random>_<who>``, through the code under
test) and drops them afterwards; the group roles bng_admin and
bng_consultant are the server's, made idempotently by the migrations. The
server trusts local connections, so a login connects without its password
here: what is tested is what the database lets each login do.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, make_url, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.pool import NullPool

from bng_desktop.core.errors import NotAllowed
from bng_desktop.settings import sample_reference_path
from bng_desktop.sync.logins import TeamRole, add_login, make_password
from bng_desktop.sync.messages import OTHERS_QUOTE
from bng_desktop.sync.migrate import VERSION_TABLE, alembic_config, head_revision, upgrade_schema
from bng_desktop.sync.outbox import read_batch
from bng_desktop.sync.publish import Publisher, publish_data
from bng_desktop.sync.push import Sender, push_outbox, send_batch
from bng_desktop.sync.schema import metadata
from bng_desktop.sync.settings import desktop_id
from tests.factories import make_quote
from tests.store.builders import rich_reference


@dataclass
class Login:
    name: str
    url: str
    engine: Engine

    def execute(self, sql: str, **params):
        with self.engine.begin() as conn:
            return conn.execute(text(sql), params)


@pytest.fixture
def logins(central) -> Iterator[Callable[..., Login]]:
    """logins("alice", TeamRole.CONSULTANT) makes a unique login in that group
    (None: in no group); all are dropped after the test."""
    prefix = f"t{secrets.token_hex(4)}"
    made: list[Login] = []

    def make(who: str, role: TeamRole | None = TeamRole.CONSULTANT) -> Login:
        name = f"{prefix}_{who}"
        if role is None:
            with central.engine.connect() as conn:
                conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        else:
            add_login(central.engine, name, role, make_password())
        url = make_url(central.url).set(username=name)
        login = Login(
            name,
            url.render_as_string(hide_password=False),
            create_engine(url, poolclass=NullPool),
        )
        made.append(login)
        return login

    yield make
    for login in made:
        login.engine.dispose()
        with central.engine.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{login.name}"'))


def audit(central, action: str | None = None) -> list:
    where = "" if action is None else "WHERE action = :action"
    return central.rows(
        f"SELECT action, db_user, desktop_id, subject, detail::json AS detail "
        f"FROM audit_log {where} ORDER BY id",
        action=action,
    )


def push_as(login: Login, workspace) -> None:
    report = workspace.sync.sync(login.url)
    assert report.ok, report.error


def test_a_consultant_cannot_publish_in_plain_words_and_nothing_is_written(
    central, desktop, logins
):
    alice = logins("alice")
    with pytest.raises(NotAllowed) as refused:
        desktop("a").sync.publish_workbook(sample_reference_path(), url=alice.url)
    assert str(refused.value) == (
        f"Publishing needs an admin login: the login {alice.name!r} is not one. Ask your "
        "administrator, or use another login on the Sync page."
    )
    assert central.scalar("SELECT count(*) FROM reference_version") == 0
    assert central.scalar("SELECT count(*) FROM ref_bank") == 0
    assert audit(central) == []


def test_an_admin_publishes_and_the_audit_log_names_the_login_and_desktop(central, desktop, logins):
    boss = logins("boss", TeamRole.ADMIN)
    admin_desk = desktop("admin")
    published = admin_desk.sync.publish_workbook(sample_reference_path(), url=boss.url)
    assert not published.unchanged and published.rows > 4000
    rows = audit(central)
    assert [(r.action, r.db_user, r.subject) for r in rows] == [
        ("publish", boss.name, f"version {published.central_id}"),
        ("current", boss.name, f"version {published.central_id}"),
    ]
    assert {r.desktop_id for r in rows} == {desktop_id(admin_desk.settings)}
    assert rows[0].detail["hash"] == published.content_hash
    assert rows[0].detail["source"] == "sample_reference.xlsx"


def test_a_consultant_pushes_its_own_quotes_and_reads_the_teams(central, desktop, logins):
    boss, alice, bob = logins("boss", TeamRole.ADMIN), logins("alice"), logins("bob")
    with desktop("admin").sync.central_engine(boss.url) as engine:
        published = publish_data(
            engine, rich_reference(), source="v1.xlsx", publisher=Publisher("b", "x")
        )
    a, b = desktop("a"), desktop("b")
    saved = [a.quotes.save(make_quote(), client_name=f"Client {n}") for n in range(2)]
    push_as(alice, a)

    pushed = central.rows("SELECT reference, pushed_by FROM quote ORDER BY seq")
    assert pushed == [(s.reference, alice.name) for s in saved]
    pushes = audit(central, "push")
    assert [(r.db_user, r.subject) for r in pushes] == [(alice.name, s.reference) for s in saved]
    assert {r.desktop_id for r in pushes} == {desktop_id(a.settings)}

    report = b.sync.sync(bob.url)
    assert report.ok and report.team_quotes == 2 and len(report.versions) == 1
    assert b.references.current_version().content_hash == published.content_hash
    assert {q.client_name for q in b.quotes.search(team=True)} == {"Client 0", "Client 1"}


def test_a_consultant_cannot_update_or_delete_anothers_quote(central, desktop, logins):
    alice, bob = logins("alice"), logins("bob")
    saved = desktop("a").quotes.save(make_quote(), client_name="Acme")
    push_as(alice, desktop("a"))
    uuid = saved.uuid

    changed = bob.execute("UPDATE quote SET client_name = 'Bob Ltd' WHERE uuid = :u", u=uuid)
    assert changed.rowcount == 0  # row-level security: not bob's to update
    for statement in (
        "UPDATE quote SET payload = '{}' WHERE uuid = :u",  # not a column a re-send changes
        "DELETE FROM quote WHERE uuid = :u",
        "DELETE FROM quote_line WHERE quote_uuid = :u",
        "INSERT INTO quote_line SELECT quote_uuid, 99, kind, demand_index, demand_habitat, "
        "unit_type, bank_id, bank_name, supply_habitat, tier, units_supplied, unit_price, "
        "cost, price_source, stock_use, paired_parts FROM quote_line WHERE quote_uuid = :u",
    ):
        with pytest.raises(ProgrammingError, match=r"permission denied|row-level security"):
            bob.execute(statement, u=uuid)
    assert central.rows("SELECT client_name, payload <> '{}' FROM quote") == [("Acme", True)]
    assert central.scalar("SELECT count(*) FROM quote_line WHERE position = 99") == 0

    mine = alice.execute("UPDATE quote SET client_name = 'Acme Homes' WHERE uuid = :u", u=uuid)
    assert mine.rowcount == 1
    assert [r.db_user for r in audit(central, "update")] == [alice.name]


def test_a_re_send_under_another_login_is_set_aside_not_applied(central, desktop, logins):
    """The desktop's login changed between the central commit and the local
    confirmation: the quote is alice's, so bob's re-send is refused by row-level
    security, the quote stays as alice pushed it, and it waits with the reason."""
    alice, bob = logins("alice"), logins("bob")
    a = desktop("a")
    saved = a.quotes.save(make_quote(), client_name="Acme", author="Alice")
    sender = Sender(desktop_id(a.settings), "Alice")
    batch = read_batch(a.store, 10)
    with alice.engine.connect() as conn:
        send_batch(conn, batch.entries, batch.floor, sender)  # committed centrally only

    pushed = push_outbox(bob.engine, a.store, Sender(sender.desktop_id, "Bob"))
    assert pushed.quotes == 0
    assert pushed.refused == [(saved.reference, OTHERS_QUOTE)]
    assert central.rows("SELECT author, pushed_by FROM quote") == [("Alice", alice.name)]
    assert read_batch(a.store, 10).entries[0].claim.uuid == saved.uuid  # still pending


def test_only_an_admin_manages_promoters_and_nobody_winds_the_counter_back(central, logins):
    boss, alice = logins("boss", TeamRole.ADMIN), logins("alice")
    add = (
        "INSERT INTO promoter (name, discount_type, discount_value) "
        "VALUES ('Arbtech', 'percentage', '5')"
    )
    with pytest.raises(ProgrammingError, match="permission denied for table promoter"):
        alice.execute(add)
    boss.execute(add)
    with pytest.raises(ProgrammingError, match="permission denied for table promoter"):
        alice.execute("UPDATE promoter SET discount_value = '50'")
    assert central.rows("SELECT name, discount_value FROM promoter") == [("Arbtech", "5")]
    changes = audit(central, "promoter")
    assert [(r.db_user, r.subject, r.detail["change"]) for r in changes] == [
        (boss.name, "Arbtech", "insert")
    ]
    for login in (alice, boss):
        with pytest.raises(Exception, match="only moves forward"):
            login.execute("UPDATE quote_counter SET last_number = 0")
    for statement in (
        "INSERT INTO ref_policy (version_id, key, value) VALUES (1, 'k', 'v')",
        "TRUNCATE quote",
    ):
        with pytest.raises(ProgrammingError, match="permission denied"):
            alice.execute(statement)


def test_no_login_writes_or_erases_the_audit_log_and_only_admins_read_it(central, desktop, logins):
    boss, alice = logins("boss", TeamRole.ADMIN), logins("alice")
    desktop("a").quotes.save(make_quote(), client_name="Acme")
    push_as(alice, desktop("a"))
    forged = (
        "INSERT INTO audit_log (action, desktop_id, detail) VALUES ('push', 'x', '{}')",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET db_user = 'someone'",
    )
    for login in (alice, boss):
        for statement in forged:
            with pytest.raises(ProgrammingError, match="permission denied for table audit_log"):
                login.execute(statement)
    with pytest.raises(NotAllowed, match=r"^Reading the audit log needs an admin login"):
        desktop("a").sync.audit(alice.url)
    entries = desktop("a").sync.audit(boss.url)
    assert [(e.action, e.login) for e in entries] == [("push", alice.name)]


def test_a_login_in_no_group_is_told_what_it_needs(central, desktop, logins):
    stranger = logins("stranger", None)
    report = desktop("a").sync.sync(stranger.url)
    assert report.online and not report.ok
    assert report.error.startswith("Reading the team database needs a consultant or admin login")
    assert stranger.name in report.error


def test_a_consultant_cannot_make_or_change_the_schema(central, empty_database, desktop, logins):
    alice = logins("alice")
    elsewhere = make_url(empty_database).set(username=alice.name)
    with pytest.raises(NotAllowed, match=r"^Creating or upgrading the central schema needs"):
        desktop("a").sync.central_init(elsewhere.render_as_string(hide_password=False))
    for statement in ("ALTER TABLE quote DISABLE TRIGGER ALL", "DROP POLICY quote_read ON quote"):
        with pytest.raises(ProgrammingError, match="must be owner"):
            alice.execute(statement)


def test_a_second_database_reuses_the_servers_roles_and_the_migration_undoes_cleanly(
    central, empty_database
):
    """The group roles already exist (made for the session's database): init
    takes them as they are; downgrade leaves c0001's schema, upgrade restores."""
    engine = create_engine(empty_database, poolclass=NullPool)
    try:
        assert upgrade_schema(engine) == head_revision()
        assert grants_of(engine) == {
            ("bng_admin", "DELETE"),
            ("bng_consultant", "INSERT"),
            ("bng_consultant", "SELECT"),
        }
        with engine.connect() as conn, conn.begin():
            command.downgrade(alembic_config(conn), "c0001")
        assert grants_of(engine) == set()
        with engine.connect() as conn:
            assert inspect(conn).has_table("sync_log") and not inspect(conn).has_table("audit_log")
            assert conn.execute(text("SELECT count(*) FROM pg_policies")).scalar() == 0
            assert "pushed_by" not in {c["name"] for c in inspect(conn).get_columns("quote")}
        assert upgrade_schema(engine) == head_revision()
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def grants_of(engine: Engine) -> set[tuple[str, str]]:
    """(group, privilege) the BNG groups hold on the quote table themselves (not inherited)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
                "WHERE table_name = 'quote' AND grantee IN ('bng_admin', 'bng_consultant') "
                "AND privilege_type IN ('SELECT', 'INSERT', 'DELETE')"
            )
        )
        return {tuple(row) for row in rows}
