"""Headless Chromium for the screen tests: a browser with its own profile,
the window sizes the pages are checked at, and the moves the tests make
(choose from a select, click, wait for a text, screenshot, look for anything
wider than the window)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.app_process import ARTIFACTS

CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    not (CHROMEDRIVER and CHROMIUM),
    reason="Chromium and chromedriver are not installed (.ci/run installs them)",
)
SIZES = ((1280, 800), (1366, 768), (1920, 1080))
SMALLEST = SIZES[0]
LAPTOP_SIZES = SIZES[:2]
"""The two commonest laptop screens, where most pages are checked."""
OVERFLOW_JS = """
const width = document.documentElement.clientWidth;
const found = [];
const name = (el) => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
    ? '.' + String(el.className).trim().split(/\\s+/).slice(0, 3).join('.') : '')
    + ' "' + (el.innerText || '').trim().slice(0, 40) + '"';
if (document.documentElement.scrollWidth > width + 1) {
    found.push('the page scrolls sideways: ' + document.documentElement.scrollWidth);
}
for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const offscreen = box.right <= 0 || box.left >= width;  // parked out of sight on purpose
    if (!offscreen && (box.right > width + 1 || box.left < -1)) {
        found.push('past the edge (' + Math.round(box.left) + '..' + Math.round(box.right) + '): '
            + name(el));
    }
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
        found.push('scrolls sideways inside (' + el.scrollWidth + ' > ' + el.clientWidth + '): '
            + name(el));
    }
}
return found.slice(0, 15);
"""


UNNAMED_BUTTONS_JS = """
const unnamed = [];
for (const button of document.querySelectorAll('button, [role=button]')) {
    if (button.offsetParent === null) continue;
    if ((button.getAttribute('aria-label') || '').trim()) continue;
    const copy = button.cloneNode(true);
    copy.querySelectorAll('.q-icon, .material-icons').forEach((icon) => icon.remove());
    if (!copy.textContent.trim()) unnamed.push(button.outerHTML.slice(0, 120));
}
return unnamed;
"""


def headless_chromium(user_data: Path, *, window: str = "1280,800", locale: str | None = "en-US"):
    """Headless Chromium with its own profile in ``user_data``, the window
    ``window`` (width,height) and, unless None, the browser language ``locale``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={window}",
        f"--user-data-dir={user_data}",
    ):
        options.add_argument(flag)
    if locale is not None:
        options.add_argument(f"--lang={locale}")
        options.add_experimental_option(
            "prefs", {"intl.accept_languages": f"{locale},{locale.split('-')[0]}"}
        )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    return driver


def viewport(driver, width: int, height: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def shot(driver, name: str, width: int, height: int) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}-{width}x{height}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    return path


def overflow(driver, settle: float = 5) -> list[str]:
    """What is wider than the window and stays so: Quasar's loading bar slides
    past the edge for a moment while the page talks to the app, so an
    overflow must outlast ``settle`` seconds to count."""
    deadline = time.monotonic() + settle
    while (found := driver.execute_script(OVERFLOW_JS)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def wait_for_text(driver, text: str, timeout: float = 30) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.1).until(
        ec.visibility_of_element_located((By.XPATH, f"//*[contains(text(), {text!r})]"))
    )


def click(driver, xpath: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(ec.element_to_be_clickable((By.XPATH, xpath))).click()


def choose_first_file(driver, path: Path) -> None:
    """Give ``path`` to the page's first file picker, as choosing it would."""
    chooser = driver.find_element("xpath", "//input[@type='file']")
    chooser.send_keys(str(path))


def pick(driver, wait, label: str, typed: str, option: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    field = wait.until(
        ec.element_to_be_clickable((By.XPATH, f"//label[.//*[text()='{label}']]//input"))
    )
    field.click()
    field.send_keys(typed)
    choice = wait.until(
        ec.element_to_be_clickable(
            (By.XPATH, f"//div[contains(@class,'q-item')][.//*[starts-with(text(),'{option}')]]")
        )
    )
    choice.click()


def centred_shots(driver, xpath: str, name: str, sizes=LAPTOP_SIZES) -> Iterator[tuple[int, int]]:
    """The element in the middle of the window, screenshot at each size; each
    size is yielded once its screenshot is saved, for the caller's checks."""
    element = driver.find_element("xpath", xpath)
    for width, height in sizes:
        viewport(driver, width, height)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        shot(driver, name, width, height)
        yield width, height


def shots_centred(driver, xpath: str, name: str, sizes=LAPTOP_SIZES) -> None:
    """The element in the middle of the window, screenshot at each size."""
    for _size in centred_shots(driver, xpath, name, sizes):
        continue
