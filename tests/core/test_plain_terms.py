"""Plain labels for the engine's settings and outcomes (Excel Details, on-screen details)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from bng_desktop.core.errors import UnmetLine, UnmetReason
from bng_desktop.core.plain_terms import (
    POLICY_TERMS,
    elapsed_text,
    line_number,
    located_text,
    policy_rows,
    price_source_text,
    promoter_text,
    solver_outcome,
    solver_rows,
    unmet_text,
)
from bng_desktop.core.policy import QUOTES_HOLD, SOLVERS, Policy, Promoter
from bng_desktop.core.result import SolverInfo


def test_every_policy_setting_has_a_plain_label():
    names = {field.name for field in dataclasses.fields(Policy)} - {"promoter"}
    missing = names - set(POLICY_TERMS)
    assert not missing, f"give these settings a plain label in core/plain_terms.py: {missing}"


def test_every_choice_of_every_setting_reads_as_words():
    for hold in QUOTES_HOLD:
        for solver in SOLVERS:
            rows = dict(policy_rows(Policy(quotes_hold=hold, solver=solver)))
            assert rows["Stock on open quotes"] != hold
            assert "_" not in " ".join(str(v) for v in rows.values())


def test_shares_are_percentages_and_money_is_pounds():
    rows = dict(
        policy_rows(Policy(tolerance_rel=Fraction(1, 10000), admin_fee_other=Fraction(650)))
    )
    assert rows["Extra cost accepted to use fewer banks, as a share of the cost"] == "0.01 %"
    assert rows["Planning Discharge Pack, other contracts"] == "£650"


def test_promoters_say_what_discount_they_get():
    assert promoter_text(None) == "none"
    assert promoter_text(Promoter("Arbtech", "percentage", Fraction(5))) == (
        "Arbtech (5 % off every unit price)"
    )
    assert promoter_text(Promoter("Arbtech", "tier_up")) == (
        "Arbtech (priced at the next contract size up)"
    )


def test_outcomes_sources_and_locations_in_words():
    proven = SolverInfo(name="highs", status="optimal", optimal=True, stages=("A",), seconds=0.1)
    timed_out = SolverInfo(
        name="highs", status="feasible", optimal=False, stages=("A",), seconds=20.0
    )
    assert solver_outcome(proven) == "proven cheapest"
    assert "not proven cheapest" in solver_outcome(timed_out)
    assert price_source_text("proxy") == "price list, a comparable habitat"
    assert located_text("postcode", "2026-11-03") == "from the postcode (2026-11-03)"


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0.0, "under 0.1 s"), (0.04, "under 0.1 s"), (0.4, "0.4 s"), (12.3, "12 s")],
)
def test_elapsed_time_never_reads_zero(seconds, said):
    assert elapsed_text(seconds) == said


def test_a_quote_adjusted_by_hand_is_never_called_cheapest():
    proven = SolverInfo(
        name="highs", status="optimal", optimal=True, stages=("solve",), seconds=0.1
    )
    rows = dict(solver_rows(proven, adjusted_by_hand=True))
    assert rows["Optimiser's answer"] == "adjusted by hand — not the optimiser's answer"
    assert dict(solver_rows(proven))["Optimiser's answer"] == "proven cheapest"


def test_an_unmet_line_names_the_lines_it_competes_with_by_their_shown_numbers():
    competing = UnmetLine(
        1,
        "Fen",
        UnmetReason.INSUFFICIENT_STOCK,
        "competes for the same stock as line(s) 3",
        competing=(2,),
    )
    assert unmet_text(competing) == "Not enough stock for this line together with line 3"
    shown = (1, 3, 5)  # a blank line numbered 2 and one numbered 4 are not quoted
    assert unmet_text(competing, shown) == "Not enough stock for this line together with line 5"
    assert line_number(1, shown) == 3 and line_number(1) == 2


def test_a_line_that_cannot_be_met_even_alone_is_not_said_to_compete_with_others():
    """A conflict of one line (the quick capacity check let it pass) has no
    competing lines and no figures: its mark speaks of that line alone."""
    alone = UnmetLine(
        0, "Fen", UnmetReason.INSUFFICIENT_STOCK, "not enough legal stock for it, even on its own"
    )
    assert unmet_text(alone) == "Not enough legal stock for this line"
