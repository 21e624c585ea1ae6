"""Team logins: ``bng central add-user NAME --role admin|consultant``, ``remove-user``, ``users``.

A login is a PostgreSQL role that may log in and is a member of one of the
two group roles the central migrations make (``bng_admin``,
``bng_consultant``); what each may do is granted to the group (migration
c0002). Run by a login that may create roles (the one that set the team
database up).

The password is made here (``secrets``) or given on standard input, and goes
to the server only as a SCRAM-SHA-256 verifier computed on this computer by
libpq (``PQencryptPasswordConn``): the server, its statement log and this
app's log never see it; the CLI prints a made one once. Names are checked
here and quoted by psycopg (``sql.Identifier``), never pasted into SQL.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from psycopg import sql
from sqlalchemy import Connection, Engine, text

from ..core.errors import SyncError
from .connection import central_errors
from .messages import Guarded, refused_in_words

NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.@-]*")
NAME_BYTES = 63
"""PostgreSQL's longest identifier (NAMEDATALEN - 1)."""
RESERVED_NAMES = frozenset({"public", "none", "current_role", "current_user", "session_user"})
MIN_PASSWORD = 12
PASSWORD_BYTES = 18
"""A made password: 18 random bytes, 24 URL-safe characters."""
SCRAM = b"scram-sha-256"


class TeamRole(StrEnum):
    """What a login may do in the team database (its group role)."""

    ADMIN = "admin"
    CONSULTANT = "consultant"

    @property
    def group(self) -> str:
        return f"bng_{self.value}"


GROUPS = tuple(role.group for role in TeamRole)


@dataclass(frozen=True)
class TeamLogin:
    name: str
    role: TeamRole


def check_login_name(name: str) -> str:
    """``name`` when PostgreSQL and people can both use it as a login; else SyncError."""
    if name.lower() in RESERVED_NAMES or name.lower().startswith("pg_"):
        raise SyncError(f"{name!r} is reserved by PostgreSQL: choose another login name.")
    if name in GROUPS:
        raise SyncError(f"{name!r} is the name of a BNG group role: choose another login name.")
    if not NAME_PATTERN.fullmatch(name) or len(name.encode()) > NAME_BYTES:
        raise SyncError(
            f"{name!r} cannot be a login name: use letters, digits and _ . @ -, starting "
            f"with a letter or _, at most {NAME_BYTES} characters."
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise SyncError(
            f"The password given is {len(password)} characters long: use at least "
            f"{MIN_PASSWORD}, or leave it out and one is made for you."
        )
    if any(ch in password for ch in "\r\n\0"):
        raise SyncError("The password given spans more than one line: give it on one line.")
    return password


def make_password() -> str:
    return secrets.token_urlsafe(PASSWORD_BYTES)


def add_login(engine: Engine, name: str, role: TeamRole, password: str) -> TeamLogin:
    """Create login ``name`` in ``role``'s group, with ``password`` (sent as a verifier)."""
    check_login_name(name)
    check_password(password)
    with (
        refused_in_words(Guarded.LOGINS, engine.url.username),
        central_errors(),
        engine.connect() as conn,
        conn.begin(),
    ):
        _require_groups(conn)
        if _exists(conn, name):
            raise SyncError(
                f"There is already a login named {name!r} on this server: choose another "
                "name, or remove that one first."
            )
        driver = conn.connection.driver_connection
        verifier = driver.pgconn.encrypt_password(password.encode(), name.encode(), SCRAM)
        statement = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
            sql.Identifier(name), sql.Literal(verifier.decode()), sql.Identifier(role.group)
        )
        _execute(conn, statement)
    return TeamLogin(name, role)


def remove_login(engine: Engine, name: str) -> TeamLogin:
    """Drop login ``name``, which must be a BNG login (a member of a BNG group)."""
    with (
        refused_in_words(Guarded.LOGINS, engine.url.username),
        central_errors(),
        engine.connect() as conn,
        conn.begin(),
    ):
        if not _exists(conn, name):
            raise SyncError(f"There is no login named {name!r} on this server.")
        role = _role_of(conn, name)
        if role is None:
            raise SyncError(
                f"{name!r} is not a BNG login (a member of neither {' nor '.join(GROUPS)}): "
                "it was left alone."
            )
        if conn.execute(text("SELECT session_user")).scalar_one() == name:
            raise SyncError(f"{name!r} is the login doing this: remove it with another login.")
        _execute(conn, sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
    return TeamLogin(name, role)


def list_logins(engine: Engine) -> list[TeamLogin]:
    """Every BNG login on the server, by name (an admin in both groups counts as admin)."""
    with (
        refused_in_words(Guarded.LOGINS, engine.url.username),
        central_errors(),
        engine.connect() as conn,
    ):
        rows = conn.execute(
            text(
                "SELECT u.rolname, bool_or(g.rolname = :admin) FROM pg_auth_members m "
                "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                "WHERE g.rolname IN (:admin, :consultant) AND u.rolcanlogin "
                "GROUP BY u.rolname ORDER BY u.rolname"
            ),
            {"admin": TeamRole.ADMIN.group, "consultant": TeamRole.CONSULTANT.group},
        )
        return [
            TeamLogin(name, TeamRole.ADMIN if admin else TeamRole.CONSULTANT)
            for name, admin in rows
        ]


def _require_groups(conn: Connection) -> None:
    found = set(
        conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:groups)"),
            {"groups": list(GROUPS)},
        ).scalars()
    )
    if found != set(GROUPS):
        raise SyncError(
            "The team database's roles are not there yet: run `bng central init` (or "
            "`bng central upgrade`) first."
        )


def _exists(conn: Connection, name: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    return found.first() is not None


def _role_of(conn: Connection, name: str) -> TeamRole | None:
    groups = set(
        conn.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :n"
            ),
            {"n": name},
        ).scalars()
    )
    for role in TeamRole:
        if role.group in groups:
            return role
    return None


def _execute(conn: Connection, statement: sql.Composed) -> None:
    """Run a composed statement on the driver's cursor (its errors never quote it)."""
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()
