"""Bank screening never changes a quote: the same cost, banks and (where the
tie rules settle them) lines as the staged solve over every bank, on far
fewer options once a reference has many banks."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from bng_desktop.core import bank_screening
from bng_desktop.core import quote as quote_module
from bng_desktop.core.bands import Tier
from bng_desktop.core.errors import InfeasibleQuote
from bng_desktop.core.policy import Policy
from bng_desktop.core.quote import make_quote
from bng_desktop.core.reference import ReferenceSnapshot
from bng_desktop.core.result import Quote, QuoteRequest
from bng_desktop.workspace import Workspace
from tests.shared_data import generate_reference, read_demand_csv, read_site_json

from .test_solver_ties import SUPPLY, allocated, quote, reference, request

F = Fraction
PRICES = (1000, 1000, 1100, 1250, 1400, 2000)
QUANTITIES = (F(1, 2), F(1), F(2), F(3), F(8))


@pytest.fixture
def unscreened(monkeypatch):
    """A function quoting with screening switched off."""

    def run(snapshot: ReferenceSnapshot, req: QuoteRequest) -> Quote | None:
        with monkeypatch.context() as patch:
            patch.setattr(bank_screening, "worth_screening", lambda universe, cap: False)
            return quote_or_none(snapshot, req)

    return run


def quote_or_none(snapshot: ReferenceSnapshot, req: QuoteRequest) -> Quote | None:
    try:
        return quote(snapshot, req)
    except InfeasibleQuote:
        return None


@st.composite
def many_bank_instances(draw):
    """13–30 banks (enough to be screened: more than four per bank the cap
    allows, so above 20 when the demand's total gives a cap of 5) at mixed
    tiers, 1–3 stock lines each, often short, a few price levels; 1–8
    demand lines."""
    banks = range(1, draw(st.integers(13, 30)) + 1)
    tiers = {f"B{n}": draw(st.sampled_from(list(Tier))) for n in banks}
    stock, prices = [], {}
    for bank in tiers:
        for n in range(1, draw(st.integers(1, 3)) + 1):
            habitat = draw(st.sampled_from(SUPPLY))
            stock.append((f"{bank}-{n}", habitat, draw(st.sampled_from(QUANTITIES))))
        for habitat in SUPPLY:
            prices[(bank, habitat)] = draw(st.sampled_from(PRICES))
    units = draw(st.lists(st.sampled_from([F(1, 2), F(1), F(3, 2), F(3)]), min_size=1, max_size=8))
    return reference(tiers, stock, prices), units, draw(st.sampled_from([False, False, True]))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(instance=many_bank_instances())
def test_screening_gives_the_unscreened_quote(instance, unscreened):
    snapshot, units, split = instance
    note(f"{snapshot.data.stock}\n{units} split={split}")
    req = request(units, "highs", split_lines=split)
    screened = quote_or_none(snapshot, req)
    whole = unscreened(snapshot, req)
    assert (screened is None) == (whole is None)
    if screened is None or whole is None:
        event("infeasible")
        return
    assert screened.solver.optimal and whole.solver.optimal
    assert screened.totals.optimiser_cost == whole.totals.optimiser_cost
    assert len({ln.bank_id for ln in screened.lines}) == len({ln.bank_id for ln in whole.lines})
    if all(ln.tier is Tier.LOCAL for ln in (*screened.lines, *whole.lines)) and not split:
        event("compared line by line")
        assert allocated(screened) == allocated(whole)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A 150-bank reference and 12-line demand from the shared generator."""
    folder = tmp_path_factory.mktemp("generated")
    workbook, demand_csv, site_json = generate_reference(folder, 150, 2, 12)
    with Workspace.open(folder / "store") as workspace:
        version = workspace.import_reference(workbook)
        snapshot = workspace.references.snapshot(version.version_id)
        req = QuoteRequest(read_site_json(site_json), read_demand_csv(demand_csv), Policy())
        yield snapshot, workspace.prepare(req, snapshot)


def test_a_generated_national_quote_is_solved_on_far_fewer_options(generated, unscreened):
    snapshot, req = generated
    screened = make_quote(snapshot, req)
    whole = unscreened(snapshot, req)
    assert whole is not None
    assert screened.solver.optimal and whole.solver.optimal
    assert screened.totals.optimiser_cost == whole.totals.optimiser_cost
    assert len({ln.bank_id for ln in screened.lines}) == len({ln.bank_id for ln in whole.lines})
    assert screened.solver.options * 2 < whole.solver.options


def test_a_quote_the_lowest_bound_banks_cannot_meet_widens_the_search(unscreened, monkeypatch):
    """The banks with the lowest stock-blind bounds can each meet one line,
    but the cap allows two banks for three lines: the first screened solve
    finds nothing and the search widens to the dearer banks with more stock."""
    tiers = {f"B{n}": Tier.LOCAL for n in range(20)}
    stock, prices = [], {}
    for n, bank in enumerate(tiers):
        cheap = n < 10
        stock.append((f"{bank}-0", SUPPLY[0], F(1) if cheap else F(10)))
        prices[(bank, SUPPLY[0])] = 1000 if cheap else 3000 + 10 * n
    snapshot = reference(tiers, stock, prices)
    req = request([F(1)] * 3, "highs")
    solved_on: list[int] = []
    first_pairs = bank_screening._first_pairs

    def counted(blind, costs, banks):
        solved_on.append(banks)
        return first_pairs(blind, costs, banks)

    monkeypatch.setattr(bank_screening, "_first_pairs", counted)
    screened = quote(snapshot, req)
    whole = unscreened(snapshot, req)
    assert whole is not None
    assert allocated(screened) == allocated(whole)
    assert {ln.bank_id for ln in screened.lines} == {"B0", "B10"}
    assert len(solved_on) >= 2


def test_a_handful_of_banks_is_not_screened(monkeypatch):
    def never(universe, cap):
        raise AssertionError("screened")

    monkeypatch.setattr(bank_screening, "screen_blind", never)
    tiers = {f"B{n}": (Tier.LOCAL, Tier.FAR)[n % 2] for n in range(10)}
    stock = [(f"{bank}-0", SUPPLY[0], F(5)) for bank in tiers]
    prices = {(bank, SUPPLY[0]): 1000 + 100 * n for n, bank in enumerate(tiers)}
    result = make_quote(reference(tiers, stock, prices), request([F(1)] * 3, "highs"))
    assert result.solver.optimal


def test_an_infeasible_demand_is_proven_so_without_solving_on_every_bank(monkeypatch):
    """Three one-unit lines, each bank holding one unit, and a cap of two
    banks: no allocation exists. After two restricted solves find none, one
    feasibility question about every bank ends the search, and the unmet
    lines are those the unscreened quote names."""
    tiers = {f"B{n}": Tier.LOCAL for n in range(20)}
    stock = [(f"{bank}-0", SUPPLY[0], F(1)) for bank in tiers]
    prices = {(bank, SUPPLY[0]): 1000 + 10 * n for n, bank in enumerate(tiers)}
    snapshot = reference(tiers, stock, prices)
    req = request([F(1)] * 3, "highs")
    staged_on: list[int] = []
    solve_staged = quote_module.solve_staged

    def counted(universe, solver, **kwargs):
        staged_on.append(len(universe.groups))
        return solve_staged(universe, solver, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(quote_module, "solve_staged", counted)
        with pytest.raises(InfeasibleQuote) as screened:
            make_quote(snapshot, req)
    with monkeypatch.context() as patch:
        patch.setattr(bank_screening, "worth_screening", lambda universe, cap: False)
        with pytest.raises(InfeasibleQuote) as whole:
            make_quote(snapshot, req)
    assert len(staged_on) == bank_screening.INFEASIBLE_ROUNDS_BEFORE_ASKING
    assert max(staged_on) < 3 * len(tiers)
    assert str(screened.value) == str(whole.value)
    assert screened.value.lines == whole.value.lines
