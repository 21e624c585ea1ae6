"""The frozen app in its native window (pywebview + Qt from the bundle) on a
virtual screen: it starts once, shows the quote page (screenshot in
test-artifacts/frozen-native.png), and closing the window ends every process."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.packaging.processes import kill_group, wait_until_group_gone
from tests.packaging.x11 import request_close
from tests.ui.app_process import ARTIFACTS, free_port, running_app, wait_for_http
from tests.ui.test_native_window import find_window, geometry

pytestmark = pytest.mark.slow

HEADER_GREEN = (42, 81, 74)


def test_the_native_window_shows_the_quote_page_and_closing_it_ends_the_app(
    frozen, display, tmp_path
):
    env = {
        "DISPLAY": display,
        "PYWEBVIEW_GUI": "qt",
        "QT_QPA_PLATFORM": "xcb",
        "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
    }
    data = tmp_path / "data"
    port = free_port()
    with running_app(data, "--port", str(port), env=env, command=[str(frozen.executable)]) as app:
        try:
            wait_for_http(f"http://127.0.0.1:{port}/", timeout=90)
            window = find_window(display)
            shot = screenshot_when_rendered(display, window)
            assert app.poll() is None, "the app exited while its window was open"
            request_close(display, int(window))
            status = app.wait(timeout=30)
            left = wait_until_group_gone(app.pid)
        finally:
            kill_group(app.pid)
    assert shot.stat().st_size > 10_000
    assert status == 0
    assert not left, f"left running after the window closed: {left}"
    log = (data / "logs" / "bng-desktop.log").read_text(encoding="utf-8")
    assert log.count("starting (") == 1, "the app started more than once"
    assert "starting (native mode)" in log
    assert "stopped cleanly" in log


def screenshot_when_rendered(screen: str, window: str, timeout: float = 30) -> Path:
    """Screenshots until the page's green header is at the top of the window
    (which is centred on the screen), then one of the settled page."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "frozen-native.png"
    deadline = time.monotonic() + timeout
    screenshot(screen, shot)
    while not _near(header_colour(shot, geometry(screen, window)), HEADER_GREEN):
        assert time.monotonic() < deadline, f"no quote page drawn within {timeout} s"
        time.sleep(1)
        screenshot(screen, shot)
    time.sleep(2)
    screenshot(screen, shot)
    return shot


def screenshot(screen: str, path: Path) -> None:
    env = {**os.environ, "DISPLAY": screen}
    subprocess.run(["import", "-window", "root", str(path)], env=env, check=True)


def header_colour(shot: Path, placed: tuple[int, int, int, int]) -> tuple[int, ...]:
    """The commonest colour of the window's top 40 pixel rows, where the app's header is."""
    x, y, width, _ = placed
    top = ("-crop", f"{min(600, width)}x40+{x}+{y}", "+repage")
    histogram = subprocess.run(
        ["convert", str(shot), *top, "-format", "%c", "histogram:info:-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts = []
    for line in histogram.splitlines():
        count, _, rest = line.strip().partition(":")
        rgb = rest.strip().split(")")[0].strip("( ").split(",")[:3]
        counts.append((int(count), tuple(int(float(c)) for c in rgb)))
    return max(counts)[1] if counts else ()


def _near(colour: tuple[int, ...], target: tuple[int, int, int], tolerance: int = 12) -> bool:
    if len(colour) != len(target):
        return False
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target, strict=True))
