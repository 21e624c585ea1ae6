"""Customers and promoters through the real central PostgreSQL, between two desktops.

Customers go both ways (a desktop's pushed, colleagues' pulled) and one
customer is never held twice across the team; promoters are pulled with the
reference data and a quote made with a pulled promoter gets its discount.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from sqlalchemy.exc import ProgrammingError

from bng_desktop.core.customers import CustomerDetails
from bng_desktop.core.errors import NotAllowed, StoreError
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.policy import Promoter
from bng_desktop.core.result import QuoteRequest
from bng_desktop.sync.logins import TeamRole
from tests.factories import make_quote
from tests.sync.test_central_roles import Login, logins  # noqa: F401 (the fixture)

WINCHESTER = QuoteRequest(
    Site(lpa="Winchester", nca="South Downs"),
    (DemandLine("Grassland - Modified grassland", Fraction(3, 2)),),
)
ACME = CustomerDetails(
    name="Acme Homes",
    company="Acme Homes Ltd",
    contact_person="Jo Bloggs",
    email="jo@acme.example.com",
    phone="01632 960123",
    address="1 High Street, Winchester",
)


def test_a_customer_and_its_quote_reach_a_colleague(central, desktop):
    a, b = desktop("a"), desktop("b")
    acme = a.add_customer(ACME, author="alex")
    saved = a.save_quote(make_quote(), customer=acme)
    assert saved.client_name == "Acme Homes" and saved.customer_uuid == acme.uuid

    report = a.sync.sync(central.url)
    assert report.ok, report.error
    assert report.customers_pushed.sent == 1 and "Sent 1 customer" in report.lines()
    assert a.customers.pending() == []
    assert central.scalar("SELECT count(*) FROM customer") == 1
    assert str(central.scalar("SELECT customer_uuid FROM quote")) == acme.uuid

    report = b.sync.sync(central.url)
    assert report.ok and report.team_customers == 1 and report.team_quotes == 1
    theirs = b.customers.get(acme.uuid)
    assert theirs.from_team and dataclasses.replace(theirs, from_team=False) == acme
    assert [f.base_reference for f in b.customer_quotes(acme.uuid)] == [saved.reference]
    assert [c.uuid for c in b.customers.search("jo bloggs")] == [acme.uuid]
    with pytest.raises(StoreError, match="added by a colleague"):
        b.customers.update(acme.uuid, dataclasses.replace(ACME, name="Mine now"))
    assert b.sync.sync(central.url).team_customers == 0  # nothing new the second time


def test_an_edit_is_pushed_and_reaches_the_colleague(central, desktop):
    a, b = desktop("a"), desktop("b")
    acme = a.add_customer(ACME)
    a.sync.sync(central.url)
    b.sync.sync(central.url)
    a.customers.update(acme.uuid, dataclasses.replace(ACME, phone="+44 7700 900123"))
    assert a.sync.sync(central.url).customers_pushed.sent == 1
    assert b.sync.sync(central.url).team_customers == 1
    assert b.customers.get(acme.uuid).phone == "+44 7700 900123"
    assert b.customers.find_duplicate(CustomerDetails(name="x", phone="07700900123")) is not None


def test_the_same_customer_added_on_two_desktops_is_held_once(central, desktop):
    a, b = desktop("a"), desktop("b")
    acme = a.add_customer(ACME)
    twin = b.add_customer(CustomerDetails(name="ACME homes", email="  JO@ACME.EXAMPLE.COM"))
    on_b = b.save_quote(make_quote(), customer=twin)
    assert a.sync.sync(central.url).ok

    report = b.sync.sync(central.url)
    assert report.ok, report.error
    assert report.customers_pushed.adopted == [(twin.label(), "Acme Homes")]
    assert "your quotes now name theirs" in "; ".join(report.lines())
    assert central.scalar("SELECT count(*) FROM customer") == 1
    assert [c.uuid for c in b.customers.search()] == [acme.uuid]
    assert b.quotes.get(on_b.reference).customer_uuid == acme.uuid
    pushed = central.scalar("SELECT customer_uuid FROM quote WHERE uuid = :u", u=on_b.uuid)
    assert str(pushed) == acme.uuid  # the quote went out naming the team's customer

    a.sync.sync(central.url)
    assert [f.base_reference for f in a.customer_quotes(acme.uuid)] == [on_b.reference]


def test_only_the_author_or_an_admin_changes_a_customer(central, desktop, logins):  # noqa: F811
    alice, bob = logins("alice"), logins("bob")
    boss = logins("boss", TeamRole.ADMIN)
    acme = desktop("a").add_customer(ACME)
    assert desktop("a").sync.sync(alice.url).customers_pushed.sent == 1
    assert central.scalar("SELECT pushed_by FROM customer") == alice.name

    stolen = bob.execute("UPDATE customer SET name = 'Stolen' WHERE uuid = :u", u=acme.uuid)
    assert stolen.rowcount == 0  # row-level security: not bob's to change
    assert central.scalar("SELECT name FROM customer") == "Acme Homes"
    bob.execute(
        "INSERT INTO customer (uuid, name, company, contact_person, email, phone, "
        "address, author, created_at, updated_at, desktop_id) VALUES "
        "(gen_random_uuid(), 'Brook', '', '', '', '', '', 'bob', 'now', 'now', 'x')"
    )
    with pytest.raises(ProgrammingError):
        bob.execute("DELETE FROM customer")
    alice.execute("UPDATE customer SET name = 'Acme Homes plc' WHERE uuid = :u", u=acme.uuid)
    boss.execute("UPDATE customer SET company = 'Acme Group' WHERE uuid = :u", u=acme.uuid)
    assert central.rows(
        "SELECT name, company, pushed_by FROM customer WHERE uuid = :u", u=acme.uuid
    ) == [("Acme Homes plc", "Acme Group", alice.name)]
    changes = central.rows(
        "SELECT db_user, detail::json->>'change' FROM audit_log "
        "WHERE action = 'customer' ORDER BY id"
    )
    assert changes == [
        (alice.name, "insert"),
        (bob.name, "insert"),
        (alice.name, "update"),
        (boss.name, "update"),
    ]


def test_a_pulled_promoter_is_offered_and_its_discount_applies(central, desktop, logins):  # noqa: F811
    boss, alice = logins("boss", TeamRole.ADMIN), logins("alice")
    admin = desktop("admin")
    admin.sync.add_promoter(Promoter("Green Introductions", "percentage", Fraction(10)), boss.url)
    admin.sync.add_promoter(Promoter("Bigger Deals", "tier_up"), boss.url)
    with pytest.raises(NotAllowed, match="Changing promoters needs an admin login"):
        admin.sync.add_promoter(Promoter("Sneaky", "percentage", Fraction(50)), alice.url)

    b = desktop("b")
    report = b.sync.sync(alice.url)
    assert report.ok, report.error
    assert [p.name for p in b.promoters.all()] == ["Bigger Deals", "Green Introductions"]
    green = b.promoters.get("Green Introductions")
    assert green == Promoter("Green Introductions", "percentage", Fraction(10))

    plain = b.quote(WINCHESTER)
    policy = dataclasses.replace(plain.request.policy, promoter=green)
    discounted = b.quote(dataclasses.replace(WINCHESTER, policy=policy))
    assert discounted.totals.subtotal == plain.totals.subtotal * Fraction(9, 10)
    assert discounted.request.policy.promoter == green

    admin.sync.remove_promoter("Bigger Deals", boss.url)
    b.sync.sync(alice.url)
    assert [p.name for p in b.promoters.all()] == ["Green Introductions"]


def test_promoter_commands_add_list_and_remove(central, tmp_path, monkeypatch, capsys):
    from bng_desktop.cli import main

    monkeypatch.delenv("BNG_CENTRAL_URL", raising=False)
    url = ["--url", central.url]

    def bng(*args: str) -> int:
        return main(["--data-dir", str(tmp_path / "admin"), "central", "promoter", *args, *url])

    assert bng("list") == 0
    assert "No promoters yet" in capsys.readouterr().out
    assert bng("add", "Green Introductions", "--discount", "percentage", "--value", "12.5") == 0
    assert "12.5% off every price" in capsys.readouterr().out
    assert bng("add", "Bigger Deals", "--discount", "tier_up") == 0
    assert bng("add", "Too Generous", "--discount", "percentage", "--value", "100") == 2
    assert "below 100" in capsys.readouterr().err
    capsys.readouterr()
    assert bng("list") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Bigger Deals\tpriced at the next larger contract size",
        "Green Introductions\t12.5% off every price",
    ]
    assert bng("remove", "Bigger Deals") == 0
    assert bng("remove", "Bigger Deals") == 1
    assert "no promoter named 'Bigger Deals'" in capsys.readouterr().err
    assert central.rows("SELECT name, discount_value FROM promoter") == [
        ("Green Introductions", "12.5")
    ]
