"""Trading rules (RULES.md table), with real habitats from the statutory list."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.bands import Band, UnitType
from bng_desktop.core.catalogue import INTERTIDAL_GROUP, StatutoryFacts, resolve_habitat
from bng_desktop.core.errors import InfeasibleQuote
from bng_desktop.core.model import StockLine, TradingRule, net_gain_unit_type
from bng_desktop.core.trading import (
    Deficit,
    is_legal_supply,
    legal_supply_names,
    needs_bespoke_flag,
    refusal,
)
from bng_desktop.io.statutory import load_statutory_facts
from tests.core.engine_builders import (
    ACID,
    BARE_GARDEN,
    BLANKET_BOG,
    BRACKEN,
    BROADLEAVED,
    CALCAREOUS,
    CANALS,
    CEREAL,
    CULVERT,
    DITCHES,
    DUNES,
    HAWTHORN,
    HEATH,
    MARGINS,
    MEADOWS,
    MODIFIED,
    NATIVE_HEDGE,
    NATIVE_WITH_TREES,
    NEUTRAL,
    ORCHARD,
    ORNAMENTAL,
    PAVEMENT,
    PRIORITY,
    RIVERS,
    SCRUB,
    SEALED,
    SPECIES_RICH,
    SR_BANK,
    SR_TREES_BANK,
    SR_WITH_TREES,
    all_habitats,
    habitat,
    prices_for,
    quote,
    snapshot,
)

F = Fraction

DRY_ACID = "Grassland - Lowland dry acid grassland"  # area V.High, Grassland
IGGI = (
    "Intertidal hard structures - Artificial hard structures with integrated greening "
    "of grey infrastructure (IGGI)"
)  # area Medium, Intertidal hard structures
LITTORAL_SAND = "Intertidal sediment - Littoral sand"  # area Medium, Intertidal sediment
LITTORAL_COARSE = "Intertidal sediment - Littoral coarse sediment"  # Medium, Intertidal sediment
ARTIFICIAL_MUD = "Intertidal sediment - Artificial littoral mud"  # Low, Intertidal sediment
ARTIFICIAL_HARD = "Intertidal hard structures - Artificial hard structures"  # Low, hard structures
LITTORAL_MUD = "Intertidal sediment - Littoral mud"  # High, Intertidal sediment

NG_AREA = "Net Gain (area)"
NG_HEDGEROW = "Net Gain (hedgerow)"
NG_WATERCOURSE = "Net Gain (watercourse)"


def deficit(name: str) -> Deficit:
    unit_type = net_gain_unit_type(name)
    if unit_type is not None:
        return Deficit(unit_type)
    found = habitat(name)
    return Deficit(found.unit_type, found)


# --- the statutory facts the table below relies on ---------------------------


@pytest.mark.parametrize(
    ("name", "unit_type", "band", "group"),
    [
        (MODIFIED, UnitType.AREA, Band.LOW, "Grassland"),
        (NEUTRAL, UnitType.AREA, Band.MEDIUM, "Grassland"),
        (CALCAREOUS, UnitType.AREA, Band.HIGH, "Grassland"),
        (MEADOWS, UnitType.AREA, Band.V_HIGH, "Grassland"),
        (SEALED, UnitType.AREA, Band.V_LOW, "Urban"),
        (IGGI, UnitType.AREA, Band.MEDIUM, INTERTIDAL_GROUP),
        (LITTORAL_SAND, UnitType.AREA, Band.MEDIUM, INTERTIDAL_GROUP),
        (SR_TREES_BANK, UnitType.HEDGEROW, Band.V_HIGH, "Hedgerow"),
        (SR_WITH_TREES, UnitType.HEDGEROW, Band.HIGH, "Hedgerow"),
        (SPECIES_RICH, UnitType.HEDGEROW, Band.MEDIUM, "Hedgerow"),
        (NATIVE_HEDGE, UnitType.HEDGEROW, Band.LOW, "Hedgerow"),
        (ORNAMENTAL, UnitType.HEDGEROW, Band.V_LOW, "Hedgerow"),
        (PRIORITY, UnitType.WATERCOURSE, Band.V_HIGH, "Watercourse"),
        (RIVERS, UnitType.WATERCOURSE, Band.HIGH, "Watercourse"),
        (DITCHES, UnitType.WATERCOURSE, Band.MEDIUM, "Watercourse"),
        (CANALS, UnitType.WATERCOURSE, Band.MEDIUM, "Watercourse"),
        (CULVERT, UnitType.WATERCOURSE, Band.LOW, "Watercourse"),
    ],
    ids=lambda v: f"{v.label}" if isinstance(v, Band) else str(v),
)
def test_statutory_habitats_used_here_have_the_expected_band_and_group(
    name, unit_type, band, group
):
    h = habitat(name)
    assert (h.unit_type, h.band, h.trading_broad_habitat) == (unit_type, band, group)


def test_exactly_three_habitats_are_always_irreplaceable():
    irreplaceable = {h.name for h in all_habitats() if h.irreplaceable}
    assert irreplaceable == {DUNES, PAVEMENT, BLANKET_BOG}


# --- the trading table, row by row ------------------------------------------

TABLE = [
    # area V.High: same habitat only
    ("area V.High: same habitat", MEADOWS, MEADOWS, True),
    ("area V.High: other V.High of same group", MEADOWS, DRY_ACID, False),
    ("area V.High: lower band of same group", MEADOWS, CALCAREOUS, False),
    ("area V.High: Low", MEADOWS, MODIFIED, False),
    # area High: like for like
    ("area High: same habitat", CALCAREOUS, CALCAREOUS, True),
    ("area High: other High of same group", CALCAREOUS, ORCHARD, False),
    ("area High: V.High of same group (no trading up)", CALCAREOUS, MEADOWS, False),
    ("area High: High of other group", CALCAREOUS, HEATH, False),
    ("area High: Medium of same group", CALCAREOUS, NEUTRAL, False),
    # area Medium: same trading group at >= Medium, or any higher band
    ("area Medium: same habitat", NEUTRAL, NEUTRAL, True),
    ("area Medium: other Medium of same group", NEUTRAL, ACID, True),
    ("area Medium: High of same group", NEUTRAL, CALCAREOUS, True),
    ("area Medium: V.High of same group", NEUTRAL, MEADOWS, True),
    ("area Medium: High of other group", NEUTRAL, HEATH, True),
    ("area Medium: Medium of other group", NEUTRAL, SCRUB, False),
    ("area Medium: Medium of other group (woodland)", NEUTRAL, BROADLEAVED, False),
    ("area Medium: Low of same group [fix]", NEUTRAL, MODIFIED, False),
    ("area Medium: other Low of same group [fix]", NEUTRAL, BRACKEN, False),
    ("area Medium scrub: Medium of same group", SCRUB, HAWTHORN, True),
    ("area Medium cropland: Low of same group [fix]", MARGINS, CEREAL, False),
    ("area Medium: V.Low", NEUTRAL, SEALED, False),
    # intertidal sediment + hard structures trade as one group at Medium
    ("intertidal: hard structures <- sediment Medium", IGGI, LITTORAL_SAND, True),
    ("intertidal: sediment <- hard structures Medium", LITTORAL_SAND, IGGI, True),
    ("intertidal: hard structures <- sediment coarse", IGGI, LITTORAL_COARSE, True),
    ("intertidal: hard structures <- sediment High", IGGI, LITTORAL_MUD, True),
    ("intertidal: hard structures <- sediment Low [fix]", IGGI, ARTIFICIAL_MUD, False),
    ("intertidal: sediment <- hard structures Low [fix]", LITTORAL_SAND, ARTIFICIAL_HARD, False),
    ("intertidal: grassland Medium not in the group", IGGI, NEUTRAL, False),
    ("intertidal: not a grassland supply", NEUTRAL, LITTORAL_SAND, False),
    # area Low: any area habitat of band >= Low
    ("area Low: same habitat", MODIFIED, MODIFIED, True),
    ("area Low: other Low of same group", MODIFIED, BRACKEN, True),
    ("area Low: Low of other group", MODIFIED, CEREAL, True),
    ("area Low: Medium of other group", MODIFIED, SCRUB, True),
    ("area Low: High", MODIFIED, HEATH, True),
    ("area Low: V.High", MODIFIED, MEADOWS, True),
    ("area Low: V.Low", MODIFIED, SEALED, False),
    ("area Low: irreplaceable", MODIFIED, DUNES, False),
    # area Net Gain: as Low
    ("area Net Gain: Low", NG_AREA, MODIFIED, True),
    ("area Net Gain: Medium", NG_AREA, NEUTRAL, True),
    ("area Net Gain: V.High", NG_AREA, MEADOWS, True),
    ("area Net Gain: V.Low", NG_AREA, SEALED, False),
    ("area Net Gain: V.Low garden", NG_AREA, BARE_GARDEN, False),
    ("area Net Gain: irreplaceable", NG_AREA, PAVEMENT, False),
    # hedgerow V.High: same type
    ("hedgerow V.High: same type", SR_TREES_BANK, SR_TREES_BANK, True),
    ("hedgerow V.High: High", SR_TREES_BANK, SR_WITH_TREES, False),
    # hedgerow High: same type, or a higher band
    ("hedgerow High: same type", SR_WITH_TREES, SR_WITH_TREES, True),
    ("hedgerow High: V.High", SR_WITH_TREES, SR_TREES_BANK, True),
    ("hedgerow High: other High type", SR_WITH_TREES, SR_BANK, False),
    ("hedgerow High: Medium", SR_WITH_TREES, SPECIES_RICH, False),
    # hedgerow Medium / Low / V.Low: band >= the deficit's band
    ("hedgerow Medium: other Medium", SPECIES_RICH, NATIVE_WITH_TREES, True),
    ("hedgerow Medium: High", SPECIES_RICH, SR_BANK, True),
    ("hedgerow Medium: V.High", SPECIES_RICH, SR_TREES_BANK, True),
    ("hedgerow Medium: Low", SPECIES_RICH, NATIVE_HEDGE, False),
    ("hedgerow Low: same type", NATIVE_HEDGE, NATIVE_HEDGE, True),
    ("hedgerow Low: other Low", NATIVE_HEDGE, "Line of trees", True),
    ("hedgerow Low: Medium", NATIVE_HEDGE, SPECIES_RICH, True),
    ("hedgerow Low: V.Low", NATIVE_HEDGE, ORNAMENTAL, False),
    ("hedgerow V.Low: same type", ORNAMENTAL, ORNAMENTAL, True),
    ("hedgerow V.Low: Low", ORNAMENTAL, NATIVE_HEDGE, True),
    ("hedgerow V.Low: V.High", ORNAMENTAL, SR_TREES_BANK, True),
    # hedgerow Net Gain: any
    ("hedgerow Net Gain: V.Low", NG_HEDGEROW, ORNAMENTAL, True),
    ("hedgerow Net Gain: V.High", NG_HEDGEROW, SR_TREES_BANK, True),
    # watercourse V.High / High / Medium: same type
    ("watercourse V.High: same type", PRIORITY, PRIORITY, True),
    ("watercourse V.High: High", PRIORITY, RIVERS, False),
    ("watercourse High: same type", RIVERS, RIVERS, True),
    ("watercourse High: V.High (other type)", RIVERS, PRIORITY, False),
    ("watercourse High: Medium", RIVERS, DITCHES, False),
    ("watercourse Medium ditches: ditches", DITCHES, DITCHES, True),
    ("watercourse Medium ditches: canals never", DITCHES, CANALS, False),
    ("watercourse Medium canals: canals", CANALS, CANALS, True),
    ("watercourse Medium canals: ditches never", CANALS, DITCHES, False),
    ("watercourse Medium ditches: rivers (higher, other type)", DITCHES, RIVERS, False),
    ("watercourse Medium canals: priority (higher, other type)", CANALS, PRIORITY, False),
    # watercourse Low: a higher band
    ("watercourse Low: same type (not higher)", CULVERT, CULVERT, False),
    ("watercourse Low: ditches", CULVERT, DITCHES, True),
    ("watercourse Low: canals", CULVERT, CANALS, True),
    ("watercourse Low: rivers", CULVERT, RIVERS, True),
    ("watercourse Low: priority", CULVERT, PRIORITY, True),
    # watercourse Net Gain: any type
    ("watercourse Net Gain: culvert", NG_WATERCOURSE, CULVERT, True),
    ("watercourse Net Gain: canals", NG_WATERCOURSE, CANALS, True),
    ("watercourse Net Gain: priority", NG_WATERCOURSE, PRIORITY, True),
    # unit types never mix
    ("mix: area Low <- hedgerow", MODIFIED, NATIVE_HEDGE, False),
    ("mix: area Low <- watercourse", MODIFIED, RIVERS, False),
    ("mix: area Net Gain <- hedgerow V.High", NG_AREA, SR_TREES_BANK, False),
    ("mix: hedgerow V.Low <- area V.High", ORNAMENTAL, MEADOWS, False),
    ("mix: hedgerow Net Gain <- area", NG_HEDGEROW, MODIFIED, False),
    ("mix: hedgerow Net Gain <- watercourse", NG_HEDGEROW, CULVERT, False),
    ("mix: watercourse Low <- hedgerow V.High", CULVERT, SR_TREES_BANK, False),
    ("mix: watercourse Net Gain <- area", NG_WATERCOURSE, MODIFIED, False),
    # irreplaceable habitats never supply, even like for like
    ("irreplaceable: dunes never supply dunes", DUNES, DUNES, False),
    ("irreplaceable: pavement never supplies Medium", NEUTRAL, PAVEMENT, False),
    ("irreplaceable: blanket bog never supplies Low", MODIFIED, BLANKET_BOG, False),
]


@pytest.mark.parametrize(
    ("demand", "supply", "legal"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE]
)
def test_trading_table(demand, supply, legal):
    assert is_legal_supply(deficit(demand), habitat(supply)) is legal


@pytest.mark.parametrize(
    ("demand", "supply", "legal"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE]
)
def test_legal_supply_names_agrees_with_the_table(demand, supply, legal):
    names = legal_supply_names(deficit(demand), all_habitats())
    assert (supply in names) is legal


NARROW_ROWS = [
    ("area V.High: only itself", MEADOWS, {MEADOWS}),
    ("area High: only itself", CALCAREOUS, {CALCAREOUS}),
    ("watercourse Medium: only itself", DITCHES, {DITCHES}),
    ("watercourse High: only itself", RIVERS, {RIVERS}),
    ("watercourse V.High: only itself", PRIORITY, {PRIORITY}),
    ("watercourse Low: every higher band", CULVERT, {PRIORITY, RIVERS, DITCHES, CANALS}),
    ("hedgerow V.High: only itself", SR_TREES_BANK, {SR_TREES_BANK}),
    ("hedgerow High: itself and V.High", SR_WITH_TREES, {SR_WITH_TREES, SR_TREES_BANK}),
]


@pytest.mark.parametrize(
    ("demand", "expected"), [row[1:] for row in NARROW_ROWS], ids=[row[0] for row in NARROW_ROWS]
)
def test_whole_legal_set_for_narrow_rows(demand, expected):
    assert legal_supply_names(deficit(demand), all_habitats()) == frozenset(expected)


def test_area_medium_legal_set_is_same_group_medium_up_or_any_higher_band():
    legal = legal_supply_names(deficit(NEUTRAL), all_habitats())
    for h in all_habitats():
        expected = (
            h.unit_type is UnitType.AREA
            and not h.irreplaceable
            and (
                h.band > Band.MEDIUM
                or (h.band is Band.MEDIUM and h.trading_broad_habitat == "Grassland")
            )
        )
        assert (h.name in legal) is expected, h.name


def _rules_md(demand, supply) -> bool:
    """RULES.md's table, written out independently of the engine."""
    if supply.unit_type is not demand.unit_type or supply.irreplaceable:
        return False
    same = supply.name == demand.name
    if demand.unit_type is UnitType.AREA:
        if demand.band in (Band.V_HIGH, Band.HIGH):
            return same
        if demand.band is Band.MEDIUM:
            group = supply.trading_broad_habitat == demand.trading_broad_habitat
            return (group and supply.band >= Band.MEDIUM) or supply.band > Band.MEDIUM
        return demand.band is Band.LOW and supply.band >= Band.LOW
    if demand.unit_type is UnitType.HEDGEROW:
        if demand.band is Band.V_HIGH:
            return same
        if demand.band is Band.HIGH:
            return same or supply.band > Band.HIGH
        return supply.band >= demand.band
    if demand.band >= Band.MEDIUM:
        return same
    return supply.band > demand.band


