"""The indexed scans of the option universe give exactly what a scan of
every group gives: the relaxation's options and stage D's same-price options."""

from __future__ import annotations

import random

import pytest

from bng_desktop.core.pruning import OptionUniverse, _slack
from tests.core.option_universes import Instance, fresh_universe, generated_instance
from tests.shared_data import needs_shared

pytestmark = needs_shared


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Instance:
    return generated_instance(tmp_path_factory.mktemp("scans"), 40, 2, 12)


def universe_of(instance: Instance, split_lines: bool) -> OptionUniverse:
    return fresh_universe(instance, split_lines)[0]


def relaxed_by_scanning(universe, constrained, lines=None):
    out = []
    for group in universe.groups:
        if lines is not None and group.line not in lines:
            continue
        if constrained.isdisjoint(group.stock_ids):
            first = universe.cheapest(group)
            if first is not None:
                out.append(first)
            continue
        for option in universe.options(group):
            out.append(option)
            if constrained.isdisjoint(option.stock_use):
                break
    return tuple(out)


def same_price_by_scanning(universe, prices):
    out = []
    for group in universe.groups:
        wanted = prices.get(group.line, frozenset())
        out.extend(
            o
            for o in universe.options(group)
            if any(abs(o.price - float(p)) <= _slack(p) for p in wanted) and o.unit_price in wanted
        )
    return tuple(out)


@pytest.mark.parametrize("split_lines", [False, True])
def test_the_relaxation_widens_exactly_the_groups_a_scan_would(instance, split_lines):
    universe = universe_of(instance, split_lines)
    stock_ids = sorted({s for g in universe.groups for s in g.stock_ids})
    assert len(universe.groups) > 50, "the instance is too small to tell"
    picks = random.Random(7)
    constrained: frozenset[str] = frozenset()
    widened = 0
    for _ in range(12):
        constrained |= frozenset(picks.sample(stock_ids, 6))
        expected = relaxed_by_scanning(universe, constrained)
        assert universe.relaxed(constrained) == expected
        widened = max(widened, len(expected) - len(universe.relaxed(frozenset())))
        some_lines = set(picks.sample(sorted(universe.units), 4))
        assert universe.relaxed(constrained, some_lines) == relaxed_by_scanning(
            universe, constrained, some_lines
        )
    assert widened > 0, "no constrained stock line ever widened a group"


@pytest.mark.parametrize("split_lines", [False, True])
def test_stage_d_finds_exactly_the_same_price_options_a_scan_would(instance, split_lines):
    fresh = universe_of(instance, split_lines)  # builds only the options it needs
    scanned = universe_of(instance, split_lines)  # builds every needed option
    cheapest = fresh.relaxed(frozenset())
    used = frozenset(o.unit_price for o in cheapest[: len(cheapest) // 3])
    prices = dict.fromkeys(fresh.units, used)
    found = fresh.same_price_options(prices)
    expected = same_price_by_scanning(scanned, prices)
    assert [(o.rank, o.unit_price) for o in found] == [(o.rank, o.unit_price) for o in expected]
    assert len(found) > len(fresh.units), "too few matching options to tell"


def test_groups_of_a_line_are_the_lines_groups_in_order(instance):
    universe = universe_of(instance, False)
    for line in universe.units:
        assert universe.groups_of(line) == tuple(g for g in universe.groups if g.line == line)


def test_options_built_in_rank_order_are_every_option_sorted_by_rank(instance):
    universe = universe_of(instance, False)
    paired = [g for g in universe.groups if g.pairs_planned()]
    assert paired, "no group may be met by pairs"
    for group in universe.groups:
        every = list(group.in_rank_order())
        simple = [group.simple_option(k) for k in range(len(group.stocks))]
        pairs = [group.pair_option(m, c) for _, m, c in group.pairs_planned()]
        assert every == sorted(simple + pairs, key=lambda o: o.rank)
        limit = group.amounts[len(group.amounts) // 2]
        assert group.ranked(limit) == tuple(o for o in every if o.price <= limit)


def test_a_candidates_rank_is_its_options_whether_built_or_not(instance):
    fresh = universe_of(instance, False)
    built = universe_of(instance, False)
    for unbuilt, group in zip(fresh.groups, built.groups, strict=True):
        for k in range(len(group.stocks)):
            assert unbuilt.simple_rank(k) == group.simple_option(k).rank
            assert group.simple_rank(k) is group.simple_option(k).rank


def test_simple_options_on_one_stock_line_and_price_share_their_part_and_stock_use(instance):
    universe = universe_of(instance, False)
    by_supply: dict[tuple, list] = {}
    for group in universe.groups:
        for k, stock in enumerate(group.stocks):
            option = group.simple_option(k)
            assert dict(option.stock_use) == {stock.stock_id: option.parts[0].stock_per_unit}
            price = group.prices[k]  # one object per bank, tier and habitat priced
            by_supply.setdefault((stock.stock_id, group.tier, id(price)), []).append(option)
    shared = [options for options in by_supply.values() if len(options) > 1]
    assert shared, "no stock line serves two lines at one price"
    for options in shared:
        assert len({o.line for o in options}) == len(options)
        assert all(o.stock_use is options[0].stock_use for o in options)
        assert all(o.parts is options[0].parts for o in options)
