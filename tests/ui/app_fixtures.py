"""The app over a fresh data folder and NiceGUI's simulated user in front of
it: the fixtures of the UI tests, and of the sync tests that drive the UI.
A conftest takes them by importing them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from nicegui.testing import User

from bng_desktop.ui.app import create_root
from bng_desktop.ui.jobs import JobRunner
from bng_desktop.ui.services import AppServices
from bng_desktop.workspace import Workspace
from tests.ui.simulation import locked_user


@pytest.fixture
def services(tmp_path, monkeypatch) -> Iterator[AppServices]:
    """The app's services on ``tmp_path/data``, with no team database set from
    outside (a developer's BNG_CENTRAL_URL would make the app sync)."""
    monkeypatch.delenv("BNG_CENTRAL_URL", raising=False)
    app_services = AppServices(Workspace.open(tmp_path / "data"), JobRunner())
    app_services.start()
    yield app_services
    app_services.close()


@pytest.fixture
async def user(services: AppServices) -> AsyncIterator[User]:
    async with locked_user(create_root(services)) as simulated:
        yield simulated
