"""Migrations: fresh files, schema = metadata, backups, all-or-nothing upgrades."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.pool import NullPool

from bng_desktop.core.errors import StoreError
from bng_desktop.settings import Paths
from bng_desktop.store import Store, migrate, open_store
from bng_desktop.store.sqlite import create_store_engine
from bng_desktop.store.tables import metadata


def _raw(path: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def _downgrade_to_base(paths: Paths) -> None:
    """Make an 'older' file honestly: run the real downgrade of every revision."""
    engine = create_store_engine(paths.database, foreign_keys=False, poolclass=NullPool)
    try:
        with engine.connect() as conn, conn.begin():
            command.downgrade(migrate.alembic_config(conn), "base")
    finally:
        engine.dispose()


def _backups(paths: Paths) -> list[Path]:
    return sorted(paths.backups.glob("bng-*.sqlite3")) if paths.backups.exists() else []


def test_a_new_file_is_migrated_to_head_without_a_backup(store: Store) -> None:
    with store.read() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        tables = set(inspect(conn).get_table_names())
    assert set(metadata.tables) <= tables
    assert store.backup is None
    assert _backups(store.paths) == []


def test_the_migrated_schema_matches_the_table_classes(store: Store) -> None:
    with store.read() as conn:
        context = MigrationContext.configure(conn, opts={"render_as_batch": True})
        assert compare_metadata(context, metadata) == []


def test_the_partial_unique_index_is_created(store: Store) -> None:
    sql = "SELECT sql FROM sqlite_master WHERE name = 'ux_reference_version_current'"
    (ddl,) = _raw(store.database, sql)[0]
    assert "UNIQUE" in ddl and "WHERE is_current = 1" in ddl


def test_opening_a_file_at_head_takes_no_backup(paths: Paths) -> None:
    open_store(paths).close()
    with open_store(paths) as again:
        assert again.backup is None
    assert _backups(paths) == []


def test_a_file_behind_head_is_backed_up_then_migrated(paths: Paths) -> None:
    open_store(paths).close()
    _downgrade_to_base(paths)
    _raw(paths.database, "CREATE TABLE notes (body TEXT)")
    _raw(paths.database, "INSERT INTO notes VALUES ('keep me')")

    with open_store(paths) as store:
        assert store.backup is not None
        with store.read() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
    assert _backups(paths) == [store.backup]
    assert store.backup.name.startswith("bng-") and store.backup.name.endswith("-base.sqlite3")
    assert _raw(store.backup, "SELECT body FROM notes") == [("keep me",)]
    assert _raw(store.backup, "SELECT count(*) FROM alembic_version") == [(0,)]
    assert _raw(paths.database, "SELECT body FROM notes") == [("keep me",)]


def test_only_the_newest_ten_backups_are_kept(paths: Paths) -> None:
    paths.backups.mkdir(parents=True)
    old = [paths.backups / f"bng-2020010{i}T000000000000Z-base.sqlite3" for i in range(1, 10)]
    old += [paths.backups / f"bng-2020011{i}T000000000000Z-base.sqlite3" for i in range(0, 3)]
    for path in old:
        path.write_bytes(b"")
    open_store(paths).close()
    _downgrade_to_base(paths)
    with open_store(paths) as store:
        kept = _backups(paths)
    assert len(kept) == 10
    assert store.backup in kept
    assert kept[:-1] == sorted(old)[-9:]


def test_a_failing_migration_leaves_the_file_unchanged(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(paths).close()
    _downgrade_to_base(paths)
    real_upgrade = command.upgrade

    def upgrade_then_fail(config, revision):
        real_upgrade(config, revision)
        raise RuntimeError("disk pulled out mid-migration")

    monkeypatch.setattr(migrate.command, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError):
        open_store(paths)
    tables = {name for (name,) in _raw(paths.database, "SELECT name FROM sqlite_master")}
    assert "quote" not in tables
    assert _raw(paths.database, "SELECT count(*) FROM alembic_version") == [(0,)]
    assert len(_backups(paths)) == 1


def test_a_file_from_a_newer_program_is_refused_untouched(paths: Paths) -> None:
    open_store(paths).close()
    _raw(paths.database, "UPDATE alembic_version SET version_num = 'ffff_future'")
    with pytest.raises(StoreError, match="newer version of BNG Desktop"):
        open_store(paths)
    assert _raw(paths.database, "SELECT version_num FROM alembic_version") == [("ffff_future",)]
    assert _backups(paths) == []


def test_the_migrations_ship_inside_the_package() -> None:
    folder = migrate.MIGRATIONS_DIR
    assert folder.parent == Path(migrate.__file__).resolve().parent
    assert (folder / "env.py").is_file()
    assert list((folder / "versions").glob("*.py"))
