"""The quote page's draft states in headless Chromium at 1280×800, 1366×768 and
1920×1080, restored from the local store as after a restart: a result out of
date after an edit, and a quote adjusted by hand that leaves demand unmet.
Screenshots saved to test-artifacts/ (quote-out-of-date-*, quote-adjusted-*);
nothing wider than the window at 1280×800."""

from __future__ import annotations

import pytest

from bng_desktop.ui.quote_state import QuoteDraft
from bng_desktop.workspace import Workspace
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.chromium import (
    SIZES,
    SMALLEST,
    headless_chromium,
    needs_chromium,
    overflow,
    shot,
    viewport,
    wait_for_text,
)

pytestmark = needs_chromium
MODIFIED = "Grassland - Modified grassland"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    data = tmp_path_factory.mktemp("draft-screens") / "data"
    with Workspace.open(data) as workspace:
        workspace.ensure_reference()
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        yield wait_for_app(data, app), data


@pytest.fixture(scope="module")
def browser(tmp_path_factory, app_url):
    driver = headless_chromium(tmp_path_factory.mktemp("chromium"))
    driver.get(app_url[0].entry_url)
    yield driver
    driver.quit()


def quoted_draft(workspace: Workspace) -> QuoteDraft:
    draft = QuoteDraft(lpa="Winchester", nca="South Downs", client_name="Acme Homes Ltd")
    draft.rows[0].habitat = MODIFIED
    draft.rows[0].type_units("1.2")
    draft.add_row("Net Gain (area)").type_units("0.8")
    draft.choices.split_lines = workspace.snapshot().default_policy.split_lines  # as its switch
    quoted = draft.inputs_payload()
    draft.set_result(workspace.quote(draft.request(workspace.snapshot())), quoted)
    return draft


def keep(data, change) -> None:
    """Keep a quoted draft, changed by ``change``, as the user's draft."""
    with Workspace.open(data) as workspace:
        draft = quoted_draft(workspace)
        change(draft)
        workspace.keep_draft(draft.to_payload())


def disabled(driver, label: str) -> bool:
    button = driver.find_element("xpath", f"//button[.//*[contains(text(), {label!r})]]")
    return button.get_attribute("disabled") is not None


def test_an_out_of_date_result(app_url, browser):
    session, data = app_url

    def edit(draft: QuoteDraft) -> None:
        draft.rows[0].type_units("1.5")

    keep(data, edit)
    viewport(browser, *SMALLEST)
    browser.get(session.base_url + "/")
    wait_for_text(browser, "Restored your unsaved quote from")
    wait_for_text(browser, "The demand changed — get a new quote")
    assert disabled(browser, "Save to history") and disabled(browser, "Export to Excel")
    assert overflow(browser) == []
    for width, height in SIZES:
        viewport(browser, width, height)
        shot(browser, "quote-out-of-date", width, height)


def test_a_quote_adjusted_by_hand(app_url, browser):
    session, data = app_url

    def remove_first(draft: QuoteDraft) -> None:
        first = next(ln for ln in draft.result.lines if ln.demand_index == 0)
        draft.remove_result_line(first.line_id)

    keep(data, remove_first)
    viewport(browser, *SMALLEST)
    browser.get(session.base_url + "/")
    wait_for_text(browser, "Adjusted by hand — not the optimiser's answer")
    wait_for_text(browser, f"Line 1 ({MODIFIED}): 1.20 of 1.20 units not met")
    assert "proven cheapest" not in browser.find_element("tag name", "body").text
    assert overflow(browser) == []
    for width, height in SIZES:
        viewport(browser, width, height)
        shot(browser, "quote-adjusted", width, height)
