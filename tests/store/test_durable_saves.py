"""Saved means saved: quote saves and push confirmations commit with synchronous=FULL.

SQLite cannot be made to lose power in a test, so these check what decides
it: the ``synchronous`` level in force on the connection at the moment each
transaction commits (2 = FULL, the write-ahead log flushed before COMMIT
returns; 1 = NORMAL), read through the DBAPI connection as the COMMIT goes out.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event

from bng_desktop.store import AppSettings, FinalReference, Outbox, QuoteRepository, Store
from bng_desktop.store.sqlite import Durability
from tests.factories import make_quote

FULL, NORMAL = 2, 1


@pytest.fixture
def commits(store: Store) -> Iterator[list[tuple[int, int]]]:
    """(synchronous, fullfsync) of every commit on the store's engine, in order."""
    seen: list[tuple[int, int]] = []

    def on_commit(conn) -> None:
        raw = conn.connection.driver_connection
        synchronous = raw.execute("PRAGMA synchronous").fetchone()[0]
        fullfsync = raw.execute("PRAGMA fullfsync").fetchone()[0]
        seen.append((synchronous, fullfsync))

    event.listen(store.engine, "commit", on_commit)
    yield seen
    event.remove(store.engine, "commit", on_commit)


def test_a_save_and_a_revision_commit_with_full_sync(
    quotes: QuoteRepository, commits: list
) -> None:
    saved = quotes.save(make_quote(), client_name="Acme")
    quotes.save_revision(saved.reference, make_quote())
    assert commits == [(FULL, 1), (FULL, 1)]


def test_other_writes_stay_normal_on_the_same_pooled_connection(
    store: Store, quotes: QuoteRepository, commits: list
) -> None:
    quotes.save(make_quote(), client_name="Acme")
    AppSettings(store).set("window", [1280, 800])
    with store.transaction() as conn:
        conn.exec_driver_sql("INSERT INTO app_setting (key, value) VALUES ('k', '1')")
    assert commits == [(FULL, 1), (NORMAL, 0), (NORMAL, 0)]


def test_confirming_a_push_is_durable_too(
    store: Store, quotes: QuoteRepository, commits: list
) -> None:
    saved = quotes.save(make_quote(), client_name="Acme")
    final = FinalReference(saved.uuid, "BNG-A-03000", "BNG-A-03000", 0)
    assert Outbox(store).mark_sent([final], "jo") == [(saved.reference, "BNG-A-03000")]
    assert commits == [(FULL, 1), (FULL, 1)]
    assert quotes.get("BNG-A-03000").uuid == saved.uuid


def test_the_level_is_set_for_each_transaction_not_left_behind(store: Store) -> None:
    with store.transaction(durability=Durability.FULL) as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == FULL
    with store.transaction() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == NORMAL
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == NORMAL


def test_a_save_still_lands_in_the_outbox_in_the_same_transaction(
    store: Store, quotes: QuoteRepository
) -> None:
    saved = quotes.save(make_quote(), client_name="Acme")
    batch = Outbox(store).read_batch(10)
    assert [p.quote["uuid"] for p in batch.pending] == [saved.uuid]
