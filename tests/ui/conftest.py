"""UI tests with NiceGUI's simulated user: no browser, the real app and store."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from tests.ui import app_fixtures
from tests.ui.chromium import headless_chromium

services = app_fixtures.services
user = app_fixtures.user


def choose(user: User, marker: str, value) -> None:
    """Set a select or number the way the user's choice would."""
    element = user.find(marker=marker).elements.pop()
    element.value = value


@pytest.fixture
def browser(tmp_path_factory):
    """Headless Chromium for one screen test (a module may keep one for all its tests)."""
    driver = headless_chromium(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()
