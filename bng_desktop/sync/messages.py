"""Sync failures in plain words: what the Sync page, the header and ``bng sync`` say.

The driver's own words ("[Errno -2] Name or service not known", "server does
not support SSL, but SSL was required", a libpq FATAL line) mean nothing to a
consultant. Here each failure to reach or use the team database is sorted
into a :class:`Trouble` and told as one sentence naming the server: what
happened and what to do. The driver's words go to the log file (and stay
the plain error's cause), for whoever supports the desktop.

Only failures that come from the driver or the network are rephrased; the
sync's own messages (schema too old, nothing to publish...) are already
written for people and pass through unchanged.

A refusal for want of a role (PostgreSQL's insufficient_privilege, 42501:
a consultant's login trying to publish, say) is told by what the action
needs — "Publishing needs an admin login" — wherever that action is done
(``refused_in_words``), as a :class:`NotAllowed`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

import psycopg
from sqlalchemy.exc import DBAPIError

from ..core.errors import CentralUnreachable, NotAllowed, SyncError

log = logging.getLogger(__name__)


class Trouble(StrEnum):
    """Why the team database could not be used, as far as a user needs to know."""

    UNREACHABLE = "unreachable"
    """No such server, nothing listening, no route, no answer in time."""
    CONNECTION_LOST = "connection-lost"
    NO_ENCRYPTION = "no-encryption"
    UNTRUSTED_CERTIFICATE = "untrusted-certificate"
    LOGIN_REFUSED = "login-refused"
    NO_DATABASE = "no-database"
    BUSY = "busy"


Sign = str | tuple[str, ...]
"""Text in the driver's message (a tuple: all of these)."""

_SIGNS: tuple[tuple[Trouble, tuple[Sign, ...]], ...] = (
    (
        Trouble.UNREACHABLE,
        (
            "failed to resolve host",
            "name or service not known",
            "nodename nor servname",
            "name resolution",
            "could not translate host name",
            "no such host",
            "getaddrinfo",
            "connection refused",
            "no route to host",
            "network is unreachable",
            "timeout expired",
            "timed out",
        ),
    ),
    (Trouble.UNTRUSTED_CERTIFICATE, ("certificate verify failed", "root certificate")),
    (
        Trouble.NO_ENCRYPTION,
        ("does not support ssl", "ssl was required", "ssl is not enabled", "no encryption"),
    ),
    (Trouble.NO_DATABASE, (('database "', "does not exist"),)),
    (
        Trouble.LOGIN_REFUSED,
        (
            "password authentication failed",
            "no password supplied",
            "authentication failed",
            ('role "', "does not exist"),
            "pg_hba.conf",
            "permission denied for database",
        ),
    ),
    (
        Trouble.CONNECTION_LOST,
        (
            "server closed the connection",
            "terminating connection",
            "connection is closed",
            "connection already closed",
            "consuming input failed",
            "connection reset",
            "broken pipe",
        ),
    ),
)
_LOST_STATES = ("57P01", "57P02", "57P03")
INSUFFICIENT_PRIVILEGE = "42501"
ROW_SECURITY_WORDS = "row-level security"
"""In the server's message when a row-level security policy refused a row."""


class Guarded(StrEnum):
    """An action on the team database that needs a role."""

    PUBLISH = "publish"
    PUSH = "push"
    READ = "read"
    SCHEMA = "schema"
    LOGINS = "logins"
    AUDIT = "audit"
    PROMOTERS = "promoters"
    CREDIT_PRICES = "credit_prices"


def not_allowed_message(action: Guarded, login: str = "") -> str:
    """What ``action`` needs, and that ``login`` lacks it, in one or two sentences."""
    who = f"the login {login!r}" if login else "this login"
    ask = "Ask your administrator, or use another login on the Sync page."
    sentences = {
        Guarded.PUBLISH: f"Publishing needs an admin login: {who} is not one. {ask}",
        Guarded.PUSH: (
            f"Sending quotes needs a consultant or admin login: {who} is neither. {ask}"
        ),
        Guarded.READ: (
            f"Reading the team database needs a consultant or admin login: {who} is neither. {ask}"
        ),
        Guarded.SCHEMA: (
            "Creating or upgrading the central schema needs the login that owns the team "
            f"database and may create roles: {who} cannot."
        ),
        Guarded.LOGINS: (
            "Adding or removing logins needs a login that may create roles (CREATEROLE), "
            f"such as the one that set the team database up: {who} cannot."
        ),
        Guarded.AUDIT: f"Reading the audit log needs an admin login: {who} is not one.",
        Guarded.PROMOTERS: f"Changing promoters needs an admin login: {who} is not one. {ask}",
        Guarded.CREDIT_PRICES: (
            f"Setting statutory credit prices needs an admin login: {who} is not one. {ask}"
        ),
    }
    return sentences[action]


