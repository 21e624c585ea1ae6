"""The central PostgreSQL schema, as SQLAlchemy Core tables.

Reference rows have exactly the shape of the local store's ``ref_*`` tables
(copied from the store's REFERENCE_TABLES, keyed by ``version_id``), so a version moves
between the two databases column for column. Quotes are keyed by UUID and
keep the exact payload JSON the desktop saved (text, checked to be a JSON
object, never re-serialised). Constraints make the bad states impossible
rather than unlikely: one reference per quote, one current version, stock and
prices that are non-negative exact numbers, quote lines only for a quote.

Who may do what is the database's business, not the client's: the roles,
grants, row-level security and audit triggers are made by migration c0002
(see that file, and sync/logins.py for the logins).

The schema is created and upgraded by the migrations in
``central_migrations`` (``bng central init|upgrade``); a test checks that the
migrated database matches these tables, so any change here needs a migration.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
    text,
)

from ..core.statutory_credits import CreditTier
from ..store import BANK_LOCATION_TABLE, NAMING_CONVENTION, REFERENCE_TABLES

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AuditAction(StrEnum):
    """What an audit_log row records (each written by a trigger)."""

    PUBLISH = "publish"
    """A reference version stored."""
    CURRENT = "current"
    """A reference version made the team's current one."""
    PUSH = "push"
    """A quote arrived."""
    UPDATE = "update"
    """A quote already there changed (a re-send with new client or author)."""
    DELETE = "delete"
    PROMOTER = "promoter"
    """A promoter added, changed or removed."""
    CUSTOMER = "customer"
    """A customer added, changed or removed."""
    CREDIT_PRICES = "credit_prices"
    """A tier's statutory credit price set for a date, changed or removed."""


EXACT_NON_NEGATIVE = r"^[0-9]+(\.[0-9]+)?(/[0-9]+)?$"
"""What ``fraction_text`` writes for a number ≥ 0: 12, 1.5 or 1/3."""


def _now() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


def _exact(column: str) -> CheckConstraint:
    """NULL passes, as in every CHECK; anything else must be an exact number ≥ 0."""
    return CheckConstraint(f"{column} ~ '{EXACT_NON_NEGATIVE}'", name=f"{column}_non_negative")


