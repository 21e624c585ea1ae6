"""Where the native window opens: at most 90 % of its screen, centred, and a
remembered size only while it fits."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from bng_desktop.ui.launch import WINDOW_KEY, WindowPlacer
from bng_desktop.ui.window_fit import Rect, fits, place_window, remembered_size
from bng_desktop.workspace import Workspace

LAPTOP = Rect(0, 0, 1366, 728)  # 1366×768 less a 40 px taskbar


def test_the_default_shrinks_to_90_percent_of_a_laptop_screen_and_is_centred():
    assert place_window(LAPTOP) == Rect(68, 36, 1229, 655)


def test_the_default_is_kept_on_a_big_screen():
    assert place_window(Rect(0, 0, 2560, 1400)) == Rect(560, 250, 1440, 900)


def test_a_remembered_size_is_used_while_it_fits_and_ignored_when_it_does_not():
    assert place_window(LAPTOP, (1100, 640)) == Rect(133, 44, 1100, 640)
    assert place_window(LAPTOP, (1440, 900)) == place_window(LAPTOP)
    assert place_window(LAPTOP, (300, 200)) == place_window(LAPTOP), "too small to restore"


def test_a_second_screen_to_the_right_is_centred_on_itself():
    right = Rect(1920, 0, 1366, 768)
    placed = place_window(right)
    assert placed.x == 1920 + (1366 - placed.width) // 2


screens = st.builds(
    Rect,
    st.integers(-3000, 3000),
    st.integers(-2000, 2000),
    st.integers(800, 7680),
    st.integers(600, 4320),
)
sizes = st.none() | st.tuples(st.integers(0, 9000), st.integers(0, 9000))


@given(screens, sizes)
def test_the_window_is_always_within_90_percent_of_its_screen_and_centred(screen, remembered):
    placed = place_window(screen, remembered)
    assert placed.width <= screen.width * 0.9 and placed.height <= screen.height * 0.9
    assert screen.x <= placed.x and placed.x + placed.width <= screen.x + screen.width
    assert screen.y <= placed.y and placed.y + placed.height <= screen.y + screen.height
    assert abs((placed.x - screen.x) - (screen.x + screen.width - placed.x - placed.width)) <= 1
    if remembered is not None and fits(remembered, screen):
        assert (placed.width, placed.height) == remembered


def test_only_a_well_formed_setting_is_a_remembered_size():
    assert remembered_size([1200, 700]) == (1200, 700)
    for bad in (None, "1200x700", [1200], [True, 700], [1200.5, 700], {"w": 1}):
        assert remembered_size(bad) is None


def test_the_window_remembers_a_size_only_when_it_would_fit_next_time(tmp_path):
    with Workspace.open(tmp_path / "data") as workspace:
        placer = WindowPlacer(workspace)
        placer.screen = LAPTOP
        placer.remember(SimpleNamespace(args={"width": 1000, "height": 600}))
        assert workspace.settings.get(WINDOW_KEY) == [1000, 600]
        placer.remember(SimpleNamespace(args={"width": 1366, "height": 728}))  # maximised
        assert workspace.settings.get(WINDOW_KEY) == [1000, 600]
