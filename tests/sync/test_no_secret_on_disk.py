"""The central password never reaches the disk, a log or a screen.

Every way it used to leak is taken with one distinctive secret: a
``?password=`` URL with ``sync --remember``; ``doctor`` printing the URL;
mistyped URLs carrying a password (no database, a wrong scheme, an
unparsable one) on the command line and in BNG_CENTRAL_URL, which went
verbatim into the sync log, the Sync page and ``sync --status``. After each,
every file under the data folder (database, WAL, cache, logs) and everything
printed is searched for the secret.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import make_url

from bng_desktop.cli import main
from bng_desktop.cli.exit_code import ExitCode
from bng_desktop.sync import credentials
from bng_desktop.sync.settings import URL_ENV, URL_KEY
from bng_desktop.workspace import Workspace
from tests.sync.keyrings import MemoryKeyring
from tests.ui.app_process import free_port, running_app, wait_for_app

SECRET = "Zq7xK-distinctive-SECRET-4f1"
MALFORMED = {
    "no database": f"postgresql://jo:{SECRET}@127.0.0.1:1",
    "wrong scheme": f"mysql://jo:{SECRET}@127.0.0.1:1/bng",
    "unparsable port": f"postgresql://jo:{SECRET}@127.0.0.1:port/bng",
    "no scheme": f"jo:{SECRET}@127.0.0.1:1/bng",
    "an @ in the password": f"postgresql://jo:a@{SECRET}@127.0.0.1:1/bng",
    "password parameter": f"postgresql://jo@127.0.0.1:1/bng?password={SECRET}",
}
NOT_SYNCED = (ExitCode.REFUSED, ExitCode.ENVIRONMENT)
"""Refused by the URL check, or (nothing listens on port 1) unreachable."""


@pytest.fixture
def keyring(monkeypatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    monkeypatch.setattr(credentials.passwords, "_backend", backend)
    monkeypatch.setattr(credentials.passwords, "_memory", {})
    monkeypatch.delenv(credentials.PASSWORD_ENV, raising=False)
    monkeypatch.delenv(URL_ENV, raising=False)
    return backend


@pytest.fixture
def bng(tmp_path, capsys):
    """Run a command on the desktop's data folder; returns (status, all it printed)."""

    def run(*args: str) -> tuple[int, str]:
        status = main(["--data-dir", str(tmp_path / "desk"), *args])
        out, err = capsys.readouterr()
        return status, out + err

    return run


def files_holding(folder, secret: str = SECRET) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def everything_printed(bng) -> str:
    """What the user can see afterwards: status, log, doctor."""
    return bng("sync", "--status")[1] + bng("doctor")[1]


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_url_on_the_command_line(kind, bng, keyring, tmp_path):
    status, said = bng("sync", "--url", MALFORMED[kind])
    assert status in NOT_SYNCED
    status_again, remembered = bng("sync", "--url", MALFORMED[kind], "--remember")
    assert status_again in NOT_SYNCED
    shown = said + remembered + everything_printed(bng)
    assert SECRET not in shown
    assert "***" in said
    assert files_holding(tmp_path) == [] and keyring.secrets == {}


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_url_in_the_environment(kind, bng, keyring, tmp_path, monkeypatch):
    monkeypatch.setenv(URL_ENV, MALFORMED[kind])
    status, said = bng("sync")
    assert status in NOT_SYNCED
    shown = said + everything_printed(bng) + bng("central", "status")[1]
    assert SECRET not in shown
    assert "jo:***@" in shown or "password=***" in shown
    assert files_holding(tmp_path) == [] and keyring.secrets == {}


def test_a_password_parameter_is_refused_and_remember_saves_nothing(bng, keyring, tmp_path):
    status, said = bng("sync", "--url", MALFORMED["password parameter"], "--remember")
    assert status == 1
    assert "Sync page" in said and "keyring" in said and "BNG_CENTRAL_PASSWORD" in said
    with Workspace.open(tmp_path / "desk") as workspace:
        assert workspace.settings.get(URL_KEY) is None
    assert SECRET not in said + everything_printed(bng)
    assert files_holding(tmp_path) == [] and keyring.secrets == {}


