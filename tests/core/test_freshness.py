"""Whether a result still answers the inputs on screen, and what a new draft would lose."""

from __future__ import annotations

from bng_desktop.core.freshness import (
    Freshness,
    InputPart,
    QuoteInputs,
    has_unsaved_work,
    result_state,
)

QUOTED = QuoteInputs(
    site=("Winchester", "South Downs"),
    demand=(("Grassland - Modified grassland", "1.2"),),
    options=(("split_lines", ""),),
)


def test_no_result_is_neither_current_nor_out_of_date():
    state = result_state(None, QUOTED)
    assert state.freshness is Freshness.NO_RESULT
    assert not state.current and not state.out_of_date and state.message() == ""


def test_the_same_inputs_keep_the_result_current():
    same = QuoteInputs(QUOTED.site, QUOTED.demand, QUOTED.options)
    assert result_state(QUOTED, same).current


def test_changed_units_make_the_result_out_of_date_with_the_demand_named():
    edited = QuoteInputs(QUOTED.site, (("Grassland - Modified grassland", "1.5"),), QUOTED.options)
    state = result_state(QUOTED, edited)
    assert state.out_of_date and not state.current
    assert state.changed == (InputPart.DEMAND,)
    assert state.message() == "The demand changed — get a new quote"


def test_every_part_that_changed_is_named_in_page_order():
    edited = QuoteInputs(("Test Valley", "South Downs"), (), (("split_lines", "True"),))
    state = result_state(QUOTED, edited)
    assert state.changed == (InputPart.SITE, InputPart.DEMAND, InputPart.OPTIONS)
    assert state.message() == "The site, demand and options changed — get a new quote"


def test_unsaved_work_is_anything_typed_but_a_saved_current_quote():
    current = result_state(QUOTED, QUOTED)
    stale = result_state(QUOTED, QuoteInputs(("", ""), (), ()))
    assert not has_unsaved_work(typed=False, state=current, saved=False)
    assert has_unsaved_work(typed=True, state=result_state(None, QUOTED), saved=False)
    assert has_unsaved_work(typed=True, state=current, saved=False)
    assert not has_unsaved_work(typed=True, state=current, saved=True)
    assert has_unsaved_work(typed=True, state=stale, saved=True)
