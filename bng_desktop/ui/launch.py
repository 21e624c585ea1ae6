"""Start the desktop app: a native window where a backend exists, else the
browser; the server binds to 127.0.0.1 only, in both modes, and answers only
the window or tab it opens (lock.py).

    python -m bng_desktop [--browser] [--port N] [--no-show] [--data-dir DIR]

When the local data cannot be opened, the window shows why and what to do
(startup.py) and the log says the same; there is no traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from nicegui import app, native, ui

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

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
WINDOW_KEY = "ui.window_size"
DEFAULT_WINDOW = (1440, 900)
TITLE = "BNG Desktop"


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
    log_file = _start_logging(paths)
    native_mode = not args.browser and native_backend_available()
    if not args.browser and not native_mode:
        log.warning("no native window backend found; opening in the browser instead")
    port = args.port or (native.find_open_port() if native_mode else DEFAULT_PORT)
    lock = app_lock.AppLock.create(port, HOST)
    root, window = _open(paths, log_file, native_mode)
    app_lock.install(app, lock)
    if native_mode:
        _configure_native(lock)
    app.on_shutdown(lambda: log.info("stopped cleanly"))
    log.info("starting (%s mode), log at %s", "native" if native_mode else "browser", log_file)
    app_lock.announce(lock)
    ui.run(
        root,
        host=HOST,
        port=port,
        title=TITLE,
        favicon=assets_dir() / "icon.svg",
        native=native_mode,
        window_size=window if native_mode else None,
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
) -> tuple[Callable[[], None], tuple[int, int]]:
    """The app's root and window size; or, when the data cannot be opened, the
    page that says why and what to do (the log says the same)."""
    try:
        workspace = Workspace(paths)
        services = AppServices(workspace, JobRunner(), native=native_mode)
        app.on_shutdown(services.close)
        services.start()
    except (BngError, OSError) as error:
        problem = explain_startup_failure(paths, error, log_file)
        log.error(problem.text())
        return startup_problem_root(problem), DEFAULT_WINDOW
    if native_mode:
        _remember_window_size(workspace)
    return create_root(services), tuple(workspace.settings.get(WINDOW_KEY, DEFAULT_WINDOW))


def _configure_native(lock: app_lock.AppLock) -> None:
    """The window opens the app's first address (with its secret); downloads allowed."""
    app.native.window_args["url"] = lock.entry_url
    app.native.settings["ALLOW_DOWNLOADS"] = True
    app.native.start_args["icon"] = str(assets_dir() / "icon.png")


def _remember_window_size(workspace: Workspace) -> None:
    """The window's size, remembered between runs."""

    def remember(event) -> None:
        size = (int(event.args["width"]), int(event.args["height"]))
        if size[0] >= 400 and size[1] >= 300:
            workspace.settings.set(WINDOW_KEY, list(size))

    app.native.on("resized", remember)
