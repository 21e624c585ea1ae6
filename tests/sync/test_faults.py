"""Faults at every step of a sync: the connection cut by a proxy, the backend
terminated by the server, the process killed with SIGKILL (at every step,
and at RANDOM_KILLS random moments).

Every run starts from the same scenario (faults.py: a pull, a push with
renumbering and a team pull all due) and must end with the old or the new
reference version whole, no quote lost or doubled; the clean sync that
follows must complete it all. The counts per fault and outcome are printed
at the end of the test session.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import make_url

from bng_desktop.workspace import Workspace
from tests.sync.conftest import record_fault
from tests.sync.faults import (
    CuttingProxy,
    Scenario,
    build_scenario,
    check_complete,
    check_consistent,
    record_events,
)

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
RANDOM_KILLS = int(os.environ.get("BNG_SYNC_KILL_TRIALS", "8"))
"""SIGKILLs at random moments, besides one at each step (BNG_SYNC_KILL_TRIALS=20
for the full run)."""


@pytest.fixture
def scenario(central, tmp_path) -> Scenario:
    return build_scenario(central, tmp_path / "scenario")


@pytest.fixture
def proxy(central):
    url = make_url(central.url)
    cutting = CuttingProxy(url.host or "127.0.0.1", url.port or 5432)
    yield cutting
    cutting.close()


def outcome_of(report) -> str:
    if report.ok:
        return "completed"
    assert not report.online, f"a dropped connection must read as offline: {report.error}"
    return "offline"


def recover(workspace, scenario: Scenario, central) -> str:
    """Check the state the fault left, then that a clean sync completes it."""
    state = check_consistent(workspace, scenario, central)
    report = workspace.sync.sync(central.url)
    assert report.ok, report.error
    check_complete(workspace, scenario, central)
    workspace.close()
    scenario.reset_central(central)
    return state


def cut_points(events: list, total: int) -> list[int]:
    """Just after each step starts, and half-way to the next, over the whole run."""
    marks = sorted({e[3] for e in events} | {0, total})
    points = {1, total - 1}
    for here, after in itertools.pairwise(marks):
        points |= {here + 1, (here + after) // 2}
    return sorted(p for p in points if 0 < p < total)


def test_the_connection_dropped_at_every_step(scenario, central, proxy, tmp_path):
    url = proxy.url(central.url)
    proxy.arm(None)
    events = record_events(scenario, tmp_path / "clean", url, lambda: proxy.transferred)
    total = proxy.transferred
    scenario.reset_central(central)
    points = cut_points(events, total)
    assert len(points) >= 20
    for n, limit in enumerate(points):
        workspace = scenario.fresh_desktop(tmp_path / f"cut-{n}")
        proxy.arm(limit)
        report = workspace.sync.sync(url)
        proxy.arm(None)
        outcome = outcome_of(report)
        state = recover(workspace, scenario, central)
        record_fault("connection cut by the proxy", f"{outcome}; {state}")


def test_the_backend_terminated_at_every_step(scenario, central, tmp_path):
    events = record_events(scenario, tmp_path / "clean", central.url, lambda: 0)
    scenario.reset_central(central)
    for n in range(len(events)):
        workspace = scenario.fresh_desktop(tmp_path / f"terminate-{n}")
        report = workspace.sync.sync(central.url, progress=terminating_at(n, central))
        outcome = outcome_of(report)
        state = recover(workspace, scenario, central)
        record_fault("backend terminated (pg_terminate_backend)", f"{outcome}; {state}")
    assert len(events) >= 10


def terminating_at(event: int, central):
    """A progress callback that terminates the sync's backends at its n-th event."""
    seen = itertools.count()

    def progress(stage: str, fraction: float, message: str) -> None:
        if next(seen) == event:
            central.terminate_sync_backends()

    return progress


def run_child(folder: Path, url: str, pause_at: int, delay: float | None) -> tuple[str, float]:
    """Start a sync in a child process and SIGKILL it at event ``pause_at``
    (or ``delay`` seconds after it is ready); returns the last line it printed
    and the seconds from ready to then."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.sync.sync_child", str(folder), url, str(pause_at)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    last = ""
    ready = time.perf_counter()
    try:
        for line in child.stdout:
            last = line.strip()
            if last == "READY":
                ready = time.perf_counter()
                if delay is not None:
                    time.sleep(delay)
                    break
            if last == "PAUSED" or last.startswith("DONE"):
                break
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    return last, time.perf_counter() - ready


def test_the_process_killed_mid_pull_and_mid_push(scenario, central, tmp_path):
    events = record_events(scenario, tmp_path / "clean", central.url, lambda: 0)
    scenario.reset_central(central)
    scenario.fresh_desktop(tmp_path / "timed").close()
    last, clean_seconds = run_child(tmp_path / "timed", central.url, -1, None)
    assert last == "DONE ok"
    scenario.reset_central(central)
    rng = random.Random(20251123)
    runs = [(n, None) for n in range(len(events))]
    runs += [(-1, rng.uniform(0, clean_seconds)) for _ in range(RANDOM_KILLS)]
    for n, (pause_at, delay) in enumerate(runs):
        folder = tmp_path / f"kill-{n}"
        scenario.fresh_desktop(folder).close()
        last, _ = run_child(folder, central.url, pause_at, delay)
        killed = "finished first" if last.startswith("DONE") else "killed"
        where = "at a step" if delay is None else "at a random moment"
        state = recover(Workspace.open(folder), scenario, central)
        record_fault(f"process killed (SIGKILL) {where}", f"{killed}; {state}")
