"""The client documents as a person sees them, saved to test-artifacts/: the
email's HTML opened in headless Chromium (1280×800 and 1366×768, nothing
wider than the window), the PDF's first page through pdftoppm (A4 upright),
History's Export menu opened on a row, and the quote page once saved."""

from __future__ import annotations

import email
import shutil
import struct
import subprocess
from email import policy

import pytest

from bng_desktop.workspace import Workspace
from tests.io.saved_quotes import typed_quote
from tests.ui.app_process import ARTIFACTS, free_port, running_app, wait_for_app
from tests.ui.chromium import (
    LAPTOP_SIZES,
    click,
    headless_chromium,
    needs_chromium,
    overflow,
    pick,
    shot,
    viewport,
    wait_for_text,
)

pytestmark = needs_chromium
SIZES = LAPTOP_SIZES


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A data folder with one saved quote, and its email and PDF: (data, reference, folder)."""
    folder = tmp_path_factory.mktemp("client-documents")
    data = folder / "data"
    with Workspace.open(data) as workspace:
        workspace.ensure_reference()
        reference = typed_quote(workspace).reference
        workspace.export_quote(reference, folder / "quote.eml", recipient="jo@acme.example")
        workspace.export_quote(reference, folder / "quote.pdf")
    return data, reference, folder


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = headless_chromium(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def test_the_email_as_html_in_chromium(exported, browser):
    _, reference, folder = exported
    message = email.message_from_bytes((folder / "quote.eml").read_bytes(), policy=policy.default)
    page = folder / "email.html"
    page.write_text(message.get_body(("html",)).get_content(), encoding="utf-8")
    browser.get(page.as_uri())
    wait_for_text(browser, "Next steps")
    text = browser.find_element("tag name", "body").text
    assert f"Our ref: {reference}" in text and "Planning Discharge Pack" in text
    for width, height in SIZES:
        viewport(browser, width, height)
        shot(browser, "client-email", width, height)
        assert overflow(browser) == []
    cells = browser.find_elements("css selector", "tr[data-kind=line] td")
    assert cells and all(cell.is_displayed() for cell in cells)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is missing")
def test_the_pdfs_first_page_through_pdftoppm(exported):
    _, _, folder = exported
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / "client-pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "96", "-f", "1", "-l", "1", "-singlefile",
         str(folder / "quote.pdf"), str(stem)],
        check=True,
    )  # fmt: skip
    image = stem.with_suffix(".png")
    head = image.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])  # the IHDR chunk
    assert round(height / width, 2) == 1.41, "an upright A4 page"
    assert image.stat().st_size > 20_000


def test_historys_export_menu_open_on_a_row(exported, browser):
    data, reference, _ = exported
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        session = wait_for_app(data, app)
        browser.get(session.entry_url)
        browser.get(session.base_url + "/history")
        wait_for_text(browser, reference)
        viewport(browser, *SIZES[0])
        click(browser, f"//button[@aria-label='Export {reference}']")
        menu = _open_menu(browser)
        assert [line.strip() for line in menu.text.splitlines() if "(." in line] == [
            "Excel quote (.xlsx)",
            "PDF quote (.pdf)",
            "Client email (.eml)",
        ]
        for width, height in SIZES:
            viewport(browser, width, height)
            shot(browser, "history-export-menu", width, height)
        assert overflow(browser) == []


def _open_menu(driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    menu = (By.CSS_SELECTOR, ".q-menu")
    return WebDriverWait(driver, 20).until(ec.visibility_of_element_located(menu))


def test_the_quote_page_once_saved(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    data = tmp_path / "data"
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        browser.get(wait_for_app(data, app).entry_url)
        viewport(browser, *SIZES[0])
        wait = WebDriverWait(browser, 30)
        pick(browser, wait, "Local planning authority", "Winchest", "Winchester")
        pick(browser, wait, "National Character Area", "South Do", "South Downs")
        pick(browser, wait, "Habitat lost", "Modified grass", "Grassland - Modified grassland")
        units = browser.find_element(By.XPATH, "//label[.//*[text()='Units']]//input")
        units.send_keys("1.2", "\t")
        click(browser, "//button[.//*[contains(text(),'Get quote')]]")
        wait.until(ec.presence_of_element_located((By.XPATH, "//*[contains(text(),'+ VAT')]")))
        assert not browser.find_elements(
            By.XPATH, "//button[@aria-label='PDF quote of BNG-A-02025']"
        )
        click(browser, "//button[.//*[contains(text(),'Save to history')]]")
        wait_for_text(browser, "For the client, BNG-A-02025:")
        row = browser.find_element(By.XPATH, "//*[contains(text(),'For the client, BNG-A-02025:')]")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
        for width, height in SIZES:
            viewport(browser, width, height)
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
            shot(browser, "quote-saved-exports", width, height)
            right = browser.execute_script(
                "return arguments[0].parentElement.getBoundingClientRect().right", row
            )
            assert right <= browser.execute_script("return innerWidth"), "the row is cut off"
        assert browser.find_element(
            By.XPATH, "//button[@aria-label='PDF quote of BNG-A-02025']"
        ).is_displayed()
