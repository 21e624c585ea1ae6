"""Paired area allocations at adjacent and far tiers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.bands import ContractSize, Tier
from bng_desktop.core.demand import resolve_demand
from bng_desktop.core.errors import InfeasibleQuote
from bng_desktop.core.model import StockLine
from bng_desktop.core.options import availability, build_options
from bng_desktop.core.policy import Policy
from bng_desktop.core.pricing import PriceBook
from bng_desktop.core.tiers import SiteGeography
from tests.core.engine_builders import (
    ACID,
    BRACKEN,
    CALCAREOUS,
    CANALS,
    CEREAL,
    DITCHES,
    MODIFIED,
    NATIVE_HEDGE,
    NEUTRAL,
    SCRUB,
    SITE,
    SPECIES_RICH,
    demand,
    prices_for,
    quote,
    snapshot,
)

F = Fraction
BANK_OF_TIER = {Tier.LOCAL: "L", Tier.ADJACENT: "A", Tier.FAR: "F"}


def _snap(bank: str, stock: list[tuple[str, str, int | str, int]], extra_prices=()):
    """stock: (stock id, habitat, units, price at every tier and size)."""
    return snapshot(
        stock=[StockLine(sid, bank, name, F(units)) for sid, name, units, _ in stock],
        prices=[
            *(row for _, name, _, price in stock if price for row in prices_for(bank, name, price)),
            *extra_prices,
        ],
    )


def _group(snap, demand_name: str, bank: str, units="1", policy: Policy | None = None):
    """The LineBank of one demand line at one bank."""
    policy = policy or Policy()
    lines = resolve_demand(demand((demand_name, units)), snap)
    geography = SiteGeography(SITE)
    tiers = {b: geography.tier_of(bank_) for b, bank_ in snap.banks.items()}
    book = PriceBook(
        snap.prices, snap.price_rows_at, snap.habitats, ContractSize.SMALL, policy.promoter
    )
    found = build_options(snap, lines, tiers, book, policy, availability(snap, policy))
    (group,) = [g for g in found.groups if g.bank_id == bank]
    return group


def _pairs(group):
    return [o for o in group.ranked() if o.paired]


def _plan(group):
    """(main stock id, companion stock id) of every pair."""
    return sorted(tuple(p.stock_id for p in o.parts) for o in _pairs(group))


# --- blended prices and stock use --------------------------------------------


@pytest.mark.parametrize(
    ("tier", "main_share", "price", "main_use", "companion_use"),
    [
        (Tier.ADJACENT, F(3, 4), F(22500), F(1), F(1, 3)),
        (Tier.FAR, F(1, 2), F(25000), F(1), F(1)),
    ],
    ids=["adjacent 3/4 + 1/4", "far 1/2 + 1/2"],
)
def test_blended_price_and_stock_use_per_delivered_unit(
    tier, main_share, price, main_use, companion_use
):
    bank = BANK_OF_TIER[tier]
    snap = _snap(bank, [(f"{bank}-1", NEUTRAL, 10, 20000), (f"{bank}-2", ACID, 10, 30000)])
    pair = next(o for o in _pairs(_group(snap, NEUTRAL, bank)) if o.parts[0].stock_id.endswith("1"))
    main, companion = pair.parts
    assert (main.habitat_name, companion.habitat_name) == (NEUTRAL, ACID)
    assert (main.share, companion.share) == (main_share, 1 - main_share)
    assert pair.unit_price == price
    assert dict(pair.stock_use) == {f"{bank}-1": main_use, f"{bank}-2": companion_use}
    assert pair.tier is tier


def test_policy_shares_change_price_and_stock_use():
    policy = Policy(paired_main_share_adjacent=F(2, 3))
    snap = _snap("A", [("A-1", NEUTRAL, 10, 20000), ("A-2", ACID, 10, 30000)])
    pair = next(
        o for o in _pairs(_group(snap, NEUTRAL, "A", policy=policy)) if o.key[3][0] == "A-1"
    )
    assert pair.unit_price == F(2, 3) * 20000 + F(1, 3) * 30000
    assert dict(pair.stock_use) == {"A-1": F(8, 9), "A-2": F(4, 9)}


# --- which companion ----------------------------------------------------------


@pytest.mark.parametrize("tier", [Tier.ADJACENT, Tier.FAR], ids=["adjacent", "far"])
def test_companion_must_be_legal_for_the_deficit(tier):
    # Modified grassland (Low) is the cheapest stock at the bank but cannot
    # meet a Medium grassland deficit, so it is never a companion [fix].
    b = BANK_OF_TIER[tier]
    snap = _snap(
        b,
        [(f"{b}-1", NEUTRAL, 10, 20000), (f"{b}-2", MODIFIED, 10, 1000), (f"{b}-3", SCRUB, 10, 10)],
    )
    group = _group(snap, NEUTRAL, b)
    assert {s.habitat_name for s in group.stocks} == {NEUTRAL}
    assert _pairs(group) == []


def test_companion_is_the_cheapest_legal_stock_line_at_the_same_bank():
    snap = _snap(
        "A",
        [
            ("A-1", NEUTRAL, 10, 20000),
            ("A-2", ACID, 10, 25000),
            ("A-3", CALCAREOUS, 10, 30000),
            ("A-4", MODIFIED, 10, 100),  # illegal for Medium
        ],
    )
    assert _plan(_group(snap, NEUTRAL, "A")) == [("A-1", "A-2"), ("A-2", "A-1"), ("A-3", "A-1")]


def test_companion_never_comes_from_another_bank():
    snap = snapshot(
        stock=[
            StockLine("A-1", "A", NEUTRAL, F(10)),
            StockLine("A-2", "A", CALCAREOUS, F(10)),
            StockLine("F-1", "F", ACID, F(10)),
        ],
        prices=prices_for("A", NEUTRAL, 20000)
        + prices_for("A", CALCAREOUS, 40000)
        + prices_for("F", ACID, 1000),
    )
    assert _plan(_group(snap, NEUTRAL, "A")) == [("A-1", "A-2"), ("A-2", "A-1")]


@pytest.mark.parametrize(
    ("stock", "companion"),
    [
        ([("A-2", ACID, 5, 25000), ("A-3", CALCAREOUS, 8, 25000)], "A-3"),
        ([("A-2", ACID, 8, 25000), ("A-3", CALCAREOUS, 5, 25000)], "A-2"),
        ([("A-3", ACID, 5, 25000), ("A-2", CALCAREOUS, 5, 25000)], "A-2"),
        ([("A-2", ACID, 5, 25000), ("A-3", CALCAREOUS, 8, 24999)], "A-3"),
        ([("A-2", ACID, 0, 1000), ("A-3", CALCAREOUS, 8, 30000)], "A-3"),
    ],
    ids=[
        "tie on price: more stock",
        "tie on price: more stock (other order)",
        "tie on price and stock: stock id",
        "cheaper beats more stock",
        "no stock left: never a companion",
    ],
)
def test_companion_ties(stock, companion):
    snap = _snap("A", [("A-1", NEUTRAL, 10, 20000), *stock])
    (pair,) = [o for o in _pairs(_group(snap, NEUTRAL, "A")) if o.parts[0].stock_id == "A-1"]
    assert pair.parts[1].stock_id == companion


def test_companion_is_another_habitat_not_just_another_stock_line():
    snap = _snap(
        "A",
        [("A-1", NEUTRAL, 5, 20000), ("A-2", NEUTRAL, 9, 0), ("A-3", ACID, 10, 30000)],
    )
    plan = dict(_plan(_group(snap, NEUTRAL, "A")))
    assert plan["A-1"] == "A-3"  # not A-2: same habitat
    assert plan["A-2"] == "A-3"
    assert plan["A-3"] == "A-2"  # the Other neutral line with more stock
    for main, companion in plan.items():
        assert main != companion


def test_companion_priced_by_the_demand_proxy_rule():
    # Bracken has no row of its own; for a Low deficit it is priced by the
    # bank's cheapest legal area row (cereal crops, no stock).
    snap = _snap(
        "F",
        [("F-1", NEUTRAL, 10, 20000), ("F-2", BRACKEN, 10, 0)],
        extra_prices=prices_for("F", CEREAL, 4000),
    )
    (pair,) = _pairs(_group(snap, MODIFIED, "F"))
    parts = {p.habitat_name: p.price for p in pair.parts}
    assert (parts[BRACKEN].value, parts[BRACKEN].source, parts[BRACKEN].habitat) == (
        4000,
        "proxy",
        CEREAL,
    )
    assert pair.price_source == "proxy"
    assert pair.unit_price == 12000


# --- how many pairs ------------------------------------------------------------


def test_no_pairs_at_the_local_tier():
    snap = _snap("L", [("L-1", NEUTRAL, 10, 20000), ("L-2", ACID, 10, 30000)])
    group = _group(snap, NEUTRAL, "L")
    assert group.pairing_share is None
    assert _pairs(group) == []
    assert len(group.ranked()) == 2


@pytest.mark.parametrize(
    ("demand_name", "stock"),
    [
        (NATIVE_HEDGE, [(NATIVE_HEDGE, 20000), (SPECIES_RICH, 30000)]),
        ("Net Gain (hedgerow)", [(NATIVE_HEDGE, 20000), (SPECIES_RICH, 30000)]),
        ("Culvert", [(DITCHES, 20000), (CANALS, 30000)]),
        ("Net Gain (watercourse)", [(DITCHES, 20000), (CANALS, 30000)]),
    ],
    ids=["hedgerow", "hedgerow Net Gain", "watercourse", "watercourse Net Gain"],
)
@pytest.mark.parametrize("tier", [Tier.ADJACENT, Tier.FAR], ids=["adjacent", "far"])
def test_no_pairs_for_hedgerow_or_watercourse(demand_name, stock, tier):
    b = BANK_OF_TIER[tier]
    snap = _snap(b, [(f"{b}-{n}", name, 10, price) for n, (name, price) in enumerate(stock)])
    group = _group(snap, demand_name, b)
    assert len(group.stocks) == 2
    assert group.pairing_share is None
    assert _pairs(group) == []


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        (Tier.ADJACENT, [("A-1", "A-2"), ("A-2", "A-1"), ("A-3", "A-1"), ("A-4", "A-1")]),
        (Tier.FAR, [("F-1", "F-2"), ("F-3", "F-1"), ("F-4", "F-1")]),
    ],
    ids=["adjacent: one pair per main", "far: one pair per main, no pair in both orders"],
)
def test_each_main_stock_line_yields_at_most_one_pair(tier, expected):
    b = BANK_OF_TIER[tier]
    snap = _snap(
        b,
        [
            (f"{b}-1", NEUTRAL, 10, 20000),
            (f"{b}-2", ACID, 10, 25000),
            (f"{b}-3", CALCAREOUS, 10, 30000),
            (f"{b}-4", "Grassland - Upland acid grassland", 10, 35000),
        ],
    )
    group = _group(snap, NEUTRAL, b)
    plan = _plan(group)
    assert plan == expected
    mains = [main for main, _ in plan]
    assert len(mains) == len(set(mains))
    if tier is Tier.FAR:  # equal shares: {a, b} is one option whichever part is main
        assert len({frozenset(pair) for pair in plan}) == len(plan)


def test_far_pair_of_two_stock_lines_is_listed_once():
    snap = _snap("F", [("F-1", NEUTRAL, 10, 20000), ("F-2", ACID, 10, 30000)])
    assert len(_pairs(_group(snap, NEUTRAL, "F"))) == 1


def test_adjacent_pair_of_two_stock_lines_is_listed_in_both_orders():
    snap = _snap("A", [("A-1", NEUTRAL, 10, 20000), ("A-2", ACID, 10, 30000)])
    assert _plan(_group(snap, NEUTRAL, "A")) == [("A-1", "A-2"), ("A-2", "A-1")]


def test_pairs_on_one_version_are_planned_for_each_main_share():
    """Quotes on one version share its candidates' pairing plans: the plan
    made at one main share is never handed to a quote at another."""
    snap = _snap("F", [("F-1", NEUTRAL, 10, 20000), ("F-2", ACID, 10, 30000)])
    two_thirds = Policy(paired_main_share_far=F(2, 3))
    assert _plan(_group(snap, NEUTRAL, "F")) == [("F-1", "F-2")]
    assert _plan(_group(snap, NEUTRAL, "F", policy=two_thirds)) == [
        ("F-1", "F-2"),
        ("F-2", "F-1"),
    ]
    assert _plan(_group(snap, NEUTRAL, "F")) == [("F-1", "F-2")]


def test_pair_never_ranks_below_its_cheaper_part():
    snap = _snap("F", [("F-1", NEUTRAL, 10, 20000), ("F-2", ACID, 10, 30000)])
    ranked = _group(snap, NEUTRAL, "F").ranked()
    assert [o.paired for o in ranked] == [False, True, False]


# --- pairs inside a quote ------------------------------------------------------


def test_quote_uses_a_far_pair_when_no_single_stock_line_can_meet_the_line():
    # Far: 2 delivered units need 4 units of one stock line; each has 3.
    snap = _snap("F", [("F-1", NEUTRAL, 3, 20000), ("F-2", ACID, 3, 30000)])
    q = quote(snap, [(NEUTRAL, 2)])
    (line,) = q.lines
    assert line.paired and line.tier is Tier.FAR
    assert line.unit_price == 25000 and line.cost == 50000
    assert line.stock_use == (("F-1", F(2)), ("F-2", F(2)))
    assert sorted((p.stock_id, p.share, p.unit_price, p.stock_use) for p in line.paired_parts) == [
        ("F-1", F(1, 2), F(20000), F(2)),
        ("F-2", F(1, 2), F(30000), F(2)),
    ]
    assert set(line.supply_habitat.split(" + ")) == {NEUTRAL, ACID}
    assert q.totals.total == 50500


def test_quote_uses_an_adjacent_pair_with_the_srm_stock_use():
    # Adjacent: 3 delivered units need 4 units alone; main has 3.5, so it is
    # paired: main 3 x 3/4 x 4/3 = 3 units, companion 3 x 1/4 x 4/3 = 1 unit.
    snap = _snap("A", [("A-1", NEUTRAL, "3.5", 20000), ("A-2", ACID, 2, 30000)])
    (line,) = quote(snap, [(NEUTRAL, 3)]).lines
    assert line.paired
    assert [(p.habitat_name, p.share, p.stock_use) for p in line.paired_parts] == [
        (NEUTRAL, F(3, 4), F(3)),
        (ACID, F(1, 4), F(1)),
    ]
    assert line.stock_use == (("A-1", F(3)), ("A-2", F(1)))
    assert line.unit_price == 22500


def test_quote_takes_a_cheaper_pair_over_the_only_simple_option_that_fits():
    # Calcareous (High, £40,000) alone has the stock; the pair of the two
    # smaller lines (£25,000) is cheaper and is chosen.
    snap = _snap(
        "F",
        [("F-1", NEUTRAL, 3, 20000), ("F-2", ACID, 3, 30000), ("F-3", CALCAREOUS, 100, 40000)],
    )
    (line,) = quote(snap, [(NEUTRAL, 2)]).lines
    assert line.paired and line.unit_price == 25000
    assert {p.stock_id for p in line.paired_parts} == {"F-1", "F-2"}


def test_quote_prefers_a_simple_option_when_one_has_stock():
    snap = _snap("F", [("F-1", NEUTRAL, 4, 20000), ("F-2", ACID, 10, 30000)])
    (line,) = quote(snap, [(NEUTRAL, 2)]).lines
    assert not line.paired
    assert (line.supply_habitat, line.stock_use) == (NEUTRAL, (("F-1", F(4)),))


def test_quote_cannot_pair_with_an_illegal_companion():
    snap = _snap("F", [("F-1", NEUTRAL, 3, 20000), ("F-2", MODIFIED, 30, 1000)])
    with pytest.raises(InfeasibleQuote) as caught:
        quote(snap, [(NEUTRAL, 2)])
    assert [u.code for u in caught.value.lines] == ["insufficient_stock_single_option"]


def test_quote_pairs_with_a_legal_companion_not_the_cheaper_illegal_one():
    snap = _snap(
        "F",
        [("F-1", NEUTRAL, 3, 20000), ("F-2", MODIFIED, 30, 1000), ("F-3", ACID, 3, 30000)],
    )
    (line,) = quote(snap, [(NEUTRAL, 2)]).lines
    assert {p.habitat_name for p in line.paired_parts} == {NEUTRAL, ACID}


def test_quote_never_pairs_at_the_local_tier():
    # Local: 2 units need 2 of one stock line; neither has enough, and a pair
    # is not allowed locally.
    snap = _snap("L", [("L-1", NEUTRAL, "1.5", 20000), ("L-2", ACID, "1.5", 30000)])
    with pytest.raises(InfeasibleQuote):
        quote(snap, [(NEUTRAL, 2)])


@pytest.mark.parametrize(
    ("quotes_hold", "companion"),
    [("ignore", "A-2"), ("hold_50", "A-2"), ("hold_100", "A-3")],
    ids=["ignore: held stock counts", "hold_50: half left", "hold_100: none left"],
)
def test_companion_needs_stock_left_under_the_quotes_hold_policy(quotes_hold, companion):
    snap = snapshot(
        stock=[
            StockLine("A-1", "A", NEUTRAL, F(10)),
            StockLine("A-2", "A", ACID, F(4), None, F(4)),
            StockLine("A-3", "A", CALCAREOUS, F(10)),
        ],
        prices=prices_for("A", NEUTRAL, 20000)
        + prices_for("A", ACID, 25000)
        + prices_for("A", CALCAREOUS, 30000),
    )
    group = _group(snap, NEUTRAL, "A", policy=Policy(quotes_hold=quotes_hold))
    (pair,) = [o for o in _pairs(group) if o.parts[0].stock_id == "A-1"]
    assert pair.parts[1].stock_id == companion
