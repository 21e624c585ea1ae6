"""What an adjusted quote no longer meets: a removed line leaves its demand
line short, a manual line for the same habitat makes it up, and a quote
adjusted by hand says so."""

from __future__ import annotations

from fractions import Fraction

from bng_desktop.core.adjust import ManualEntry, add_manual_line, remove_line, shortfalls
from bng_desktop.core.bands import UnitType
from bng_desktop.core.model import StockLine
from tests.core.engine_builders import ACID, MODIFIED, NEUTRAL, SCRUB, prices_for, quote, snapshot

F = Fraction

SNAP = snapshot(
    stock=[StockLine("L-1", "L", NEUTRAL, F(100)), StockLine("L-2", "L", ACID, F(100))],
    prices=prices_for("L", NEUTRAL, 20000) + prices_for("L", ACID, 30000),
)


def optimised(units: str = "1.2"):
    return quote(SNAP, [(MODIFIED, units)])


def test_the_optimisers_answer_meets_all_and_is_not_adjusted():
    answer = optimised()
    assert shortfalls(answer) == ()
    assert not answer.adjusted_by_hand


def test_a_removed_line_leaves_its_demand_line_short_by_its_units():
    answer = optimised("1.2")
    (line,) = answer.lines
    adjusted = remove_line(answer, line.line_id)
    assert adjusted.adjusted_by_hand
    (short,) = shortfalls(adjusted)
    assert (short.demand_index, short.habitat_name) == (0, MODIFIED)
    assert short.missing == F(6, 5)
    assert short.text() == f"Line 1 ({MODIFIED}): 1.20 of 1.20 units not met"


def test_a_manual_line_for_the_habitat_lost_makes_up_the_units():
    answer = optimised("1.2")
    adjusted = remove_line(answer, answer.lines[0].line_id)
    part = ManualEntry(UnitType.AREA, MODIFIED, SCRUB, F(1, 2), F(10000))
    partly = add_manual_line(adjusted, part)
    (short,) = shortfalls(partly)
    assert short.missing == F(7, 10)
    whole = add_manual_line(partly, ManualEntry(UnitType.AREA, MODIFIED, SCRUB, F(1), F(1)))
    assert shortfalls(whole) == ()


def test_a_manual_line_for_another_habitat_meets_nothing_of_the_demand():
    answer = optimised("1.2")
    adjusted = remove_line(answer, answer.lines[0].line_id)
    other = add_manual_line(adjusted, ManualEntry(UnitType.AREA, NEUTRAL, SCRUB, F(5), F(1)))
    assert [s.missing for s in shortfalls(other)] == [F(6, 5)]
    assert add_manual_line(
        answer, ManualEntry(UnitType.AREA, NEUTRAL, SCRUB, F(5), F(1))
    ).adjusted_by_hand
