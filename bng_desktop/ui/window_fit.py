"""Where the native window opens: at most 90 % of the screen it is on, centred,
at the size the consultant last chose when that still fits.

Pure arithmetic on sizes in the screen's own (device-independent) pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SHARE = 0.9
"""Of the screen's width and height (its work area, without the taskbar)."""
DEFAULT_SIZE = (1440, 900)
SMALLEST_SIZE = (640, 480)
"""A remembered size below this is not worth restoring (a window dragged tiny)."""


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


def largest_size(screen: Rect) -> tuple[int, int]:
    """90 % of the screen, in whole pixels."""
    return int(screen.width * MAX_SHARE), int(screen.height * MAX_SHARE)


def fits(size: tuple[int, int], screen: Rect) -> bool:
    """Whether a size may be used as it is on this screen (and is not absurdly small)."""
    most_wide, most_high = largest_size(screen)
    width, height = size
    return SMALLEST_SIZE[0] <= width <= most_wide and SMALLEST_SIZE[1] <= height <= most_high


def place_window(
    screen: Rect,
    remembered: tuple[int, int] | None = None,
    default: tuple[int, int] = DEFAULT_SIZE,
) -> Rect:
    """The window's place: the remembered size if it fits, else the default
    shrunk to 90 % of the screen; centred on the screen."""
    if remembered is not None and fits(remembered, screen):
        width, height = remembered
    else:
        most_wide, most_high = largest_size(screen)
        width, height = min(default[0], most_wide), min(default[1], most_high)
    x = screen.x + (screen.width - width) // 2
    y = screen.y + (screen.height - height) // 2
    return Rect(x, y, width, height)


def remembered_size(value: object) -> tuple[int, int] | None:
    """The setting as stored ([width, height]), or None when it is not one."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in value):
        return None
    return int(value[0]), int(value[1])
