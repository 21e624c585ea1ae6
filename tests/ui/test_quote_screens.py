"""The quote page in headless Chromium at 1280×800, 1366×768 and 1920×1080: a
filled 25-line demand and its 25-line result, screenshots saved to
test-artifacts/, nothing wider than the window, the result in view when it
arrives, and the keyboard (Enter, Tab, focus after adding a line)."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import pytest

from bng_desktop.core.demand import line_problem
from bng_desktop.core.errors import BngError
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.workspace import Workspace
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.chromium import (
    SIZES,
    SMALLEST,
    UNNAMED_BUTTONS_JS,
    click,
    headless_chromium,
    needs_chromium,
    overflow,
    shot,
    viewport,
    wait_for_text,
)

pytestmark = needs_chromium
LINES = 25
SITE = Site(lpa="Winchester", nca="South Downs", label="Land at Bushfield Camp")
IN_VIEW_JS = """
const box = arguments[0].getBoundingClientRect();
return box.top >= 0 && box.top < window.innerHeight && box.bottom > 0;
"""
FOCUSED_LABEL_JS = """
const field = document.activeElement && document.activeElement.closest('.q-field');
return field ? (field.querySelector('.q-field__label') || {}).innerText || '' : '';
"""


def _one_bank_habitats(workspace: Workspace) -> list[str]:
    """Habitats that one bank supplies on its own here, so that many lines
    fit the default bank cap."""
    snapshot = workspace.snapshot()
    by_bank: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name in sorted(snapshot.habitats):
        if line_problem(name, 1, snapshot) is not None:
            continue
        try:
            quote = workspace.quote(QuoteRequest(SITE, (DemandLine(name, Fraction("0.05")),)))
        except BngError:
            continue
        by_bank[tuple(quote.banks_used)].append(name)
    return max(by_bank.values(), key=len)


def _a_25_line_quote(data_dir) -> str:
    with Workspace.open(data_dir) as workspace:
        workspace.ensure_reference()
        names = _one_bank_habitats(workspace)
        demand = tuple(
            DemandLine(names[n % len(names)], Fraction(f"0.{1000 + 37 * n}")) for n in range(LINES)
        )
        quote = workspace.quote(QuoteRequest(SITE, demand))
        return workspace.save_quote(quote, client_name="Acme Homes Ltd").reference


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    data = tmp_path_factory.mktemp("quote-screens") / "data"
    reference = _a_25_line_quote(data)
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        yield wait_for_app(data, app), reference


@pytest.fixture(scope="module")
def browser(tmp_path_factory, app_url):
    driver = headless_chromium(tmp_path_factory.mktemp("chromium"))
    driver.get(app_url[0].entry_url)
    yield driver
    driver.quit()


def _field(driver, label: str):
    """The input of the field labelled ``label`` (aria-label or visible label)."""
    return driver.find_element(
        "xpath",
        f"//label[.//*[normalize-space(text())={label!r}]]//input | //input[@aria-label={label!r}]",
    )


def test_a_25_line_demand_and_result_fit_and_stay_in_view(app_url, browser):
    session, reference = app_url
    viewport(browser, *SMALLEST)
    browser.get(session.base_url + "/history")
    click(browser, f"//button[@aria-label='Re-quote {reference}']")
    wait_for_text(browser, f"Re-quoting {reference}")
    wait_for_text(browser, "Ready: get a quote.")
    for width, height in SIZES:
        viewport(browser, width, height)
        browser.execute_script("window.scrollTo(0, 0)")
        shot(browser, "quote-demand-filled", width, height)
    viewport(browser, *SMALLEST)
    assert overflow(browser) == []
    units = [
        e.get_attribute("value")
        for e in browser.find_elements(
            "xpath", "//input[starts-with(@aria-label, 'Units for line')]"
        )
    ]
    assert len(units) == LINES and units[1] == "0.1037"

    click(browser, "//button[contains(., 'Get quote')]")
    wait_for_text(browser, "+ VAT")
    total = browser.find_element("xpath", "//*[contains(text(), '+ VAT')]")
    assert browser.execute_script(IN_VIEW_JS, total), "the quote arrived out of sight"
    rows = browser.find_elements(
        "xpath", "//table//tr[.//button[starts-with(@aria-label, 'Remove line')]]"
    )
    assert len(rows) == LINES
    wait_for_text(browser, "Statutory credits for the same demand")
    _wait(browser, lambda: _rules_costed(browser), timeout=180)
    for width, height in SIZES:
        viewport(browser, width, height)
        browser.execute_script("window.scrollTo(0, 0)")
        shot(browser, "quote-25-line-result", width, height)
        assert overflow(browser) == [], f"wider than the window at {width}×{height}"
    viewport(browser, *SMALLEST)
    assert browser.execute_script(UNNAMED_BUTTONS_JS) == [], "icon buttons need a name"
    click(
        browser, "//div[contains(@class, 'q-expansion-item')]//*[normalize-space(text())='Details']"
    )
    wait_for_text(browser, "Optimiser's answer")
    browser.execute_script(
        "document.querySelector('.quote-result').scrollTop = 1e6; window.scrollTo(0, 0)"
    )
    shot(browser, "quote-details-open", *SMALLEST)
    assert overflow(browser) == []


def test_the_keyboard_fills_the_demand(app_url, browser):
    from selenium.webdriver.common.keys import Keys

    session, _ = app_url
    viewport(browser, *SMALLEST)
    browser.get(session.base_url + "/")
    wait_for_text(browser, "2. Demand")
    for discard in browser.find_elements("xpath", "//button[contains(., 'Discard')]"):
        discard.click()  # the draft an earlier test left, restored: start afresh
    wait_for_text(browser, "The quote appears here.")
    habitat = _field(browser, "Habitat for line 1")
    habitat.click()
    habitat.send_keys("modified grass")
    habitat.send_keys(Keys.ENTER)
    wait_for_text(browser, "Grassland - Modified grassland")
    _wait(browser, lambda: _inside(browser, browser.switch_to.active_element, "Units for line 1"))
    browser.switch_to.active_element.send_keys("1.5", Keys.ENTER)
    wait_for_text(browser, "2.")
    _wait(browser, lambda: browser.execute_script(FOCUSED_LABEL_JS) == "Habitat lost")
    focused = browser.switch_to.active_element
    assert focused.get_attribute("aria-label") == "Habitat for line 2" or _inside(
        browser, focused, "Habitat for line 2"
    )
    focused.send_keys("Grasland", Keys.TAB)
    wait_for_text(browser, "choose a habitat from the list")
    assert _field(browser, "Habitat for line 2").get_attribute("value") == "Grasland"
    click(browser, "//button[contains(., 'Add line')]")
    _wait(browser, lambda: _inside(browser, browser.switch_to.active_element, "Habitat for line 3"))
    kept = _field(browser, "Habitat for line 2")
    assert kept.get_attribute("value") == "Grasland" and kept.is_displayed()
    browser.switch_to.active_element.send_keys("lowland")
    options = ".habitat-options .q-item"
    _wait(browser, lambda: len(browser.find_elements("css selector", options)) > 1)
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    _wait(browser, lambda: "lowland" in _picked(browser, "Habitat for line 3").lower())
    shot(browser, "quote-keyboard", *SMALLEST)


def _picked(driver, label: str) -> str:
    """The habitat shown as picked in the field labelled ``label``."""
    return driver.execute_script(
        "return arguments[0].closest('.q-field__native').querySelector('span').innerText",
        _field(driver, label),
    )


def _inside(driver, element, label: str) -> bool:
    target = _field(driver, label)
    return driver.execute_script("return arguments[0] === arguments[1]", element, target)


def _wait(driver, condition, timeout: float = 10) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda _: condition())


def _rules_costed(driver) -> bool:
    """The list under "What the rules cost" has arrived (no spinner left)."""
    return not driver.find_elements("xpath", "//*[contains(text(), 'Checking what each rule')]")
