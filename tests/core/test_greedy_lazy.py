"""The greedy heuristic draws each line's options lazily in price order: on
a generated 200-bank reference it builds a small share of the options the
universe holds, its order is exactly a full sort's, its allocation stays
legal, and it stops at its deadline."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from bng_desktop.core import greedy
from bng_desktop.core import quote as quote_module
from bng_desktop.core.errors import SolverTimedOut
from bng_desktop.core.options import Option
from bng_desktop.core.pruning import OptionUniverse
from tests.core.option_universes import Instance, fresh_universe, generated_instance
from tests.shared_data import needs_shared

pytestmark = [pytest.mark.slow, needs_shared]


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Instance:
    return generated_instance(tmp_path_factory.mktemp("greedy"), 200, 1, 30)


def count_built(monkeypatch) -> list[int]:
    built = [0]
    original = Option.__init__

    def counting(self, *args, **kwargs):
        built[0] += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(Option, "__init__", counting)
    return built


def assert_legal(universe: OptionUniverse, allocation, bank_cap: int) -> None:
    drawn: Counter = Counter()
    delivered: Counter = Counter()
    for a in allocation:
        delivered[a.option.line] += a.units
        for stock_id, per_unit in a.option.stock_use.items():
            drawn[stock_id] += per_unit * a.units
    assert dict(delivered) == {line: u for line, u in universe.units.items() if u > 0}
    assert all(drawn[s] <= universe.available[s] for s in drawn)
    assert len({a.option.bank_id for a in allocation}) <= bank_cap


@pytest.mark.parametrize("split", [False, True], ids=["one-option", "split"])
def test_greedy_builds_a_small_share_of_the_options(instance, split, monkeypatch):
    universe, cap = fresh_universe(instance, split)
    built = count_built(monkeypatch)
    for bank_cap in (cap, len(universe.available)):
        allocation = greedy.greedy_allocation(universe, bank_cap)
        if allocation is not None:
            assert_legal(universe, allocation, bank_cap)
    by_greedy = built[0]
    every = len(universe.all_options())
    assert by_greedy > 0
    assert by_greedy * 20 < every, (by_greedy, every)


@pytest.mark.parametrize("split", [False, True], ids=["one-option", "split"])
def test_the_lazy_order_is_a_full_sort_of_the_needed_options(instance, split):
    universe, _ = fresh_universe(instance, split)
    budget = greedy._Budget(None, None)
    for line in universe.units:
        groups = list(universe.groups_of(line))
        lazy = list(greedy._price_ordered(universe, groups, lambda g: False, budget, frozenset()))
        every = [o for g in groups for o in universe.options(g)]
        full = sorted(every, key=lambda o: (o.unit_price, o.tier.rank, o.key))
        assert [o.key for o in lazy] == [o.key for o in full]


def test_the_greedy_stops_at_its_deadline(instance):
    universe, cap = fresh_universe(instance, False)
    with pytest.raises(SolverTimedOut):
        greedy.greedy_allocation(universe, cap, deadline=time.perf_counter() - 1)


def test_the_time_out_fallback_gives_up_after_its_grace_time(instance, monkeypatch):
    universe, _ = fresh_universe(instance, False)
    fallback = quote_module._heuristic(universe, 20.0, None)
    found = fallback(None, ())
    assert found is not None
    assert_legal(universe, found, len(universe.available))
    monkeypatch.setattr(quote_module, "grace_seconds", lambda limit: -1.0)
    assert fallback(None, ()) is None
