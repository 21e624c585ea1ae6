"""The metric preview with both on-site totals side by side, and the quote made
with the joint answer, as a person sees them in Chromium; saved to
test-artifacts/ at 1280×800 and 1366×768 (onsite-preview-*, onsite-chosen-*,
onsite-quote-*, onsite-history-saved-*, onsite-requote-dearer-*)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from bng_desktop.core.model import Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.workspace import Workspace
from tests.metric.generated import generate
from tests.shared_data import GEN_METRIC
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.chromium import (
    CHROMEDRIVER,
    CHROMIUM,
    LAPTOP_SIZES,
    click,
    overflow,
    pick,
    shots_centred,
    viewport,
    wait_for_text,
)
from tests.ui.test_onsite_choice import CONTESTED

pytestmark = pytest.mark.skipif(
    not (CHROMEDRIVER and CHROMIUM and GEN_METRIC.is_file()),
    reason="Chromium, chromedriver or the shared metric generator is missing",
)
SIZES = LAPTOP_SIZES


def test_both_totals_in_the_preview_and_the_joint_quote(browser, tmp_path):
    workbook = generate(tmp_path / "metric", [CONTESTED])[CONTESTED].workbook
    data = tmp_path / "data"
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        browser.get(wait_for_app(data, app).entry_url)
        viewport(browser, *SIZES[0])
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        wait = WebDriverWait(browser, 30)
        pick(browser, wait, "Local planning authority", "Winchest", "Winchester")
        pick(browser, wait, "National Character Area", "South Do", "South Downs")
        click(browser, "//button[.//*[contains(text(),'Import metric')]]")
        chooser = wait.until(ec.presence_of_element_located((By.XPATH, "//input[@type='file']")))
        chooser.send_keys(str(workbook))
        wait_for_text(browser, "optimised together: £", timeout=90)
        figures = "//*[starts-with(text(),'Offsetting as the metric does')]"
        text = browser.find_element("xpath", figures).text
        assert " less)" in text
        shots_centred(browser, figures, "onsite-preview")
        click(browser, "//div[@role='radio'][.//*[text()='Optimised together']]")
        wait_for_text(browser, "Lines to buy — optimised together")
        shots_centred(
            browser, "//*[contains(text(),'Lines to buy — optimised together')]", "onsite-chosen"
        )
        assert overflow(browser) == []
        click(browser, "//button[.//*[contains(text(),'Replace the demand')]]")
        click(browser, "//button[.//*[contains(text(),'Get quote')]]")
        wait_for_text(browser, "This quote: optimised together.", timeout=90)
        shots_centred(
            browser, "//*[contains(text(),'This quote: optimised together.')]", "onsite-quote"
        )
        assert overflow(browser) == []


def saved_joint_quote(data, workbook) -> str:
    """A quote of the metric's lines optimised together on site and off, saved."""
    with Workspace.open(data) as workspace:
        workspace.ensure_reference()
        imported = workspace.import_metric(workbook)
        request = QuoteRequest(
            Site(lpa="Winchester", nca="South Downs"), (), workspace.snapshot().default_policy
        )
        joint = workspace.compare_onsite(request, imported).optimised.quote
        return workspace.save_quote(joint, client_name="Acme Homes Ltd").reference


def test_a_re_quoted_joint_quote_still_says_how_on_site_was_handled(browser, tmp_path):
    workbook = generate(tmp_path / "metric", [CONTESTED])[CONTESTED].workbook
    data = tmp_path / "data"
    reference = saved_joint_quote(data, workbook)
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        session = wait_for_app(data, app)
        browser.get(session.entry_url)
        viewport(browser, *SIZES[0])
        browser.get(session.base_url + "/history")
        click(browser, f"//button[@aria-label='Re-quote {reference}']")
        wait_for_text(browser, f"From {workbook.name}")
        shots_centred(
            browser, f"//*[contains(text(),'From {workbook.name}')]", "onsite-requote-draft"
        )
        assert overflow(browser) == []
        click(browser, "//button[.//*[contains(text(),'Get quote')]]")
        wait_for_text(browser, "This quote: optimised together.", timeout=90)
        shots_centred(
            browser, "//*[contains(text(),'This quote: optimised together.')]", "onsite-requote"
        )
        assert overflow(browser) == []


def dearer_version(data) -> None:
    """The reference data again with every price a tenth dearer, made current."""
    with Workspace.open(data) as workspace:
        current = workspace.snapshot().data
        prices = tuple(
            dataclasses.replace(row, price=row.price * Fraction(11, 10)) for row in current.prices
        )
        workspace.references.import_data(dataclasses.replace(current, prices=prices), "dearer")


def test_a_joint_quote_re_quoted_on_dearer_prices_gives_its_new_total_alone(browser, tmp_path):
    workbook = generate(tmp_path / "metric", [CONTESTED])[CONTESTED].workbook
    data = tmp_path / "data"
    reference = saved_joint_quote(data, workbook)
    dearer_version(data)
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        session = wait_for_app(data, app)
        browser.get(session.entry_url)
        viewport(browser, *SIZES[0])
        browser.get(session.base_url + "/history")
        click(browser, f"//button[@aria-label='Open {reference}']")
        wait_for_text(browser, "This quote: optimised together.")
        both_ways = "//*[starts-with(text(),'Offsetting as the metric does')]"
        shots_centred(browser, both_ways, "onsite-history-saved")
        assert overflow(browser) == []
        browser.get(session.base_url + "/history")
        click(browser, f"//button[@aria-label='Re-quote {reference}']")
        wait_for_text(browser, f"From {workbook.name}")
        click(browser, "//button[.//*[contains(text(),'Get quote')]]")
        wait_for_text(browser, "priced again for this quote", timeout=90)
        repriced = "//*[starts-with(text(),'Optimised together: £')]"
        shots_centred(browser, repriced, "onsite-requote-dearer")
        assert overflow(browser) == []
