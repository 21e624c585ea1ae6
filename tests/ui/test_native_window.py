"""The app in its native window (pywebview + Qt) on a virtual screen: the
window opens with its title and shows the app itself (the window holds the
app's secret, so the lock lets it in), and a screenshot is saved to
test-artifacts/."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import time

import pytest

from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.screens import screenshot_when_rendered

TITLE = "BNG Desktop"


def _missing() -> str:
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (.ci/run installs it)"
    if importlib.util.find_spec("webview") is None:
        return "pywebview is not installed (the 'native' extra)"
    if importlib.util.find_spec("PyQt6.QtWebEngineWidgets") is None:
        return "the Qt WebEngine backend is not installed (the 'native' extra)"
    return ""


@pytest.fixture
def display():
    """A virtual X screen; skipped with the reason when none can be started."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
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
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def find_window(display: str, timeout: float = 45) -> str:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        found = subprocess.run(
            ["xdotool", "search", "--name", TITLE],
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
    env = {
        "DISPLAY": display,
        "PYWEBVIEW_GUI": "qt",
        "QT_QPA_PLATFORM": "xcb",
        "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
    }
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
        shot = screenshot_when_rendered(display, "native-window.png")  # the app, not the lock
        assert shot.stat().st_size > 10_000
        assert app.poll() is None, "the app exited while its window was open"
