"""Screenshots of a virtual X screen, and telling whether the app's page is
drawn on it: the app's green header is at the top; the locked page and an
empty window have none."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from tests.ui.app_process import ARTIFACTS

HEADER_GREEN = (42, 81, 74)


Region = tuple[int, int, int, int]
"""x, y, width, height of a window on the screen."""


def screenshot_when_rendered(
    screen: str, name: str, timeout: float = 30, window: Region | None = None
) -> Path:
    """Screenshots until the page's green header is at the top of the window
    (or of the screen), since the window is mapped well before the page inside
    it is drawn; then one of the settled page."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    deadline = time.monotonic() + timeout
    screenshot(screen, shot)
    while not near(header_colour(shot, window), HEADER_GREEN):
        assert time.monotonic() < deadline, f"no quote page drawn within {timeout} s"
        time.sleep(1)
        screenshot(screen, shot)
    time.sleep(2)
    screenshot(screen, shot)
    return shot


def screenshot(screen: str, path: Path) -> None:
    env = {**os.environ, "DISPLAY": screen}
    subprocess.run(["import", "-window", "root", str(path)], env=env, check=True)


def header_colour(shot: Path, window: Region | None = None) -> tuple[int, ...]:
    """The commonest colour of the window's (or the screen's) top 40 pixel rows,
    where the app's header is."""
    x, y, width, _ = window or (0, 0, 600, 40)
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


def near(colour: tuple[int, ...], target: tuple[int, int, int], tolerance: int = 12) -> bool:
    if len(colour) != len(target):
        return False
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target, strict=True))
