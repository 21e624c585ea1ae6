"""An infeasible quote in headless Chromium at 1280×800 and 1366×768: the
demand lines it could not meet are marked in the demand editor, each with its
reason and an accessible label, the result header keeps its summary, and a
change to the demand clears the marks. Screenshots saved to test-artifacts/
(quote-unmet-lines-*); nothing wider than the window."""

from __future__ import annotations

import pytest

from bng_desktop.ui.quote_state import QuoteDraft
from bng_desktop.workspace import Workspace
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.chromium import (
    LAPTOP_SIZES,
    SMALLEST,
    centred_shots,
    click,
    headless_chromium,
    needs_chromium,
    overflow,
    viewport,
    wait_for_text,
)

pytestmark = needs_chromium
GRASSLAND = "Grassland - Modified grassland"
NO_STOCK_HERE = "Coastal lagoons - Coastal lagoons"
NOTES = "//*[@role='note' and starts-with(@aria-label, 'Line ')]"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    data = tmp_path_factory.mktemp("unmet-row-screens") / "data"
    with Workspace.open(data) as workspace:
        workspace.ensure_reference()
        workspace.keep_draft(infeasible_demand().to_payload())
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        yield wait_for_app(data, app)


@pytest.fixture(scope="module")
def browser(tmp_path_factory, app_url):
    driver = headless_chromium(tmp_path_factory.mktemp("chromium"))
    driver.get(app_url.entry_url)
    yield driver
    driver.quit()


def infeasible_demand() -> QuoteDraft:
    """Line 1 can be met; line 2 has no legal stock; line 3 asks more than
    all banks hold together."""
    draft = QuoteDraft(lpa="Winchester", nca="South Downs")
    draft.rows[0].habitat = GRASSLAND
    draft.rows[0].type_units("1.2")
    draft.add_row(NO_STOCK_HERE).type_units("1")
    draft.add_row(GRASSLAND).type_units("5000")
    draft.choices.split_lines = True
    return draft


def notes(driver) -> dict[str, str]:
    """The unmet-line notes shown: accessible label → the reason seen."""
    return {
        e.get_attribute("aria-label"): e.find_element("xpath", "./div").text
        for e in driver.find_elements("xpath", NOTES)
        if e.is_displayed()
    }


def test_unmet_lines_are_marked_in_the_demand_editor(app_url, browser):
    viewport(browser, *SMALLEST)
    browser.get(app_url.base_url + "/")
    wait_for_text(browser, "Restored your unsaved quote from")
    click(browser, "//button[contains(., 'Get quote')]")
    wait_for_text(browser, "The demand cannot be met as it stands", timeout=120)
    wait_for_text(browser, "No bank holds legal stock for this habitat at any tier")
    shown = notes(browser)
    assert sorted(label.split(":")[0] for label in shown) == [
        "Line 2 cannot be met",
        "Line 3 cannot be met",
    ]
    assert all(label.endswith(text) for label, text in shown.items())
    marked = browser.find_elements("css selector", ".demand-entry.unmet-line")
    assert len(marked) == 2
    for width, height in centred_shots(
        browser, "//*[contains(@class, 'demand-entry')]", "quote-unmet-lines", LAPTOP_SIZES
    ):
        assert overflow(browser) == [], f"wider than the window at {width}×{height}"

    viewport(browser, *SMALLEST)
    units = browser.find_element("xpath", "//input[@aria-label='Units for line 3']")
    units.send_keys("0")
    wait_for_text(browser, "The demand changed — get a new quote")
    assert notes(browser) == {}
    assert browser.find_elements("css selector", ".demand-entry.unmet-line") == []
