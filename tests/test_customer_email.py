"""The client email is addressed To the quote's customer when it has one."""

from __future__ import annotations

from email import message_from_bytes, policy
from fractions import Fraction

import pytest

from bng_desktop.core.customers import CustomerDetails
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.workspace import Workspace

REQUEST = QuoteRequest(
    Site(lpa="Winchester", nca="South Downs"),
    (DemandLine("Grassland - Modified grassland", Fraction(3, 2)),),
)


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "data") as opened:
        yield opened


def recipient_of(path) -> str | None:
    return message_from_bytes(path.read_bytes(), policy=policy.default)["To"]


def test_the_email_goes_to_the_customers_address(workspace, tmp_path):
    acme = workspace.add_customer(CustomerDetails(name="Acme Homes", email="Jo@Acme.example.com"))
    quote = workspace.quote(REQUEST)
    for_acme = workspace.save_quote(quote, customer=acme)
    nobody = workspace.save_quote(quote, client_name="Walk-in")

    written = workspace.export_quote(for_acme.reference, tmp_path / "acme.eml")
    assert recipient_of(written.path) == "Jo@Acme.example.com"
    chosen = workspace.export_quote(
        for_acme.reference, tmp_path / "other.eml", recipient="buyer@example.org"
    )
    assert recipient_of(chosen.path) == "buyer@example.org"
    blank = workspace.export_quote(nobody.reference, tmp_path / "walk-in.eml")
    assert recipient_of(blank.path) is None