@pytest.mark.parametrize("unit_type", list(UnitType), ids=[t.value for t in UnitType])
def test_every_pair_of_statutory_habitats_follows_the_table(unit_type):
    habitats = all_habitats()
    demands = [h for h in habitats if h.unit_type is unit_type]
    wrong = [
        (d.name, s.name)
        for d in demands
        for s in habitats
        if is_legal_supply(Deficit(d.unit_type, d), s) is not _rules_md(d, s)
    ]
    assert wrong == []
    assert any(_rules_md(d, s) for d in demands for s in habitats)


@pytest.mark.parametrize(
    ("unit_type", "excluded_band"),
    [(UnitType.AREA, Band.V_LOW), (UnitType.HEDGEROW, None), (UnitType.WATERCOURSE, None)],
    ids=["area: all but V.Low", "hedgerow: all", "watercourse: all"],
)
def test_net_gain_takes_every_replaceable_habitat_of_its_unit_type(unit_type, excluded_band):
    legal = legal_supply_names(Deficit(unit_type), all_habitats())
    expected = {
        h.name
        for h in all_habitats()
        if h.unit_type is unit_type and not h.irreplaceable and h.band is not excluded_band
    }
    assert legal == expected
    assert expected  # not vacuous


# --- refusals and the bespoke flag -------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        (DUNES, "irreplaceable"),
        (PAVEMENT, "irreplaceable"),
        (BLANKET_BOG, "irreplaceable"),
        (SEALED, "v_low"),
        (BARE_GARDEN, "v_low"),
        ("Watercourse footprint - Watercourse footprint", "v_low"),
    ],
    ids=["dunes", "limestone pavement", "blanket bog", "sealed surface", "garden", "footprint"],
)
def test_refused_lines(name, code):
    found = refusal(deficit(name))
    assert found is not None and found.code == code
    if code == "irreplaceable":
        assert "bespoke compensation required" in found.reason
    assert found.action


