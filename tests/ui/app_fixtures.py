"""The app over a fresh data folder and NiceGUI's simulated user in front of
it: the fixtures of the UI tests, and of the sync tests that drive the UI
(a conftest takes them by importing them); and a stand-in for a slow quote."""

from __future__ import annotations

import time
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


def quote_until_cancelled(request, *, progress, cancel, **kwargs):
    """A stand-in for ``Workspace.quote`` that reports "Working N" for four
    seconds unless cancelled first (it never returns a quote)."""
    for step in range(200):
        progress("solve", step / 200, f"Working {step}")
        cancel.check()
        time.sleep(0.02)
    raise AssertionError("never cancelled")
