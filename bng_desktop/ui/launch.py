"""Start the desktop app: a native window where a backend exists, else the
browser; the server binds to 127.0.0.1 only, in both modes, and answers only
the window or tab it opens (lock.py).

    python -m bng_desktop [--browser] [--port N] [--no-show] [--data-dir DIR]

When the local data cannot be opened, the window shows why and what to do
(startup.py) and the log says the same; there is no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from nicegui import app, native, ui

from ..collector_policy import freeze_start_up_objects, tune_collector
from ..core.errors import BngError
from ..logs import configure_logging
from ..settings import Paths, assets_dir, resolve_paths
from ..startup import explain_startup_failure
from ..workspace import Workspace
from . import lock as app_lock
from .app import create_root
from .jobs import JobRunner
from .pages.startup_problem import startup_problem_root
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
    tune_collector()
    args = parse_args(argv)
    paths = resolve_paths(args.data_dir)
    log_file = _start_logging(paths)
    native_mode = not args.browser and native_backend_available()
    if not args.browser and not native_mode:
        log.warning("no native window backend found; opening in the browser instead")
    port = args.port or (native.find_open_port() if native_mode else DEFAULT_PORT)
    lock = app_lock.AppLock.create(port, HOST)
    root, workspace = _open(paths, log_file, native_mode)
    app_lock.install(app, lock)
    if native_mode:
        _configure_native(lock, workspace)
    app.on_shutdown(lambda: log.info("stopped cleanly"))
    log.info("starting (%s mode), log at %s", "native" if native_mode else "browser", log_file)
    app_lock.announce(lock)
    freeze_start_up_objects()
    ui.run(
        root,
        host=HOST,
        port=port,
        title=TITLE,
        favicon=assets_dir() / "icon.svg",
        native=native_mode,
        window_size=FIRST_SIZE if native_mode else None,
        reload=False,
        show=lock.entry_path if not args.no_show else False,
        show_welcome_message=False,
    )


def _start_logging(paths: Paths) -> Path | None:
    """The log file, or None when its folder cannot be written (the console only)."""
    try:
        return configure_logging(paths.log_dir)
    except OSError as error:
        log.warning(
            "cannot write the log in %s (%s); logging to the console only", paths.log_dir, error
        )
        return None


def _open(
    paths: Paths, log_file: Path | None, native_mode: bool
) -> tuple[Callable[[], None], Workspace | None]:
    """The app's root and its workspace; or, when the data cannot be opened, the
    page that says why and what to do (the log says the same) and no workspace."""
    try:
        workspace = Workspace(paths)
        services = AppServices(workspace, JobRunner(), native=native_mode)
        app.on_shutdown(services.close)
        services.start()
    except (BngError, OSError) as error:
        problem = explain_startup_failure(paths, error, log_file)
        log.error(problem.text())
        return startup_problem_root(problem), None
    return create_root(services), workspace


def _configure_native(lock: app_lock.AppLock, workspace: Workspace | None) -> None:
    """The window opens the app's first address (with its secret); downloads
    allowed; it opens hidden, then is placed on its screen (window_fit.py) once
    the page has loaded, and shown."""
    app.native.window_args["url"] = lock.entry_url
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

    def __init__(self, workspace: Workspace | None):
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
        saved = None if self.workspace is None else self.workspace.settings.get(WINDOW_KEY)
        remembered = remembered_size(saved)
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
        if self.workspace is not None and self.screen is not None and fits(size, self.screen):
            self.workspace.settings.set(WINDOW_KEY, list(size))
