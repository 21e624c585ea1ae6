"""The app's sync indicator and Sync page, with NiceGUI's simulated user and the real
test database (or a closed port for offline)."""

from __future__ import annotations

import asyncio
import time

import openpyxl
import pytest
from keyring.backends import fail
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload

from bng_desktop.settings import sample_reference_path
from bng_desktop.sync import SyncSettings
from bng_desktop.sync.credentials import PasswordStore
from bng_desktop.ui.components import sync_indicator
from bng_desktop.ui.jobs import JobRunner
from bng_desktop.ui.services import AppServices
from bng_desktop.workspace import Workspace
from tests.factories import make_quote
from tests.sync.keyrings import MemoryKeyring
from tests.ui.test_impact_offer import dearer_prices
from tests.ui.test_impact_page import save_quote, wait_for

CLOSED_PORT_URL = "postgresql://bng@127.0.0.1:1/bng"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def configure(services: AppServices, url: str) -> None:
    services.workspace.sync.save_settings(SyncSettings(url=url))


@pytest.mark.asyncio
async def test_the_indicator_says_offline_when_the_server_cannot_be_reached(user, services):
    await user.open("/")
    await user.should_see("sync not set up")
    configure(services, CLOSED_PORT_URL)
    services.workspace.sync.sync()
    await user.open("/")
    await user.should_see("offline — never synced")


@pytest.mark.asyncio
async def test_sync_now_pushes_and_the_indicator_turns_online(user, services, central):
    services.workspace.quotes.save(make_quote(), client_name="Acme")
    configure(services, central.url)
    await user.open("/sync")
    await user.should_see("1 to send")
    user.find(marker="sync-now").click()
    await user.should_see("Synced.", retries=100)
    await user.should_see("Pushed 1 quote")
    label = user.find(marker="sync-status").elements.pop()
    for _ in range(100):  # the header's timer picks the new status up by itself
        if "online — synced" in label.text:
            break
        await asyncio.sleep(0.1)
    assert "online — synced" in label.text and "to send" not in label.text
    assert central.scalar("SELECT count(*) FROM quote") == 1
    table = user.find(marker="sync-log").elements.pop()
    assert table.rows[0]["result"] == "Synced" and table.rows[0]["pushed"] == 1


@pytest.mark.asyncio
async def test_an_unknown_server_is_reported_in_plain_words(user, services):
    configure(services, "postgresql://bng@db.example.invalid:5432/bng")
    await user.open("/sync")
    user.find(marker="sync-now").click()
    plain = "Cannot reach the team database at db.example.invalid — check the address or your"
    await user.should_see(plain, retries=100)
    table = user.find(marker="sync-log").elements.pop()
    assert table.rows[0]["result"] == "Offline"
    assert table.rows[0]["message"].startswith(plain)
    for jargon in ("Errno", "sslmode", "Name or service not known"):
        await user.should_not_see(jargon)
        assert jargon not in table.rows[0]["message"]


@pytest.mark.asyncio
async def test_the_nav_link_opens_the_sync_page(user):
    await user.open("/")
    user.find(marker="nav-sync").click()
    await user.should_see("Team sync")
    await user.should_see("Team database")


@pytest.mark.asyncio
async def test_publishing_a_workbook_from_the_sync_page(user, services, central, tmp_path):
    configure(services, central.url)
    await user.open("/sync")
    element = user.find(marker="publish-upload").elements.pop()
    data = sample_reference_path().read_bytes()
    await element.handle_uploads([SmallFileUpload("backend.xlsx", XLSX, data)])
    await user.should_see("as the team's version 1", retries=100)
    assert central.scalar("SELECT count(*) FROM reference_version WHERE is_current") == 1


@pytest.mark.asyncio
async def test_a_bad_workbook_is_not_published_and_its_problems_are_listed(
    user, services, central, tmp_path
):
    configure(services, central.url)
    book = openpyxl.load_workbook(sample_reference_path())
    book["Stock"]["D2"] = "lots"
    bad = tmp_path / "broken.xlsx"
    book.save(bad)
    await user.open("/sync")
    element = user.find(ui.upload).elements.pop()
    await element.handle_uploads([SmallFileUpload("broken.xlsx", XLSX, bad.read_bytes())])
    await user.should_see("Not published", retries=100)
    table = user.find(marker="publish-problem-table").elements.pop()
    assert ("Stock", 2, "lots") in {(r["sheet"], r["row"], r["found"]) for r in table.rows}
    assert central.scalar("SELECT count(*) FROM reference_version") == 0


def test_start_up_pulls_the_teams_reference_data_in_the_background(central, tmp_path):
    admin = Workspace.open(tmp_path / "admin")
    published = admin.sync.publish_workbook(sample_reference_path(), url=central.url)
    admin.close()
    workspace = Workspace.open(tmp_path / "data")
    configure_url = SyncSettings(url=central.url)
    workspace.sync.save_settings(configure_url)
    services = AppServices(workspace, JobRunner())
    try:
        services.start()  # returns at once; the pull runs in its thread
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and services.sync_status().online is None:
            time.sleep(0.1)
        assert services.current_version().content_hash == published.content_hash
        assert services.sync_status().online is True
    finally:
        services.close()


