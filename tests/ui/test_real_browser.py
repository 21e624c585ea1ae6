"""The app in browser mode, driven in headless Chromium: a quote on the
sample data, with a screenshot saved to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.metric.generated import Spec, generate
from tests.shared_data import GEN_METRIC
from tests.ui.app_process import ARTIFACTS, free_port, running_app, wait_for_app
from tests.ui.chromium import headless_chromium, needs_chromium, pick

webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = needs_chromium


@pytest.fixture
def browser(tmp_path):
    """A wider window than the screen tests', with the browser's own language."""
    driver = headless_chromium(tmp_path / "chromium", window="1440,1000", locale=None)
    yield driver
    driver.quit()


def test_a_quote_in_headless_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    data = tmp_path / "data"
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        browser.get(wait_for_app(data, app).entry_url)
        wait = WebDriverWait(browser, 30)
        pick(browser, wait, "Local planning authority", "Winchest", "Winchester")
        pick(browser, wait, "National Character Area", "South Do", "South Downs")
        pick(browser, wait, "Habitat lost", "Modified grass", "Grassland - Modified grassland")
        units = browser.find_element(By.XPATH, "//label[.//*[text()='Units']]//input")
        units.send_keys("1.2")
        units.send_keys("\t")
        button = wait.until(
            ec.element_to_be_clickable((By.XPATH, "//button[.//*[contains(text(),'Get quote')]]"))
        )
        button.click()
        wait.until(ec.presence_of_element_located((By.XPATH, "//*[contains(text(),'+ VAT')]")))
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "browser-quote.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        summary = browser.find_element(
            By.XPATH, "//*[contains(text(),'+ VAT')]/ancestor::div[contains(@class,'q-card')][1]"
        )
        assert "cheapest" not in summary.text, "the optimiser's verdict belongs under Details"


@pytest.mark.skipif(not GEN_METRIC.is_file(), reason="the shared metric generator is not beside")
def test_metric_preview_in_headless_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    generated = generate(tmp_path / "metric", [Spec("1.0.3", 2, ("--area-surpluses", "5"))])
    workbook = next(iter(generated.values())).workbook
    data = tmp_path / "data"
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        browser.get(wait_for_app(data, app).entry_url)
        wait = WebDriverWait(browser, 30)
        wait.until(
            ec.element_to_be_clickable(
                (By.XPATH, "//button[.//*[contains(text(),'Import metric')]]")
            )
        ).click()
        chooser = wait.until(ec.presence_of_element_located((By.XPATH, "//input[@type='file']")))
        chooser.send_keys(str(workbook))
        wait.until(
            ec.presence_of_element_located((By.XPATH, "//*[contains(text(),'Lines to buy')]"))
        )
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "metric-preview.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        assert "Replace the demand" in browser.page_source
