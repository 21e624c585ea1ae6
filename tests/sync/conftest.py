"""Sync tests against a real PostgreSQL: one throwaway database per run, dropped at the end.

The server is BNG_TEST_PG_URL (a URL to any database of the server, as a
user who may create databases), else postgres on 127.0.0.1:5432. With no
server reachable the tests that need one are skipped with the reason
printed, unless BNG_REQUIRE_PG=1 (as in CI): then they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url, text

from bng_desktop.sync.migrate import upgrade_schema
from bng_desktop.sync.schema import metadata
from bng_desktop.workspace import Workspace
from tests.ui import app_fixtures

services = app_fixtures.services
"""The app over a fresh data folder, for the sync tests that drive the UI."""
user = app_fixtures.user

PG_URL_ENV = "BNG_TEST_PG_URL"
REQUIRE_ENV = "BNG_REQUIRE_PG"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
SYNC_APPLICATION = "bng-desktop"
"""The application_name prefix of the app's central connections."""

FAULT_COUNTS: dict[str, dict[str, int]] = {}
"""Fault-injection runs by fault and outcome, printed at the end of the session."""
SKIPPED_BECAUSE: list[str] = []
"""Why the PostgreSQL tests were skipped, printed at the end of the session."""


def record_fault(fault: str, outcome: str) -> None:
    outcomes = FAULT_COUNTS.setdefault(fault, {})
    outcomes[outcome] = outcomes.get(outcome, 0) + 1


def pytest_terminal_summary(terminalreporter) -> None:
    for reason in SKIPPED_BECAUSE:
        terminalreporter.write_line(f"SKIPPED the PostgreSQL sync tests: {reason}", yellow=True)
    if not FAULT_COUNTS:
        return
    terminalreporter.section("sync fault injection")
    total = 0
    for fault, outcomes in sorted(FAULT_COUNTS.items()):
        runs = sum(outcomes.values())
        total += runs
        detail = ", ".join(f"{name}: {n}" for name, n in sorted(outcomes.items()))
        terminalreporter.write_line(f"{fault}: {runs} runs ({detail})")
    terminalreporter.write_line(f"total: {total} faulted runs, each followed by a clean sync")


def server_url() -> URL:
    url = make_url(os.environ.get(PG_URL_ENV) or DEFAULT_SERVER)
    return url.set(drivername="postgresql+psycopg")


def admin_engine(url: URL) -> Engine:
    return create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


def url_text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> URL:
    url = server_url()
    engine = admin_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means: no usable server
        reason = (
            f"no PostgreSQL server reachable at {url.render_as_string(hide_password=True)} "
            f"({str(exc).splitlines()[0]}); set {PG_URL_ENV} to one"
        )
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {reason}")
        SKIPPED_BECAUSE.append(reason)
        pytest.skip(reason)
    finally:
        engine.dispose()
    return url


@contextmanager
def throwaway_database(server: URL) -> Iterator[URL]:
    """A new empty database bng_test_<random>, dropped (connections and all) after."""
    name = f"bng_test_{secrets.token_hex(6)}"
    engine = admin_engine(server)
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name)
        finally:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def central_db(pg_server: URL) -> Iterator[URL]:
    """The run's central database, migrated once."""
    with throwaway_database(pg_server) as url:
        engine = create_engine(url)
        try:
            upgrade_schema(engine)
        finally:
            engine.dispose()
        yield url


@pytest.fixture
def empty_database(pg_server: URL) -> Iterator[str]:
    with throwaway_database(pg_server) as url:
        yield url_text(url)


@dataclass
class Central:
    """The test's view of the central database (autocommit, as the admin)."""

    url: str
    engine: Engine

    def scalar(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def rows(self, sql: str, **params) -> list:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))

    def reset(self) -> None:
        """Every table emptied, identities and the reference counter restarted."""
        tables = ", ".join(t.name for t in metadata.sorted_tables)
        with self.engine.connect() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            conn.execute(text("INSERT INTO quote_counter VALUES (1, 2024, 0)"))

    def terminate_sync_backends(self) -> int:
        """pg_terminate_backend every connection the app has open now."""
        found = self.rows(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND application_name LIKE :app",
            app=f"{SYNC_APPLICATION}%",
        )
        return len(found)

    def quote_refs(self) -> dict[str, str]:
        """uuid → reference of every central quote."""
        return {str(u): r for u, r in self.rows("SELECT uuid, reference FROM quote")}


@pytest.fixture
def central(central_db: URL) -> Iterator[Central]:
    engine = admin_engine(central_db)
    helper = Central(url_text(central_db), engine)
    helper.reset()
    yield helper
    engine.dispose()


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Callable[[str], Workspace]]:
    """desktop("a") opens (once) the workspace of a desktop named "a"."""
    opened: dict[str, Workspace] = {}

    def open_desktop(name: str) -> Workspace:
        if name not in opened:
            opened[name] = Workspace.open(tmp_path / f"desktop-{name}")
        return opened[name]

    yield open_desktop
    for workspace in opened.values():
        workspace.close()
