"""The SQLite file: pragmas, transactions, errors."""

from __future__ import annotations

import sqlite3
import sys
import threading

import pytest
from sqlalchemy import text

from bng_desktop.core.errors import StoreError
from bng_desktop.settings import Paths
from bng_desktop.store import ResultCache, Store, open_store
from bng_desktop.store import sqlite as store_sqlite


def _pragma(conn, name: str):
    return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_every_connection_has_the_pragmas(store: Store) -> None:
    seen = []

    def check() -> None:
        with store.read() as conn:
            seen.append(
                (
                    _pragma(conn, "journal_mode"),
                    _pragma(conn, "foreign_keys"),
                    _pragma(conn, "busy_timeout"),
                    _pragma(conn, "synchronous"),
                )
            )

    threads = [threading.Thread(target=check) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [("wal", 1, 10_000, 1)] * 4  # synchronous NORMAL is 1


def test_the_file_itself_is_in_wal_mode(store: Store) -> None:
    raw = sqlite3.connect(store.database)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute(text("INSERT INTO app_setting (key, value) VALUES ('a', '1')"))
        raise RuntimeError("boom")
    with store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM app_setting")).scalar() == 0


def test_a_committed_transaction_is_visible_to_other_connections(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute(text("INSERT INTO app_setting (key, value) VALUES ('theme', 'dark')"))
    with open_store(store.paths) as other, other.read() as conn:
        assert conn.execute(text("SELECT value FROM app_setting")).scalar() == "dark"


def test_write_transactions_begin_immediate(store: Store) -> None:
    """BEGIN IMMEDIATE takes the write lock at once: a second writer cannot start."""
    with store.transaction():
        raw = sqlite3.connect(store.database, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                raw.execute("BEGIN IMMEDIATE")
        finally:
            raw.close()


def test_a_locked_database_raises_store_error(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_sqlite, "BUSY_TIMEOUT_MS", 200)
    with open_store(paths) as store:
        holder = sqlite3.connect(store.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="busy") as caught:
                ResultCache(store).clear()
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert str(store.database) in str(caught.value)


def test_a_damaged_file_raises_store_error(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.database.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="damaged"):
        open_store(paths)


def test_error_messages_say_what_to_do(paths: Paths) -> None:
    message = store_sqlite.store_error_message(
        paths.database, sqlite3.OperationalError("unable to open database file")
    )
    assert "BNG_DATA_DIR" in message


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_data_folder_made_for_the_store_is_private(paths: Paths) -> None:
    open_store(paths).close()
    assert paths.data_dir.stat().st_mode & 0o777 == 0o700
