"""The metric preview prices the metric's lines both ways — offsetting on site
as the metric does, and on-site and off-site optimised together — side by
side; the metric's order is the default, the joint answer a choice, and the
quote keeps the mode, its transfers and both totals."""

from __future__ import annotations

import pytest
from nicegui import app
from nicegui.testing import User

from bng_desktop.core.onsite_plan import OnSiteMode
from bng_desktop.ui.pages.quote import CURRENT_DRAFT
from tests.metric.generated import Spec, generate
from tests.shared_data import needs_shared
from tests.ui.conftest import choose
from tests.ui.test_metric_import import upload

pytestmark = [pytest.mark.asyncio, needs_shared]
CONTESTED = Spec(
    "1.0.3", 24, ("--area-deficits", "6", "--area-surpluses", "4", "--trading-met", "no")
)
"""A site whose surplus the metric gives to a loss that is cheaper to buy on
the sample reference data than another it could have covered."""


@pytest.fixture(scope="module")
def contested(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("metrics"), [CONTESTED])[CONTESTED].workbook


def draft(user: User):
    with user.client:
        return app.storage.client[CURRENT_DRAFT]


async def priced_preview(user: User, workbook) -> None:
    await user.open("/")
    choose(user, "lpa", "Winchester")
    choose(user, "nca", "South Downs")
    await upload(user, workbook)
    await user.should_see("Lines to buy", retries=100)
    await user.should_see("optimised together: £", retries=200)


async def test_the_preview_shows_both_totals_and_takes_the_metrics_order_by_default(
    user: User, contested
):
    await priced_preview(user, contested)
    figures = user.find(marker="onsite-figures").elements.pop().text
    assert figures.startswith("Offsetting as the metric does: £") and " less)" in figures
    user.find(marker="metric-replace").click()
    await user.should_see(f"From {contested.name}")
    taken = draft(user)
    assert taken.onsite.mode is OnSiteMode.METRIC_ORDER
    assert taken.onsite.optimised_total < taken.onsite.metric_order_total


async def test_choosing_optimised_together_quotes_the_joint_answer(user: User, contested):
    await priced_preview(user, contested)
    user.find(marker="onsite-mode").elements.pop().value = OnSiteMode.OPTIMISED_TOGETHER.value
    await user.should_see("Lines to buy — optimised together")
    user.find(marker="metric-replace").click()
    await user.should_see(f"From {contested.name}")
    plan = draft(user).onsite_plan
    assert plan.mode is OnSiteMode.OPTIMISED_TOGETHER and plan.transfers
    assert [r.habitat for r in draft(user).rows] == [ln.habitat_name for ln in plan.lines]
    user.find(marker="get-quote").click()
    await user.should_see("Quote ready", retries=150)
    quote = draft(user).result
    onsite = quote.request.onsite
    assert onsite.mode is OnSiteMode.OPTIMISED_TOGETHER
    assert quote.totals.total == onsite.optimised_total < onsite.metric_order_total
    await user.should_see("This quote: optimised together.")


async def test_an_unsaved_draft_keeps_the_chosen_plan(user: User, services, contested):
    """The chosen plan and record survive the draft's payload (the app keeps
    unsaved quotes across restarts)."""
    await priced_preview(user, contested)
    user.find(marker="onsite-mode").elements.pop().value = OnSiteMode.OPTIMISED_TOGETHER.value
    await user.should_see("Lines to buy — optimised together")
    user.find(marker="metric-replace").click()
    await user.should_see(f"From {contested.name}")
    kept = draft(user)
    again = type(kept)()
    again.take_inputs(kept.inputs_payload())
    assert (again.onsite_plan, again.onsite) == (kept.onsite_plan, kept.onsite)
    snapshot = services.snapshot()
    assert again.request(snapshot).onsite == kept.request(snapshot).onsite
    assert again.inputs() == kept.inputs()
