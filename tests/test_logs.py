"""Logging in a windowed app: no console at all must not break anything."""

from __future__ import annotations

import logging
import sys

import pytest

from bng_desktop.logs import LOG_FILE, configure_logging, ensure_standard_streams


def test_missing_standard_streams_are_replaced_by_ones_that_swallow_output(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    ensure_standard_streams()
    print("nobody reads this")
    sys.stderr.write("nor this\n")
    assert sys.stdout is not None and sys.stderr is not None


def test_logging_without_a_console_goes_to_the_rotating_file(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    path = configure_logging(tmp_path / "logs")
    logging.getLogger("bng_desktop.test").warning("written with no console")
    for handler in root.handlers:
        handler.flush()
        handler.close()
    assert path == tmp_path / "logs" / LOG_FILE
    assert "written with no console" in path.read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_log_folder_is_private_to_the_user(tmp_path, monkeypatch):
    """The log holds the app's address with its secret."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    shared = tmp_path / "logs"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    configure_logging(shared)
    for handler in root.handlers:
        handler.close()
    assert shared.stat().st_mode & 0o777 == 0o700