@pytest.mark.parametrize(
    "name",
    [MEADOWS, CALCAREOUS, NEUTRAL, MODIFIED, ORNAMENTAL, CULVERT, NG_AREA, NG_HEDGEROW],
    ids=["V.High", "High", "Medium", "Low", "hedgerow V.Low", "watercourse Low", "NG", "NG hedge"],
)
def test_not_refused(name):
    assert refusal(deficit(name)) is None


def test_v_low_area_has_no_legal_supply_at_all():
    assert legal_supply_names(deficit(SEALED), all_habitats()) == frozenset()


@pytest.mark.parametrize(
    ("name", "flagged"),
    [
        (MEADOWS, True),
        (DRY_ACID, True),
        (CALCAREOUS, False),
        (NEUTRAL, False),
        (SR_TREES_BANK, False),
        (PRIORITY, False),
        (NG_AREA, False),
    ],
    ids=[
        "area V.High meadows",
        "area V.High dry acid",
        "area High",
        "area Medium",
        "hedgerow V.High",
        "watercourse V.High",
        "Net Gain",
    ],
)
def test_bespoke_flag_only_for_area_v_high(name, flagged):
    assert needs_bespoke_flag(deficit(name)) is flagged


# --- explicit TradingRules ---------------------------------------------------

RULES_NEUTRAL = (TradingRule(NEUTRAL, SCRUB),)
RULES_MIN_BAND = (
    TradingRule(MODIFIED, NEUTRAL, Band.MEDIUM),
    TradingRule(MODIFIED, BRACKEN, Band.MEDIUM),
)


