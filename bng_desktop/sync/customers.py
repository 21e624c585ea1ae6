"""Customers through the team database: this desktop's pushed, colleagues' pulled.

Push (before the quotes, so a colleague never pulls a quote whose customer
is missing): each customer added or edited here is upserted by UUID in its
own savepoint, inside one central transaction. The team's database is the
judge of duplicates: when a colleague registered the same email or phone
first, their record is adopted here — this desktop's quotes move to it and
the local duplicate goes (store/customers.py) — so no customer is held
twice. A customer another login pushed cannot be changed (row-level
security): it is left pending with the reason.

Pull: every central customer (there are few) is read in one snapshot and
applied in ONE local transaction; colleagues' records are added or
refreshed, this desktop's own are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError, ProgrammingError

from ..core.customers import Customer
from ..store import CustomerRepository, Store
from .audit import announced_transaction
from .connection import central_errors
from .messages import Guarded, is_row_security_refusal
from .schema import customer

EDITABLE = (
    "name",
    "company",
    "contact_person",
    "email",
    "email_key",
    "phone",
    "phone_key",
    "address",
    "updated_at",
)
OTHERS_CUSTOMER = "another login added it; only that login or an admin can change it"


@dataclass
class CustomersPushed:
    sent: int = 0
    adopted: list[tuple[str, str]] = field(default_factory=list)
    """(ours, theirs) labels: the team already had the customer."""
    refused: list[tuple[str, str]] = field(default_factory=list)


def push_customers(engine: Engine, store: Store, desktop_id: str) -> CustomersPushed:
    """Send this desktop's new and edited customers (see module doc)."""
    repository = CustomerRepository(store)
    pending = repository.pending()
    pushed = CustomersPushed()
    if not pending:
        return pushed
    sent: list[Customer] = []
    adopt: list[tuple[Customer, dict[str, Any]]] = []
    refused: list[tuple[Customer, str]] = []
    with announced_transaction(engine, Guarded.PUSH, desktop_id) as conn:
        for record in pending:
            outcome = _send(conn, record, desktop_id)
            if outcome is None:
                sent.append(record)
            elif isinstance(outcome, dict):
                adopt.append((record, outcome))
            else:
                refused.append((record, outcome))
    for record in sent:
        repository.mark_pushed(record)
    for record, theirs in adopt:
        repository.adopt(record.uuid, theirs)
        pushed.adopted.append((record.label(), str(theirs["name"])))
    for record, reason in refused:
        repository.record_push_error(record.uuid, reason)
        pushed.refused.append((record.label(), reason))
    pushed.sent = len(sent)
    return pushed


def _send(conn: Connection, record: Customer, desktop_id: str) -> dict[str, Any] | str | None:
    """None when stored; the team's record when it already has this customer;
    the reason when refused."""
    row = _central_row(record, desktop_id)
    upsert = pg_insert(customer)
    upsert = upsert.on_conflict_do_update(
        index_elements=[customer.c.uuid], set_={name: upsert.excluded[name] for name in EDITABLE}
    )
    try:
        with conn.begin_nested():
            conn.execute(upsert, row)
    except IntegrityError as error:
        theirs = _holder(conn, record)
        if theirs is None:
            return str(error.orig or error).splitlines()[0]
        return theirs
    except ProgrammingError as error:
        if not is_row_security_refusal(error):
            raise
        return OTHERS_CUSTOMER
    return None


def _holder(conn: Connection, record: Customer) -> dict[str, Any] | None:
    """The central customer already holding this one's email or phone."""
    keys = []
    if record.email_key is not None:
        keys.append(customer.c.email_key == record.email_key)
    if record.phone_key is not None:
        keys.append(customer.c.phone_key == record.phone_key)
    if not keys:
        return None
    found = conn.execute(
        select(customer).where(or_(*keys), customer.c.uuid != record.uuid).limit(1)
    ).first()
    return None if found is None else dict(found._mapping)


def _central_row(record: Customer, desktop_id: str) -> dict[str, Any]:
    return {
        "uuid": record.uuid,
        "name": record.name,
        "company": record.company,
        "contact_person": record.contact_person,
        "email": record.email,
        "email_key": record.email_key,
        "phone": record.phone,
        "phone_key": record.phone_key,
        "address": record.address,
        "author": record.author,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "desktop_id": desktop_id,
    }


def pull_customers(engine: Engine, store: Store) -> int:
    """Bring in colleagues' customers, new or changed; returns how many."""
    with central_errors(), engine.connect() as conn, conn.begin():
        records = [dict(row._mapping) for row in conn.execute(select(customer))]
    return CustomerRepository(store).apply_team(records)
