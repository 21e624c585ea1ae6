"""The admin's statutory credit prices card as a person sees it in Chromium:
the bundled set alone, a refused CSV with its problems table, and the question
asked before a day's prices are replaced; saved to test-artifacts/ at
1280×800 and 1366×768 (credit-prices-bundled-*, credit-prices-refused-*,
credit-prices-replace-*), nothing wider than the window."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.chromium import (
    CHROMEDRIVER,
    CHROMIUM,
    LAPTOP_SIZES,
    UNNAMED_BUTTONS_JS,
    centred_shots,
    click,
    overflow,
    viewport,
    wait_for_text,
)

pytestmark = pytest.mark.skipif(
    not (CHROMEDRIVER and CHROMIUM), reason="Chromium or chromedriver is missing"
)
SIZES = LAPTOP_SIZES
CARD = "//*[text()='Statutory credit prices (admin)']"
SHORT = "tier,price_per_credit_gbp\nA1,50000\nA2,56k\nA3,76000\nA4,145000\nB9,1\n"
FULL = "tier,price_per_credit_gbp\n" + "".join(
    f"{tier},{price}\n"
    for tier, price in (
        ("A1", 50000),
        ("A2", 56000),
        ("A3", 76000),
        ("A4", 145000),
        ("A5", 760000),
        ("H", 51000),
        ("W", 268000),
    )
)


def shots(driver, xpath: str, name: str) -> None:
    """The element in the middle of the window, at each size; nothing overflows."""
    for width, height in centred_shots(driver, xpath, name, SIZES):
        assert overflow(driver) == [], f"{name} at {width}×{height}"
    assert driver.execute_script(UNNAMED_BUTTONS_JS) == [], "icon buttons need a name"


def choose(driver, path: Path) -> None:
    card = f"{CARD}/ancestor::div[contains(@class,'q-card')]"
    driver.find_element("xpath", f"{card}//input[@type='file']").send_keys(str(path))


def type_date(driver, digits: str) -> None:
    from selenium.webdriver.common.keys import Keys

    label = "//label[.//*[contains(@class,'q-field__label') and text()='In force from']]"
    field = driver.find_element("xpath", f"{label}//input")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.BACKSPACE)
    field.send_keys(digits)
    time.sleep(0.6)  # the field tells the app after 300 ms of quiet


def test_the_credit_prices_card_bundled_refused_and_replacing(browser, tmp_path):
    short, full = tmp_path / "prices-2025.csv", tmp_path / "prices-2023.csv"
    short.write_text(SHORT, encoding="utf-8")
    full.write_text(FULL, encoding="utf-8")
    data = tmp_path / "data"
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        session = wait_for_app(data, app)
        browser.get(session.entry_url)
        viewport(browser, *SIZES[0])
        browser.get(session.base_url + "/reference")
        wait_for_text(browser, "Statutory credit prices (admin)")
        page = browser.find_element("tag name", "body").text
        assert "27 July 2023" in page and "£650,000" in page
        assert "quotes use the bundled GOV.UK prices above" in page
        shots(browser, CARD, "credit-prices-bundled")

        type_date(browser, "01042025")
        choose(browser, short)
        wait_for_text(browser, "Not set")
        page = browser.find_element("tag name", "body").text
        assert "56k" in page and "B9" in page
        shots(browser, "//*[starts-with(text(),'Not set')]", "credit-prices-refused")

        type_date(browser, "27072023")
        choose(browser, full)
        wait_for_text(browser, "Replace the statutory credit prices of 27 July 2023?")
        time.sleep(0.5)  # the dialog fades in
        shots(browser, "//*[text()='Replace them']", "credit-prices-replace")
        click(browser, "//button[.//*[text()='Replace them']]")
        wait_for_text(browser, "Statutory credit prices of 27 July 2023 set.")
        page = browser.find_element("tag name", "body").text
        assert "£760,000" in page and "£650,000" not in page