@pytest.mark.parametrize(
    ("demand", "rules", "supply", "legal"),
    [
        (NEUTRAL, RULES_NEUTRAL, SCRUB, True),
        (NEUTRAL, RULES_NEUTRAL, NEUTRAL, False),
        (NEUTRAL, RULES_NEUTRAL, ACID, False),
        (NEUTRAL, RULES_NEUTRAL, MEADOWS, False),
        (MODIFIED, RULES_MIN_BAND, NEUTRAL, True),
        (MODIFIED, RULES_MIN_BAND, BRACKEN, False),
        (MODIFIED, RULES_MIN_BAND, MODIFIED, False),
        (CALCAREOUS, (TradingRule(CALCAREOUS, ORCHARD),), ORCHARD, True),
        (CALCAREOUS, (TradingRule(CALCAREOUS, ORCHARD),), CALCAREOUS, False),
        (CALCAREOUS, (TradingRule(CALCAREOUS, CALCAREOUS),), CALCAREOUS, True),
        (DITCHES, (TradingRule(DITCHES, CANALS),), CANALS, True),
        (DITCHES, (TradingRule(DITCHES, CANALS),), DITCHES, False),
        (NATIVE_HEDGE, (TradingRule(NATIVE_HEDGE, SR_BANK),), SR_BANK, True),
        (NATIVE_HEDGE, (TradingRule(NATIVE_HEDGE, SR_BANK),), SPECIES_RICH, False),
        (MODIFIED, (TradingRule(MODIFIED, DUNES),), DUNES, False),
        (MODIFIED, (TradingRule(MODIFIED, NATIVE_HEDGE),), NATIVE_HEDGE, False),
    ],
    ids=[
        "listed other-group Medium becomes legal",
        "same habitat illegal unless listed",
        "default-legal same-group Medium replaced",
        "default-legal higher band replaced",
        "min band met",
        "min band not met",
        "unlisted same habitat",
        "High: listed other High",
        "High: unlisted itself",
        "High: listed itself",
        "watercourse: listed canals for ditches",
        "watercourse: unlisted ditches",
        "hedgerow: listed High",
        "hedgerow: unlisted Medium",
        "irreplaceable supply never, even listed",
        "wrong unit type never, even listed",
    ],
)
def test_explicit_trading_rules_replace_the_default(demand, rules, supply, legal):
    assert is_legal_supply(deficit(demand), habitat(supply), rules) is legal
    assert (supply in legal_supply_names(deficit(demand), all_habitats(), rules)) is legal


