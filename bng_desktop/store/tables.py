"""The local SQLite schema, as SQLModel table classes.

Reference rows are keyed by ``version_id``: a version is written once (in
short transactions, hidden by ``staged_at`` until the last one reveals it)
and never changed, so quotes and caches can point at it. Exact
numbers (units, prices) are stored as text written by ``fraction_text``
(through ``fraction_text``) and read back with ``to_fraction``; enums are
stored as their value text (bands as their label, "V.Low" ... "V.High").
JSON columns hold text.

The tables use their own registry and metadata (not SQLModel's global one), so
tables that other layers declare never leak into this schema or its migrations.
Any change here needs a new migration in ``migrations/versions``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, Integer, LargeBinary, MetaData, Text, UniqueConstraint, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints let future batch migrations on SQLite drop or alter them."""

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class StoreModel(SQLModel, registry=registry(metadata=metadata)):
    """Base of every table of the local store."""


def _text(default: str | None = "", **kwargs: Any) -> Any:
    """A TEXT column (exact numbers, JSON, free text)."""
    nullable = default is None
    return Field(default=default, sa_type=Text, nullable=nullable, **kwargs)


def _version_fk() -> Any:
    return Field(foreign_key="reference_version.id", ondelete="CASCADE", index=True)


class ReferenceVersion(StoreModel, table=True):
    __tablename__ = "reference_version"
    __table_args__ = (
        Index(
            "ux_reference_version_current",
            "is_current",
            unique=True,
            sqlite_where=text("is_current = 1"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(sa_type=Text, index=True)
    source: str = _text()
    label: str = _text()
    created_at: str = _text()
    is_current: bool = False
    warnings: str = _text("[]")
    row_counts: str = _text("{}")
    imported_by: str = _text()
    """Who imported it here ("": the sample, pulled, or stored before it was recorded)."""
    staged_at: str | None = _text(None)
    """Set while the version's rows are being written (when they last were);
    None once it is complete. Nothing reads a staged version."""


class RefBank(StoreModel, table=True):
    __tablename__ = "ref_bank"
    __table_args__ = (UniqueConstraint("version_id", "bank_id"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    bank_id: str = Field(sa_type=Text)
    name: str = _text()
    lpa: str = _text()
    nca: str = _text()
    postcode: str = _text()
    address: str = _text()
    lat: float | None = None
    lon: float | None = None


class RefHabitat(StoreModel, table=True):
    __tablename__ = "ref_habitat"
    __table_args__ = (UniqueConstraint("version_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    name: str = Field(sa_type=Text)
    unit_type: str = Field(sa_type=Text)
    band: str = Field(sa_type=Text)
    broad_habitat: str = _text()
    trading_broad_habitat: str = _text()
    irreplaceable: bool = False


class RefStock(StoreModel, table=True):
    __tablename__ = "ref_stock"
    __table_args__ = (UniqueConstraint("version_id", "stock_id"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    stock_id: str = Field(sa_type=Text)
    bank_id: str = Field(sa_type=Text)
    habitat_name: str = Field(sa_type=Text)
    quantity_available: str = Field(sa_type=Text)
    available_excl_quotes: str | None = _text(None)
    quoted: str | None = _text(None)


class RefPrice(StoreModel, table=True):
    __tablename__ = "ref_price"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    bank_id: str = Field(sa_type=Text)
    habitat_name: str = Field(sa_type=Text)
    contract_size: str = Field(sa_type=Text)
    tier: str = Field(sa_type=Text)
    price: str = Field(sa_type=Text)
    broader_type: str = _text()
    distinctiveness_name: str = _text()
    bank_name: str = _text()


class RefPricePack(StoreModel, table=True):
    """A version's price rows once more, packed as columns (store/price_pack.py):
    what a snapshot loads, ~225,000 rows at national scale read as one value.
    Written with the rows; a version without one (or of another ``format``)
    is loaded from ``ref_price``, which stays the record of the prices."""

    __tablename__ = "ref_price_pack"

    version_id: int = Field(
        primary_key=True,
        foreign_key="reference_version.id",
        ondelete="CASCADE",
        sa_column_kwargs={"autoincrement": False},
    )
    format: int
    pack: bytes = Field(sa_type=LargeBinary)


class RefTradingRule(StoreModel, table=True):
    __tablename__ = "ref_trading_rule"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    demand_habitat: str = Field(sa_type=Text)
    allowed_supply_habitat: str = Field(sa_type=Text)
    min_band: str | None = _text(None)
    companion_habitat: str = _text()


class RefDistinctiveness(StoreModel, table=True):
    __tablename__ = "ref_distinctiveness"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    name: str = Field(sa_type=Text)
    level_value: str = Field(sa_type=Text)


class RefSrm(StoreModel, table=True):
    __tablename__ = "ref_srm"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    tier: str = Field(sa_type=Text)
    multiplier: str = Field(sa_type=Text)


class RefLpaNeighbour(StoreModel, table=True):
    """A pair of local planning authorities that share a boundary."""

    __tablename__ = "ref_lpa_neighbour"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    place_a: str = Field(sa_type=Text)
    place_b: str = Field(sa_type=Text)


class RefNcaNeighbour(StoreModel, table=True):
    """A pair of National Character Areas that share a boundary."""

    __tablename__ = "ref_nca_neighbour"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    place_a: str = Field(sa_type=Text)
    place_b: str = Field(sa_type=Text)


class RefBankLocation(StoreModel, table=True):
    """A bank's LPA / NCA looked up after import (its row left them blank).
    Added to the version, never to the imported rows: see core/bank_geography.py."""

    __tablename__ = "ref_bank_location"
    __table_args__ = (UniqueConstraint("version_id", "bank_id"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    bank_id: str = Field(sa_type=Text)
    lpa: str = _text()
    nca: str = _text()
    lat: float | None = None
    lon: float | None = None
    source: str = _text()
    resolved_at: str = _text()


class RefPolicy(StoreModel, table=True):
    __tablename__ = "ref_policy"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    key: str = Field(sa_type=Text)
    value: str = _text()


class QuoteRow(StoreModel, table=True):
    """One saved quote. ``payload`` (the exact quote as JSON, see codec.py) is
    the source of truth; the other columns are copies for search and lists."""

    __tablename__ = "quote"
    __table_args__ = (UniqueConstraint("base_reference", "revision"),)

    uuid: str = Field(sa_type=Text, primary_key=True)
    reference: str = Field(sa_type=Text, unique=True)
    base_reference: str = Field(sa_type=Text, index=True)
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    client_name: str = _text()
    author: str = _text()
    created_at: str = Field(sa_type=Text, index=True)
    updated_at: str = Field(sa_type=Text)
    reference_version_id: int | None = Field(
        default=None, foreign_key="reference_version.id", index=True
    )
    lpa: str = Field(default="", sa_type=Text, index=True)
    nca: str = Field(default="", sa_type=Text, index=True)
    contract_size: str = _text()
    subtotal: float = 0.0
    total: float = 0.0
    display_total: int = 0
    solver_name: str = _text()
    payload: str = Field(sa_type=Text)
    customer_uuid: str | None = Field(default=None, sa_type=Text, index=True)
    """The customer the quote is for (customers.py), when one was chosen."""


class QuoteLineRow(StoreModel, table=True):
    """An allocation line of a saved quote, for SQL search and reporting only."""

    __tablename__ = "quote_line"

    id: int | None = Field(default=None, primary_key=True)
    quote_uuid: str = Field(sa_type=Text, foreign_key="quote.uuid", ondelete="CASCADE", index=True)
    position: int = Field(sa_type=Integer)
    kind: str = Field(sa_type=Text)
    demand_index: int | None = None
    demand_habitat: str = _text()
    unit_type: str = Field(sa_type=Text)
    bank_id: str = Field(sa_type=Text, index=True)
    bank_name: str = _text()
    supply_habitat: str = _text()
    tier: str | None = _text(None)
    units_supplied: str = Field(sa_type=Text)
    unit_price: str = Field(sa_type=Text)
    cost: str = Field(sa_type=Text)
    price_source: str = _text()
    stock_use: str = _text("[]")
    paired_parts: str = _text("[]")


class ResultCacheRow(StoreModel, table=True):
    __tablename__ = "result_cache"

    key: str = Field(sa_type=Text, primary_key=True)
    reference_version_id: int = _version_fk()
    created_at: str = Field(sa_type=Text)
    payload: str = Field(sa_type=Text)


class AppSetting(StoreModel, table=True):
    __tablename__ = "app_setting"

    key: str = Field(sa_type=Text, primary_key=True)
    value: str = _text()


class QuoteDraftRow(StoreModel, table=True):
    """The quote a desktop user is working on, kept between visits and restarts."""

    __tablename__ = "quote_draft"

    user_name: str = Field(sa_type=Text, primary_key=True)
    kept_at: str = _text()
    payload: str = _text("{}")


class SyncOutbox(StoreModel, table=True):
    """A saved quote waiting to be pushed to the central database.

    Written in the transaction that saves the quote (quotes.py), so a quote
    is never saved without its entry; ``sent_at`` is set only after the
    central database has committed it (sync/push.py)."""

    __tablename__ = "sync_outbox"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    quote_uuid: str = Field(sa_type=Text, foreign_key="quote.uuid", ondelete="CASCADE", unique=True)
    queued_reference: str = Field(sa_type=Text)
    """The reference the quote had when saved: provisional until pushed."""
    queued_at: str = Field(sa_type=Text)
    sent_at: str | None = Field(default=None, sa_type=Text, index=True)
    attempts: int = 0
    last_error: str = _text()


class SyncTeamQuote(StoreModel, table=True):
    """A colleague's quote pulled from the central database (read-only here)."""

    __tablename__ = "sync_team_quote"

    quote_uuid: str = Field(
        sa_type=Text, foreign_key="quote.uuid", ondelete="CASCADE", primary_key=True
    )
    central_seq: int = Field(index=True)
    pulled_at: str = Field(sa_type=Text)


class SyncCentralVersion(StoreModel, table=True):
    """Which central reference version a local version was pulled from."""

    __tablename__ = "sync_central_version"

    central_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    version_id: int = Field(foreign_key="reference_version.id", ondelete="CASCADE", unique=True)
    pulled_at: str = Field(sa_type=Text)


class SyncLog(StoreModel, table=True):
    """One sync attempt of this desktop: what moved, or why it could not."""

    __tablename__ = "sync_log"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    started_at: str = Field(sa_type=Text)
    finished_at: str = Field(sa_type=Text, index=True)
    online: bool = False
    ok: bool = False
    versions_pulled: int = 0
    quotes_pushed: int = 0
    team_quotes: int = 0
    renumbered: str = _text("[]")
    """JSON [[provisional, final], ...] of references the central database changed."""
    message: str = _text()


REFERENCE_TABLES = {
    "banks": RefBank.__table__,
    "habitats": RefHabitat.__table__,
    "stock": RefStock.__table__,
    "prices": RefPrice.__table__,
    "trading_rules": RefTradingRule.__table__,
    "distinctiveness": RefDistinctiveness.__table__,
    "srm": RefSrm.__table__,
    "lpa_neighbours": RefLpaNeighbour.__table__,
    "nca_neighbours": RefNcaNeighbour.__table__,
    "policy": RefPolicy.__table__,
}
"""ReferenceData field name → the table holding its rows."""

BANK_LOCATION_TABLE = RefBankLocation.__table__
"""Banks' resolved locations, per version (bank_locations.py)."""

PRICE_PACK_TABLE = RefPricePack.__table__
"""Each version's price rows packed as columns (price_pack.py)."""


class CrmOutboxRow(StoreModel, table=True):
    """A saved quote waiting to be sent to the CRM (one row per reference:
    saving again re-queues it with the newest values)."""

    __tablename__ = "crm_outbox"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(sa_type=Text, unique=True)
    values_json: str = _text()
    """The CRM record's values, as JSON text."""
    queued_at: str = Field(sa_type=Text)
    next_attempt_at: str = Field(sa_type=Text, index=True)
    attempts: int = 0
    last_error: str = _text()
    sent_at: str | None = Field(default=None, sa_type=Text, index=True)
    record_id: str = _text()
    """The CRM's id for the record, once sent."""


class CustomerRow(StoreModel, table=True):
    """A customer quotes are made for (core/customers.py). Email and phone are
    unique by their keys when given; ``pushed_at`` is None until the team's
    database holds this version of the record."""

    __tablename__ = "customer"

    uuid: str = Field(sa_type=Text, primary_key=True)
    name: str = Field(sa_type=Text)
    company: str = _text()
    contact_person: str = _text()
    email: str = _text()
    email_key: str | None = Field(default=None, sa_type=Text, unique=True)
    phone: str = _text()
    phone_key: str | None = Field(default=None, sa_type=Text, unique=True)
    address: str = _text()
    author: str = _text()
    created_at: str = Field(sa_type=Text)
    updated_at: str = Field(sa_type=Text)
    from_team: bool = False
    """A colleague's customer, pulled from the team's database."""
    pushed_at: str | None = Field(default=None, sa_type=Text, index=True)
    push_error: str = _text()


class PromoterRow(StoreModel, table=True):
    """A promoter (introducer) and their discount, as last pulled from the
    team's database: the list the quote page offers."""

    __tablename__ = "promoter"

    name: str = Field(sa_type=Text, primary_key=True)
    discount_type: str = Field(sa_type=Text)
    discount_value: str = Field(sa_type=Text)
    pulled_at: str = Field(sa_type=Text)


class CreditPriceRow(StoreModel, table=True):
    """The price of one statutory credit tier from a date: an admin's set, or
    the team's as last pulled (the bundled prices are not stored)."""

    __tablename__ = "credit_price"

    effective_from: str = Field(sa_type=Text, primary_key=True)
    """ISO date (yyyy-mm-dd) the set is in force from."""
    tier: str = Field(sa_type=Text, primary_key=True)
    price: str = Field(sa_type=Text)
    source: str = _text()
    set_at: str = Field(sa_type=Text)