def test_remember_with_a_password_in_the_url_saves_the_url_without_it(bng, keyring, tmp_path):
    status, said = bng("sync", "--url", f"postgresql://jo:{SECRET}@127.0.0.1:1/bng", "--remember")
    assert status == 3  # nothing listens on port 1: offline (the environment)
    assert "used for this sync only and was not saved" in said
    with Workspace.open(tmp_path / "desk") as workspace:
        assert workspace.settings.get(URL_KEY) == "postgresql://jo@127.0.0.1:1/bng"
    assert SECRET not in said + everything_printed(bng)
    assert files_holding(tmp_path) == [] and keyring.secrets == {}


def test_remember_against_a_real_server_stores_no_password(bng, keyring, tmp_path, central):
    with_password = make_url(central.url).set(password=SECRET)  # trust auth ignores it
    url = with_password.render_as_string(hide_password=False)
    status, said = bng("sync", "--url", url, "--remember")
    assert status == 0, said
    status, again = bng("sync")  # the remembered URL, no password needed here
    assert status == 0, again
    assert SECRET not in said + again + everything_printed(bng)
    assert files_holding(tmp_path) == [] and keyring.secrets == {}


@pytest.mark.parametrize(
    "url", [f"postgresql://jo:{SECRET}@127.0.0.1:1/bng", MALFORMED["password parameter"]]
)
def test_doctor_masks_the_url(url, bng, keyring, monkeypatch):
    monkeypatch.setenv(URL_ENV, url)
    status, said = bng("doctor")
    assert status == 0
    assert SECRET not in said and "***" in said


def test_a_url_an_older_version_saved_with_its_password_is_cleaned(bng, keyring, tmp_path):
    """Written as `sync --remember` used to; the next start moves the password
    to the keyring and zeroes it in the file."""
    with Workspace.open(tmp_path / "desk") as workspace:
        workspace.settings.set(URL_KEY, MALFORMED["password parameter"].replace(":1/", ":5432/"))
    assert files_holding(tmp_path)  # the old version's leak, for the test to clean
    status, said = bng("doctor")
    assert status == 0 and SECRET not in said
    with Workspace.open(tmp_path / "desk") as workspace:
        assert workspace.settings.get(URL_KEY) == "postgresql://jo@127.0.0.1:5432/bng"
    assert keyring.secrets == {("bng-desktop-central", "jo@127.0.0.1:5432/bng"): SECRET}
    assert files_holding(tmp_path) == []


def test_old_sync_log_rows_are_masked_at_the_next_sync(bng, keyring, tmp_path):
    from bng_desktop.store.tables import SyncLog
    from bng_desktop.sync.status import LogEntry

    with Workspace.open(tmp_path / "desk") as workspace, workspace.store.transaction() as conn:
        row = LogEntry(
            "2026-01-01", "2026-01-01", False, False, 0, 0, 0, (), MALFORMED["no database"]
        )
        conn.execute(SyncLog.__table__.insert(), {**row.__dict__, "renumbered": "[]"})
    assert files_holding(tmp_path)
    bng("sync", "--url", "postgresql://jo@127.0.0.1:1/bng")
    assert files_holding(tmp_path) == []


def test_the_app_shows_and_logs_a_malformed_url_masked(tmp_path):
    """The real app with BNG_CENTRAL_URL mistyped: its background sync fails at
    start-up; the Sync page, the header and the log files show it masked."""
    data = tmp_path / "app"
    env = {
        URL_ENV: MALFORMED["no database"],
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    with running_app(data, "--browser", "--no-show", "--port", str(free_port()), env=env) as app:
        session = wait_for_app(data, app)
        page = ""
        for _ in range(150):
            _, page = session.get("/sync")
            if "is not a central database URL" in page:
                break
            time.sleep(0.2)
    assert "postgresql://jo:***@127.0.0.1:1" in page
    assert SECRET not in page
    assert (data / "logs" / "bng-desktop.log").is_file()
    assert files_holding(tmp_path) == []