reference_version = Table(
    "reference_version",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("content_hash", Text, nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("label", Text, nullable=False),
    _now(),
    Column("published_by", Text, nullable=False),
    Column("is_current", Boolean, nullable=False, server_default=false()),
    Column("warnings", Text, nullable=False),
    Column("row_counts", Text, nullable=False),
    Index(
        "ux_reference_version_current",
        "is_current",
        unique=True,
        postgresql_where=text("is_current"),
    ),
)

REF_TABLES = {field: table.to_metadata(metadata) for field, table in REFERENCE_TABLES.items()}
"""ReferenceData field name → its central table (same columns as the local one)."""

ref_bank_location = BANK_LOCATION_TABLE.to_metadata(metadata)
ref_stock = REF_TABLES["stock"]
for _column in ("quantity_available", "available_excl_quotes", "quoted"):
    ref_stock.append_constraint(_exact(_column))
REF_TABLES["prices"].append_constraint(_exact("price"))

quote = Table(
    "quote",
    metadata,
    Column("uuid", Uuid(as_uuid=False), primary_key=True),
    Column("reference", Text, nullable=False, unique=True),
    Column("base_reference", Text, nullable=False, index=True),
    Column("revision", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("provisional_reference", Text, nullable=False),
    Column("desktop_id", Text, nullable=False, index=True),
    Column("client_name", Text, nullable=False),
    Column("author", Text, nullable=False, index=True),
    Column("created_at", Text, nullable=False, index=True),
    Column("updated_at", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("reference_version_id", Integer, ForeignKey("reference_version.id"), nullable=True),
    Column("reference_hash", Text, nullable=False),
    Column("lpa", Text, nullable=False, index=True),
    Column("nca", Text, nullable=False, index=True),
    Column("contract_size", Text, nullable=False),
    Column("subtotal", Float, nullable=False),
    Column("total", Float, nullable=False),
    Column("display_total", Integer, nullable=False),
    Column("solver_name", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("pushed_by", Text, nullable=False, server_default=text("SESSION_USER")),
    Column("customer_uuid", Uuid(as_uuid=False), nullable=True, index=True),
    UniqueConstraint("base_reference", "revision"),
    CheckConstraint(
        "(revision = 0 AND reference = base_reference) OR "
        "(revision > 0 AND reference = base_reference || '.' || revision::text)",
        name="reference_matches_revision",
    ),
    CheckConstraint("json_typeof(payload::json) = 'object'", name="payload_is_json_object"),
)
"""One pushed quote; ``seq`` is the order the central database received them.
``pushed_by`` is the login that first pushed it, set by the server (a trigger),
never by the client: row-level security lets only that login (or an admin)
change the quote."""

quote_line = Table(
    "quote_line",
    metadata,
    Column("quote_uuid", Uuid(as_uuid=False), ForeignKey("quote.uuid", ondelete="CASCADE")),
    Column("position", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("demand_index", Integer, nullable=True),
    Column("demand_habitat", Text, nullable=False),
    Column("unit_type", Text, nullable=False),
    Column("bank_id", Text, nullable=False, index=True),
    Column("bank_name", Text, nullable=False),
    Column("supply_habitat", Text, nullable=False),
    Column("tier", Text, nullable=True),
    Column("units_supplied", Text, nullable=False),
    Column("unit_price", Text, nullable=False),
    Column("cost", Text, nullable=False),
    Column("price_source", Text, nullable=False),
    Column("stock_use", Text, nullable=False),
    Column("paired_parts", Text, nullable=False),
    PrimaryKeyConstraint("quote_uuid", "position"),
)
LINE_COLUMNS = tuple(c.name for c in quote_line.columns)

promoter = Table(
    "promoter",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("username", Text, nullable=True, unique=True),
    Column("parent_id", Integer, ForeignKey("promoter.id"), nullable=True),
    Column("discount_type", Text, nullable=False, server_default="none"),
    Column("discount_value", Text, nullable=False, server_default="0"),
    _now(),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint(
        "discount_type IN ('none', 'tier_up', 'percentage')", name="discount_type_known"
    ),
    _exact("discount_value"),
)
"""Promoters (introducers) and the discount agreed with each (core/policy.py)."""

customer = Table(
    "customer",
    metadata,
    Column("uuid", Uuid(as_uuid=False), primary_key=True),
    Column("name", Text, nullable=False),
    Column("company", Text, nullable=False),
    Column("contact_person", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("email_key", Text, nullable=True, unique=True),
    Column("phone", Text, nullable=False),
    Column("phone_key", Text, nullable=True, unique=True),
    Column("address", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("desktop_id", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("pushed_by", Text, nullable=False, server_default=text("SESSION_USER")),
    CheckConstraint("name <> ''", name="name_given"),
)
"""A customer quotes are made for (core/customers.py): email and phone unique by
their keys when given. Any consultant adds customers; only the login that
pushed one (``pushed_by``, set by the server) or an admin changes it."""

credit_price = Table(
    "credit_price",
    metadata,
    Column("effective_from", Date, nullable=False),
    Column("tier", Text, nullable=False),
    Column("price", Text, nullable=False),
    Column("source", Text, nullable=False, server_default=""),
    Column("set_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("set_by", Text, nullable=False, server_default=text("SESSION_USER")),
    PrimaryKeyConstraint("effective_from", "tier"),
    CheckConstraint(
        "tier IN ({})".format(", ".join(f"'{t}'" for t in CreditTier)), name="tier_known"
    ),
    _exact("price"),
)
"""Statutory credit prices by tier, each set in force from its date
(core/statutory_credits.py): every desktop reads them, only an admin writes."""

quote_counter = Table(
    "quote_counter",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_number", Integer, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    CheckConstraint("id = 1", name="single_row"),
    CheckConstraint("last_number >= 0 AND last_seq >= 0", name="non_negative"),
)
"""One row: the highest BNG-A number handed out (2024 at first, as the first
reference is BNG-A-02025) and the last ``quote.seq``.
Every push locks it (SELECT ... FOR UPDATE), which serialises reference
allocation across desktops (sync/push.py)."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now(), index=True),
    Column("action", Text, nullable=False),
    Column("desktop_id", Text, nullable=False),
    Column("db_user", Text, nullable=False, server_default=text("SESSION_USER")),
    Column("subject", Text, nullable=False, server_default=""),
    Column("detail", Text, nullable=False),
    CheckConstraint(
        "action IN ({})".format(", ".join(f"'{a}'" for a in AuditAction)), name="action_known"
    ),
    CheckConstraint("json_typeof(detail::json) = 'object'", name="detail_is_json_object"),
)
"""Who published, pushed or changed what, from which desktop: written only by
the server's triggers (central_migrations c0002), read only by admins."""
