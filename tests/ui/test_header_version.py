"""The header names the current reference version at once when it changes:
after an import on the Reference page, and after a background sync switched
versions (noticed in memory, without waiting for the header's slow refresh,
which these tests turn off)."""

from __future__ import annotations

import asyncio

import pytest
from nicegui.testing import User

from bng_desktop.ui.components import sync_indicator
from tests.ui.test_reference_page import upload, workbook_bytes

pytestmark = pytest.mark.asyncio


@pytest.fixture(autouse=True)
def no_slow_refresh(monkeypatch):
    """Only what the change itself triggers may update the header."""
    monkeypatch.setattr(sync_indicator, "REFRESH_SECONDS", 3600.0)


def header_text(user: User) -> str:
    return user.find(marker="sync-status").elements.pop().text


async def test_the_header_shows_an_imported_version_at_once(user: User, services, tmp_path):
    await user.open("/reference")
    assert header_text(user).startswith("reference v1 ")
    await upload(user, "backend.xlsx", workbook_bytes(services, tmp_path))
    await user.should_see("Imported backend.xlsx as version 2", retries=100)
    assert header_text(user).startswith("reference v2 (backend.xlsx)")


async def test_the_header_follows_a_version_the_background_sync_switched_to(
    user: User, services, tmp_path
):
    await user.open("/")
    await asyncio.sleep(1)  # the timers' first, immediate runs are over
    assert header_text(user).startswith("reference v1 ")
    path = tmp_path / "pulled.xlsx"
    path.write_bytes(workbook_bytes(services, tmp_path))
    version = await asyncio.to_thread(services.workspace.import_reference, path)
    assert header_text(user).startswith("reference v1 ")
    services.background_sync.switched = version
    for _ in range(100):
        if header_text(user).startswith("reference v2 "):
            break
        await asyncio.sleep(0.1)
    assert header_text(user).startswith("reference v2 (pulled.xlsx)")
