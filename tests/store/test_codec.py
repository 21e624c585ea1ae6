"""The quote codec: exact, lossless JSON."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bng_desktop.core.errors import StoreError
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import (
    AllocationLine,
    PairedPart,
    Quote,
    QuoteRequest,
    SolverInfo,
    SuoInfo,
    Totals,
)
from bng_desktop.store.codec import FORMAT, dumps, quote_from_dict, quote_to_dict
from tests.factories import make_line, make_quote
from tests.store.builders import rich_quote


def _through_json(quote: Quote) -> Quote:
    return quote_from_dict(json.loads(dumps(quote_to_dict(quote))))


@pytest.mark.parametrize("quote", [make_quote(), rich_quote()], ids=["plain", "rich"])
def test_round_trip_gives_an_equal_quote(quote: Quote) -> None:
    assert _through_json(quote) == quote


def test_the_rich_quote_really_sets_the_optional_fields() -> None:
    quote = rich_quote()
    assert quote.suo is not None and quote.request.policy.promoter is not None
    assert any(ln.paired_parts for ln in quote.lines)
    assert any(ln.tier is None and ln.demand_index is None for ln in quote.lines)


def test_numbers_are_stored_as_exact_text() -> None:
    data = quote_to_dict(rich_quote())
    assert data["format"] == FORMAT == 1
    assert data["lines"][0]["units_supplied"] == "1/3"
    assert data["lines"][0]["unit_price"] == "52.45"
    assert data["request"]["policy"]["tolerance_rel"] == "1/3"
    assert data["lines"][0]["unit_type"] == "area"
    assert data["lines"][3]["tier"] is None


@pytest.mark.parametrize(
    ("record", "encoded"),
    [
        (Quote, lambda d: d),
        (QuoteRequest, lambda d: d["request"]),
        (Site, lambda d: d["request"]["site"]),
        (DemandLine, lambda d: d["request"]["demand"][0]),
        (AllocationLine, lambda d: d["lines"][2]),
        (PairedPart, lambda d: d["lines"][2]["paired_parts"][0]),
        (SolverInfo, lambda d: d["solver"]),
        (Totals, lambda d: d["totals"]),
        (SuoInfo, lambda d: d["suo"]),
    ],
)
def test_every_field_of_every_record_is_written(record, encoded) -> None:
    """A field added to core is stored without touching the codec (or this fails)."""
    written = encoded(quote_to_dict(rich_quote()))
    assert {f.name for f in dataclasses.fields(record)} <= set(written)


def test_an_unknown_format_is_refused_with_advice() -> None:
    data = quote_to_dict(make_quote()) | {"format": 2}
    with pytest.raises(StoreError, match="Update BNG Desktop"):
        quote_from_dict(data)


def test_a_damaged_payload_is_a_store_error() -> None:
    data = quote_to_dict(make_quote())
    data["lines"][0]["units_supplied"] = 1.5
    with pytest.raises(StoreError, match="damaged"):
        quote_from_dict(data)
    del data["totals"]
    with pytest.raises(StoreError, match="damaged"):
        quote_from_dict(data)


def test_fields_missing_from_an_old_payload_take_their_defaults() -> None:
    data = quote_to_dict(make_quote())
    del data["warnings"]
    del data["lines"][0]["line_id"]
    assert quote_from_dict(data) == make_quote()


fractions = st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=10**6)


@given(units=fractions, price=fractions)
@example(units=Fraction(1, 8192), price=Fraction(1, 8192))
def test_any_fraction_survives(units: Fraction, price: Fraction) -> None:
    quote = make_quote((make_line(units=units, unit_price=price),))
    assert _through_json(quote) == quote
