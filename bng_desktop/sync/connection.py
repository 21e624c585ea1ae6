"""Reaching the central PostgreSQL: the URL, TLS by default, timeouts, errors as states.

A central URL names the server and database (``postgresql://host:5432/bng``);
the user may be in the URL or in the settings, the password never in either
(credentials.py): a ``?password=`` parameter is refused, and every URL this
module quotes in a message has its password masked (redact.py). TLS is
required (``sslmode=require``) for any host that is not this computer, unless
the URL says otherwise.

Every connection is short-lived (no pool: a laptop changes networks) and
bounded: a connect timeout, TCP keepalives, and server-side timeouts so that a
desktop that vanishes mid-transaction cannot hold a lock for long. Failures
become ``CentralUnreachable`` (offline: a normal state) or ``SyncError`` (the
server answered, but refused).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from sqlalchemy import URL, Engine, create_engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from ..core.errors import CentralUnreachable, SyncError
from .redact import has_query_password, redact_text, redact_url

DRIVER = "postgresql+psycopg"
SCHEMES = ("postgresql", "postgres", DRIVER)
CONNECT_TIMEOUT_S = 5
SESSION_OPTIONS = (
    "-c statement_timeout=120s -c lock_timeout=30s -c idle_in_transaction_session_timeout=60s"
)
APPLICATION_NAME = "bng-desktop"
_LOOPBACK_NAMES = ("localhost",)
_OFFLINE_STATES = ("57P01", "57P02", "57P03")
"""Server shut down or the backend terminated: the connection is gone."""
_LOGIN_WORDS = ("authentication failed", "no password supplied", "does not exist", "permission")
PASSWORD_HOME = (
    "Passwords do not belong in the URL: type it in the Password field on the Sync page "
    "(kept in the system keyring, never in a file), or set BNG_CENTRAL_PASSWORD."
)


def is_loopback(host: str | None) -> bool:
    """This computer: no host (a Unix socket), a socket folder, localhost, 127/8, ::1."""
    if not host or host.startswith("/") or host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class CentralTarget:
    """Where the central database is, without any password."""

    url: URL

    @classmethod
    def parse(cls, url: str, user: str | None = None) -> CentralTarget:
        """Read a URL (postgresql://, postgres:// or postgresql+psycopg://).
        ``user`` fills in a URL without one; a password in the URL is dropped
        here (credentials.py reads it before, for one run)."""
        text = (url or "").strip()
        if has_query_password(text):
            raise SyncError(
                f"{redact_url(text)!r} has a password in it (?password=). {PASSWORD_HOME}"
            )
        parsed = _parse(text)
        if parsed is None or parsed.drivername not in SCHEMES or not parsed.database:
            raise SyncError(
                f"{redact_url(text) or 'An empty URL'!r} is not a central database URL: write it "
                "like postgresql://server.example.org:5432/bng (server, port, database)."
            )
        if "@" in (parsed.host or ""):
            raise SyncError(
                f"{redact_url(text)!r} has an @ in its password, which makes the server name "
                f"unreadable (it would have to be written %40). {PASSWORD_HOME}"
            )
        parsed = without_password(parsed).set(drivername=DRIVER)
        if user and not parsed.username:
            parsed = parsed.set(username=user)
        if "sslmode" not in parsed.query and not is_loopback(parsed.host):
            parsed = parsed.update_query_dict({"sslmode": "require"})
        return cls(parsed)

    @property
    def user(self) -> str:
        return self.url.username or ""

    @property
    def sslmode(self) -> str:
        """The TLS mode connections use ("prefer" is libpq's own default)."""
        mode = self.url.query.get("sslmode", "prefer")
        return mode if isinstance(mode, str) else mode[-1]

    @property
    def display(self) -> str:
        """user@host:port/database, for messages and the keyring entry."""
        user = f"{self.user}@" if self.user else ""
        host = self.url.host or "localhost"
        port = f":{self.url.port}" if self.url.port else ""
        return f"{user}{host}{port}/{self.url.database}"

    def engine_url(self, password: str | None) -> URL:
        return self.url.set(password=password) if password else self.url


def _parse(text: str) -> URL | None:
    try:
        return make_url(text)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return None


def without_password(url: URL) -> URL:
    """The URL with no password (``URL.set`` cannot remove one)."""
    return URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database, url.query
    )


def password_in_url(url: str) -> str | None:
    """The password written into a URL, if any (used for that one run only)."""
    parsed = _parse((url or "").strip())
    return None if parsed is None else parsed.password


QUERY_SECRETS = ("password", "sslpassword")


def strip_password(url: str) -> str:
    """The URL as written, less any password (in its user part or its query);
    one that cannot be read is returned as it is, for CentralTarget.parse to refuse."""
    text = (url or "").strip()
    parsed = _parse(text)
    if parsed is None or not (parsed.password or set(QUERY_SECRETS) & set(parsed.query)):
        return text
    cleaned = without_password(parsed).difference_update_query(QUERY_SECRETS)
    return cleaned.render_as_string(hide_password=False)


def any_password_in_url(url: str) -> str | None:
    """The password in the user part, else in a ``?password=`` parameter."""
    parsed = _parse((url or "").strip())
    if parsed is None:
        return None
    in_query = parsed.query.get("password")
    return parsed.password or (in_query if isinstance(in_query, str) else None)


def create_central_engine(
    target: CentralTarget, password: str | None = None, *, application_name: str = ""
) -> Engine:
    """An engine that opens one bounded connection per use (no pool)."""
    connect_args = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": application_name or APPLICATION_NAME,
        "options": SESSION_OPTIONS,
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
    }
    return create_engine(target.engine_url(password), poolclass=NullPool, connect_args=connect_args)


@contextmanager
def central_errors(where: str = "The central database") -> Iterator[None]:
    """Turn driver failures into CentralUnreachable or SyncError, with a message
    saying what happened and what to do."""
    try:
        yield
    except SyncError:
        raise
    except DBAPIError as exc:
        raise classify(exc.orig or exc, where, invalidated=exc.connection_invalidated) from exc
    except psycopg.Error as exc:
        raise classify(exc, where) from exc
    except OSError as exc:
        detail = redact_text(str(exc))
        raise CentralUnreachable(f"{where} cannot be reached ({detail}); working offline.") from exc


def classify(error: BaseException, where: str, *, invalidated: bool = False) -> SyncError:
    """Offline (connection failed, dropped, backend terminated) or a refusal."""
    detail = redact_text((str(error).strip().splitlines() or [type(error).__name__])[0])
    state = getattr(error, "sqlstate", None)
    lowered = detail.lower()
    if state is None and any(word in lowered for word in _LOGIN_WORDS):
        return SyncError(
            f"{where} refused the login ({detail}): check the user and password "
            "on the Sync page (or BNG_CENTRAL_PASSWORD)."
        )
    connection_lost = invalidated or (
        isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)
        and (state is None or state.startswith("08") or state in _OFFLINE_STATES)
    )
    if connection_lost:
        return CentralUnreachable(f"{where} cannot be reached ({detail}); working offline.")
    if state in ("55P03", "57014"):
        return SyncError(f"{where} is busy ({detail}); try again in a minute.")
    return SyncError(f"{where} refused the operation: {detail}")