OTHERS_QUOTE = "another login pushed it first; only that login or an admin can change it"
"""Why a quote another login pushed was not changed (after "BNG-A-02031 was refused: ")."""


def is_not_allowed(error: BaseException) -> bool:
    """True when the server refused ``error``'s statement for want of a privilege."""
    cause = _driver_error(error)
    return getattr(cause, "sqlstate", None) == INSUFFICIENT_PRIVILEGE


def is_row_security_refusal(error: BaseException) -> bool:
    """True when a row-level security policy refused a row (someone else's quote)."""
    return is_not_allowed(error) and ROW_SECURITY_WORDS in str(_driver_error(error))


@contextmanager
def refused_in_words(action: Guarded, login: str | None = "") -> Iterator[None]:
    """Re-raise a refusal for want of a privilege in the block as NotAllowed,
    saying what ``action`` needs; other errors pass unchanged."""
    try:
        yield
    except (SyncError, DBAPIError, psycopg.Error) as error:
        if not is_not_allowed(error) or isinstance(error, NotAllowed):
            raise
        log.info("team database refused %s to %s: %s", action, login or "?", error)
        raise NotAllowed(not_allowed_message(action, login or "")) from error


_BUSY_STATES = ("55P03", "57014")


def plain_message(trouble: Trouble, server: str, database: str = "") -> str:
    """One sentence: what happened to the team database at ``server``, and what to do."""
    at = f"the team database at {server}"
    sentences = {
        Trouble.UNREACHABLE: f"Cannot reach {at} — check the address or your connection.",
        Trouble.CONNECTION_LOST: (
            f"The connection to {at} was lost part-way — nothing half-done was kept; "
            "the next sync carries on from where this one stopped."
        ),
        Trouble.NO_ENCRYPTION: (
            f"{at.capitalize()} does not offer an encrypted connection, which this app "
            "needs for a database on another computer — ask your administrator to turn "
            "encryption (TLS) on."
        ),
        Trouble.UNTRUSTED_CERTIFICATE: (
            f"{at.capitalize()} presented a security certificate this computer does not "
            "trust — ask your administrator."
        ),
        Trouble.LOGIN_REFUSED: (
            f"{at.capitalize()} did not accept the user name or password — check them on "
            "the Sync page."
        ),
        Trouble.NO_DATABASE: (
            f"There is no database named {database or 'as given'} on {server} — check "
            "the address on the Sync page."
        ),
        Trouble.BUSY: f"{at.capitalize()} is busy — try again in a minute.",
    }
    return sentences[trouble]


def trouble_of(error: BaseException) -> Trouble | None:
    """The kind of trouble behind ``error`` (or its causes); None when it is not
    a driver or network failure (the sync's own messages)."""
    cause = _driver_error(error)
    if cause is None:
        return None
    state = getattr(cause, "sqlstate", None)
    if state in _BUSY_STATES:
        return Trouble.BUSY
    if state in _LOST_STATES:
        return Trouble.CONNECTION_LOST
    if state is not None:
        return None  # the server answered and refused: its own words say why
    text = str(cause).lower()
    for trouble, signs in _SIGNS:
        if any(_shows(text, sign) for sign in signs):
            return trouble
    if isinstance(error, CentralUnreachable) or isinstance(cause, OSError):
        return Trouble.UNREACHABLE
    return None


def _shows(text: str, sign: Sign) -> bool:
    return sign in text if isinstance(sign, str) else all(part in text for part in sign)


def _driver_error(error: BaseException) -> BaseException | None:
    """The first psycopg or OS error in the chain of causes."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.orig is not None:
            current = current.orig
        if isinstance(current, psycopg.Error | OSError):
            return current
        current = current.__cause__ or current.__context__
    return None


def in_plain_words(error: SyncError, server: str, database: str = "") -> SyncError:
    """The same kind of error, told plainly; ``error`` itself when it already is."""
    trouble = trouble_of(error)
    if trouble is None:
        return error
    plain = type(error)(plain_message(trouble, server, database))
    log.warning("team database %s: %s (%s)", server, trouble, error)
    return plain


@contextmanager
def plain_sync_errors(server: str, database: str = "") -> Iterator[None]:
    """Re-raise sync failures from the block in plain words (same error class)."""
    try:
        yield
    except SyncError as error:
        plain = in_plain_words(error, server, database)
        if plain is error:
            raise
        raise plain from error
