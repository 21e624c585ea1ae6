"""The Sync page tells a consultant plainly that publishing needs an admin login
(NiceGUI's simulated user, the real test database, a consultant's own login)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from nicegui.elements.upload_files import SmallFileUpload
from sqlalchemy import make_url, text

from bng_desktop.settings import sample_reference_path
from bng_desktop.sync import SyncSettings
from bng_desktop.sync.logins import TeamRole, add_login, make_password

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def consultant(central) -> Iterator[str]:
    """A consultant login of this test's own; its URL. Dropped afterwards."""
    name = f"t{secrets.token_hex(4)}_consultant"
    add_login(central.engine, name, TeamRole.CONSULTANT, make_password())
    yield make_url(central.url).set(username=name).render_as_string(hide_password=False)
    with central.engine.connect() as conn:
        conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))


@pytest.mark.asyncio
async def test_a_consultant_publishing_is_told_it_needs_an_admin_login(
    user, services, central, consultant
):
    services.workspace.sync.save_settings(SyncSettings(url=consultant))
    await user.open("/sync")
    element = user.find(marker="publish-upload").elements.pop()
    data = sample_reference_path().read_bytes()
    await element.handle_uploads([SmallFileUpload("backend.xlsx", XLSX, data)])
    await user.should_see("Publishing needs an admin login", retries=100)
    await user.should_not_see("permission denied")
    assert central.scalar("SELECT count(*) FROM reference_version") == 0
