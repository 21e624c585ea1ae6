"""Connection settings: TLS by default, the password never on disk, offline as a state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from keyring.backends import fail

from bng_desktop.core.errors import CentralUnreachable, SyncError
from bng_desktop.sync import SyncSettings, SyncStatus, TeamSync
from bng_desktop.sync.connection import CentralTarget, central_errors, create_central_engine
from bng_desktop.sync.credentials import KEYRING, MEMORY, PASSWORD_ENV, PasswordStore
from bng_desktop.sync.status import clock
from tests.sync.keyrings import MemoryKeyring, PlaintextFileKeyring

CLOSED_PORT_URL = "postgresql://bng@127.0.0.1:1/bng"


@pytest.fixture(autouse=True)
def no_password_env(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.delenv("BNG_CENTRAL_URL", raising=False)


def files_contain(folder, secret: str) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_without_a_keyring_the_password_stays_in_memory_and_never_reaches_disk(desktop, tmp_path):
    workspace = desktop("a")
    sync = TeamSync(workspace.store, PasswordStore(fail.Keyring()))
    settings = SyncSettings(url="postgresql://db.example.org/bng", user="jo")
    sync.save_settings(settings, password="s3cret-pass")
    target = sync.target()
    assert sync.passwords.set(target.display, "s3cret-pass") == MEMORY
    assert sync.passwords.get("jo@db.example.org/bng") == "s3cret-pass"
    assert "memory only" in sync.passwords.where()
    workspace.store.close()
    assert files_contain(tmp_path, "s3cret-pass") == []


def test_with_a_keyring_the_password_goes_there_and_not_to_the_settings(desktop, tmp_path):
    workspace = desktop("a")
    backend = MemoryKeyring()
    sync = TeamSync(workspace.store, PasswordStore(backend))
    sync.save_settings(
        SyncSettings(url="postgresql://jo:p%40ss@db.example.org:5433/bng"), password=""
    )
    assert backend.secrets == {("bng-desktop-central", "jo@db.example.org:5433/bng"): "p@ss"}
    saved = sync.settings()
    assert saved.url == "postgresql://jo@db.example.org:5433/bng" and saved.user == "jo"
    assert sync.passwords.set("k", "x") == KEYRING
    workspace.store.close()
    assert files_contain(tmp_path, "p@ss") == []


def test_file_keyrings_and_the_fail_backend_do_not_count_as_a_keyring():
    assert not PasswordStore(PlaintextFileKeyring()).keyring_available()
    assert not PasswordStore(fail.Keyring()).keyring_available()
    assert PasswordStore(MemoryKeyring()).keyring_available()
    store = PasswordStore(PlaintextFileKeyring())
    assert store.set("k", "x") == MEMORY
    assert store.backend.secrets == {}


def test_the_environment_password_wins(monkeypatch):
    store = PasswordStore(MemoryKeyring())
    store.set("k", "from-keyring")
    monkeypatch.setenv(PASSWORD_ENV, "from-env")
    assert store.get("k") == "from-env"


@pytest.mark.parametrize(
    ("url", "sslmode"),
    [
        ("postgresql://db.example.org/bng", "require"),
        ("postgres://10.0.0.5:5432/bng", "require"),
        ("postgresql://127.0.0.1/bng", "prefer"),
        ("postgresql://localhost/bng", "prefer"),
        ("postgresql://[::1]/bng", "prefer"),
        ("postgresql:///bng?host=/var/run/postgresql", "prefer"),
        ("postgresql://db.example.org/bng?sslmode=verify-full", "verify-full"),
        ("postgresql://db.example.org/bng?sslmode=disable", "disable"),
    ],
)
def test_tls_is_required_by_default_for_other_computers(url, sslmode):
    assert CentralTarget.parse(url).sslmode == sslmode


def test_a_password_in_the_url_is_not_part_of_the_target():
    target = CentralTarget.parse("postgresql://jo:secret@db.example.org/bng")
    assert target.url.password is None and "secret" not in target.display
    assert target.display == "jo@db.example.org/bng"


@pytest.mark.parametrize("url", ["", "mysql://db/bng", "db.example.org", "postgresql://host"])
def test_a_url_that_is_not_a_central_database_is_refused_with_an_example(url):
    with pytest.raises(SyncError, match="postgresql://server"):
        CentralTarget.parse(url)


def test_an_unreachable_server_is_offline_not_an_exception(desktop):
    workspace = desktop("a")
    report = workspace.sync.sync(CLOSED_PORT_URL)
    assert not report.online and not report.ok
    assert report.error.startswith("Cannot reach the team database at 127.0.0.1")
    workspace.sync.save_settings(SyncSettings(url=CLOSED_PORT_URL))
    workspace.sync.sync()
    assert workspace.sync.status().text == "offline — never synced"


def test_connection_failures_classify_as_offline():
    engine = create_central_engine(CentralTarget.parse(CLOSED_PORT_URL))
    with pytest.raises(CentralUnreachable), central_errors(), engine.connect():
        pass


def test_the_environment_url_overrides_the_saved_one(monkeypatch):
    monkeypatch.setenv("BNG_CENTRAL_URL", "postgresql://env.example.org/bng")
    settings = SyncSettings(url="postgresql://saved.example.org/bng")
    assert settings.configured and settings.target().url.host == "env.example.org"


NOON = "2026-03-02T10:42:00+00:00"


def test_status_text():
    now = datetime.fromisoformat(NOON).astimezone()
    at = clock(NOON, now)
    assert at == now.strftime("%H:%M")
    assert clock("2026-03-01T10:42:00+00:00", now).endswith(at)
    kinds = {
        "unset": SyncStatus(False, None, None, 0),
        "offline": SyncStatus(True, False, NOON, 3),
        "online": SyncStatus(True, True, NOON, 0),
        "problem": SyncStatus(True, True, NOON, 0, last_error="refused"),
    }
    texts = {name: status.text for name, status in kinds.items()}
    assert texts["unset"] == "sync not set up"
    assert texts["offline"].startswith("offline — last synced ") and texts["offline"].endswith(
        " · 3 to send"
    )
    assert texts["online"].startswith("online — synced ")
    assert texts["problem"].startswith("sync problem — last synced")


def test_the_clock_shows_the_date_for_another_day():
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert clock("2026-02-27T09:00:00+00:00", now).startswith("27 Feb")
