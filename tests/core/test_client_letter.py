"""The words around the client table: promoter or thank-you introduction,
next steps by size (the £10,000 line), prices held 30 days, the site named
as the client knows it, dates written the UK way."""

from __future__ import annotations

import dataclasses
from datetime import date

from bng_desktop.core.client_letter import (
    LARGE_QUOTE_STEPS,
    SMALL_QUOTE_LIMIT,
    SMALL_QUOTE_STEPS,
    client_letter,
    long_uk_date,
    site_text,
)
from bng_desktop.core.model import Site
from bng_desktop.core.policy import Promoter
from tests.factories import make_quote as make_quote_for_letter


def letter(quote, **options):
    values = {"reference": "BNG-A-02025", "client": "Acme", "quote_date": date(2026, 2, 10)}
    return client_letter(quote, **{**values, **options})


def with_total(quote, pounds: int):
    return dataclasses.replace(
        quote, totals=dataclasses.replace(quote.totals, display_total=pounds)
    )


def test_next_steps_change_at_ten_thousand_pounds():
    quote = make_quote_for_letter()
    below = letter(with_total(quote, SMALL_QUOTE_LIMIT - 1))
    at = letter(with_total(quote, SMALL_QUOTE_LIMIT))
    assert below.next_steps == SMALL_QUOTE_STEPS
    assert at.next_steps == LARGE_QUOTE_STEPS
    assert any("Buy It Now" in step for step in at.next_steps)
    assert any("up to 6 months" in step for step in at.next_steps)
    assert at.headline == "Your quote – £10,000 + VAT"


def test_a_promoter_introduces_the_client_otherwise_a_thank_you():
    quote = make_quote_for_letter()
    promoted = dataclasses.replace(
        quote,
        request=dataclasses.replace(
            quote.request,
            policy=dataclasses.replace(quote.request.policy, promoter=Promoter("Arbtech")),
        ),
    )
    assert letter(promoted).introduction.startswith("Arbtech has advised us")
    assert letter(quote).introduction.startswith("Thank you for your enquiry")


def test_prices_hold_for_thirty_days_from_the_quote_date():
    written = letter(make_quote_for_letter(), quote_date=date(2026, 2, 10))
    assert written.valid_until == date(2026, 3, 12)
    assert "until 12 March 2026" in written.validity
    assert "BNG-A-02025" in written.validity


def test_the_subject_names_the_site_and_the_reference():
    written = letter(make_quote_for_letter())
    assert written.subject == f"BNG units for your site at {written.site} – BNG-A-02025"


def test_no_client_name_greets_politely():
    assert letter(make_quote_for_letter(), client="  ").greeting == "Dear Sir or Madam,"


def test_the_site_is_its_label_else_its_planning_authority():
    assert site_text(Site(lpa="Winchester", label="Land at Bushfield Camp")) == (
        "Land at Bushfield Camp"
    )
    assert site_text(Site(lpa="Winchester", nca="South Downs")) == "Winchester"
    assert site_text(Site(nca="South Downs")) == "South Downs"
    assert site_text(Site()) == "your site"


def test_long_dates_are_day_month_year_in_english():
    assert long_uk_date(date(2026, 3, 4)) == "4 March 2026"
    assert long_uk_date(date(2027, 12, 31)) == "31 December 2027"
