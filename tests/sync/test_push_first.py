"""A sync pushes the queued quotes first, and each step runs whatever became of the others.

Against the real PostgreSQL, in a database of the test's own (dropped after):
a pull that fails (a version refused, the connection cut as the pull starts)
still lets the quotes through, and a push that fails (the server refusing
the quotes, the connection cut mid-push) still lets the new version in.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from bng_desktop.sync.migrate import upgrade_schema
from bng_desktop.sync.publish import Published, Publisher, publish_data
from bng_desktop.workspace import Workspace
from tests.factories import make_quote
from tests.store.builders import rich_reference
from tests.sync.conftest import Central, admin_engine, throwaway_database, url_text
from tests.sync.faults import pending

QUOTES = 3


@pytest.fixture
def own_central(pg_server) -> Iterator[Central]:
    """A central database for this test alone, migrated, dropped at the end."""
    with throwaway_database(pg_server) as url:
        engine = create_engine(url)
        try:
            upgrade_schema(engine)
        finally:
            engine.dispose()
        admin = admin_engine(url)
        try:
            yield Central(url_text(url), admin)
        finally:
            admin.dispose()


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Workspace]:
    """A desktop with quotes saved offline, waiting in its outbox."""
    with Workspace.open(tmp_path / "laptop") as workspace:
        for n in range(QUOTES):
            workspace.quotes.save(make_quote(), client_name=f"Client {n}", author="alex")
        yield workspace


def publish(central: Central, tmp_path: Path) -> Published:
    with Workspace.open(tmp_path / "admin") as admin, admin.sync.central_engine(central.url) as e:
        return publish_data(
            e, rich_reference("v1"), source="v1.xlsx", publisher=Publisher("admin", "admin-pc")
        )


def own_uuids(workspace: Workspace) -> set[str]:
    return {s.uuid for s in workspace.quotes.search(limit=None)}


def current_hash(workspace: Workspace) -> str | None:
    current = workspace.references.current_version()
    return None if current is None else current.content_hash


def terminating_at_first(stage: str, central: Central, events: list[str]):
    """A progress callback that records each stage and terminates the sync's
    connections at the first event of ``stage``."""
    done = itertools.count()

    def progress(seen: str, fraction: float, message: str) -> None:
        events.append(seen)
        if seen == stage and next(done) == 0:
            assert central.terminate_sync_backends() >= 1

    return progress


def test_a_refused_version_does_not_keep_the_quotes_back(own_central, laptop, tmp_path):
    publish(own_central, tmp_path)
    own_central.rows("UPDATE reference_version SET content_hash = 'tampered' RETURNING 1")
    report = laptop.sync.sync(own_central.url)
    assert not report.ok and report.online
    assert "does not match its published content hash" in report.error
    assert report.pushed.quotes == QUOTES
    assert pending(laptop) == set()
    assert own_uuids(laptop) <= set(own_central.quote_refs())
    assert current_hash(laptop) != "tampered"


def test_a_refused_push_does_not_keep_the_new_version_away(own_central, laptop, tmp_path):
    published = publish(own_central, tmp_path)
    with own_central.engine.connect() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'quotes are frozen for the audit'; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER frozen BEFORE INSERT ON quote FOR EACH ROW EXECUTE FUNCTION refuse()"
        )
    report = laptop.sync.sync(own_central.url)
    assert not report.ok and report.online
    assert "quotes are frozen for the audit" in report.error
    assert current_hash(laptop) == published.content_hash
    assert report.current is not None and report.pushed.quotes == 0
    assert pending(laptop) == own_uuids(laptop)
    assert own_central.quote_refs() == {}

    with own_central.engine.connect() as conn:
        conn.exec_driver_sql("DROP TRIGGER frozen ON quote")
    again = laptop.sync.sync(own_central.url)
    assert again.ok, again.error
    assert again.pushed.quotes == QUOTES and pending(laptop) == set()


def test_a_connection_cut_as_the_pull_starts_finds_the_quotes_already_pushed(
    own_central, laptop, tmp_path
):
    published = publish(own_central, tmp_path)
    events: list[str] = []
    report = laptop.sync.sync(
        own_central.url, progress=terminating_at_first("pull", own_central, events)
    )
    assert events.index("push") < events.index("pull")
    assert not report.ok and not report.online, "a dropped connection reads as offline"
    assert report.pushed.quotes == QUOTES
    assert pending(laptop) == set()
    assert set(own_central.quote_refs()) == own_uuids(laptop)
    assert current_hash(laptop) != published.content_hash, "the cut pull changed nothing"

    again = laptop.sync.sync(own_central.url)
    assert again.ok, again.error
    assert current_hash(laptop) == published.content_hash and again.pushed.quotes == 0


def test_a_connection_cut_mid_push_still_pulls_the_new_version(own_central, laptop, tmp_path):
    published = publish(own_central, tmp_path)
    events: list[str] = []
    report = laptop.sync.sync(
        own_central.url, progress=terminating_at_first("push", own_central, events)
    )
    assert not report.ok and not report.online
    assert "connection" in report.error
    assert current_hash(laptop) == published.content_hash
    assert pending(laptop) == own_uuids(laptop)
    assert own_central.quote_refs() == {}

    again = laptop.sync.sync(own_central.url)
    assert again.ok, again.error
    assert again.pushed.quotes == QUOTES and pending(laptop) == set()
    assert set(own_central.quote_refs()) == own_uuids(laptop)
