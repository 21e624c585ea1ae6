"""Fault injection for the sync tests: a TCP proxy that drops the connection, the
scenario every fault is run against, and the checks that nothing was lost or mixed.

The scenario: a desktop that pulled central version 1 and saved quotes
offline (some on references a colleague has since pushed), while the admin
published version 2. One sync then does every step there is: pull version 2,
push the quotes (some renumbered), pull the colleague's quotes.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

from bng_desktop.core.reference import content_hash
from bng_desktop.settings import sample_reference_path
from bng_desktop.store.tables import SyncOutbox
from bng_desktop.sync.publish import Publisher, publish_data
from bng_desktop.sync.settings import desktop_id
from bng_desktop.workspace import Workspace
from tests.factories import make_quote
from tests.store.builders import rich_reference

OWN_QUOTES = 30
TEAM_QUOTES = 10


class CuttingProxy:
    """127.0.0.1:port → the PostgreSQL server. Once armed with a byte budget
    (both directions, every connection), it forwards that many bytes, then
    closes every stream and refuses new ones, like a network that went away."""

    def __init__(self, host: str, port: int):
        self._target = (host, port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self.transferred = 0
        self.limit: int | None = None
        self.cut = False
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, limit: int | None) -> None:
        with self._lock:
            self.transferred, self.limit, self.cut = 0, limit, False

    def url(self, database_url: str) -> str:
        url = make_url(database_url).set(host="127.0.0.1", port=self.port)
        return url.render_as_string(hide_password=False)

    def close(self) -> None:
        self._server.close()
        self._drop_all()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self.cut:
                client.close()
                continue
            upstream = socket.create_connection(self._target)
            with self._lock:
                self._open += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                data = self._allowed(data)
                if data:
                    dst.sendall(data)
                if self.cut:
                    self._drop_all()
                    return
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                _close(sock)

    def _allowed(self, data: bytes) -> bytes:
        with self._lock:
            if self.limit is not None:
                room = max(self.limit - self.transferred, 0)
                if len(data) >= room:
                    data, self.cut = data[:room], True
            self.transferred += len(data)
            return data

    def _drop_all(self) -> None:
        with self._lock:
            doomed, self._open = self._open, []
        for sock in doomed:
            _close(sock)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other pump
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@dataclass
class Scenario:
    """Templates copied for every run, and what a run must end with."""

    template: Path
    central_url: str
    v1_hash: str
    v2_hash: str
    desktop_id: str
    own_uuids: frozenset[str]

    def fresh_desktop(self, folder: Path) -> Workspace:
        shutil.copytree(self.template, folder)
        return Workspace.open(folder)

    def reset_central(self, central) -> None:
        """Forget the desktop's pushed quotes, as if it had never synced them."""
        central.rows("DELETE FROM quote WHERE desktop_id = :d RETURNING 1", d=self.desktop_id)
        central.rows("UPDATE quote_counter SET last_number = 2024 + :n RETURNING 1", n=TEAM_QUOTES)


def build_scenario(central, root: Path) -> Scenario:
    """Central: version 1, the colleague's quotes, version 2. Desktop: version 1
    pulled, then OWN_QUOTES saved offline (BNG-A-02025 on, the first ten of
    which the colleague holds)."""
    central.reset()
    with Workspace.open(root / "colleague") as colleague:
        admin = Publisher("admin", "admin-desktop")
        with colleague.sync.central_engine(central.url) as engine:
            v1 = publish_data(engine, rich_reference("v1"), source="v1.xlsx", publisher=admin)
        for _ in range(TEAM_QUOTES):
            colleague.quotes.save(make_quote(), client_name="Colleague", author="sam")
        with Workspace.open(root / "template") as desktop:
            assert desktop.sync.sync(central.url).ok
            for n in range(OWN_QUOTES):
                desktop.quotes.save(make_quote(), client_name=f"Client {n}", author="alex")
            own = frozenset(s.uuid for s in desktop.quotes.search(limit=None))
            this_desktop = desktop_id(desktop.settings)
        assert colleague.sync.sync(central.url).ok
        v2 = colleague.sync.publish_workbook(sample_reference_path(), url=central.url)
    return Scenario(
        root / "template", central.url, v1.content_hash, v2.content_hash, this_desktop, own
    )


def pending(workspace: Workspace) -> set[str]:
    outbox = SyncOutbox.__table__
    with workspace.store.read() as conn:
        query = outbox.select().where(outbox.c.sent_at.is_(None))
        return {row.quote_uuid for row in conn.execute(query)}


def check_consistent(workspace: Workspace, scenario: Scenario, central) -> str:
    """After any fault: the old or the new version, whole; no quote lost or
    doubled. Returns the state found, in words."""
    current = workspace.references.current_version()
    assert current.content_hash in (scenario.v1_hash, scenario.v2_hash)
    for version in workspace.references.list_versions():
        data = workspace.references.load_data(version.version_id)
        assert content_hash(data) == version.content_hash, "a version was stored half-way"
    local = {s.uuid: s.reference for s in workspace.quotes.search(limit=None)}
    assert scenario.own_uuids <= set(local), "a quote was lost"
    central_refs = central.quote_refs()
    waiting = pending(workspace)
    for uuid in scenario.own_uuids - waiting:
        assert central_refs[uuid] == local[uuid], "a quote marked sent differs centrally"
    assert len(set(local.values())) == len(local)
    version = "new" if current.content_hash == scenario.v2_hash else "old"
    sent = len(scenario.own_uuids - waiting)
    quotes = "none" if sent == 0 else ("all" if sent == OWN_QUOTES else "some")
    return f"{version} version, {quotes} of the quotes confirmed"


def check_complete(workspace: Workspace, scenario: Scenario, central) -> None:
    """After the clean sync that follows a fault: everything arrived, once."""
    assert workspace.references.current_version().content_hash == scenario.v2_hash
    assert pending(workspace) == set()
    central_refs = central.quote_refs()
    local = {s.uuid: s.reference for s in workspace.quotes.search(limit=None)}
    assert len(local) == OWN_QUOTES + TEAM_QUOTES
    assert {u: central_refs[u] for u in local} == local
    assert len(central_refs) == OWN_QUOTES + TEAM_QUOTES
    assert len(set(central_refs.values())) == len(central_refs)
    first_free = 2025 + TEAM_QUOTES
    expected = {f"BNG-A-{n:05d}" for n in range(first_free, first_free + OWN_QUOTES)}
    assert {local[u] for u in scenario.own_uuids} == expected, "renumbered past the team's"


def record_events(scenario: Scenario, folder: Path, url: str, probe: Callable[[], int]) -> list:
    """A clean run of the scenario: its progress events with ``probe()`` at each."""
    events: list[tuple[int, str, str, int]] = []
    with scenario.fresh_desktop(folder) as workspace:

        def progress(stage: str, fraction: float, message: str) -> None:
            events.append((len(events), stage, message, probe()))

        assert workspace.sync.sync(url, progress=progress).ok
    return events
