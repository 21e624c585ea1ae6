"""UI tests with NiceGUI's simulated user: no browser, the real app and store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from nicegui.testing import User

from bng_desktop.ui.app import create_root
from bng_desktop.ui.jobs import JobRunner
from bng_desktop.ui.services import AppServices
from bng_desktop.workspace import Workspace
from tests.ui.simulation import locked_user


@pytest.fixture
def services(tmp_path) -> AppServices:
    workspace = Workspace.open(tmp_path / "data")
    app_services = AppServices(workspace, JobRunner())
    app_services.start()
    yield app_services
    app_services.close()


@pytest.fixture
async def user(services: AppServices) -> AsyncIterator[User]:
    async with locked_user(create_root(services)) as simulated:
        yield simulated


def choose(user: User, marker: str, value) -> None:
    """Set a select or number the way the user's choice would."""
    element = user.find(marker=marker).elements.pop()
    element.value = value
