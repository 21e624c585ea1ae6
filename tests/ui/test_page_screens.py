"""History, Reference and Sync in headless Chromium at 1280×800, 1366×768 and
1920×1080, with an en-US browser locale: screenshots saved to test-artifacts/
(history with re-quotes, the reference import under way and refused), dates
shown dd/mm/yyyy, and nothing wider than the window at 1280×800."""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update

from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.settings import sample_reference_path
from bng_desktop.store.tables import QuoteRow
from bng_desktop.workspace import Workspace
from tests.shared_data import GEN_REFERENCE, generate_reference
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.chromium import (
    SIZES,
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

webdriver = pytest.importorskip("selenium.webdriver")
Keys = pytest.importorskip("selenium.webdriver.common.keys").Keys
pytestmark = needs_chromium
MEADOW = "Grassland - Other neutral grassland"


def _saved_quotes(data_dir: Path) -> str:
    """Two quotes, the first re-quoted twice, saved on dates a US locale would misread."""
    with Workspace.open(data_dir) as workspace:
        workspace.ensure_reference()
        site = Site(lpa="Winchester", nca="South Downs", label="Land at Bushfield Camp")

        def quote(units: str):
            return workspace.quote(QuoteRequest(site, (DemandLine(MEADOW, Fraction(units)),)))

        base = workspace.save_quote(quote("1.5"), client_name="Acme Homes Ltd").reference
        workspace.save_quote(quote("0.8"), client_name="Brook Estates", author="Sam Patel")
        workspace.save_revision(base, quote("2.25"), author="Jo Bloggs")
        workspace.save_revision(base, quote("2.5"), author="Jo Bloggs")
        table = QuoteRow.__table__
        with workspace.store.transaction() as conn:
            for reference, day in ((base, "04"), (f"{base}.1", "05"), (f"{base}.2", "06")):
                conn.execute(
                    update(table)
                    .where(table.c.reference == reference)
                    .values(created_at=f"2026-03-{day}T10:00:00+00:00")
                )
    return base


@pytest.fixture(scope="module")
def screens_data(tmp_path_factory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("screens") / "data"
    return data, _saved_quotes(data)


@pytest.fixture(scope="module")
def app_url(screens_data):
    data, base = screens_data
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        session = wait_for_app(data, app)
        yield session, base


@pytest.fixture(scope="module")
def browser(tmp_path_factory, app_url):
    """A browser that opened the app as the app opens its own tab: the first
    address, with the app's secret, then the cookie it sets."""
    driver = headless_chromium(tmp_path_factory.mktemp("chromium"))
    session, _ = app_url
    driver.get(session.entry_url)
    yield driver
    driver.quit()


def test_history_with_re_quotes_in_an_en_usheadless_chromium(app_url, browser):
    url, base = app_url[0].base_url, app_url[1]
    viewport(browser, *SMALLEST)
    browser.get(url + "/history")
    wait_for_text(browser, "latest of 3")
    assert browser.execute_script("return navigator.language") == "en-US"
    click(browser, "//button[@aria-label='Show 2 earlier versions']")
    wait_for_text(browser, "saved 04/03/2026")
    page = browser.find_element("tag name", "body").text
    assert "saved 06/03/2026" in page and "saved 05/03/2026" in page
    assert "3/4/2026" not in page and "03/04/2026" not in page, "a US date on the page"
    for width, height in SIZES:
        viewport(browser, width, height)
        shot(browser, "history-revisions", width, height)
    viewport(browser, *SMALLEST)
    assert overflow(browser) == []
    assert browser.execute_script(UNNAMED_BUTTONS_JS) == [], "icon buttons need a name"
    click(browser, f"//button[@aria-label='Open {base}.2']")
    wait_for_text(browser, "How it was worked out")
    for width, height in SIZES:
        viewport(browser, width, height)
        shot(browser, "history-opened", width, height)
    viewport(browser, *SMALLEST)
    assert overflow(browser) == []


def test_a_refused_reference_import(app_url, browser, tmp_path):
    url = app_url[0].base_url
    book = openpyxl.load_workbook(sample_reference_path())
    book["Stock"]["D2"] = "lots"
    book["Stock"]["D3"] = -3
    book["Pricing"]["D3"] = "nearby"
    book["Banks"]["C4"] = None
    broken = tmp_path / "backend-with-mistakes.xlsx"
    book.save(broken)
    viewport(browser, *SMALLEST)
    browser.get(url + "/reference")
    wait_for_text(browser, "Choose a workbook")
    choose_first_file(browser, broken)
    wait_for_text(browser, "Not imported", timeout=60)
    page = browser.find_element("tag name", "body").text
    assert "100 %" not in page
    for width, height in SIZES:
        viewport(browser, width, height)
        shot(browser, "reference-refused", width, height)
    viewport(browser, *SMALLEST)
    assert overflow(browser) == []


@pytest.mark.skipif(not GEN_REFERENCE.is_file(), reason="the shared generator is not beside")
def test_a_reference_import_under_way(app_url, browser, tmp_path):
    url = app_url[0].base_url
    # 600 banks: a 200-bank workbook is now read and stored in under a second,
    # sooner than the screenshots below are taken.
    workbook, _, _ = generate_reference(tmp_path, banks=600, seed=5)
    viewport(browser, *SMALLEST)
    browser.get(url + "/reference")
    wait_for_text(browser, "Choose a workbook")
    choose_first_file(browser, workbook)
    wait_for_text(browser, "Reading sheet", timeout=60)
    storing = browser.find_element("xpath", "//*[contains(@class,'stage-storing-detail')]")
    still_running = "not started" in storing.text
    for width, height in SIZES:
        viewport(browser, width, height)
        shot(browser, "reference-importing", width, height)
    viewport(browser, *SMALLEST)
    problems = overflow(browser)
    assert problems == []
    assert still_running, "the import finished before it could be seen under way"
    wait_for_text(browser, f"Imported {workbook.name} as version", timeout=240)
    shot(browser, "reference-imported", *SMALLEST)


def test_the_reference_page_in_plain_words(app_url, browser):
    """The version in use, where it came from and what it holds; fingerprints
    only once the folded details are opened."""
    url = app_url[0].base_url
    viewport(browser, *SMALLEST)
    browser.get(url + "/reference")
    wait_for_text(browser, "is in use")
    page = browser.find_element("tag name", "body").text
    assert "20 banks · 150 habitats · 245 stock lines · 2,940 price rows" in page
    assert "Fingerprint" not in page
    for width, height in SIZES[:2]:
        viewport(browser, width, height)
        shot(browser, "reference-versions", width, height)
    viewport(browser, *SMALLEST)
    assert overflow(browser) == []
    click(browser, "//*[contains(@class,'q-expansion-item')]//*[contains(text(),'Details')]")
    wait_for_text(browser, "Each version's fingerprint")
    time.sleep(1)  # the details finish unfolding
    heading = browser.find_element("xpath", "//*[contains(text(),'All versions')]")
    for width, height in SIZES[:2]:
        viewport(browser, width, height)
        browser.execute_script("arguments[0].scrollIntoView()", heading)
        shot(browser, "reference-version-details", width, height)
    viewport(browser, *SMALLEST)
    assert overflow(browser) == []
    assert browser.execute_script(UNNAMED_BUTTONS_JS) == [], "icon buttons need a name"


def test_the_sync_page_fits(app_url, browser):
    url = app_url[0].base_url
    viewport(browser, *SMALLEST)
    browser.get(url + "/sync")
    wait_for_text(browser, "Team database")
    shot(browser, "sync-page", *SMALLEST)
    assert overflow(browser) == []
    assert browser.execute_script(UNNAMED_BUTTONS_JS) == [], "icon buttons need a name"


def test_the_impact_of_dearer_prices_on_open_quotes(app_url, browser, screens_data):
    session = app_url[0]
    with Workspace.open(screens_data[0]) as workspace:
        data = workspace.references.load_data(1)
        dearer = tuple(replace(p, price=p.price * Fraction(11, 10)) for p in data.prices)
        workspace.references.import_data(replace(data, prices=dearer), "test", label="dearer")
    viewport(browser, *SMALLEST)
    browser.get(session.base_url + "/impact")
    wait_for_text(browser, "Choose a reference version and press Compare")
    since = browser.find_element("xpath", "//label[contains(., 'Saved since')]//input")
    since.send_keys(Keys.CONTROL, "a")
    since.send_keys(Keys.DELETE)
    since.send_keys("01012026")
    click(browser, "//button[contains(., 'Compare')]")
    wait_for_text(browser, "2 open quotes: 2 dearer", timeout=60)
    for width, height in SIZES:
        viewport(browser, width, height)
        shot(browser, "impact-table", width, height)
    viewport(browser, *SMALLEST)
    assert overflow(browser) == []
    assert browser.execute_script(UNNAMED_BUTTONS_JS) == [], "icon buttons need a name"
