"""Price lookup: exact rows, proxy rules for area demand, promoter discounts (tier_up too)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.bands import ContractSize, Tier, UnitType
from bng_desktop.core.errors import InfeasibleQuote
from bng_desktop.core.model import Bank, PriceRow, StockLine
from bng_desktop.core.policy import Policy, Promoter
from bng_desktop.core.pricing import (
    EXACT,
    PROXY,
    Price,
    PriceBook,
    discount_factor,
    next_size_up,
    pricing_size,
)
from bng_desktop.core.trading import Deficit, legal_supply_names
from tests.core.engine_builders import (
    ACID,
    BRACKEN,
    CALCAREOUS,
    CANALS,
    CEREAL,
    CULVERT,
    DITCHES,
    DUNES,
    HEATH,
    MEADOWS,
    MODIFIED,
    NATIVE_HEDGE,
    NEUTRAL,
    SCRUB,
    SEALED,
    SPECIES_RICH,
    SR_WITH_TREES,
    habitat,
    prices_for,
    quote,
    snapshot,
)

F = Fraction
FRACTIONAL, SMALL, MEDIUM, LARGE = ContractSize
ALL = tuple(ContractSize)
WOODLAND = "Woodland and forest - Lowland mixed deciduous woodland"  # area High


def _deficit(name: str | None, unit_type: UnitType = UnitType.AREA) -> Deficit:
    if name is None:
        return Deficit(unit_type)
    h = habitat(name)
    return Deficit(h.unit_type, h)


def _book(snap, size=SMALL, promoter=None) -> PriceBook:
    return PriceBook(snap.prices, snap.price_rows_at, snap.habitats, size, promoter)


def _proxy(rows, demand, unit_type=UnitType.AREA, *, bank="L", tier=Tier.LOCAL, size=SMALL):
    """The proxy price at bank L (local, small) given its price rows."""
    prices = [r for name, price in rows for r in prices_for("L", name, price)]
    snap = snapshot(prices=prices)
    deficit = _deficit(demand, unit_type)
    legal = legal_supply_names(deficit, snap.habitats.values())
    return _book(snap, size).proxy(bank, tier, deficit, legal)


# --- exact rows --------------------------------------------------------------


def test_exact_row_cheapest_of_duplicates():
    prices = [
        PriceRow("L", NEUTRAL, SMALL, Tier.LOCAL, F(20000)),
        PriceRow("L", NEUTRAL, SMALL, Tier.LOCAL, F(18000)),
        PriceRow("L", NEUTRAL, SMALL, Tier.LOCAL, F(19000)),
    ]
    snap = snapshot(stock=[StockLine("L-1", "L", NEUTRAL, F(5))], prices=prices)
    assert _book(snap).exact("L", Tier.LOCAL, NEUTRAL).value == 18000
    (line,) = quote(snap, [(NEUTRAL, 1)]).lines
    assert (line.unit_price, line.price_source, line.price_habitat) == (18000, EXACT, NEUTRAL)


@pytest.mark.parametrize(
    ("tier", "size", "found"),
    [
        (Tier.LOCAL, SMALL, 21000),
        (Tier.ADJACENT, SMALL, 22000),
        (Tier.LOCAL, MEDIUM, 20000),
        (Tier.FAR, SMALL, None),
    ],
    ids=["local small", "adjacent small", "local medium", "far: no row"],
)
def test_exact_row_is_per_tier_and_size(tier, size, found):
    prices = [
        PriceRow("L", NEUTRAL, SMALL, Tier.LOCAL, F(21000)),
        PriceRow("L", NEUTRAL, SMALL, Tier.ADJACENT, F(22000)),
        PriceRow("L", NEUTRAL, MEDIUM, Tier.LOCAL, F(20000)),
    ]
    price = _book(snapshot(prices=prices), size).exact("L", tier, NEUTRAL)
    assert (price.value if price else None) == found


def test_exact_row_wins_over_a_cheaper_proxy():
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(5))],
        prices=prices_for("L", NEUTRAL, 20000) + prices_for("L", MODIFIED, 500),
    )
    (line,) = quote(snap, [(MODIFIED, 1)]).lines
    assert (line.supply_habitat, line.unit_price, line.price_source) == (NEUTRAL, 20000, EXACT)


# --- proxies -----------------------------------------------------------------

LOW_ROWS = [
    (NATIVE_HEDGE, 10),  # other unit type
    (DUNES, 50),  # irreplaceable
    (SEALED, 100),  # V.Low
    (BRACKEN, 700),  # legal, no stock
    (CEREAL, 900),
]


@pytest.mark.parametrize(
    ("demand", "rows", "expected"),
    [
        (MODIFIED, LOW_ROWS, (700, BRACKEN)),
        (None, LOW_ROWS, (700, BRACKEN)),
        (MODIFIED, [(HEATH, 5000), (CEREAL, 900)], (900, CEREAL)),
        (MODIFIED, [(MEADOWS, 5000)], (5000, MEADOWS)),
        (MODIFIED, [(SEALED, 100), (NATIVE_HEDGE, 10)], None),
        (
            NEUTRAL,
            [(NEUTRAL, 20000), (HEATH, 10000), (MODIFIED, 500), (SCRUB, 300)],
            (20000, NEUTRAL),
        ),
        (NEUTRAL, [(CALCAREOUS, 15000), (NEUTRAL, 20000), (HEATH, 10000)], (15000, CALCAREOUS)),
        (
            NEUTRAL,
            [(HEATH, 10000), (WOODLAND, 9000), (MODIFIED, 500), (SCRUB, 300)],
            (9000, WOODLAND),
        ),
        (NEUTRAL, [(MODIFIED, 500), (SCRUB, 300), (CEREAL, 100)], None),
        (CALCAREOUS, [(CALCAREOUS + " (typo)", 1), (MEADOWS, 40000), (NEUTRAL, 1)], None),
        (MEADOWS, [(CALCAREOUS, 30000), (NEUTRAL, 1)], None),
    ],
    ids=[
        "Low: cheapest legal area row (no stock needed)",
        "Net Gain: cheapest legal area row",
        "Low: Low row of another group",
        "Low: a higher band row",
        "Low: no legal row",
        "Medium: same group preferred over cheaper higher band",
        "Medium: cheapest legal row of the same group (High)",
        "Medium: else cheapest higher band",
        "Medium: Low same group and Medium other group never",
        "High: no proxy",
        "V.High: no proxy",
    ],
)
def test_proxy_rules(demand, rows, expected):
    found = _proxy(rows, demand)
    if expected is None:
        assert found is None
    else:
        assert (found.value, found.habitat, found.source) == (*expected, PROXY)


@pytest.mark.parametrize(
    ("demand", "unit_type", "rows"),
    [
        (NATIVE_HEDGE, UnitType.HEDGEROW, [(SPECIES_RICH, 100), (NATIVE_HEDGE + "x", 1)]),
        (None, UnitType.HEDGEROW, [(SPECIES_RICH, 100), (MODIFIED, 1)]),
        (CULVERT, UnitType.WATERCOURSE, [(DITCHES, 100), (CANALS, 200)]),
        (None, UnitType.WATERCOURSE, [(DITCHES, 100)]),
    ],
    ids=["hedgerow Low", "hedgerow Net Gain", "watercourse Low", "watercourse Net Gain"],
)
def test_no_proxy_for_hedgerow_or_watercourse(demand, unit_type, rows):
    assert _proxy(rows, demand, unit_type) is None


@pytest.mark.parametrize(
    ("tier", "size", "found"),
    [(Tier.LOCAL, SMALL, 700), (Tier.ADJACENT, SMALL, None), (Tier.LOCAL, MEDIUM, None)],
    ids=["same tier and size", "other tier never", "other size never"],
)
def test_proxy_row_must_be_at_the_same_bank_tier_and_size(tier, size, found):
    prices = [PriceRow("L", BRACKEN, SMALL, Tier.LOCAL, F(700))]
    snap = snapshot(prices=prices)
    deficit = _deficit(MODIFIED)
    legal = legal_supply_names(deficit, snap.habitats.values())
    price = _book(snap, size).proxy("L", tier, deficit, legal)
    assert (price.value if price else None) == found
    assert _book(snap, SMALL).proxy("A", Tier.LOCAL, deficit, legal) is None  # other bank


# --- proxies and exact-only rules inside a quote -----------------------------


def test_low_demand_is_priced_by_proxy_for_stock_without_a_row():
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(5))],
        prices=prices_for("L", BRACKEN, 7000) + prices_for("L", SEALED, 100),
    )
    (line,) = quote(snap, [(MODIFIED, 2)]).lines
    assert (line.supply_habitat, line.unit_price) == (NEUTRAL, 7000)
    assert (line.price_source, line.price_habitat) == (PROXY, BRACKEN)
    assert line.cost == 14000


def test_net_gain_area_demand_is_priced_by_proxy():
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(5))], prices=prices_for("L", CEREAL, 6000)
    )
    (line,) = quote(snap, [("Net Gain (area)", 1)]).lines
    assert (line.price_source, line.price_habitat, line.unit_price) == (PROXY, CEREAL, 6000)


def test_medium_demand_quote_uses_same_group_proxy_even_when_higher_band_is_cheaper():
    snap = snapshot(
        stock=[StockLine("L-1", "L", ACID, F(5))],
        prices=prices_for("L", NEUTRAL, 20000) + prices_for("L", HEATH, 10000),
    )
    (line,) = quote(snap, [(NEUTRAL, 1)]).lines
    assert (line.supply_habitat, line.price_habitat, line.unit_price) == (ACID, NEUTRAL, 20000)


@pytest.mark.parametrize(
    ("demand", "stock", "rows"),
    [
        (CALCAREOUS, CALCAREOUS, [(MEADOWS, 100), (NEUTRAL, 100)]),
        (MEADOWS, MEADOWS, [(CALCAREOUS, 100)]),
        (NATIVE_HEDGE, SPECIES_RICH, [(NATIVE_HEDGE, 100), (SR_WITH_TREES, 200)]),
        ("Net Gain (hedgerow)", SPECIES_RICH, [(NATIVE_HEDGE, 100)]),
        (CULVERT, DITCHES, [(CULVERT, 100), (CANALS, 100)]),
        ("Net Gain (watercourse)", DITCHES, [(CANALS, 100)]),
    ],
    ids=[
        "area High: no exact row, no option",
        "area V.High: no exact row, no option",
        "hedgerow: exact only [fix]",
        "hedgerow Net Gain: exact only",
        "watercourse: exact only [fix]",
        "watercourse Net Gain: exact only",
    ],
)
def test_lines_without_an_exact_row_or_proxy_get_no_option(demand, stock, rows):
    prices = [r for name, price in rows for r in prices_for("L", name, price)]
    snap = snapshot(stock=[StockLine("L-1", "L", stock, F(5))], prices=prices)
    with pytest.raises(InfeasibleQuote) as caught:
        quote(snap, [(demand, 1)])
    assert [u.code for u in caught.value.lines] == ["no_price"]


def test_proxy_row_at_another_size_is_never_used_in_a_quote():
    # Bank L's only proxy row is at the medium size; the quote is small (a
    # stockless bank's rows make small present).
    snap = snapshot(
        banks=[Bank("L", "Local", "Winchester", "South Downs"), Bank("Z", "Z", "Winchester")],
        stock=[StockLine("L-1", "L", NEUTRAL, F(5))],
        prices=[
            PriceRow("L", BRACKEN, MEDIUM, Tier.LOCAL, F(700)),
            *prices_for("Z", NEUTRAL, 1000, sizes=(SMALL,)),
        ],
    )
    with pytest.raises(InfeasibleQuote) as caught:
        quote(snap, [(MODIFIED, 1)])
    assert [u.code for u in caught.value.lines] == ["no_price"]


def test_proxy_row_at_another_tier_is_never_used_in_a_quote():
    snap = snapshot(
        banks=[Bank("F", "Far", "Cornwall", "The Lizard")],
        stock=[StockLine("F-1", "F", NEUTRAL, F(5))],
        prices=prices_for("F", BRACKEN, 700, tiers=(Tier.LOCAL, Tier.ADJACENT)),
    )
    with pytest.raises(InfeasibleQuote) as caught:
        quote(snap, [(MODIFIED, 1)])
    assert [u.code for u in caught.value.lines] == ["no_price"]


# --- promoter discounts ------------------------------------------------------


@pytest.mark.parametrize(
    ("promoter", "factor"),
    [
        (None, F(1)),
        (Promoter("P"), F(1)),
        (Promoter("P", "tier_up"), F(1)),
        (Promoter("P", "percentage", F(10)), F(9, 10)),
        (Promoter("P", "percentage", F("12.5")), F(7, 8)),
        (Promoter("P", "percentage", F(0)), F(1)),
    ],
    ids=["no promoter", "none", "tier_up", "10%", "12.5%", "0%"],
)
def test_discount_factor(promoter, factor):
    assert discount_factor(promoter) == factor


TEN_PERCENT = Policy(promoter=Promoter("P", "percentage", F(10)))


def test_percentage_discount_applies_to_exact_prices_but_not_the_fee():
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(5))], prices=prices_for("L", NEUTRAL, 20000)
    )
    q = quote(snap, [(NEUTRAL, 2)], policy=TEN_PERCENT)
    (line,) = q.lines
    assert (line.unit_price, line.cost) == (18000, 36000)
    assert (q.totals.admin_fee, q.totals.total) == (500, 36500)


def test_percentage_discount_applies_to_proxy_prices():
    snap = snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(5))], prices=prices_for("L", BRACKEN, 7000)
    )
    (line,) = quote(snap, [(MODIFIED, 1)], policy=TEN_PERCENT).lines
    assert (line.price_source, line.unit_price) == (PROXY, 6300)


def test_percentage_discount_applies_to_paired_blends():
    # Far bank: 3 units of each stock cannot deliver 2 units alone (needs 4),
    # so the quote pairs them 1/2 + 1/2.
    snap = snapshot(
        banks=[Bank("F", "Far", "Cornwall", "The Lizard")],
        stock=[StockLine("F-1", "F", NEUTRAL, F(3)), StockLine("F-2", "F", ACID, F(3))],
        prices=prices_for("F", NEUTRAL, 20000) + prices_for("F", ACID, 30000),
    )
    (line,) = quote(snap, [(NEUTRAL, 2)], policy=TEN_PERCENT).lines
    assert line.paired
    assert sorted(p.unit_price for p in line.paired_parts) == [18000, 27000]
    assert line.unit_price == F(22500)
    assert line.cost == 45000


def test_discounted_price_stays_exact():
    promoter = Promoter("P", "percentage", F(1, 3))
    snap = snapshot(prices=prices_for("L", NEUTRAL, 10000))
    price = _book(snap, promoter=promoter).exact("L", Tier.LOCAL, NEUTRAL)
    assert price.value == F(10000) * (1 - F(1, 300))
    assert isinstance(price.value, Fraction)


def test_tier_up_price_book_reads_the_next_size():
    prices = [
        PriceRow("L", NEUTRAL, SMALL, Tier.LOCAL, F(30000)),
        PriceRow("L", NEUTRAL, MEDIUM, Tier.LOCAL, F(20000)),
    ]
    snap = snapshot(stock=[StockLine("L-1", "L", NEUTRAL, F(5))], prices=prices)
    (line,) = quote(snap, [(NEUTRAL, 1)], policy=Policy(promoter=Promoter("P", "tier_up"))).lines
    assert line.unit_price == 20000


def test_every_line_records_its_price_source():
    snap = snapshot(
        stock=[
            StockLine("L-1", "L", NEUTRAL, F(5)),
            StockLine("L-2", "L", CALCAREOUS, F(5)),
        ],
        prices=prices_for("L", BRACKEN, 7000) + prices_for("L", CALCAREOUS, 30000),
    )
    q = quote(snap, [(MODIFIED, 1), (CALCAREOUS, 1)])
    assert [(ln.demand_habitat, ln.price_source, ln.price_habitat) for ln in q.lines] == [
        (MODIFIED, PROXY, BRACKEN),
        (CALCAREOUS, EXACT, CALCAREOUS),
    ]


# --- promoter tier_up: the size prices are read at -----------------------------


@pytest.mark.parametrize(
    ("size", "present", "expected"),
    [
        (FRACTIONAL, ALL, SMALL),
        (SMALL, ALL, MEDIUM),
        (MEDIUM, ALL, LARGE),
        (LARGE, ALL, LARGE),
        (SMALL, (SMALL, LARGE), LARGE),
        (FRACTIONAL, (FRACTIONAL, MEDIUM), MEDIUM),
        (SMALL, (FRACTIONAL, SMALL), SMALL),
    ],
    ids=[
        "fractional->small",
        "small->medium",
        "medium->large",
        "large stays",
        "skip missing medium",
        "skip missing small",
        "no larger present",
    ],
)
def test_next_size_up(size, present, expected):
    assert next_size_up(size, present) is expected


SIZE_PRICES = {FRACTIONAL: 40000, SMALL: 30000, MEDIUM: 20000, LARGE: 10000}


def _sized_snapshot(sizes=ALL):
    return snapshot(
        stock=[StockLine("L-1", "L", NEUTRAL, F(100))],
        prices=[PriceRow("L", NEUTRAL, s, Tier.LOCAL, F(SIZE_PRICES[s])) for s in sizes],
    )


TIER_UP = Policy(promoter=Promoter("Introducer Ltd", "tier_up"))


@pytest.mark.parametrize(
    ("units", "sizes", "size", "priced_at", "fee"),
    [
        ("0.05", ALL, FRACTIONAL, SMALL, 300),
        ("1", ALL, SMALL, MEDIUM, 500),
        ("3", ALL, MEDIUM, LARGE, 500),
        ("1", (SMALL, LARGE), SMALL, LARGE, 500),
    ],
    ids=["fractional at small", "small at medium", "medium at large", "small at large (skip)"],
)
def test_tier_up_prices_at_the_next_present_size_keeping_size_and_fee(
    units, sizes, size, priced_at, fee
):
    q = quote(_sized_snapshot(sizes), [(NEUTRAL, units)], policy=TIER_UP)
    assert (q.contract_size, q.pricing_size, q.totals.admin_fee) == (size, priced_at, fee)
    assert q.lines[0].unit_price == SIZE_PRICES[priced_at]
    assert any("tier up" in w and "Introducer Ltd" in w for w in q.warnings)


def test_tier_up_at_the_largest_size_changes_nothing():
    q = quote(_sized_snapshot(), [(NEUTRAL, 20)], policy=TIER_UP)
    assert (q.contract_size, q.pricing_size) == (LARGE, LARGE)
    assert q.lines[0].unit_price == SIZE_PRICES[LARGE]
    assert not any("tier up" in w for w in q.warnings)


def test_no_promoter_prices_at_the_contract_size():
    q = quote(_sized_snapshot(), [(NEUTRAL, 1)])
    assert (q.contract_size, q.pricing_size) == (SMALL, SMALL)
    assert q.lines[0].unit_price == SIZE_PRICES[SMALL]
    assert q.warnings == ()


@pytest.mark.parametrize(
    ("promoter", "expected"),
    [
        (None, SMALL),
        (Promoter("P", "none"), SMALL),
        (Promoter("P", "percentage", F(10)), SMALL),
        (Promoter("P", "tier_up"), MEDIUM),
    ],
    ids=["no promoter", "none", "percentage", "tier_up"],
)
def test_only_tier_up_moves_the_pricing_size(promoter, expected):
    assert pricing_size(SMALL, ALL, promoter) is expected


def test_lines_priced_by_one_proxy_row_share_one_price():
    snap = snapshot(prices=[PriceRow("L", BRACKEN, SMALL, Tier.LOCAL, F(700))])
    book = _book(snap)
    first, second = (
        book.proxy("L", Tier.LOCAL, deficit, legal_supply_names(deficit, snap.habitats.values()))
        for deficit in (_deficit(MODIFIED), _deficit(None))  # a low habitat; net gain (area)
    )
    assert first == Price(F(700), PROXY, BRACKEN)
    assert second is first
