"""Customers in the local store: add (refusing duplicates), edit, find, and the sync's side.

The rules — what a valid customer is, when two are the same — are in
core/customers.py; this module stores them. The duplicate check runs inside
the write transaction (BEGIN IMMEDIATE), and the UNIQUE email and phone keys
are the last guard, so two windows cannot add the same customer twice.

Every add or edit leaves ``pushed_at`` empty: the team sync sends the record
(sync/customers.py) and marks it pushed. Colleagues' customers arrive the
other way and are read-only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, fields
from typing import Any
from uuid import uuid4

from sqlalchemy import Connection, Text, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..core.customers import (
    Customer,
    CustomerDetails,
    Duplicate,
    DuplicateCustomer,
    checked_details,
    find_duplicate,
)
from ..core.errors import StoreError
from .db import Store
from .sqlite import utc_now
from .tables import CustomerRow, QuoteRow

_customers = CustomerRow.__table__
_quotes = QuoteRow.__table__
DETAIL_FIELDS = tuple(f.name for f in fields(CustomerDetails))
RECORD_FIELDS = (*DETAIL_FIELDS, "uuid", "author", "created_at", "updated_at")
"""What travels to and from the team's database."""
SEARCHED = ("name", "company", "contact_person", "email", "phone")


class CustomerRepository:
    def __init__(self, store: Store):
        self._store = store

    def add(self, details: CustomerDetails, *, author: str = "") -> Customer:
        """Store a new customer; DuplicateCustomer (holding the stored one to
        reuse) when its email or phone is already a customer's."""
        checked = checked_details(details)
        now = utc_now()
        customer = Customer(
            **asdict(checked), uuid=str(uuid4()), author=author, created_at=now, updated_at=now
        )
        try:
            with self._store.transaction() as conn:
                _refuse_duplicate(conn, checked)
                conn.execute(insert(_customers), _row(customer))
        except IntegrityError as error:
            raise StoreError(f"The customer was not saved: {error.orig}") from error
        return customer

    def update(self, uuid: str, details: CustomerDetails) -> Customer:
        """Change a customer's details (this desktop's own customers only)."""
        checked = checked_details(details)
        with self._store.transaction() as conn:
            current = _get(conn, uuid)
            if current.from_team:
                raise StoreError(
                    f"{current.label()} was added by a colleague: only they or an admin "
                    "may change it."
                )
            _refuse_duplicate(conn, checked, other_than=uuid)
            values = {**_row_details(checked), "updated_at": utc_now(), "pushed_at": None}
            conn.execute(update(_customers).where(_customers.c.uuid == uuid).values(values))
            return _get(conn, uuid)

    def get(self, uuid: str) -> Customer:
        with self._store.read() as conn:
            return _get(conn, uuid)

    def find_duplicate(self, details: CustomerDetails) -> Duplicate | None:
        """The stored customer these details would duplicate, if any."""
        with self._store.read() as conn:
            return find_duplicate(details, _candidates(conn, details))

    def search(self, text: str = "", *, limit: int = 20) -> list[Customer]:
        """Customers whose name, company, contact, email or phone contains ``text``
        (ignoring case; phone also by its digits), by name."""
        query = select(_customers)
        words = text.strip().casefold()
        if words:
            matches = [
                func.bng_casefold(_customers.c[name], type_=Text).contains(words, autoescape=True)
                for name in SEARCHED
            ]
            digits = "".join(ch for ch in words if ch.isdigit())
            if len(digits) >= 3:
                matches.append(_customers.c.phone_key.contains(digits, autoescape=True))
            query = query.where(or_(*matches))
        query = query.order_by(func.bng_casefold(_customers.c.name, type_=Text), _customers.c.uuid)
        with self._store.read() as conn:
            return [_customer(row) for row in conn.execute(query.limit(limit))]

    # ------------------------------------------------------------ the team sync's side

    def pending(self) -> list[Customer]:
        """This desktop's customers the team's database does not hold yet."""
        query = select(_customers).where(
            _customers.c.pushed_at.is_(None), _customers.c.from_team.is_(False)
        )
        with self._store.read() as conn:
            return [_customer(row) for row in conn.execute(query.order_by(_customers.c.created_at))]

    def mark_pushed(self, customer: Customer) -> None:
        """Sent: unless it was edited again meanwhile."""
        with self._store.transaction() as conn:
            conn.execute(
                update(_customers)
                .where(
                    _customers.c.uuid == customer.uuid,
                    _customers.c.updated_at == customer.updated_at,
                )
                .values(pushed_at=utc_now(), push_error="")
            )

    def record_push_error(self, uuid: str, error: str) -> None:
        with self._store.transaction() as conn:
            conn.execute(
                update(_customers).where(_customers.c.uuid == uuid).values(push_error=error)
            )

    def adopt(self, ours: str, theirs: Mapping[str, Any]) -> None:
        """A colleague registered the same customer first: keep theirs, move
        this desktop's quotes to it, drop ours — in ONE transaction."""
        with self._store.transaction() as conn:
            _upsert_team(conn, theirs)
            conn.execute(
                update(_quotes)
                .where(_quotes.c.customer_uuid == ours)
                .values(customer_uuid=str(theirs["uuid"]))
            )
            conn.execute(delete(_customers).where(_customers.c.uuid == ours))

    def apply_team(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Colleagues' customers from the team's database, in ONE transaction;
        returns how many were new or changed here. This desktop's own records
        are left alone (they are pushed, not pulled)."""
        changed = 0
        with self._store.transaction() as conn:
            for record in records:
                changed += _upsert_team(conn, record)
        return changed


def _refuse_duplicate(
    conn: Connection, details: CustomerDetails, other_than: str | None = None
) -> None:
    stored = [c for c in _candidates(conn, details) if c.uuid != other_than]
    duplicate = find_duplicate(details, stored)
    if duplicate is not None:
        raise DuplicateCustomer(duplicate)


def _candidates(conn: Connection, details: CustomerDetails) -> list[Customer]:
    keys = []
    if details.email_key is not None:
        keys.append(_customers.c.email_key == details.email_key)
    if details.phone_key is not None:
        keys.append(_customers.c.phone_key == details.phone_key)
    if not keys:
        return []
    return [_customer(row) for row in conn.execute(select(_customers).where(or_(*keys)))]


def _upsert_team(conn: Connection, record: Mapping[str, Any]) -> int:
    uuid = str(record["uuid"])
    values = {name: str(record[name] or "") for name in RECORD_FIELDS}
    details = CustomerDetails(**{name: values[name] for name in DETAIL_FIELDS})
    values.update(
        email_key=details.email_key, phone_key=details.phone_key, uuid=uuid, from_team=True
    )
    existing = conn.execute(select(_customers).where(_customers.c.uuid == uuid)).first()
    if existing is not None and (
        not existing.from_team or existing.updated_at == values["updated_at"]
    ):
        return 0
    _make_room(conn, details, uuid)
    if existing is not None:
        conn.execute(update(_customers).where(_customers.c.uuid == uuid).values(values))
    else:
        conn.execute(insert(_customers), {**values, "pushed_at": utc_now(), "push_error": ""})
    return 1


def _make_room(conn: Connection, details: CustomerDetails, uuid: str) -> None:
    """The team's database is the judge of who holds an email or phone. A
    colleague's record still holding it here (changed since) gives it up; one
    of ours not yet accepted there is the same customer: its quotes move to
    the team's record and ours goes."""
    for other in _candidates(conn, details):
        if other.uuid == uuid:
            continue
        if not other.from_team:
            conn.execute(
                update(_quotes)
                .where(_quotes.c.customer_uuid == other.uuid)
                .values(customer_uuid=uuid)
            )
            conn.execute(delete(_customers).where(_customers.c.uuid == other.uuid))
            continue
        cleared = {}
        if details.email_key is not None and other.email_key == details.email_key:
            cleared["email_key"] = None
        if details.phone_key is not None and other.phone_key == details.phone_key:
            cleared["phone_key"] = None
        conn.execute(update(_customers).where(_customers.c.uuid == other.uuid).values(cleared))


def _get(conn: Connection, uuid: str) -> Customer:
    row = conn.execute(select(_customers).where(_customers.c.uuid == uuid)).first()
    if row is None:
        raise StoreError(f"No customer has id {uuid!r}: search the customers by name or email.")
    return _customer(row)


def _customer(row: Any) -> Customer:
    return Customer(
        **{name: getattr(row, name) for name in RECORD_FIELDS}, from_team=bool(row.from_team)
    )


def _row_details(details: CustomerDetails) -> dict[str, Any]:
    return {
        **{name: getattr(details, name) for name in DETAIL_FIELDS},
        "email_key": details.email_key,
        "phone_key": details.phone_key,
    }


def _row(customer: Customer) -> dict[str, Any]:
    return {
        **_row_details(customer),
        "uuid": customer.uuid,
        "author": customer.author,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
        "from_team": False,
        "pushed_at": None,
        "push_error": "",
    }
