"""Schema migrations, configured in code, and the backup taken before them.

Alembic needs no alembic.ini here: ``alembic_config`` points it at the
``migrations`` folder shipped inside the package and hands it an open
connection through ``config.attributes``. An existing file that is behind the
newest migration is first copied to ``backups/`` with SQLite's online backup
API; the migrations then run in ONE transaction with foreign keys off (SQLite
rebuilds tables in batch mode, which would otherwise cascade-delete child
rows) and are checked with ``PRAGMA foreign_key_check`` before commit.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy import Connection, Engine
from sqlalchemy.pool import NullPool

from ..core.errors import StoreError, StoreProblem
from ..settings import Paths
from .sqlite import BEGIN_OPTION, BUSY_TIMEOUT_MS, create_store_engine, translate_errors

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BACKUP_PATTERN = "bng-*.sqlite3"
BACKUPS_KEPT = 10


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the store has no migrations"
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


MIGRATION_BUSY_TIMEOUT_MS = 120_000
"""Start-up waits this long for another process that is migrating the same
file (two windows opened at once on a slow machine) rather than failing."""


def upgrade_database(paths: Paths) -> Path | None:
    """Bring ``paths.database`` to the newest schema; return the backup taken, if any."""
    engine = create_store_engine(
        paths.database,
        foreign_keys=False,
        busy_timeout_ms=MIGRATION_BUSY_TIMEOUT_MS,
        poolclass=NullPool,
    )
    try:
        with translate_errors(paths.database):
            return _upgrade(engine, paths)
    finally:
        engine.dispose()


def _upgrade(engine: Engine, paths: Paths) -> Path | None:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    with engine.connect() as conn:
        current = current_revision(conn)
        has_tables = _has_tables(conn)
    if current == head:
        return None
    _refuse_unknown(script, current, paths.database)
    backup = backup_database(paths, current) if has_tables else None
    with engine.connect() as conn:
        conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            if current_revision(conn) != head:  # another process may have just done it
                log.info("migrating %s from %s to %s", paths.database, current, head)
                command.upgrade(alembic_config(conn), "head")
                _check_foreign_keys(conn, paths.database)
    return backup


def _has_tables(conn: Connection) -> bool:
    sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return bool(conn.exec_driver_sql(sql).scalar())


def _refuse_unknown(script: ScriptDirectory, current: str | None, database: Path) -> None:
    """A revision this program does not know was written by a newer program."""
    if current is None:
        return
    try:
        script.get_revision(current)
    except (ResolutionError, CommandError):
        raise StoreError(
            f"The local database {database} was written by a newer version of BNG Desktop "
            f"(schema {current}). Update BNG Desktop, or set BNG_DATA_DIR to another folder.",
            StoreProblem.NEWER_SCHEMA,
        ) from None


def _check_foreign_keys(conn: Connection, database: Path) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise StoreError(
            f"Upgrading {database} would leave {len(broken)} broken links (first: {table} row "
            f"{rowid} points to a missing {parent}); the database was left unchanged."
        )


def backup_database(paths: Paths, revision: str | None) -> Path:
    """Copy the database with SQLite's backup API (safe while others use it)."""
    paths.backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = paths.backups / f"bng-{stamp}-{revision or 'base'}.sqlite3"
    partial = target.with_name(target.name + ".partial")
    try:
        _copy_sqlite(paths.database, partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(
            f"Could not back up {paths.database} to {paths.backups} before upgrading it "
            f"({exc}); nothing was changed. Free disk space or check the folder's permissions."
        ) from exc
    log.info("backed up %s to %s", paths.database, target)
    prune_backups(paths.backups)
    return target


def _copy_sqlite(source: Path, target: Path) -> None:
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def newest_usable_backup(paths: Paths) -> Path | None:
    """The newest backup this program can open: taken at a schema revision it
    knows (a newer program's backups of its own schema are skipped)."""
    if not paths.backups.is_dir():
        return None
    script = ScriptDirectory.from_config(alembic_config())
    for backup in sorted(paths.backups.glob(BACKUP_PATTERN), reverse=True):
        revision = backup.stem.split("-", 2)[-1]
        if revision == "base" or _known(script, revision):
            return backup
    return None


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except (ResolutionError, CommandError):
        return False


def prune_backups(folder: Path, keep: int = BACKUPS_KEPT) -> None:
    """Keep the newest ``keep`` backups (names sort by their UTC timestamp)."""
    backups = sorted(folder.glob(BACKUP_PATTERN))
    for old in backups[: max(len(backups) - keep, 0)]:
        old.unlink(missing_ok=True)


def autogenerate_revision(message: str, rev_id: str | None = None) -> None:
    """Developer tool: write a new migration for the changes made in tables.py.

    ``python -c "from bng_desktop.store.migrate import autogenerate_revision as a;
    a('add x')"``, then read and tidy the generated file before committing it.
    """
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_store_engine(Path(tmp) / "scratch.sqlite3", poolclass=NullPool)
        try:
            with engine.connect() as conn, conn.begin():
                command.upgrade(alembic_config(conn), "head")
                command.revision(
                    alembic_config(conn), message=message, autogenerate=True, rev_id=rev_id
                )
        finally:
            engine.dispose()
