"""Data is never HTML: a bank named ``<img src=x onerror=alert(1)>`` shows as
those characters in the allocation, the client view, the chart's tooltip and
the map's tooltip (headless Chromium, the real app), and no script runs."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.ui.components.result import tooltip_html
from bng_desktop.workspace import Workspace
from tests.ui.app_process import ARTIFACTS, free_port, running_app, wait_for_app
from tests.ui.chromium import CHROMEDRIVER, CHROMIUM, pick
from tests.ui.test_real_browser import browser  # noqa: F401

XSS = "<img src=x onerror=alert(1)>"
DEMAND = (DemandLine("Grassland - Modified grassland", Fraction(12, 10)),)
SITE = Site(lpa="Winchester", nca="South Downs")


def test_the_map_tooltip_text_is_escaped():
    assert tooltip_html(XSS) == "&lt;img src=x onerror=alert(1)&gt;"
    assert tooltip_html("Ashcombe Down & Co") == "Ashcombe Down &amp; Co"


def data_with_a_hostile_bank_name(data: Path) -> str:
    """The sample data, every bank placed on the map, and the bank this quote
    uses renamed to markup; returns that bank's id."""
    with Workspace.open(data) as workspace:
        workspace.ensure_reference()
        used = workspace.quote(QuoteRequest(SITE, DEMAND)).banks_used[0]
        book_path = workspace.export_reference(data.parent / "reference.xlsx")
        book = openpyxl.load_workbook(book_path)
        banks = book["Banks"]
        header = [cell.value for cell in banks[1]]
        for number, row in enumerate(banks.iter_rows(min_row=2), start=1):
            values = dict(zip(header, row, strict=True))
            if values["bank_id"].value == used:
                values["bank_name"].value = XSS
            values["lat"].value = 51.0 + number * 0.02
            values["lon"].value = -1.3 - number * 0.02
        book.save(book_path)
        workspace.import_reference(book_path, label="hostile names")
    return used


@pytest.mark.skipif(
    not (CHROMEDRIVER and CHROMIUM),
    reason="Chromium and chromedriver are not installed (.ci/run installs them)",
)
def test_a_bank_named_like_markup_is_shown_as_text_everywhere(browser, tmp_path):  # noqa: F811
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    data = tmp_path / "data"
    data_with_a_hostile_bank_name(data)
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        browser.get(wait_for_app(data, app).entry_url)
        wait = WebDriverWait(browser, 30)
        pick(browser, wait, "Local planning authority", "Winchest", "Winchester")
        pick(browser, wait, "National Character Area", "South Do", "South Downs")
        pick(browser, wait, "Habitat lost", "Modified grass", "Grassland - Modified grassland")
        units = browser.find_element(By.XPATH, "//label[.//*[text()='Units']]//input")
        units.send_keys("1.2", "\t")
        wait.until(
            ec.element_to_be_clickable((By.XPATH, "//button[.//*[contains(text(),'Get quote')]]"))
        ).click()
        allocation = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".q-table")))
        wait.until(lambda _: XSS in allocation.text)

        browser.find_element(By.XPATH, "//div[@role='tab'][.//*[text()='Cost by bank']]").click()
        chart = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "canvas")))
        ActionChains(browser).move_to_element(chart).perform()
        chart_tip = wait.until(lambda d: _element_with_text(d, XSS, "div"))
        assert chart_tip.find_elements(By.TAG_NAME, "img") == []

        browser.find_element(By.XPATH, "//div[@role='tab'][.//*[text()='Map']]").click()
        marker = wait.until(
            ec.visibility_of_element_located(
                (By.CSS_SELECTOR, f".leaflet-marker-icon[alt='{XSS}']")
            )
        )
        ActionChains(browser).move_to_element(marker).perform()
        tip = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".leaflet-tooltip")))
        assert tip.text == XSS
        assert tip.find_elements(By.TAG_NAME, "img") == []
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "hostile-bank-name-map.png"))
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert  # noqa: B018  (no onerror handler ever ran)
        assert not browser.find_elements(By.CSS_SELECTOR, "img[src='x']")


def _element_with_text(driver, text: str, tag: str):
    from selenium.webdriver.common.by import By

    for element in driver.find_elements(By.TAG_NAME, tag):
        if element.is_displayed() and element.text.strip().startswith(text):
            return element
    return False
