"""The SQLite engine: pragmas on every connection, explicit BEGIN, clear errors.

pysqlite's own transaction handling is switched off (``isolation_level =
None``) and SQLAlchemy's ``begin`` event emits the BEGIN instead, as the
SQLAlchemy SQLite docs recommend: DDL then runs inside the transaction (so a
migration is all or nothing) and a connection can ask for ``BEGIN IMMEDIATE``.

Every transaction also states how durable its commit is (``Durability``):
SQLite refuses to change ``synchronous`` inside a transaction, so the pragma
is issued just before the BEGIN, on the connection that will run it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..core.errors import StoreError, StoreProblem

BUSY_TIMEOUT_MS = 10_000
BEGIN_OPTION = "bng_begin"
"""Execution option naming the BEGIN flavour: "" (deferred) or "IMMEDIATE"."""
DURABILITY_OPTION = "bng_durability"
"""Execution option naming the transaction's Durability (NORMAL when absent)."""


class Durability(StrEnum):
    """How a commit survives. WAL mode keeps the file whole either way."""

    NORMAL = "NORMAL"
    """Survives the app crashing; the last commits may be lost if the power goes
    before the next checkpoint (SQLite's synchronous=NORMAL)."""
    FULL = "FULL"
    """Survives power loss too: the write-ahead log is flushed to the disk
    before COMMIT returns (synchronous=FULL, and F_FULLFSYNC on macOS, where a
    plain fsync stops at the drive's cache). Flushing the log also makes every
    earlier commit durable."""


def utc_now() -> str:
    """ISO 8601 UTC timestamp; sorts as text, compares with ISO dates."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def create_store_engine(
    database: Path,
    *,
    foreign_keys: bool = True,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    **kwargs: Any,
) -> Engine:
    """An engine on ``database`` with the store's pragmas on every connection.

    ``foreign_keys=False`` is for migrations only: SQLite's batch table
    rebuilds would otherwise cascade-delete child rows.
    """
    url = URL.create("sqlite", database=str(database))
    engine = create_engine(
        url,
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        **kwargs,
    )
    event.listen(
        engine,
        "connect",
        partial(_on_connect, foreign_keys=foreign_keys, busy_timeout_ms=busy_timeout_ms),
    )
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(
    dbapi_connection: Any, _record: Any, *, foreign_keys: bool, busy_timeout_ms: int
) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("bng_casefold", 1, _casefold, deterministic=True)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _casefold(value: object) -> str | None:
    """Unicode-aware lower case for searches (SQLite's lower() is ASCII only)."""
    return None if value is None else str(value).casefold()


def _on_begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    durability = Durability(options.get(DURABILITY_OPTION, Durability.NORMAL))
    full = durability is Durability.FULL
    conn.exec_driver_sql(f"PRAGMA synchronous={durability.value}")
    conn.exec_driver_sql(f"PRAGMA fullfsync={'ON' if full else 'OFF'}")
    conn.exec_driver_sql(f"BEGIN {options.get(BEGIN_OPTION, '')}".strip())


@contextmanager
def translate_errors(database: Path) -> Iterator[None]:
    """Turn SQLite failures into StoreError with a message a user can act on.

    Integrity errors pass through untouched: callers decide what a broken
    constraint means (a reference taken by another process, a duplicate row).
    """
    try:
        yield
    except (IntegrityError, sqlite3.IntegrityError):
        raise
    except DBAPIError as exc:
        raise store_error(database, exc.orig or exc) from exc
    except sqlite3.Error as exc:  # raised by the few reads that use the DBAPI cursor
        raise store_error(database, exc) from exc


def store_error(database: Path, error: BaseException) -> StoreError:
    return StoreError(store_error_message(database, error), store_problem(error))


_PROBLEM_WORDS = (
    (StoreProblem.BUSY, ("locked", "busy")),
    (StoreProblem.UNWRITABLE, ("unable to open", "readonly", "read-only")),
    (StoreProblem.DAMAGED, ("not a database", "malformed")),
    (StoreProblem.DISK_FULL, ("full", "disk i/o")),
)


def store_problem(error: BaseException) -> StoreProblem:
    lowered = str(error).lower()
    for problem, words in _PROBLEM_WORDS:
        if any(word in lowered for word in words):
            return problem
    return StoreProblem.OTHER


def store_error_message(database: Path, error: BaseException) -> str:
    text = str(error)
    problem = store_problem(error)
    if problem is StoreProblem.BUSY:
        return (
            f"The local database {database} is busy: another BNG Desktop window or process "
            f"kept it locked for more than {BUSY_TIMEOUT_MS // 1000} seconds. Try again; "
            "if this keeps happening, close the other BNG Desktop windows."
        )
    if problem is StoreProblem.UNWRITABLE:
        return (
            f"Cannot write the local database {database} ({text}): check that the folder "
            "exists and is writable, or set BNG_DATA_DIR to another folder."
        )
    if problem is StoreProblem.DAMAGED:
        return (
            f"The local database {database} is damaged ({text}): restore the newest copy "
            f"from {database.parent / 'backups'} or move the file away to start afresh."
        )
    if problem is StoreProblem.DISK_FULL:
        return f"The local database {database} could not be written ({text}): free disk space."
    return f"The local database {database} refused the operation: {text}."
