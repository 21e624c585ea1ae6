"""The local store: one SQLite file, opened once, every write in one transaction.

    store = open_store(resolve_paths())
    with store.transaction() as conn:   # BEGIN IMMEDIATE ... COMMIT (or ROLLBACK)
        conn.execute(...)
    with store.read() as conn:          # one consistent view for several selects
        conn.execute(...)

Write transactions start with ``BEGIN IMMEDIATE``: they take SQLite's write
lock up front (waiting up to the busy timeout), so a transaction that reads
then writes (allocating a quote reference, switching the current version) can
neither race another process nor fail half-way with SQLITE_BUSY.

``store.transaction(durability=Durability.FULL)`` is for what must survive a
power cut (a saved quote and its outbox entry): its COMMIT returns only once
the write-ahead log is on the disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine

from ..settings import Paths
from .migrate import upgrade_database
from .sqlite import (
    BEGIN_OPTION,
    DURABILITY_OPTION,
    Durability,
    create_store_engine,
    translate_errors,
)


class Store:
    """An open local database. Thread-safe: each call takes its own connection."""

    def __init__(self, paths: Paths, engine: Engine, backup: Path | None = None):
        self.paths = paths
        self.engine = engine
        self.backup = backup
        """The copy taken before migrating at open, if one was needed."""

    @property
    def database(self) -> Path:
        return self.paths.database

    @contextmanager
    def transaction(self, *, durability: Durability = Durability.NORMAL) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back on error."""
        with translate_errors(self.database), self.engine.connect() as conn:
            conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE", DURABILITY_OPTION: durability})
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only view; several selects inside it see the same committed data."""
        with translate_errors(self.database), self.engine.connect() as conn, conn.begin():
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(paths: Paths) -> Store:
    """Open (creating or upgrading as needed) the database at ``paths.database``.

    An existing file behind the newest schema is backed up to ``paths.backups``
    first (the newest 10 copies are kept); a brand-new file is just migrated.
    A data folder made here is private to the user (mode 0700 where the system
    has modes): the quotes are theirs, whatever the app's lock lets through.
    """
    paths.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    backup = upgrade_database(paths)
    return Store(paths, create_store_engine(paths.database), backup)
