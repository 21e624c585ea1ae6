"""The outbox: written in the same local transaction as the quote, or not at all."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.pool import NullPool

from bng_desktop.core.errors import StoreError
from bng_desktop.settings import resolve_paths
from bng_desktop.store import Outbox, QuoteRepository, migrate, open_store
from bng_desktop.store.sqlite import create_store_engine
from bng_desktop.store.tables import SyncOutbox
from bng_desktop.sync.outbox import read_batch
from tests.factories import make_quote

_outbox = SyncOutbox.__table__


@pytest.fixture
def store(tmp_path):
    opened = open_store(resolve_paths(tmp_path / "data"))
    yield opened
    opened.close()


def outbox_rows(store) -> list:
    with store.read() as conn:
        return conn.execute(select(_outbox).order_by(_outbox.c.id)).all()


def quote_count(store) -> int:
    with store.read() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM quote").scalar()


def add_trigger(store, table: str) -> None:
    raw = sqlite3.connect(store.database)
    raw.execute(
        f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    raw.commit()
    raw.close()


def test_a_saved_quote_and_its_revision_are_queued(store):
    quotes = QuoteRepository(store)
    saved = quotes.save(make_quote(), client_name="Acme")
    revision = quotes.save_revision(saved.reference, make_quote())
    rows = outbox_rows(store)
    assert [(r.quote_uuid, r.queued_reference) for r in rows] == [
        (saved.uuid, saved.reference),
        (revision.uuid, revision.reference),
    ]
    assert all(r.sent_at is None for r in rows)
    assert Outbox(store).pending_count() == 2


@pytest.mark.parametrize("failing_table", ["quote_line", "sync_outbox"])
def test_a_failure_after_the_quote_insert_leaves_neither(store, failing_table):
    add_trigger(store, failing_table)
    with pytest.raises(StoreError, match="disk on fire"):
        QuoteRepository(store).save(make_quote(), client_name="Acme")
    assert quote_count(store) == 0
    assert outbox_rows(store) == []


def test_deleting_an_unsent_quote_removes_its_entry(store):
    quotes = QuoteRepository(store)
    saved = quotes.save(make_quote(), client_name="Acme")
    quotes.delete(saved.reference, confirm=True)
    assert outbox_rows(store) == []


def test_the_batch_carries_the_base_uuid_and_the_desktops_highest_number(store):
    quotes = QuoteRepository(store)
    base = quotes.save(make_quote(), client_name="Acme")
    quotes.save_revision(base.reference, make_quote())
    batch = read_batch(store, 10)
    assert batch.floor == 2025
    first, second = batch.entries
    assert first.claim.base_uuid == base.uuid and second.claim.base_uuid == base.uuid
    assert second.claim.revision == 1 and second.claim.max_revision == 1
    assert second.row["reference_hash"] == make_quote().reference_hash
    assert len(first.lines) == len(make_quote().lines)


def test_quotes_saved_before_the_sync_migration_are_queued_by_it(tmp_path):
    paths = resolve_paths(tmp_path / "old")
    with open_store(paths) as store:
        saved = QuoteRepository(store).save(make_quote(), client_name="Before sync")
    engine = create_store_engine(paths.database, foreign_keys=False, poolclass=NullPool)
    with engine.connect() as conn, conn.begin():
        command.downgrade(migrate.alembic_config(conn), "0002")
    engine.dispose()
    with open_store(paths) as store:
        rows = outbox_rows(store)
    assert [(r.quote_uuid, r.queued_reference, r.sent_at) for r in rows] == [
        (saved.uuid, saved.reference, None)
    ]
