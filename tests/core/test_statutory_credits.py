"""Statutory credits: the tier of each kind of unit, and the price of a demand
as credits, against hand-worked figures."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.bands import UnitType
from bng_desktop.core.statutory_credits import (
    CreditTier,
    DeficitUnits,
    describe,
    statutory_credits,
)
from bng_desktop.io.statutory import load_credit_schedule, load_statutory_facts

SCHEDULE = load_credit_schedule()
FACTS = load_statutory_facts()


def habitat(name: str):
    found = FACTS.habitat(name)
    assert found is not None, name
    return found


@pytest.mark.parametrize(
    ("name", "tier"),
    [
        ("Woodland and forest - Lowland mixed deciduous woodland", CreditTier.A4),
        ("Grassland - Traditional orchards", CreditTier.A1),
        ("Lakes - Peat lakes", CreditTier.A5),
        ("Grassland - Lowland calcareous grassland", CreditTier.A2),
        ("Grassland - Other neutral grassland", CreditTier.A1),
        ("Woodland and forest - Other woodland; broadleaved", CreditTier.A2),
        ("Grassland - Modified grassland", CreditTier.A1),
        ("Urban - Developed land; sealed surface", CreditTier.A1),
        ("Native hedgerow", CreditTier.H),
        ("Other rivers and streams", CreditTier.W),
    ],
)
def test_a_habitat_of_each_band_and_unit_type_falls_in_its_tier(name, tier) -> None:
    assert SCHEDULE.tier_for(habitat(name)) is tier


def test_every_bundled_habitat_has_a_tier() -> None:
    untiered = [h.name for h in FACTS.habitats.values() if SCHEDULE.tier_for(h) is None]
    assert untiered == []


def test_intertidal_hard_structures_trade_at_intertidal_sediments_tier() -> None:
    medium = [
        h
        for h in FACTS.habitats.values()
        if h.broad_habitat == "Intertidal hard structures" and h.band.label == "Medium"
    ]
    assert medium, "the catalogue has Medium intertidal hard structures"
    assert {SCHEDULE.tier_for(h) for h in medium} == {CreditTier.A2}


def test_net_gain_lines_count_at_their_unit_types_cheapest_tier() -> None:
    assert SCHEDULE.net_gain_tier(UnitType.AREA) is CreditTier.A1
    assert SCHEDULE.net_gain_tier(UnitType.HEDGEROW) is CreditTier.H
    assert SCHEDULE.net_gain_tier(UnitType.WATERCOURSE) is CreditTier.W


def line(name: str, units: str) -> DeficitUnits:
    found = habitat(name)
    return DeficitUnits(label=name, unit_type=found.unit_type, habitat=found, units=Fraction(units))


def test_a_demand_priced_as_credits_matches_the_hand_worked_figures() -> None:
    # 1.5 A4 units → 3 credits × £125,000 = £375,000
    # 0.25 + 0.5 A1 units (Low and Net Gain area) → 1.5 credits × £42,000 = £63,000
    # 0.3 hedgerow units → 0.6 credits × £44,000 = £26,400
    demand = [
        line("Woodland and forest - Lowland mixed deciduous woodland", "1.5"),
        line("Grassland - Modified grassland", "0.25"),
        DeficitUnits(
            label="Net Gain (area)", unit_type=UnitType.AREA, habitat=None, units=Fraction("0.5")
        ),
        line("Native hedgerow", "0.3"),
    ]
    credits = statutory_credits(demand, SCHEDULE)
    by_tier = {tier.tier: tier for tier in credits.tiers}
    assert list(by_tier) == [CreditTier.A1, CreditTier.A4, CreditTier.H]
    assert by_tier[CreditTier.A1].credits == Fraction("1.5")
    assert by_tier[CreditTier.A1].cost == 63_000
    assert by_tier[CreditTier.A4].cost == 375_000
    assert by_tier[CreditTier.H].cost == Fraction(26_400)
    assert credits.total == 464_400
    assert credits.credits == Fraction("5.1")
    assert credits.prices_date == "2023-07-27"
    assert credits.unpriced == ()


def test_the_consultants_line_states_the_saving_or_the_only_route() -> None:
    credits = statutory_credits([line("Grassland - Modified grassland", "1")], SCHEDULE)
    assert describe(credits, 30_000) == (
        "Statutory credits for the same demand: £84,000 + VAT (prices of 27 July 2023) — "
        "this quote is £54,000 less."
    )
    assert describe(credits, None) == (
        "The only route left: statutory credits at £84,000 + VAT (prices of 27 July 2023)."
    )


def test_a_line_without_a_price_is_named_and_left_out_of_the_total() -> None:
    no_a4 = type(SCHEDULE)(
        rules=SCHEDULE.rules,
        prices={t: p for t, p in SCHEDULE.prices.items() if t is not CreditTier.A4},
        prices_date=SCHEDULE.prices_date,
    )
    woodland = "Woodland and forest - Lowland mixed deciduous woodland"
    credits = statutory_credits(
        [line(woodland, "1"), line("Grassland - Modified grassland", "1")], no_a4
    )
    assert credits.unpriced == (woodland,)
    assert credits.total == 84_000
