"""Import metric… on the quote page: upload, preview, accept, quote with SUO;
and a refused file that leaves the demand as it was."""

from __future__ import annotations

import pytest
from nicegui import app, ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from bng_desktop.ui.pages.quote import CURRENT_DRAFT
from tests.metric.generated import Spec, generate
from tests.shared_data import needs_shared
from tests.ui.conftest import choose

pytestmark = [pytest.mark.asyncio, needs_shared]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("metrics")
    specs = [
        Spec("1.0.3", 2, ("--area-surpluses", "5", "--trading-met", "no")),
        Spec("not-a-metric", 2),
    ]
    return generate(folder, specs)


def draft(user: User):
    with user.client:
        return app.storage.client[CURRENT_DRAFT]


async def upload(user: User, path) -> None:
    user.find(marker="import-metric").click()
    await user.should_see(marker="metric-file")
    element = next(e for e in user.find(ui.upload).elements if "metric-file" in e._markers)
    await element.handle_uploads([SmallFileUpload(path.name, XLSX, path.read_bytes())])


async def test_a_metric_becomes_the_demand_and_its_surplus_the_suo(user: User, workbooks):
    good = next(g for g in workbooks.values() if g.spec.variant == "1.0.3")
    await user.open("/")
    choose(user, "lpa", "Winchester")
    choose(user, "nca", "South Downs")
    await upload(user, good.workbook)
    await user.should_see("Lines to buy", retries=100)
    expected = [line["habitat_name"] for line in good.expected["demand_lines"]]
    assert expected, "the generated site should leave something to buy"
    user.find(marker="metric-replace").click()
    await user.should_see(f"From {good.workbook.name}")
    assert [r.habitat for r in draft(user).rows] == expected
    user.find(marker="get-quote").click()
    await user.should_see("Quote ready", retries=150)
    quote = draft(user).result
    assert quote.request.metric.sha256 == draft(user).metric.source.sha256
    assert draft(user).metric.eligible_surplus > 0
    assert quote.suo is not None and quote.totals.suo_discount > 0
    await user.should_see("SUO")
    await user.should_see(f"Demand from the metric {good.workbook.name}")


async def test_a_refused_workbook_changes_nothing(user: User, workbooks):
    bad = next(g for g in workbooks.values() if g.spec.variant == "not-a-metric")
    await user.open("/")
    choose(user, "habitat-1", "Grassland - Modified grassland")
    choose(user, "units-1", 1.5)
    await upload(user, bad.workbook)
    await user.should_see("This workbook was not imported", retries=100)
    assert [(r.habitat, r.units) for r in draft(user).rows] == [
        ("Grassland - Modified grassland", 1.5)
    ]
    assert draft(user).metric is None
