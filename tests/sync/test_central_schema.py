"""The central schema: made by its own migrations, and constraints that refuse bad states."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from bng_desktop.core.errors import SyncError
from bng_desktop.sync import migrate
from bng_desktop.sync.schema import metadata


def test_the_migrated_schema_matches_the_tables(central):
    with central.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": migrate.VERSION_TABLE})
        assert compare_metadata(context, metadata) == []


def test_init_creates_the_schema_once_and_upgrade_is_idempotent(empty_database, desktop):
    sync = desktop("admin").sync
    assert sync.central_state(empty_database).revision is None
    assert sync.central_init(empty_database) == migrate.head_revision()
    with pytest.raises(SyncError, match="already has the BNG schema"):
        sync.central_init(empty_database)
    assert sync.central_upgrade(empty_database) == migrate.head_revision()
    state = sync.central_state(empty_database)
    assert state.up_to_date and state.versions == 0 and state.quotes == 0


def test_a_desktop_refuses_a_schema_it_does_not_know(central):
    engine = create_engine(central.url)
    try:
        with engine.connect() as conn:
            conn.execute(text("UPDATE bng_central_version SET version_num = 'c9999'"))
            with pytest.raises(SyncError, match="update BNG Desktop"):
                migrate.check_schema(conn)
            conn.rollback()
    finally:
        engine.dispose()


def insert_version(conn, current: bool = False) -> int:
    return conn.execute(
        text(
            "INSERT INTO reference_version (content_hash, source, label, published_by, "
            "is_current, warnings, row_counts) VALUES ('h', 's', '', 'me', :c, '[]', '{}') "
            "RETURNING id"
        ),
        {"c": current},
    ).scalar()


def insert_quote(conn, reference: str, revision: int = 0, payload: str = '{"format": 1}'):
    base = reference.split(".")[0]
    conn.execute(
        text(
            "INSERT INTO quote (uuid, reference, base_reference, revision, seq, "
            "provisional_reference, desktop_id, client_name, author, created_at, updated_at, "
            "reference_hash, lpa, nca, contract_size, subtotal, total, display_total, "
            "solver_name, payload) VALUES (:u, :r, :b, :rev, :seq, :r, 'd', '', '', 't', 't', "
            "'h', '', '', 'small', 0, 0, 0, 'highs', :p)"
        ),
        {
            "u": str(uuid.uuid4()),
            "r": reference,
            "b": base,
            "rev": revision,
            "seq": uuid.uuid4().int % 10**12,
            "p": payload,
        },
    )


BAD_STATES = {
    "two current versions": lambda c: (insert_version(c, True), insert_version(c, True)),
    "negative stock": lambda c: c.execute(
        text(
            "INSERT INTO ref_stock (version_id, stock_id, bank_id, habitat_name, "
            "quantity_available) VALUES (:v, 'S1', 'B1', 'H', '-1')"
        ),
        {"v": insert_version(c)},
    ),
    "rows of a missing version": lambda c: c.execute(
        text("INSERT INTO ref_srm (version_id, tier, multiplier) VALUES (999, 'local', '1')")
    ),
    "a duplicate reference": lambda c: (
        insert_quote(c, "BNG-A-02025"),
        insert_quote(c, "BNG-A-02025"),
    ),
    "a reference that does not match its revision": lambda c: insert_quote(
        c, "BNG-A-02025.2", revision=1
    ),
    "a payload that is not a JSON object": lambda c: insert_quote(c, "BNG-A-02025", payload="[1]"),
    "a line of a missing quote": lambda c: c.execute(
        text(
            "INSERT INTO quote_line VALUES (:u, 0, 'optimiser', 0, 'H', 'area', 'B1', 'B', 'H', "
            "'local', '1', '1', '1', 'exact', '[]', '[]')"
        ),
        {"u": str(uuid.uuid4())},
    ),
    "an unknown discount type": lambda c: c.execute(
        text("INSERT INTO promoter (name, discount_type) VALUES ('Arbtech', 'bribe')")
    ),
}


@pytest.mark.parametrize("state", list(BAD_STATES))
def test_the_database_refuses_a_bad_state(central, state):
    engine = create_engine(central.url)
    try:
        with engine.connect() as conn, pytest.raises(IntegrityError):
            BAD_STATES[state](conn)
    finally:
        engine.dispose()


def test_the_central_migrations_ship_inside_the_package():
    folder = migrate.MIGRATIONS_DIR
    assert folder.parent == Path(migrate.__file__).resolve().parent
    assert (folder / "env.py").is_file() and list((folder / "versions").glob("*.py"))
    assert migrate.head_revision() == "c0004_credit_prices"
