"""Start the desktop app: a native window where a backend exists, else the
browser; the server binds to 127.0.0.1 only, in both modes.

    python -m bng_desktop [--browser] [--port N] [--no-show] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Sequence

from nicegui import app, ui

from ..logs import configure_logging
from ..settings import assets_dir, resolve_paths
from ..workspace import Workspace
from .app import create_root
from .jobs import JobRunner
from .services import AppServices
from .window_fit import Rect, fits, place_window, remembered_size

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
WINDOW_KEY = "ui.window_size"
FIRST_SIZE = (1024, 640)
"""The hidden window's size until it is placed on its screen (and, should the
screen not be known, the size it opens at: it fits any laptop)."""
TITLE = "BNG Desktop"
SHOW_ANYWAY_AFTER_S = 30
SCREEN_JS = (
    "JSON.stringify([screen.availLeft || 0, screen.availTop || 0, "
    "screen.availWidth, screen.availHeight])"
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bng-desktop", description="The BNG Desktop app.")
    parser.add_argument("--browser", action="store_true", help="use the browser, not a window")
    parser.add_argument("--port", type=int, default=None, help="the port to serve on")
    parser.add_argument("--no-show", action="store_true", help="do not open a browser tab")
    parser.add_argument("--data-dir", help="folder of the local store (default: per-user)")
    return parser.parse_args(argv)


def native_backend_available() -> bool:
    """pywebview plus a GUI toolkit it can drive, and a display to show it on.

    Without these pywebview's window process never exits and the server runs on
    with no window, so the choice is made here, before starting anything.
    """
    if importlib.util.find_spec("webview") is None:
        return False
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False
    toolkits = ("PyQt6.QtWebEngineWidgets", "PySide6.QtWebEngineWidgets", "gi")
    if sys.platform.startswith("linux"):
        return any(_importable(name) for name in toolkits)
    return True


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def run_app(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    paths = resolve_paths(args.data_dir)
    log_file = configure_logging(paths.log_dir)
    native = not args.browser and native_backend_available()
    if not args.browser and not native:
        log.warning("no native window backend found; opening in the browser instead")
    workspace = Workspace(paths)
    services = AppServices(workspace, JobRunner(), native=native)
    services.start()
    app.on_shutdown(services.close)
    app.on_shutdown(lambda: log.info("stopped cleanly"))
    if native:
        _configure_native(workspace)
    log.info("starting (%s mode), log at %s", "native" if native else "browser", log_file)
    ui.run(
        create_root(services),
        host=HOST,
        port=args.port or (None if native else DEFAULT_PORT),
        title=TITLE,
        favicon=assets_dir() / "icon.svg",
        native=native,
        window_size=FIRST_SIZE if native else None,
        reload=False,
        show=not args.no_show,
        show_welcome_message=False,
    )


def _configure_native(workspace: Workspace) -> None:
    """Downloads allowed in the window; the window opened hidden, then placed
    on its screen (window_fit.py) once the page has loaded, and shown."""
    app.native.settings["ALLOW_DOWNLOADS"] = True
    app.native.start_args["icon"] = str(assets_dir() / "icon.png")
    app.native.window_args["hidden"] = True
    placer = WindowPlacer(workspace)
    app.native.on("loaded", placer.place)
    app.native.on("resized", placer.remember)
    app.on_startup(placer.show_anyway_later)


class WindowPlacer:
    """Sizes and centres the window on the screen it is on, and remembers the
    size the consultant chooses when it would fit next time."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.screen: Rect | None = None

    async def place(self) -> None:
        if self.screen is not None:
            return  # placed already: a reload does not move the window
        window = app.native.main_window
        assert window is not None
        try:
            self.screen = Rect(*(int(n) for n in json.loads(await window.evaluate_js(SCREEN_JS))))
        except (TypeError, ValueError) as error:
            log.warning(
                "the screen's size is unknown (%s); the window opens at %s", error, FIRST_SIZE
            )
            window.show()
            return
        remembered = remembered_size(self.workspace.settings.get(WINDOW_KEY))
        spot = place_window(self.screen, remembered)
        log.info("screen %s: window at %s", self.screen, spot)
        window.resize(spot.width, spot.height)
        window.move(spot.x, spot.y)
        window.show()

    async def show_anyway_later(self) -> None:
        """Should the page never load, the window must not stay hidden."""
        await asyncio.sleep(SHOW_ANYWAY_AFTER_S)
        if self.screen is None and app.native.main_window is not None:
            log.warning(
                "the page did not load in %s s; showing the window as it is", SHOW_ANYWAY_AFTER_S
            )
            app.native.main_window.show()

    def remember(self, event) -> None:
        size = (int(event.args["width"]), int(event.args["height"]))
        if self.screen is not None and fits(size, self.screen):
            self.workspace.settings.set(WINDOW_KEY, list(size))
