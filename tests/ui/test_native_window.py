"""The app in its native window (pywebview + Qt) on a virtual screen: the
window opens with its title and shows the app itself (the window holds the
app's secret, so the lock lets it in), at most 90 % of the screen and centred
(with the header on screen on a 1366×768 laptop), and a screenshot is saved to
test-artifacts/."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import time
from contextlib import contextmanager

import pytest

from bng_desktop.ui.launch import WINDOW_KEY
from bng_desktop.workspace import Workspace
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.screens import screenshot_when_rendered

TITLE = "BNG Desktop"
LAPTOP = (1366, 768)
HEADER = (42, 81, 74)
"""The header's colour, #2A514A."""
NATIVE_ENV = {
    "PYWEBVIEW_GUI": "qt",
    "QT_QPA_PLATFORM": "xcb",
    "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
}


def _missing() -> str:
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (.ci/run installs it)"
    if importlib.util.find_spec("webview") is None:
        return "pywebview is not installed (the 'native' extra)"
    if importlib.util.find_spec("PyQt6.QtWebEngineWidgets") is None:
        return "the Qt WebEngine backend is not installed (the 'native' extra)"
    return ""


@contextmanager
def virtual_screen(size: str):
    """A virtual X screen of ``size`` (WxH); skipped with the reason when none can start."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.skip("Xvfb could not start a display")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def display():
    with virtual_screen("1440x900") as name:
        yield name


@pytest.fixture
def laptop_display():
    with virtual_screen(f"{LAPTOP[0]}x{LAPTOP[1]}") as name:
        yield name


def find_window(display: str, timeout: float = 45) -> str:
    """The app's window once it is shown (it opens hidden until placed)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", TITLE],
            env={**os.environ, "DISPLAY": display},
            capture_output=True,
            text=True,
            check=False,
        )
        if found.stdout.strip():
            return found.stdout.split()[0]
        time.sleep(0.5)
    raise TimeoutError(f"no window titled {TITLE!r} appeared within {timeout} s")


def test_native_window_opens_with_the_quote_page(display, tmp_path):
    env = {"DISPLAY": display, **NATIVE_ENV}
    data = tmp_path / "data"
    with running_app(data, "--port", str(free_port()), env=env) as app:
        wait_for_app(data, app)
        window = find_window(display)
        title = subprocess.run(
            ["xdotool", "getwindowname", window],
            env={**os.environ, "DISPLAY": display},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert title == TITLE
        placed = geometry(display, window)
        shot = screenshot_when_rendered(display, "native-window.png", window=placed)  # not the lock
        assert shot.stat().st_size > 10_000
        assert app.poll() is None, "the app exited while its window was open"


def geometry(display: str, window: str) -> tuple[int, int, int, int]:
    said = subprocess.run(
        ["xdotool", "getwindowgeometry", "--shell", window],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = dict(line.split("=", 1) for line in said.split())
    return tuple(int(values[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))  # type: ignore[return-value]


def pixel(path, x: int, y: int) -> tuple[int, ...]:
    said = subprocess.run(
        ["convert", str(path), "-format", f"%[pixel:p{{{x},{y}}}]", "info:"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return tuple(int(float(n)) for n in said[said.index("(") + 1 : said.index(")")].split(","))


def open_on_laptop(display: str, data_dir, shot_name: str):
    """Start the app on the laptop screen; its window's geometry and a screenshot."""
    env = {"DISPLAY": display, **NATIVE_ENV}
    with running_app(data_dir, "--port", str(free_port()), env=env) as app:
        wait_for_app(data_dir, app)
        window = find_window(display)
        time.sleep(3)  # let the window be placed on its screen
        placed = geometry(display, window)
        shot = screenshot_when_rendered(display, shot_name, window=placed)
        assert app.poll() is None, "the app exited while its window was open"
    return placed, shot


def assert_centred_within_90_percent(placed: tuple[int, int, int, int]) -> None:
    x, y, width, height = placed
    screen_width, screen_height = LAPTOP
    assert width <= screen_width * 0.9 and height <= screen_height * 0.9, placed
    assert x >= 0 and y >= 0 and x + width <= screen_width and y + height <= screen_height
    assert abs(x - (screen_width - width) / 2) <= 2, f"not centred across: {placed}"
    assert abs(y - (screen_height - height) / 2) <= 2, f"not centred down: {placed}"


def test_on_a_1366x768_laptop_the_window_fits_with_its_header_on_screen(laptop_display, tmp_path):
    placed, shot = open_on_laptop(laptop_display, tmp_path / "data", "native-window-1366x768.png")
    assert_centred_within_90_percent(placed)
    x, y, width, _ = placed
    assert placed[2:] == (int(LAPTOP[0] * 0.9), int(LAPTOP[1] * 0.9)), "the default, shrunk"
    assert pixel(shot, x + 30, y + 6) == HEADER, "the header is not at the top of the window"
    assert pixel(shot, x + width - 30, y + 6) == HEADER


def test_a_remembered_size_is_used_only_while_it_fits(laptop_display, tmp_path):
    data = tmp_path / "data"
    with Workspace.open(data) as workspace:
        workspace.settings.set(WINDOW_KEY, [1440, 900])  # chosen on a bigger screen
    placed, _ = open_on_laptop(laptop_display, data, "native-window-remembered-too-big.png")
    assert_centred_within_90_percent(placed)
    with Workspace.open(data) as workspace:
        workspace.settings.set(WINDOW_KEY, [1100, 640])
    placed, shot = open_on_laptop(laptop_display, data, "native-window-remembered.png")
    assert placed[2:] == (1100, 640)
    assert_centred_within_90_percent(placed)
    assert pixel(shot, placed[0] + 30, placed[1] + 6) == HEADER
