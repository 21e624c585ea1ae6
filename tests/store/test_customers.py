"""Customers in the local store: add, reuse a duplicate by email or phone, search,
the quotes listed per customer, and the history filter."""

from __future__ import annotations

import pytest

from bng_desktop.core.customers import (
    CustomerDetails,
    CustomerError,
    DuplicateCustomer,
    MatchedOn,
    email_key,
    phone_key,
)
from bng_desktop.core.errors import StoreError
from bng_desktop.store import CustomerRepository, QuoteRepository, Store
from bng_desktop.store.quote_families import group_families
from tests.factories import make_quote

ACME = CustomerDetails(
    name="Acme Homes",
    company="Acme Homes Ltd",
    contact_person="Jo Bloggs",
    email="Jo.Bloggs@Acme.co.uk",
    phone="01632 960 123",
    address="1 High Street, Winchester",
)


@pytest.fixture
def customers(store: Store) -> CustomerRepository:
    return CustomerRepository(store)


def test_a_customer_is_stored_trimmed_and_read_back(customers):
    added = customers.add(
        CustomerDetails(name="  Brook   Estates ", email=" info@brook.example.com "), author="sam"
    )
    read = customers.get(added.uuid)
    assert read == added
    assert (read.name, read.email, read.author, read.from_team) == (
        "Brook Estates",
        "info@brook.example.com",
        "sam",
        False,
    )


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("01632 960123", "01632960123"),
        ("+44 (0)1632 960123", "01632960123"),
        ("+44 1632-960-123", "01632960123"),
        ("0044 1632 960123", "01632960123"),
        ("07700.900.123", "07700900123"),
        ("  ", None),
    ],
)
def test_uk_phone_numbers_compare_by_their_digits(typed, key):
    assert phone_key(typed) == key


def test_emails_compare_trimmed_and_case_folded():
    assert email_key("  Jo.Bloggs@ACME.co.uk ") == "jo.bloggs@acme.co.uk"
    assert email_key("") is None


def test_a_duplicate_email_in_another_case_is_offered_not_stored(customers):
    first = customers.add(ACME)
    again = CustomerDetails(name="Acme (again)", email="  jo.bloggs@ACME.CO.UK")
    assert customers.find_duplicate(again).existing == first
    with pytest.raises(DuplicateCustomer) as raised:
        customers.add(again)
    assert raised.value.duplicate.existing == first
    assert raised.value.duplicate.matched_on is MatchedOn.EMAIL
    assert "Acme Homes (Acme Homes Ltd)" in str(raised.value)
    assert [c.uuid for c in customers.search()] == [first.uuid]


def test_a_duplicate_phone_written_differently_is_offered_not_stored(customers):
    first = customers.add(ACME)
    again = CustomerDetails(name="Jo", email="other@example.com", phone="+44 1632 960123")
    with pytest.raises(DuplicateCustomer) as raised:
        customers.add(again)
    assert raised.value.duplicate.existing.uuid == first.uuid
    assert raised.value.duplicate.matched_on is MatchedOn.PHONE
    assert len(customers.search()) == 1


def test_customers_without_email_or_phone_are_never_duplicates(customers):
    customers.add(CustomerDetails(name="Walk-in"))
    customers.add(CustomerDetails(name="Walk-in"))
    assert [c.name for c in customers.search("walk")] == ["Walk-in", "Walk-in"]


@pytest.mark.parametrize(
    ("details", "words"),
    [
        (CustomerDetails(name="  "), "the name is required"),
        (CustomerDetails(name="A", email="not-an-email"), "'not-an-email' is not an address"),
        (CustomerDetails(name="A", phone="12345"), "'12345' is not a UK number"),
        (CustomerDetails(name="A", phone="+1 212 555 0100"), "is not a UK number"),
    ],
)
def test_bad_details_are_refused_with_the_field_named(customers, details, words):
    with pytest.raises(CustomerError, match=words):
        customers.add(details)
    assert customers.search() == []


def test_search_matches_any_field_ignoring_case_and_phone_by_digits(customers):
    acme = customers.add(ACME)
    brook = customers.add(CustomerDetails(name="Brook Estates", contact_person="Sam Patel"))
    assert [c.uuid for c in customers.search("acme")] == [acme.uuid]
    assert [c.uuid for c in customers.search("PATEL")] == [brook.uuid]
    assert [c.uuid for c in customers.search("960123")] == [acme.uuid]
    assert [c.uuid for c in customers.search("01632 960")] == [acme.uuid]
    assert [c.name for c in customers.search()] == ["Acme Homes", "Brook Estates"]
    assert customers.search("100%_") == []


def test_an_edit_may_not_take_another_customers_email(customers):
    acme = customers.add(ACME)
    brook = customers.add(CustomerDetails(name="Brook Estates"))
    with pytest.raises(DuplicateCustomer):
        customers.update(brook.uuid, CustomerDetails(name="Brook", email=ACME.email.upper()))
    changed = customers.update(acme.uuid, CustomerDetails(name="Acme Homes", email=ACME.email))
    assert changed.phone == "" and changed.email == ACME.email
    assert changed.updated_at >= acme.updated_at


def test_a_customers_quotes_are_listed_and_the_history_filters_by_customer(store, customers):
    quotes = QuoteRepository(store)
    acme = customers.add(ACME)
    brook = customers.add(CustomerDetails(name="Brook Estates"))
    first = quotes.save(make_quote(), client_name="Acme Homes", customer_uuid=acme.uuid)
    quotes.save(make_quote(), client_name="Brook Estates", customer_uuid=brook.uuid)
    quotes.save(make_quote(), client_name="Nobody")
    revision = quotes.save_revision(first.reference, make_quote())
    assert revision.customer_uuid == acme.uuid  # a re-quote keeps the customer
    found = quotes.search(customer=acme.uuid)
    assert {s.reference for s in found} == {first.reference, revision.reference}
    assert all(s.customer_uuid == acme.uuid for s in found)
    families = group_families(found)
    assert [f.base_reference for f in families] == [first.reference]
    assert [s.client_name for s in quotes.search(customer=brook.uuid)] == ["Brook Estates"]
    assert len(quotes.search()) == 4
    assert quotes.get(first.reference).customer_uuid == acme.uuid


def test_an_unknown_customer_is_named_in_the_error(customers):
    with pytest.raises(StoreError, match="No customer has id 'nope'"):
        customers.get("nope")
