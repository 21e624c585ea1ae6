"""Saved quotes to the CRM against a local Attio stand-in: one record per
reference (a second send updates it), 429 waits as asked, a refused token is
reported, offline quotes wait and go later, and nothing is queued when no
CRM is set up."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from keyring.backends import fail

from bng_desktop.cli import main
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.crm import CrmSettings, CrmSync
from bng_desktop.sync.credentials import PasswordStore
from bng_desktop.sync.scheduler import BackgroundSync
from bng_desktop.workspace import Workspace
from tests.crm.fake_attio import FakeAttio, Scripted

TOKEN = "attio-test-token-3f9c"
SITE = Site(lpa="Winchester", nca="South Downs", label="Land at Bushfield Camp")
DEMAND = (DemandLine("Grassland - Modified grassland", Fraction(3, 2)),)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def workspace(tmp_path, clock):
    with Workspace.open(tmp_path / "data") as ws:
        ws.ensure_reference()
        tokens = PasswordStore(fail.Keyring(), service="bng-test-crm", environment="BNG_UNSET_ENV")
        ws.crm = CrmSync(ws.settings, ws.crm.outbox, tokens, clock=clock)
        yield ws


def set_up(ws: Workspace, url: str, token: str = TOKEN) -> None:
    ws.crm.configure(CrmSettings(enabled=True, base_url=url, object_slug="quotes"), token)


def save(ws: Workspace, client: str = "Acme Homes") -> str:
    return ws.save_quote(ws.quote(QuoteRequest(SITE, DEMAND)), client_name=client).reference


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_nothing_is_queued_when_no_crm_is_set_up(workspace) -> None:
    save(workspace)
    assert workspace.crm.state().waiting == 0
    assert workspace.crm.push_due().message == "The CRM is not set up."


def test_the_first_send_creates_and_a_second_updates_the_same_record(workspace, clock) -> None:
    with FakeAttio(TOKEN) as attio:
        set_up(workspace, attio.url)
        reference = save(workspace)
        assert workspace.crm.push_due().sent == 1
        (request,) = attio.requests
        assert request["path"] == "/v2/objects/quotes/records"
        assert request["query"] == {"matching_attribute": ["reference"]}
        assert request["auth"] == f"Bearer {TOKEN}"
        values = request["body"]["data"]["values"]
        assert values["reference"] == reference and values["client"] == "Acme Homes"
        assert values["site"] == "Land at Bushfield Camp"
        assert values["total"] == workspace.quotes.get(reference).quote.totals.display_total
        first_id = workspace.crm.outbox.record_id(reference)

        saved = workspace.quotes.get(reference)
        workspace.crm.outbox.queue(reference, {**values, "client": "Acme Homes Ltd"}, clock())
        assert workspace.crm.push_due().sent == 1
        assert len(attio.records) == 1, "one record per quote reference"
        assert attio.records[("quotes", reference)]["values"]["client"] == "Acme Homes Ltd"
        assert workspace.crm.outbox.record_id(reference) == first_id
        assert saved.reference == reference


def test_a_429_waits_as_long_as_the_crm_asks_then_sends(workspace, clock) -> None:
    with FakeAttio(TOKEN) as attio:
        set_up(workspace, attio.url)
        attio.script.append(Scripted(429, {"Retry-After": "20"}))
        save(workspace)
        first = workspace.crm.push_due()
        assert first.sent == 0 and first.waiting == 1
        assert "asked to wait 20 s" in first.message
        clock.advance(10)
        assert workspace.crm.push_due().sent == 0, "not before Retry-After"
        clock.advance(11)
        assert workspace.crm.push_due().sent == 1
        assert workspace.crm.state().waiting == 0


def test_a_refused_token_is_reported_and_the_quote_waits(workspace) -> None:
    with FakeAttio(TOKEN) as attio:
        set_up(workspace, attio.url, token="an-old-token")
        save(workspace)
        result = workspace.crm.push_due()
        assert result.sent == 0 and result.waiting == 1
        assert result.message.startswith("The CRM token is not accepted")
        set_up(workspace, attio.url)
        assert workspace.crm.push_due().sent == 1


def test_offline_quotes_wait_and_go_when_the_crm_is_back(workspace, clock) -> None:
    set_up(workspace, closed_port_url())
    save(workspace, "Acme Homes")
    save(workspace, "Brook Estates")
    offline = workspace.crm.push_due()
    assert offline.sent == 0 and offline.waiting == 2
    assert offline.message.startswith("Cannot reach the CRM")
    with FakeAttio(TOKEN) as attio:
        set_up(workspace, attio.url)
        assert workspace.crm.push_due().sent == 1, "the other is not due yet"
        clock.advance(31)
        assert workspace.crm.push_due().sent == 1
        assert len(attio.records) == 2
    assert workspace.crm.state().waiting == 0


def test_the_token_is_never_written_to_the_data_folder(workspace, tmp_path) -> None:
    with FakeAttio(TOKEN) as attio:
        set_up(workspace, attio.url)
        save(workspace)
        workspace.crm.push_due()
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path.name


def test_the_command_line_sets_up_pushes_and_reports(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("BNG_CRM_TOKEN", TOKEN)
    data = ["--data-dir", str(tmp_path / "cli"), "--quiet"]
    with FakeAttio(TOKEN) as attio:
        assert main([*data, "crm", "setup", "--url", attio.url, "--object", "quotes"]) == 0
        assert "CRM push on" in capsys.readouterr().out
        demand = tmp_path / "demand.csv"
        demand.write_text("habitat_name,units_required\nGrassland - Modified grassland,1.5\n")
        site = ["--lpa", "Winchester", "--nca", "South Downs"]
        assert main([*data, "quote", "--demand", str(demand), *site, "--save"]) == 0
        capsys.readouterr()
        assert main([*data, "crm", "status"]) == 0
        assert "1 waiting, 0 sent" in capsys.readouterr().out
        assert main([*data, "crm", "push"]) == 0
        assert "Sent 1 to the CRM. 0 waiting." in capsys.readouterr().out
        assert len(attio.records) == 1


def test_the_apps_background_round_sends_saved_quotes_without_a_team_database(workspace) -> None:
    with FakeAttio(TOKEN) as attio:
        set_up(workspace, attio.url)
        reference = save(workspace)
        assert not workspace.sync.settings().configured
        BackgroundSync(workspace.sync, workspace.crm.push_due).run_once()
        assert ("quotes", reference) in attio.records
        assert workspace.crm.state().waiting == 0
