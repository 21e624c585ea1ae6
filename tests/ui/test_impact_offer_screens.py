"""The offer after an import, in headless Chromium at 1280×800: screenshot
saved to test-artifacts/, nothing wider than the window, and its button
opening the comparison for the new version."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import openpyxl

from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.workspace import Workspace
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.chromium import (
    SMALLEST,
    UNNAMED_BUTTONS_JS,
    choose_first_file,
    click,
    headless_chromium,
    needs_chromium,
    overflow,
    shot,
    viewport,
    wait_for_text,
)
from tests.ui.test_impact_offer import dearer_prices

pytestmark = needs_chromium
MEADOW = "Grassland - Other neutral grassland"


def _open_quotes_and_a_dearer_workbook(data_dir: Path, folder: Path) -> Path:
    with Workspace.open(data_dir) as workspace:
        workspace.ensure_reference()
        site = Site(lpa="Winchester", nca="South Downs", label="Land at Bushfield Camp")
        for client, units in (("Acme Homes Ltd", "1.5"), ("Brook Estates", "0.8")):
            request = QuoteRequest(site, (DemandLine(MEADOW, Fraction(units)),))
            workspace.save_quote(workspace.quote(request), client_name=client)
        path = workspace.export_reference(folder / "backend-dearer.xlsx")
    book = openpyxl.load_workbook(path)
    dearer_prices(book)
    book.save(path)
    return path


def test_the_offer_after_an_import_and_following_it(tmp_path):
    data = tmp_path / "data"
    workbook = _open_quotes_and_a_dearer_workbook(data, tmp_path)
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        session = wait_for_app(data, app)
        browser = headless_chromium(tmp_path / "chromium")
        try:
            browser.get(session.entry_url)
            viewport(browser, *SMALLEST)
            browser.get(session.base_url + "/reference")
            wait_for_text(browser, "Choose a workbook")
            choose_first_file(browser, workbook)
            wait_for_text(browser, "See what it does to 2 open quotes", timeout=120)
            shot(browser, "impact-offer", *SMALLEST)
            assert overflow(browser) == []
            assert browser.execute_script(UNNAMED_BUTTONS_JS) == []
            click(browser, "//button[contains(., 'See what it does to open quotes')]")
            wait_for_text(browser, "2 open quotes: 2 dearer", timeout=60)
            shot(browser, "impact-offer-followed", *SMALLEST)
        finally:
            browser.quit()
