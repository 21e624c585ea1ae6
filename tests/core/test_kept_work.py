"""What a version keeps from one quote for the next (stock available, legal
supply, each demand habitat's candidates and their pairing plans) changes no quote: every quote on a
version that has served others is the quote a freshly loaded version gives."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from bng_desktop.core.policy import Policy
from bng_desktop.core.quote import make_quote
from bng_desktop.core.result import QuoteRequest
from tests.shared_data import (
    generate_reference,
    needs_shared,
    read_demand_csv,
    read_site_json,
    snapshot_from_workbook,
)

pytestmark = needs_shared


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, Path, Path]:
    return generate_reference(tmp_path_factory.mktemp("kept"), 20, 2, 10)


def requests(demand_csv: Path, site_json: Path) -> list[QuoteRequest]:
    """Demands sharing some habitats and not others, under two stock rules
    and two pairing shares."""
    demand, site = read_demand_csv(demand_csv), read_site_json(site_json)
    return [
        QuoteRequest(site, demand[:6], Policy()),
        QuoteRequest(site, demand[3:], Policy()),
        QuoteRequest(site, demand, Policy()),
        QuoteRequest(site, demand[3:], Policy(quotes_hold="hold_100")),
        QuoteRequest(site, demand[::2], Policy(split_lines=True)),
        QuoteRequest(site, demand, Policy(paired_main_share_far=Fraction(2, 3))),
    ]


def test_quotes_on_a_version_that_served_others_match_a_fresh_version(reference):
    workbook, demand_csv, site_json = reference
    served = snapshot_from_workbook(workbook)
    for request in requests(demand_csv, site_json):
        again = make_quote(served, request)
        fresh = make_quote(snapshot_from_workbook(workbook), request)
        assert again.lines == fresh.lines
        assert again.totals == fresh.totals
        assert again.solver.stages == fresh.solver.stages