@pytest.mark.parametrize(
    ("net_gain", "supply"),
    [(NG_AREA, MODIFIED), (NG_AREA, NEUTRAL), (NG_HEDGEROW, NATIVE_HEDGE)],
    ids=["area NG: Low", "area NG: Medium", "hedgerow NG: Low"],
)
def test_explicit_rules_do_not_apply_to_net_gain_lines(net_gain, supply):
    rules = (TradingRule(net_gain, SR_TREES_BANK), TradingRule(net_gain, CALCAREOUS))
    assert is_legal_supply(deficit(net_gain), habitat(supply), rules)
    assert supply in legal_supply_names(deficit(net_gain), all_habitats(), rules)


@pytest.mark.parametrize(
    ("demand", "rule_supply", "code"),
    [
        (SEALED, NEUTRAL, "v_low"),
        (DUNES, DUNES, "irreplaceable"),
        (DUNES, MODIFIED, "irreplaceable"),
    ],
    ids=["V.Low area with a rule", "irreplaceable like-for-like rule", "irreplaceable other rule"],
)
def test_refusals_come_before_explicit_rules_in_a_quote(demand, rule_supply, code):
    snap = snapshot(
        stock=[StockLine("L-1", "L", rule_supply, F(10))],
        prices=prices_for("L", rule_supply, 10000),
        trading_rules=[TradingRule(demand, rule_supply)],
    )
    with pytest.raises(InfeasibleQuote) as caught:
        quote(snap, [(demand, 1)])
    (unmet,) = caught.value.lines
    assert (unmet.demand_index, unmet.code) == (0, code)


