"""What the client is told around the quote table, in the email and the PDF.

The rules (legacy-optimiser-spec.md §8 "Email body", with its defects fixed):
the promoter's introduction when a promoter brought the client, a thank-you
otherwise; the headline "Your quote – £X + VAT", where £X is the table's
total as shown (the sum of its rows, RULES.md "Rounding and totals"); VAT
excluded, said in words; next steps by size (below £10,000 a single purchase,
otherwise the choice of buying now or reserving for up to 6 months); the price
held for 30 days from the quote's date.

Everything here is plain text: the shells escape it for HTML and lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .model import Site
from .result import Quote
from .rounding import format_money
from .statutory_credits import describe

SMALL_QUOTE_LIMIT = 10_000
"""Quotes whose total (as shown, £) is below this are bought in one step."""
VALID_DAYS = 30
"""How long the quoted prices hold, from the quote's date."""
RESERVATION_MONTHS = 6

TITLE = "Biodiversity Net Gain Quote"
VAT_SENTENCE = "All prices exclude VAT, which is added at the prevailing rate when invoiced."
SMALL_QUOTE_STEPS: tuple[str, ...] = (
    "Reply to this email to accept the quote; we then send the allocation agreement "
    "and the invoice.",
    "Sign the agreement and pay the invoice: the units are then reserved for your site.",
    "Send us the final metric and the planning decision notice, and we prepare the "
    "Planning Discharge Pack for your planning authority.",
)
LARGE_QUOTE_STEPS: tuple[str, ...] = (
    "Buy It Now: sign the allocation agreement and pay in full; the units are allocated "
    "to your site at once and we prepare the Planning Discharge Pack.",
    f"Reservation & Purchase: pay a reservation fee to hold the units for up to "
    f"{RESERVATION_MONTHS} months while planning is decided, then complete the purchase "
    "at the quoted price.",
    "Whichever you choose, reply to this email and we send the agreement; we need the "
    "final metric and the planning decision notice before the units are allocated.",
)
SIGN_OFF = "Kind regards,"
MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
"""English month names whatever the computer's locale."""


@dataclass(frozen=True, kw_only=True)
class ClientLetter:
    """The words of a client document, for one saved quote."""

    reference: str
    client: str
    site: str
    quote_date: date
    greeting: str
    introduction: str
    headline: str
    vat_sentence: str
    credits_sentence: str
    """The same demand as statutory credits, and the saving ("" when unknown)."""
    steps_introduction: str
    next_steps: tuple[str, ...]
    validity: str
    sign_off: str
    author: str

    @property
    def subject(self) -> str:
        return f"BNG units for your site at {self.site} – {self.reference}"

    @property
    def valid_until(self) -> date:
        return valid_until(self.quote_date)


def client_letter(
    quote: Quote,
    *,
    reference: str,
    client: str,
    quote_date: date,
    author: str = "",
) -> ClientLetter:
    """The letter for ``quote`` saved as ``reference`` for ``client`` on ``quote_date``."""
    site = site_text(quote.request.site)
    total = quote.totals.display_total
    small = total < SMALL_QUOTE_LIMIT
    return ClientLetter(
        reference=reference,
        client=client.strip(),
        site=site,
        quote_date=quote_date,
        greeting=f"Dear {client.strip() or 'Sir or Madam'},",
        introduction=introduction(quote, site),
        headline=f"Your quote – {format_money(total)} + VAT",
        vat_sentence=VAT_SENTENCE,
        credits_sentence=(
            describe(quote.statutory_credits, quote.totals.display_total)
            if quote.statutory_credits is not None
            else ""
        ),
        steps_introduction=(
            "To go ahead:" if small else "There are two ways to secure these units:"
        ),
        next_steps=SMALL_QUOTE_STEPS if small else LARGE_QUOTE_STEPS,
        validity=(
            f"The prices in this quote are held for {VALID_DAYS} days, until "
            f"{long_uk_date(valid_until(quote_date))}. Please quote {reference} in any reply."
        ),
        sign_off=SIGN_OFF,
        author=author.strip(),
    )


def introduction(quote: Quote, site: str) -> str:
    """The promoter's wording when a promoter brought the client, else a thank-you."""
    promoter = quote.request.policy.promoter
    if promoter is not None and promoter.name.strip():
        return (
            f"{promoter.name.strip()} has advised us that you need Biodiversity Net Gain "
            f"units for your development at {site}, and we are pleased to quote for them."
        )
    return (
        "Thank you for your enquiry about Biodiversity Net Gain units for your "
        f"development at {site}. Our quote is below."
    )


def site_text(site: Site) -> str:
    """The site as the client knows it: its label, else its planning authority."""
    for text in (site.label, site.lpa, site.nca):
        if text.strip():
            return text.strip()
    return "your site"


def valid_until(quote_date: date) -> date:
    return quote_date + timedelta(days=VALID_DAYS)


def long_uk_date(day: date) -> str:
    """'5 December 2026', as a UK letter writes it (the Excel quote's format too)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
