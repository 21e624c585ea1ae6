"""A quote the time limit left unproven, on the page: the result says how far
it may be from the cheapest possible, and "Keep looking" runs the same demand
again with a longer time limit."""

from __future__ import annotations

import asyncio

import pytest
from nicegui import app, ui
from nicegui.testing import User

from bng_desktop.core.plain_terms import not_proven_text
from bng_desktop.core.policy import KEEP_LOOKING_FACTOR
from bng_desktop.ui.components.demand import habitat_options
from bng_desktop.ui.pages.quote import CURRENT_DRAFT
from tests.timeouts import DEMAND, shared_stock_workbook, time_up_after_the_first_solve
from tests.ui.conftest import choose

pytestmark = pytest.mark.asyncio


async def fill_in(user: User, services) -> None:
    choose(user, "lpa", "Winchester")
    choose(user, "nca", "South Downs")
    labels = habitat_options(services.snapshot())
    for n, (habitat, units) in enumerate(DEMAND, start=1):
        if n > 1:
            user.find(marker="add-line").click()
        user.find(marker=f"habitat-{n}").click()
        user.find(labels[habitat]).click()
        choose(user, f"units-{n}", float(units))


def shown_quote(user: User):
    with user.client:
        return app.storage.client[CURRENT_DRAFT].result


async def test_a_quote_not_proven_says_so_and_can_keep_looking(
    user: User, services, tmp_path, monkeypatch
):
    services.workspace.import_reference(shared_stock_workbook(tmp_path))
    await user.open("/")
    await fill_in(user, services)
    time_up_after_the_first_solve(monkeypatch)
    user.find(marker="get-quote").click()
    await user.should_see("Quote ready", retries=100)
    first = shown_quote(user)
    assert not first.solver.optimal
    await user.should_see(marker="not-proven")
    await user.should_see(not_proven_text(first.solver))
    summary = user.find(marker="quote-summary").elements.pop()
    said = [
        label.text
        for label in summary.descendants()
        if isinstance(label, ui.label) and "not proven" in label.text.lower()
    ]
    assert said == [not_proven_text(first.solver)], "said once, in the box"
    assert not_proven_text(first.solver).startswith("Not proven cheapest — at most £")
    monkeypatch.undo()  # the time is no longer cut short
    user.find(marker="keep-looking").click()
    again = first
    for _ in range(300):
        await asyncio.sleep(0.1)
        again = shown_quote(user)
        if again is not first:
            break
    await user.should_see("Quote ready")
    assert again.solver.optimal
    limit = first.request.policy.time_limit_seconds * KEEP_LOOKING_FACTOR
    assert again.request.policy.time_limit_seconds == limit
    assert again.request.demand == first.request.demand
    await user.should_not_see(marker="not-proven")
