"""The diagnosis's deletion filter, tested in blocks, keeps exactly the lines
the one-at-a-time filter keeps, for any monotone feasibility (a demand
infeasible once it holds all the lines of one of its conflicts); a conflict's
reason names the other lines by the numbers it is given."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bng_desktop.core.diagnose import deletion_filter, unmet_reason
from bng_desktop.core.errors import UnmetLine, UnmetReason

conflicts = st.lists(st.frozensets(st.integers(0, 30), min_size=1, max_size=6), max_size=5)


def one_at_a_time(order: list[int], infeasible) -> set[int]:
    conflict = set(order)
    for index in order:
        trial = conflict - {index}
        if trial and infeasible(trial):
            conflict = trial
    return conflict


@given(lines=st.integers(1, 31), conflicts=conflicts, shuffled=st.randoms())
def test_blocks_keep_what_the_filter_keeps(lines, conflicts, shuffled):
    order = list(range(lines))
    shuffled.shuffle(order)
    within = [c for c in conflicts if c <= set(order)]

    def infeasible(trial: set[int]) -> bool:
        return any(c <= trial for c in within)

    assert deletion_filter(order, infeasible) == one_at_a_time(order, infeasible)


def test_a_small_conflict_among_many_lines_takes_fewer_tests():
    tests = []

    def infeasible(trial: set[int]) -> bool:
        tests.append(trial)
        return {70, 90, 95} <= trial

    assert deletion_filter(list(range(100)), infeasible) == {70, 90, 95}
    assert len(tests) < 40


SHOWN = (1, 3, 5)
"""Three demand lines as an editor numbers them with blank lines 2 and 4 between."""


def test_a_bank_cap_conflict_names_the_other_lines_by_the_numbers_given():
    capped = UnmetLine(
        0,
        "Fen",
        UnmetReason.BANK_CAP,
        "together with line(s) 2, 3 it needs more than 1 bank(s)",
        bank_cap=1,
        competing=(1, 2),
    )
    assert unmet_reason(capped) == capped.reason
    assert unmet_reason(capped, SHOWN) == "together with line(s) 3, 5 it needs more than 1 bank(s)"


def test_a_stock_conflict_names_the_other_lines_by_the_numbers_given():
    short = UnmetLine(
        2,
        "Fen",
        UnmetReason.INSUFFICIENT_STOCK,
        "competes for the same stock as line(s) 2; there is not enough for all",
        competing=(1,),
    )
    assert unmet_reason(short) == short.reason
    assert unmet_reason(short, SHOWN) == (
        "competes for the same stock as line(s) 3; there is not enough for all"
    )


def test_a_reason_naming_no_other_line_is_the_diagnosis_own():
    alone = UnmetLine(1, "Fen", UnmetReason.NO_LEGAL_STOCK, "no bank holds legal stock")
    assert unmet_reason(alone, SHOWN) == "no bank holds legal stock"
