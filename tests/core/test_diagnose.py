"""The diagnosis's deletion filter, tested in blocks, keeps exactly the lines
the one-at-a-time filter keeps, for any monotone feasibility (a demand
infeasible once it holds all the lines of one of its conflicts)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bng_desktop.core.diagnose import deletion_filter

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
