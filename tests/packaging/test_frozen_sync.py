"""The frozen executable against a real PostgreSQL: psycopg, keyring and the
central migrations (loaded by file path) are in the bundle.

Uses a throwaway database on BNG_TEST_PG_URL's server (else 127.0.0.1:5432),
dropped afterwards; skipped with the reason printed when no server answers,
unless BNG_REQUIRE_PG=1 (as in CI).
"""

from __future__ import annotations

import os
import re
import secrets

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.packaging.frozen import run_frozen

pytestmark = pytest.mark.slow

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def central_url():
    server = make_url(os.environ.get("BNG_TEST_PG_URL") or DEFAULT_SERVER)
    engine = create_engine(
        server.set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    name = f"bng_frozen_{secrets.token_hex(4)}"
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no usable server, whatever the reason
        reason = f"no PostgreSQL server to create a database on ({str(exc).splitlines()[0]})"
        if os.environ.get("BNG_REQUIRE_PG") == "1":
            pytest.fail(f"BNG_REQUIRE_PG=1 but {reason}")
        print(f"\nSKIPPING the frozen sync test: {reason}")
        pytest.skip(reason)
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def test_central_init_status_sync_and_doctor_work_frozen(frozen, central_url, tmp_path):
    data = ("--data-dir", str(tmp_path / "data"))
    init = run_frozen(frozen, *data, "central", "init", "--url", central_url)
    assert init.returncode == 0, init.stderr
    status = run_frozen(frozen, *data, "central", "status", "--url", central_url)
    assert status.returncode == 0, status.stdout + status.stderr
    assert "schema" in status.stdout
    env = {"BNG_CENTRAL_URL": central_url}
    synced = run_frozen(frozen, *data, "sync", env=env)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    doctor = run_frozen(frozen, *data, "doctor", env=env)
    assert doctor.returncode == 0, doctor.stdout
    assert re.search(r"central database\s+\S+: reachable", doctor.stdout)