# --- the same rules inside a quote -------------------------------------------


def _stock_and_prices(*supplies: tuple[str, int]):
    stock = [StockLine(f"L-{n}", "L", name, F(10)) for n, (name, _) in enumerate(supplies)]
    prices = [row for name, price in supplies for row in prices_for("L", name, price)]
    return stock, prices


def test_quote_never_meets_medium_with_a_cheaper_low_of_the_same_group():
    stock, prices = _stock_and_prices((MODIFIED, 1000), (ACID, 20000), (SCRUB, 500))
    q = quote(snapshot(stock=stock, prices=prices), [(NEUTRAL, 1)])
    (line,) = q.lines
    assert line.supply_habitat == ACID
    assert line.price_source == "exact"


def test_quote_never_uses_irreplaceable_stock_even_when_cheapest():
    stock, prices = _stock_and_prices((DUNES, 1), (MODIFIED, 9000))
    (line,) = quote(snapshot(stock=stock, prices=prices), [(MODIFIED, 1)]).lines
    assert line.supply_habitat == MODIFIED


def test_quote_with_explicit_rule_uses_only_the_listed_supply():
    stock, prices = _stock_and_prices((NEUTRAL, 1000), (SCRUB, 20000))
    snap = snapshot(stock=stock, prices=prices, trading_rules=[TradingRule(NEUTRAL, SCRUB)])
    (line,) = quote(snap, [(NEUTRAL, 1)]).lines
    assert line.supply_habitat == SCRUB


def test_explicit_rule_whose_supply_has_no_stock_does_not_fall_back_to_the_default():
    stock, prices = _stock_and_prices((NEUTRAL, 1000))
    snap = snapshot(stock=stock, prices=prices, trading_rules=[TradingRule(NEUTRAL, SCRUB)])
    with pytest.raises(InfeasibleQuote) as caught:
        quote(snap, [(NEUTRAL, 1)])
    assert [u.code for u in caught.value.lines] == ["no_legal_stock"]


