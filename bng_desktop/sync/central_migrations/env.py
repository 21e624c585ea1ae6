"""Alembic environment of the central PostgreSQL database.

Configured in code by ``bng_desktop.sync.migrate``: it passes an open
connection in ``config.attributes["connection"]``, inside the one transaction
the whole upgrade runs in (PostgreSQL runs DDL in transactions). The version
table is named for the app, so the central database can host other schemas.
"""

from alembic import context

from bng_desktop.sync.migrate import VERSION_TABLE
from bng_desktop.sync.schema import metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None or context.is_offline_mode():
        raise RuntimeError(
            "The central migrations run through bng_desktop.sync.migrate, with a connection."
        )
    context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
