"""The metric preview prices the metric's lines both ways — offsetting on site
as the metric does, and on-site and off-site optimised together — side by
side; the metric's order is the default, the joint answer a choice, and the
quote keeps the mode, its transfers and both totals."""

from __future__ import annotations

import openpyxl
import pytest
from nicegui import app
from nicegui.testing import User

from bng_desktop.core.model import Site
from bng_desktop.core.onsite_plan import OnSiteMode
from bng_desktop.core.result import QuoteRequest
from bng_desktop.ui.pages.quote import CURRENT_DRAFT
from bng_desktop.ui.quote_state import QuoteDraft
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


def details_sheet(path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path, read_only=True)["Details"]
    return [row[:2] for row in sheet.iter_rows(values_only=True) if row and row[0]]


async def test_re_quoting_a_saved_joint_quote_keeps_its_metric_record(
    user: User, services, contested, tmp_path
):
    """History → Re-quote → Get quote → Save: the new revision still records
    the metric, the on-site mode and its transfers, in the store and the Excel."""
    imported = services.workspace.import_metric(contested)
    site = Site(lpa="Winchester", nca="South Downs")
    request = QuoteRequest(site, (), services.snapshot().default_policy)
    joint = services.workspace.compare_onsite(request, imported).optimised.quote
    assert joint.request.onsite.mode is OnSiteMode.OPTIMISED_TOGETHER
    reference = services.save(joint, "Acme Homes Ltd").reference
    await user.open("/history")
    user.find(marker=f"re-quote-{reference}").click()
    await user.should_see(f"Re-quoting {reference}")
    await user.should_see(f"From {contested.name}")
    user.find(marker="get-quote").click()
    await user.should_see("Quote ready", retries=150)
    user.find(marker="save").click()
    await user.should_see(f"{reference}.1", retries=50)
    revision = services.workspace.quotes.get(f"{reference}.1").quote
    assert revision.request.metric == joint.request.metric
    assert revision.request.onsite == joint.request.onsite
    assert revision.request.eligible_surplus == joint.request.eligible_surplus
    assert revision.totals.total == joint.totals.total
    written = services.workspace.export_quote(f"{reference}.1", tmp_path / "revision.xlsx")
    rows = details_sheet(written.path)
    assert ("On-site offsetting", OnSiteMode.OPTIMISED_TOGETHER.value) in rows
    transfers = [value for label, value in rows if label == "On-site transfer"]
    assert len(transfers) == len(joint.request.onsite.transfers) > 0


async def test_a_re_quote_draft_keeps_the_metric_record_across_restarts(services, contested):
    """The draft History makes asks for the saved request again, metric record
    and all, and still does once kept and read back; forgetting the metric
    drops it."""
    imported = services.workspace.import_metric(contested)
    site = Site(lpa="Winchester", nca="South Downs")
    request = QuoteRequest(site, (), services.snapshot().default_policy)
    joint = services.workspace.compare_onsite(request, imported).optimised.quote
    snapshot = services.snapshot()
    made = QuoteDraft.from_quote(joint, based_on="BNG-A-00001")
    again = QuoteDraft.from_payload(made.to_payload())
    for draft in (made, again):
        asked = draft.request(snapshot)
        assert (asked.metric, asked.onsite) == (joint.request.metric, joint.request.onsite)
        assert asked.eligible_surplus == joint.request.eligible_surplus
        assert asked.demand == joint.request.demand
    assert again.inputs() == made.inputs()
    again.forget_metric()
    assert again.request(snapshot).metric is None and again.inputs() != made.inputs()
