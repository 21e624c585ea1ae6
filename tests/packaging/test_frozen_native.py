"""The frozen app in its native window (pywebview + Qt from the bundle) on a
virtual screen: it starts once, shows the quote page (screenshot in
test-artifacts/frozen-native.png), and closing the window ends every process."""

from __future__ import annotations

import pytest

from tests.packaging.processes import kill_group, wait_until_group_gone
from tests.packaging.x11 import request_close
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.screens import screenshot_when_rendered
from tests.ui.test_native_window import find_window, geometry

pytestmark = pytest.mark.slow


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
            wait_for_app(data, app, timeout=90)
            window = find_window(display)
            shot = screenshot_when_rendered(
                display, "frozen-native.png", window=geometry(display, window)
            )
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
