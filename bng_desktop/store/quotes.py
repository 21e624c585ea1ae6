"""The quote history: save under a new BNG-A reference, revise, find, delete.

References are allocated inside the write transaction that stores the quote,
which starts with BEGIN IMMEDIATE: no other process or thread can allocate
between reading the highest number and inserting the row. The UNIQUE
constraint on ``quote.reference`` is the last guard; a save that still hits
it retries with a fresh number.

A deleted quote's number is never handed out again: the highest number ever
allocated is kept in ``app_setting`` (a reference may already be in a
client's inbox).

Every saved quote is also queued in ``sync_outbox`` in the same transaction,
for the team sync to push (its reference stays provisional until the central
database confirms it: see bng_desktop/sync/push.py).

Saves commit with ``Durability.FULL``: once save returns, the quote, its
number and its outbox entry survive a power cut, so the number is never
handed out twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any, TypeVar
from uuid import uuid4

from sqlalchemy import Connection, Integer, Text, cast, delete, func, insert, select
from sqlalchemy.dialects.sqlite import insert as upsert
from sqlalchemy.exc import IntegrityError

from ..core.errors import QuoteNotFound, StoreError
from ..core.result import Quote, QuoteRequest
from .codec import request_and_total
from .db import Store
from .quote_rows import (
    FIRST_NUMBER,
    REFERENCE_PATTERN,
    REFERENCE_PREFIX,
    SUMMARY_COLUMNS,
    QuoteSummary,
    SavedQuote,
    base_of,
    format_reference,
    line_rows,
    normalise_reference,
    quote_row,
    quote_summary,
    saved_quote,
)
from .sqlite import Durability, utc_now
from .tables import (
    AppSetting,
    QuoteLineRow,
    QuoteRow,
    ReferenceVersion,
    SyncOutbox,
    SyncTeamQuote,
)

SAVE_ATTEMPTS = 5
SAVE_DURABILITY = Durability.FULL
HIGH_WATER_KEY = "store.last_reference_number"
ORDER_COLUMNS = ("created_at", "updated_at", "reference", "client_name", "total", "lpa", "nca")
_TEXT_ORDER = ("client_name", "lpa", "nca")
"""Sorted ignoring case, as people expect of names."""

READ_BATCH = 500
"""References per query (SQLite allows 999 bound parameters by default)."""
_quotes = QuoteRow.__table__
_lines = QuoteLineRow.__table__
_settings = AppSetting.__table__
_versions = ReferenceVersion.__table__
_outbox = SyncOutbox.__table__
_team = SyncTeamQuote.__table__

T = TypeVar("T")


class QuoteRepository:
    def __init__(self, store: Store):
        self._store = store

    def save(
        self,
        quote: Quote,
        *,
        client_name: str,
        author: str = "",
        uuid: str | None = None,
        customer_uuid: str | None = None,
    ) -> SavedQuote:
        """Store a new quote under the next free reference BNG-A-NNNNN (for the
        customer ``customer_uuid`` when given)."""
        quote_uuid = uuid or str(uuid4())

        def write(conn: Connection) -> SavedQuote:
            _refuse_taken_uuid(conn, quote_uuid)
            number = _next_number(conn)
            _remember_number(conn, number)
            reference = format_reference(number)
            return _insert(
                conn, quote, quote_uuid, reference, 0, client_name, author, customer_uuid
            )

        return self._write_with_retry(write)

    def save_revision(
        self,
        base_reference: str,
        quote: Quote,
        *,
        client_name: str | None = None,
        author: str = "",
    ) -> SavedQuote:
        """Store a re-quote of ``base_reference`` as R.1, R.2, ... (R the base
        reference, also when a revision's reference is given). The client
        name defaults to the latest revision's."""
        base = base_of(base_reference)

        def write(conn: Connection) -> SavedQuote:
            latest = _latest_revision(conn, base)
            revision = latest.revision + 1
            name = latest.client_name if client_name is None else client_name
            reference = f"{base}.{revision}"
            return _insert(
                conn, quote, str(uuid4()), reference, revision, name, author, latest.customer_uuid
            )

        return self._write_with_retry(write)

    def get(self, reference: str) -> SavedQuote:
        ref = normalise_reference(reference)
        with self._store.read() as conn:
            row = conn.execute(select(_quotes).where(_quotes.c.reference == ref)).first()
            if row is None:
                raise _not_found(conn, ref)
        return saved_quote(row)

    def requests_and_totals(
        self, references: Sequence[str]
    ) -> dict[str, tuple[QuoteRequest, Fraction]]:
        """Each found quote's request and total, read in one pass without
        rebuilding its lines (re-quoting many needs no more)."""
        wanted = [normalise_reference(reference) for reference in references]
        found: dict[str, tuple[QuoteRequest, Fraction]] = {}
        with self._store.read() as conn:
            for start in range(0, len(wanted), READ_BATCH):
                batch = wanted[start : start + READ_BATCH]
                query = select(_quotes.c.reference, _quotes.c.payload).where(
                    _quotes.c.reference.in_(batch)
                )
                for reference, payload in conn.execute(query):
                    found[reference] = request_and_total(json.loads(payload))
        return found

    def search(
        self,
        *,
        client: str | None = None,
        reference: str | None = None,
        lpa: str | None = None,
        nca: str | None = None,
        author: str | None = None,
        customer: str | None = None,
        team: bool | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        limit: int | None = 100,
        order_by: str = "created_at",
        descending: bool = True,
    ) -> list[QuoteSummary]:
        """Quotes matching every filter given. Text filters match any part of
        the field, ignoring case; dates are inclusive and compare with the
        UTC date the quote was saved. ``customer`` is a customer's uuid (its
        quotes only). ``team`` True keeps only colleagues'
        quotes pulled from the central database, False only this desktop's."""
        stmt = _summaries()
        texts = {
            "client_name": client,
            "reference": reference,
            "lpa": lpa,
            "nca": nca,
            "author": author,
        }
        for column, text in texts.items():
            if text and text.strip():
                stmt = stmt.where(_contains(column, text.strip()))
        if customer:
            stmt = stmt.where(_quotes.c.customer_uuid == customer)
        if team is not None:
            pulled = _quotes.c.uuid.in_(select(_team.c.quote_uuid))
            stmt = stmt.where(pulled if team else ~pulled)
        if date_from:
            stmt = stmt.where(_quotes.c.created_at >= _iso_date(date_from, "date_from").isoformat())
        if date_to:
            day_after = _iso_date(date_to, "date_to") + timedelta(days=1)
            stmt = stmt.where(_quotes.c.created_at < day_after.isoformat())
        stmt = stmt.order_by(*_ordering(order_by, descending))
        if limit is not None:
            stmt = stmt.limit(_checked_limit(limit))
        with self._store.read() as conn:
            return [quote_summary(row) for row in conn.execute(stmt)]

    def revisions(self, base_reference: str) -> list[QuoteSummary]:
        """The quote and all its re-quotes, oldest first ([] when none is stored)."""
        stmt = (
            _summaries()
            .where(_quotes.c.base_reference == base_of(base_reference))
            .order_by(_quotes.c.revision)
        )
        with self._store.read() as conn:
            return [quote_summary(row) for row in conn.execute(stmt)]

    def delete(self, reference: str, *, confirm: bool = False) -> None:
        """Delete one saved quote and its lines. Irreversible, hence ``confirm``."""
        ref = normalise_reference(reference)
        if not confirm:
            raise StoreError(
                f"Deleting quote {ref} needs confirmation because it cannot be undone: "
                "ask the user, then call delete(..., confirm=True)."
            )
        with self._store.transaction() as conn:
            pulled = select(_quotes.c.uuid).where(
                _quotes.c.reference == ref, _quotes.c.uuid.in_(select(_team.c.quote_uuid))
            )
            if conn.execute(pulled).first() is not None:
                raise StoreError(
                    f"{ref} is a colleague's quote, shared read-only through the team's "
                    "database: it cannot be deleted here (re-quote it to make your own)."
                )
            if not conn.execute(delete(_quotes).where(_quotes.c.reference == ref)).rowcount:
                raise _not_found(conn, ref)

    def _write_with_retry(self, write: Callable[[Connection], T]) -> T:
        failure: IntegrityError | None = None
        for _ in range(SAVE_ATTEMPTS):
            try:
                with self._store.transaction(durability=SAVE_DURABILITY) as conn:
                    return write(conn)
            except IntegrityError as exc:
                if "quote.reference" not in str(exc.orig):
                    raise StoreError(f"The quote was not saved: {exc.orig}") from exc
                failure = exc
        raise StoreError(
            f"Could not give the quote a unique reference after {SAVE_ATTEMPTS} attempts "
            f"({failure.orig if failure else ''}); nothing was saved. Try saving again."
        ) from failure


def _summaries() -> Any:
    """SELECT every summary column, and whether the quote is a colleague's."""
    from_team = _quotes.c.uuid.in_(select(_team.c.quote_uuid)).label("from_team")
    return select(*(_quotes.c[name] for name in SUMMARY_COLUMNS), from_team)


def _insert(
    conn: Connection,
    quote: Quote,
    quote_uuid: str,
    reference: str,
    revision: int,
    client_name: str,
    author: str,
    customer_uuid: str | None = None,
) -> SavedQuote:
    now = utc_now()
    row = quote_row(
        quote,
        uuid=quote_uuid,
        reference=reference,
        revision=revision,
        client_name=client_name,
        author=author,
        now=now,
        reference_version_id=_version_link(conn, quote),
        customer_uuid=customer_uuid,
    )
    conn.execute(insert(_quotes), row)
    conn.execute(
        insert(_outbox), {"quote_uuid": quote_uuid, "queued_reference": reference, "queued_at": now}
    )
    lines = line_rows(quote, quote_uuid)
    if lines:
        conn.execute(insert(_lines), lines)
    return SavedQuote(
        quote_uuid,
        reference,
        row["base_reference"],
        revision,
        client_name,
        author,
        now,
        now,
        quote,
        customer_uuid,
    )


def _version_link(conn: Connection, quote: Quote) -> int | None:
    """The local reference version the quote was made on, when this store has it
    (same id and same content hash); quotes made elsewhere keep it in the payload."""
    stmt = select(_versions.c.id).where(
        _versions.c.id == quote.reference_version,
        _versions.c.content_hash == quote.reference_hash,
    )
    return conn.execute(stmt).scalar()


def _refuse_taken_uuid(conn: Connection, quote_uuid: str) -> None:
    row = conn.execute(select(_quotes.c.reference).where(_quotes.c.uuid == quote_uuid)).first()
    if row is not None:
        raise StoreError(f"A quote with id {quote_uuid} is already stored (as {row.reference}).")


def _next_number(conn: Connection) -> int:
    return max(FIRST_NUMBER, highest_number(conn) + 1)


def highest_number(conn: Connection) -> int:
    """The highest BNG-A number this store holds or ever allocated (0 when none)."""
    digits = func.substr(_quotes.c.base_reference, len(REFERENCE_PREFIX) + 1)
    highest = conn.execute(
        select(func.max(cast(digits, Integer))).where(
            _quotes.c.base_reference.like(REFERENCE_PREFIX + "%")
        )
    ).scalar()
    allocated = conn.execute(
        select(_settings.c.value).where(_settings.c.key == HIGH_WATER_KEY)
    ).scalar()
    return max(highest or 0, int(allocated or 0))


def _remember_number(conn: Connection, number: int) -> None:
    stmt = upsert(_settings).values(key=HIGH_WATER_KEY, value=str(number))
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": str(number)}))


def _latest_revision(conn: Connection, base: str) -> Any:
    row = conn.execute(
        select(_quotes.c.revision, _quotes.c.client_name, _quotes.c.customer_uuid)
        .where(_quotes.c.base_reference == base)
        .order_by(_quotes.c.revision.desc())
        .limit(1)
    ).first()
    if row is None:
        raise _not_found(conn, base)
    return row


def _not_found(conn: Connection, reference: str) -> QuoteNotFound:
    base = base_of(reference)
    related = conn.execute(
        select(_quotes.c.reference)
        .where(_quotes.c.base_reference == base)
        .order_by(_quotes.c.revision)
    ).scalars()
    message = f"No saved quote has reference {reference!r}."
    known = ", ".join(related)
    if known:
        message += f" Saved quotes for {base}: {known}."
    elif not REFERENCE_PATTERN.match(reference):
        message += " References look like BNG-A-02025, or BNG-A-02025.1 for a re-quote."
    else:
        message += " Search the quote history by client, site or date to find the quote."
    return QuoteNotFound(message)


def _contains(column: str, text: str) -> Any:
    folded = func.bng_casefold(_quotes.c[column], type_=Text)
    return folded.contains(text.casefold(), autoescape=True)


def _iso_date(value: date | str, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise StoreError(f"{name} must be an ISO date such as 2025-01-31, got {value!r}.") from None


def _ordering(order_by: str, descending: bool) -> tuple[Any, ...]:
    if order_by not in ORDER_COLUMNS:
        raise StoreError(
            f"Cannot sort quotes by {order_by!r}; choose one of {', '.join(ORDER_COLUMNS)}."
        )
    column: Any = _quotes.c[order_by]
    if order_by in _TEXT_ORDER:
        column = func.bng_casefold(column, type_=Text)
    return tuple(c.desc() if descending else c.asc() for c in (column, _quotes.c.reference))


def _checked_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise StoreError(f"limit must be a whole number of at least 1 (or None), got {limit!r}.")
    return limit