def test_quote_refuses_every_refused_line_and_names_each():
    stock, prices = _stock_and_prices((MODIFIED, 1000))
    with pytest.raises(InfeasibleQuote) as caught:
        quote(snapshot(stock=stock, prices=prices), [(MODIFIED, 1), (DUNES, 1), (SEALED, 2)])
    assert [(u.demand_index, u.habitat_name, u.code) for u in caught.value.lines] == [
        (1, DUNES, "irreplaceable"),
        (2, SEALED, "v_low"),
    ]
    message = str(caught.value)
    assert "bespoke compensation required" in message and "nothing to compensate" in message


def test_v_high_area_line_is_quoted_like_for_like_and_flagged():
    stock, prices = _stock_and_prices((MEADOWS, 40000), (DRY_ACID, 100))
    q = quote(snapshot(stock=stock, prices=prices), [(MEADOWS, 1)])
    assert [ln.supply_habitat for ln in q.lines] == [MEADOWS]
    assert any("bespoke compensation is likely" in w for w in q.warnings)


def test_no_bespoke_warning_for_other_lines():
    stock, prices = _stock_and_prices((CALCAREOUS, 30000))
    q = quote(snapshot(stock=stock, prices=prices), [(CALCAREOUS, 1)])
    assert not any("bespoke" in w for w in q.warnings)


# --- where the trading group and the irreplaceable flag come from ------------


@pytest.mark.parametrize(
    ("name", "broad", "column", "expected"),
    [
        (NEUTRAL, "Grassland", "Meadowland", "Meadowland"),
        (NEUTRAL, "Grassland", None, "Grassland"),
        (IGGI, "Intertidal hard structures", None, INTERTIDAL_GROUP),
        ("Made-up habitat", "Intertidal sediment", None, INTERTIDAL_GROUP),
        ("Made-up habitat", "Intertidal hard structures", "", INTERTIDAL_GROUP),
        ("Made-up habitat", "Grassland", None, "Grassland"),
    ],
    ids=[
        "catalogue column wins",
        "statutory list next",
        "statutory intertidal group",
        "unknown sediment: merged group",
        "unknown hard structures: merged group",
        "unknown other: broad habitat",
    ],
)
def test_trading_group_source(name, broad, column, expected):
    resolved = resolve_habitat(
        name, UnitType.AREA, Band.MEDIUM, broad, column, None, load_statutory_facts()
    )
    assert resolved.trading_broad_habitat == expected


@pytest.mark.parametrize(
    ("name", "column", "expected"),
    [
        (DUNES, None, True),
        (PAVEMENT, None, True),
        (BLANKET_BOG, None, True),
        ("Woodland and forest - Lowland mixed deciduous woodland", None, False),
        (NEUTRAL, True, True),
        ("Made-up habitat", None, False),
    ],
    ids=[
        "dunes from the list",
        "pavement from the list",
        "bog from the list",
        "may-be-irreplaceable is not enough",
        "catalogue column says so",
        "unknown habitat",
    ],
)
def test_irreplaceable_source(name, column, expected):
    resolved = resolve_habitat(
        name, UnitType.AREA, Band.HIGH, "Grassland", None, column, load_statutory_facts()
    )
    assert resolved.irreplaceable is expected


@pytest.mark.parametrize(
    ("name", "unit_type", "band"),
    [
        (NATIVE_HEDGE, UnitType.HEDGEROW, Band.LOW),
        (CULVERT, UnitType.WATERCOURSE, Band.LOW),
        (MODIFIED, UnitType.AREA, Band.LOW),
    ],
    ids=["hedgerow", "watercourse", "area"],
)
def test_catalogue_irreplaceable_flag_refuses_any_unit_type(name, unit_type, band):
    flagged = resolve_habitat(name, unit_type, band, "X", None, True, StatutoryFacts())
    assert refusal(Deficit(unit_type, flagged)).code == "irreplaceable"


def test_catalogue_irreplaceable_flag_makes_a_habitat_unusable_as_supply():
    flagged = resolve_habitat(
        NEUTRAL, UnitType.AREA, Band.MEDIUM, "Grassland", None, True, StatutoryFacts()
    )
    assert not is_legal_supply(deficit(MODIFIED), flagged)
    assert refusal(Deficit(UnitType.AREA, flagged)).code == "irreplaceable"
