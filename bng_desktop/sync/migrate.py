"""Create, upgrade and inspect the central schema (``bng central init|upgrade|status``).

The central database has its own alembic migrations (``central_migrations``),
apart from the local SQLite ones. An upgrade runs in ONE transaction under an
advisory lock, so two admins upgrading at once cannot interleave and a failed
step leaves the schema as it was. Desktops refuse to sync with a schema they
do not know (behind: ask the admin to upgrade; ahead: update BNG Desktop).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, select

from ..core.errors import SyncError
from .connection import central_errors
from .messages import Guarded, refused_in_words
from .schema import quote, reference_version

MIGRATIONS_DIR = Path(__file__).resolve().parent / "central_migrations"
VERSION_TABLE = "bng_central_version"
UPGRADE_LOCK = 0x424E4701
"""pg_advisory_xact_lock key held while the schema is upgraded."""


@dataclass(frozen=True)
class CentralState:
    """What ``bng central status`` reports."""

    revision: str | None
    head: str
    versions: int = 0
    current_version: int | None = None
    quotes: int = 0

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the central schema has no migrations"
    return head


def current_revision(conn: Connection) -> str | None:
    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def init_schema(engine: Engine) -> str:
    """Create the schema in an empty database; refuses one that already has it."""
    with central_errors(), engine.connect() as conn:
        revision = current_revision(conn)
        conn.rollback()
    if revision is not None:
        raise SyncError(
            f"The central database already has the BNG schema (revision {revision}); "
            "use `bng central upgrade` to bring it up to date."
        )
    return upgrade_schema(engine)


def upgrade_schema(engine: Engine) -> str:
    """Bring the schema to the newest revision, all or nothing; returns it."""
    head = head_revision()
    with (
        refused_in_words(Guarded.SCHEMA, engine.url.username),
        central_errors(),
        engine.connect() as conn,
        conn.begin(),
    ):
        conn.execute(select(func.pg_advisory_xact_lock(UPGRADE_LOCK)))
        _refuse_unknown(current_revision(conn))
        command.upgrade(alembic_config(conn), "head")
    return head


def schema_state(engine: Engine) -> CentralState:
    head = head_revision()
    with central_errors(), engine.connect() as conn, conn.begin():
        revision = current_revision(conn)
        if revision is None:
            return CentralState(None, head)
        versions = conn.execute(select(func.count()).select_from(reference_version)).scalar()
        current = conn.execute(
            select(reference_version.c.id).where(reference_version.c.is_current)
        ).scalar()
        quotes = conn.execute(select(func.count()).select_from(quote)).scalar()
    return CentralState(revision, head, versions or 0, current, quotes or 0)


def check_schema(conn: Connection) -> None:
    """Refuse to sync with a central schema this program does not know."""
    with refused_in_words(Guarded.READ, conn.engine.url.username):
        revision = current_revision(conn)
    head = head_revision()
    if revision == head:
        return
    if revision is None:
        raise SyncError(
            "The central database has no BNG schema yet: an admin runs "
            "`bng central init --url URL` once."
        )
    _refuse_unknown(revision)
    raise SyncError(
        f"The central database schema is older ({revision}) than this BNG Desktop "
        f"expects ({head}): an admin runs `bng central upgrade --url URL`."
    )


def _refuse_unknown(revision: str | None) -> None:
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if revision not in known:
        raise SyncError(
            f"The central database was upgraded by a newer BNG Desktop (schema {revision}): "
            "update BNG Desktop on this computer."
        )
