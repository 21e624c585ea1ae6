"""The lock on the running app, over loopback: requests without the secret,
from a foreign Origin, for a foreign Host, and socket.io handshakes without
the secret are refused; the tab the app opened gets in (headless Chromium),
a tab it did not open sees only how to open the app."""

from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

import pytest

from bng_desktop.ui.lock import TOKEN_PARAM
from tests.ui.app_process import ARTIFACTS, AppSession, free_port, running_app, wait_for_app

SOCKET_IO = "/_nicegui_ws/socket.io/?EIO=4&transport=polling"
WEBSOCKET = "/_nicegui_ws/socket.io/?EIO=4&transport=websocket"
LOCKED = "To open the app"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> AppSession:
    data = tmp_path_factory.mktemp("lock") / "data"
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as process:
        session = wait_for_app(data, process)
        session.data_dir = data
        yield session


def stranger(app: AppSession) -> AppSession:
    """Another program on this computer: it knows the port, not the secret."""
    return AppSession(f"{app.base_url}/")


def test_the_address_with_its_secret_is_printed_and_logged(app):
    assert re.fullmatch(rf"http://127\.0\.0\.1:\d+/\?{TOKEN_PARAM}=[\w-]{{40,}}", app.entry_url)
    log = (app.data_dir / "logs" / "bng-desktop.log").read_text(encoding="utf-8")
    assert f"BNG Desktop is running: open {app.entry_url}" in log


def test_with_the_secret_the_app_answers(app):
    assert "<title>BNG Desktop</title>" in app.open()
    status, handshake = app.get(SOCKET_IO)
    assert status == 200 and '"sid"' in handshake


@pytest.mark.parametrize(
    "path", ["/", "/history", "/sync", SOCKET_IO, "/_nicegui/client/x/upload/y"]
)
def test_without_the_secret_nothing_but_how_to_open_the_app(app, path):
    status, body = stranger(app).get(path)
    assert status == 403
    assert LOCKED in body
    assert "BNG-A" not in body and "sample" not in body.lower() and "sid" not in body


def test_a_guessed_secret_is_refused(app):
    status, body = stranger(app).get(f"/?{TOKEN_PARAM}=guessed")
    assert status == 403 and LOCKED in body


@pytest.mark.parametrize("path", ["/", SOCKET_IO])
def test_a_foreign_origin_is_refused_even_with_the_cookie(app, path):
    status, body = app.get(path, headers={"Origin": "http://attacker.example"})
    assert status == 403 and "sid" not in body


def test_a_foreign_host_is_refused_even_with_the_cookie(app):
    """DNS rebinding: attacker.example resolved to 127.0.0.1 carries its own Host."""
    status, body = app.get("/", headers={"Host": f"attacker.example:{app.port}"})
    assert status == 403 and LOCKED in body


def test_a_socket_io_websocket_handshake_without_the_secret_is_refused(app):
    assert websocket_status(app, cookie="") == 403
    own = "; ".join(f"{c.name}={c.value}" for c in app.cookies)
    assert websocket_status(app, cookie=own) == 101
    assert websocket_status(app, cookie=own, origin="http://attacker.example") == 403


def websocket_status(app: AppSession, cookie: str, origin: str = "") -> int:
    """The status line's code for a WebSocket upgrade on socket.io's path."""
    lines = [
        f"GET {WEBSOCKET} HTTP/1.1",
        f"Host: 127.0.0.1:{app.port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ]
    lines += [f"Cookie: {cookie}"] if cookie else []
    lines += [f"Origin: {origin}"] if origin else []
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status_line = sock.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])


# ------------------------------------------------------------ a real browser

webdriver = pytest.importorskip("selenium.webdriver")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    not (CHROMEDRIVER and CHROMIUM),
    reason="Chromium and chromedriver are not installed (.ci/run installs them)",
)


def chromium(profile: Path, size: tuple[int, int] = (1280, 800)):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={size[0]},{size[1]}")
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@needs_chromium
def test_the_tab_the_app_opened_works_and_a_tab_it_did_not_open_is_told_how(app, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    ARTIFACTS.mkdir(exist_ok=True)
    own = chromium(tmp_path / "own")
    try:
        own.get(app.entry_url)
        WebDriverWait(own, 30).until(
            ec.presence_of_element_located((By.XPATH, "//*[contains(text(),'1. Site')]"))
        )
        assert TOKEN_PARAM not in own.current_url  # the secret left the address bar
        own.find_element(By.XPATH, "//a[contains(.,'History')]").click()  # over socket.io
        WebDriverWait(own, 30).until(ec.url_contains("/history"))
        WebDriverWait(own, 30).until(
            ec.presence_of_element_located((By.XPATH, "//*[contains(text(),'Client')]"))
        )
    finally:
        own.quit()
    for size in ((1280, 800), (1366, 768)):
        other = chromium(tmp_path / f"other{size[0]}", size)
        try:
            other.get(f"{app.base_url}/")
            assert LOCKED in other.page_source
            assert other.find_elements(By.CSS_SELECTOR, "input, button, script") == []
            other.save_screenshot(str(ARTIFACTS / f"locked-tab-{size[0]}x{size[1]}.png"))
        finally:
            other.quit()
