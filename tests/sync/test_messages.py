"""Sync failures in plain words: real connection failures (a name that does not
resolve, a closed port, a real PostgreSQL refusing a role, a database or TLS)
come out as one sentence naming the server, never the driver's words."""

from __future__ import annotations

import socket
import threading

import psycopg
import pytest
from sqlalchemy import URL

from bng_desktop.core.errors import CentralUnreachable, SyncError
from bng_desktop.sync.messages import Trouble, plain_message, trouble_of

JARGON = ("Errno", "sslmode", "FATAL", "psycopg", "OperationalError", "libpq", "\n")


def sync_error(desktop, url: str) -> str:
    report = desktop("a").sync.sync(url)
    assert not report.ok
    for word in JARGON:
        assert word not in report.error, report.error
    return report.error


def test_a_name_that_does_not_resolve_says_cannot_reach_the_server(desktop):
    error = sync_error(desktop, "postgresql://bng@db.example.invalid/bng")
    assert error == (
        "Cannot reach the team database at db.example.invalid — check the address or "
        "your connection."
    )
    assert desktop("a").sync.status().online is False


def test_nothing_listening_says_cannot_reach_the_server(desktop):
    error = sync_error(desktop, "postgresql://bng@127.0.0.1:1/bng")
    assert error.startswith("Cannot reach the team database at 127.0.0.1 — ")


def test_the_log_and_the_header_tooltip_say_it_plainly(desktop):
    workspace = desktop("a")
    workspace.sync.sync("postgresql://bng@db.example.invalid/bng")
    assert workspace.sync.log(1)[0].message.startswith("Cannot reach the team database")
    assert "Errno" not in workspace.sync.status().last_error


def test_a_server_that_answers_nothing_in_time_is_unreachable(desktop, monkeypatch):
    """A socket that accepts and never speaks: libpq's connect timeout (1 s here)."""
    monkeypatch.setattr("bng_desktop.sync.connection.CONNECT_TIMEOUT_S", 1)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        accepted: list[socket.socket] = []
        waiter = threading.Thread(target=lambda: accepted.append(silent.accept()[0]))
        waiter.start()
        port = silent.getsockname()[1]
        error = sync_error(desktop, f"postgresql://bng@127.0.0.1:{port}/bng?sslmode=disable")
        waiter.join(timeout=5)
        for connection in accepted:
            connection.close()
    assert error.startswith("Cannot reach the team database at 127.0.0.1")


def pg_url(server: URL, **changes) -> str:
    return server.set(drivername="postgresql", **changes).render_as_string(hide_password=False)


def test_an_unknown_role_is_a_refused_login(desktop, pg_server):
    error = sync_error(desktop, pg_url(pg_server, username="no_such_bng_role"))
    assert error == (
        f"The team database at {pg_server.host} did not accept the user name or password — "
        "check them on the Sync page."
    )


def test_an_unknown_database_is_named(desktop, pg_server):
    error = sync_error(desktop, pg_url(pg_server, database="no_such_bng_db"))
    assert error == (
        f"There is no database named no_such_bng_db on {pg_server.host} — check the address "
        "on the Sync page."
    )


def test_a_server_without_tls_when_tls_is_required(desktop, pg_server):
    url = pg_url(pg_server, query={"sslmode": "require"})
    try:
        psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if "ssl" not in str(exc).lower():
            raise
    else:
        pytest.skip("this PostgreSQL server offers TLS, so the refusal cannot be shown")
    error = sync_error(desktop, url)
    assert "does not offer an encrypted connection" in error and "ask your administrator" in error


@pytest.mark.parametrize(
    ("words", "trouble"),
    [
        ('FATAL:  password authentication failed for user "jo"', Trouble.LOGIN_REFUSED),
        ("fe_sendauth: no password supplied", Trouble.LOGIN_REFUSED),
        ('FATAL:  no pg_hba.conf entry for host "10.0.0.9"', Trouble.LOGIN_REFUSED),
        ("server closed the connection unexpectedly", Trouble.CONNECTION_LOST),
        ("SSL error: certificate verify failed", Trouble.UNTRUSTED_CERTIFICATE),
        ('could not translate host name "db" to address', Trouble.UNREACHABLE),
        ("connection failed: timeout expired", Trouble.UNREACHABLE),
    ],
)
def test_libpq_words_for_failures_a_test_server_cannot_stage(words, trouble):
    """libpq's documented messages for failures this machine's server cannot
    produce (it trusts every login and offers no TLS)."""
    try:
        raise CentralUnreachable("wrapped") from psycopg.OperationalError(words)
    except CentralUnreachable as error:
        assert trouble_of(error) is trouble


def test_the_sync_s_own_messages_pass_through():
    assert trouble_of(SyncError("The central database has no BNG schema yet")) is None
    refusal = psycopg.errors.CheckViolation("new row violates check constraint")
    try:
        raise SyncError("refused") from refusal
    except SyncError as error:
        assert trouble_of(error) is None


def test_every_sentence_names_the_server_and_says_what_to_do():
    for trouble in Trouble:
        sentence = plain_message(trouble, "db.example.org", "bng")
        assert "db.example.org" in sentence and " — " in sentence, sentence
        assert sentence.endswith("."), sentence