@pytest.mark.asyncio
async def test_history_tells_mine_from_the_teams_and_filters_by_author(
    user, services, central, tmp_path
):
    with Workspace.open(tmp_path / "colleague") as colleague:
        colleague.quotes.save(make_quote(), client_name="Their client", author="sam")
        assert colleague.sync.sync(central.url).ok
    services.workspace.quotes.save(make_quote(), client_name="My client", author="alex")
    assert services.workspace.sync.sync(central.url).ok
    await user.open("/history")
    theirs = next(s for s in services.workspace.quotes.search() if s.author == "sam")
    mine = next(s for s in services.workspace.quotes.search() if s.author == "alex")
    assert clients(user, services) == ["My client", "Their client"]
    delete = user.find(marker=f"delete-{theirs.reference}").elements.pop()
    assert not delete.enabled, "a colleague's quote cannot be deleted here"
    assert user.find(marker=f"delete-{mine.reference}").elements.pop().enabled
    await user.should_see("team")
    user.find(marker="filter-whose").elements.pop().value = "team"
    assert clients(user, services) == ["Their client"]
    user.find(marker="filter-whose").elements.pop().value = "all"
    user.find(marker="filter-author").type("alex")
    assert clients(user, services) == ["My client"]


def clients(user, services) -> list[str]:
    """The client names on the history's rows."""
    found = user.find(marker="quote-row").elements
    refs = [next(m[4:] for m in e._markers if m.startswith("row-")) for e in found]
    return sorted(s.client_name for s in services.workspace.quotes.search() if s.reference in refs)


@pytest.mark.asyncio
async def test_the_settings_form_saves_the_url_and_keeps_the_password_off_disk(
    user, services, tmp_path
):
    services.workspace.sync.passwords = PasswordStore(fail.Keyring())  # as with no keyring
    await user.open("/sync")
    user.find(marker="sync-url").type("postgresql://db.invalid:5432/bng")
    user.find(marker="sync-user").type("jo")
    user.find(marker="sync-password").type("form-s3cret")
    user.find(marker="sync-save").click()
    await user.should_see("Saved. Syncing in the background now.", retries=50)
    saved = services.sync_settings()
    assert (saved.url, saved.user) == ("postgresql://db.invalid:5432/bng", "jo")
    assert services.workspace.sync.passwords.get("jo@db.invalid:5432/bng") == "form-s3cret"
    for path in tmp_path.rglob("*"):
        assert not path.is_file() or b"form-s3cret" not in path.read_bytes()


@pytest.mark.asyncio
async def test_the_sync_page_refuses_a_password_in_the_url_and_keeps_one_typed_in_the_keyring(
    user, services, tmp_path, monkeypatch
):
    keyring = MemoryKeyring()
    monkeypatch.setattr(services.workspace.sync.passwords, "_backend", keyring)
    secret = "Zq7xK-page-SECRET"
    await user.open("/sync")
    user.find(marker="sync-url").type(f"postgresql://jo@127.0.0.1:1/bng?password={secret}")
    user.find(marker="sync-save").click()
    await user.should_see("Passwords do not belong in the URL", retries=50)
    assert services.sync_settings().url == ""
    user.find(marker="sync-url").clear().type(f"postgresql://jo:{secret}@127.0.0.1:1/bng")
    user.find(marker="sync-save").click()
    await user.should_see("Saved.", retries=50)
    assert services.sync_settings().url == "postgresql://jo@127.0.0.1:1/bng"
    assert keyring.secrets == {("bng-desktop-central", "jo@127.0.0.1:1/bng"): secret}
    services.workspace.sync.sync()
    await user.open("/sync")
    table = user.find(marker="sync-log").elements.pop()
    assert table.rows and secret not in str(table.rows)
    services.workspace.store.close()
    held = [p for p in tmp_path.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert held == []


def publish_dearer(central, tmp_path) -> None:
    """The team's reference data: the sample with every bank price 10 % higher."""
    book = openpyxl.load_workbook(sample_reference_path())
    dearer_prices(book)
    path = tmp_path / "dearer.xlsx"
    book.save(path)
    admin = Workspace.open(tmp_path / "admin")
    try:
        admin.sync.publish_workbook(path, url=central.url)
    finally:
        admin.close()


@pytest.mark.asyncio
async def test_sync_now_pulling_a_version_offers_its_impact_on_open_quotes(
    user, services, central, tmp_path, monkeypatch
):
    monkeypatch.setattr(sync_indicator, "REFRESH_SECONDS", 3600.0)  # only the pull may update
    reference = save_quote(services, "Acme Homes")
    publish_dearer(central, tmp_path)
    configure(services, central.url)
    await user.open("/sync")
    user.find(marker="sync-now").click()
    await user.should_see("Synced.", retries=100)
    await user.should_see(
        "Version 2 pulled from the team database. See what it does to 1 open quote."
    )
    header = user.find(marker="sync-status").elements.pop().text
    assert header.startswith("reference v2 "), "the header lags the pulled version"
    user.find(marker="impact-offer-open").click()
    await wait_for(user, "1 open quote: 1 dearer")
    table = user.find(marker="impact-table").elements.pop()
    assert [row["reference"] for row in table.rows] == [reference]


@pytest.mark.asyncio
async def test_a_background_pull_offers_its_impact_below_the_header(
    user, services, central, tmp_path
):
    save_quote(services, "Acme Homes")
    publish_dearer(central, tmp_path)
    configure(services, central.url)
    await user.open("/history")
    await user.should_not_see(marker="impact-offer")
    services.background_sync.run_once()
    await wait_for(user, "Version 2 pulled from the team database. See what it does to 1")
    user.find(marker="pulled-banner-dismiss").click()
    await user.should_not_see(marker="impact-offer")
    await user.open("/history")  # another window is told too, and follows the offer
    await wait_for(user, "Version 2 pulled from the team database. See what it does to 1")
    user.find(marker="impact-offer-open").click()
    await wait_for(user, "1 open quote: 1 dearer")
    assert user.find(marker="impact-version").elements.pop().value == 2
