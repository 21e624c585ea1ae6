"""Alembic environment of the local store.

Configured in code by ``bng_desktop.store.migrate``: it passes an open
connection in ``config.attributes["connection"]``, already inside the
transaction that the whole upgrade runs in. There is no offline (--sql) mode.
"""

from alembic import context

from bng_desktop.store.tables import metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None or context.is_offline_mode():
        raise RuntimeError(
            "The store migrations run through bng_desktop.store.migrate, with a connection."
        )
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
