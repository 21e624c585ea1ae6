"""kill -9 during quote saves: every save that returned is there, under its reference,
with its outbox entry; nothing half-saved; the next number is a fresh one.

A child process (save_child.py) saves quotes in a loop into a real SQLite
file and is killed with SIGKILL at a random moment (mid-save, mid-commit,
between saves); the store is then opened again and checked. The trials run
one after the other on the same file, so each also starts from a store a
kill left behind. BNG_KILL_TRIALS sets how many (a handful by default; the
full run is BNG_KILL_TRIALS=100).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from bng_desktop.settings import Paths
from bng_desktop.store import QuoteRepository, open_store
from tests.factories import make_quote

REPO = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("BNG_KILL_TRIALS", "5"))
LONGEST_RUN_S = 0.4
"""Kills land this long after the child is ready at the latest (dozens of saves)."""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def run_and_kill(data_dir: Path, delay: float) -> list[tuple[str, str]]:
    """Start saving in a child, SIGKILL it ``delay`` s after READY; the
    (uuid, reference) of every save it reported as returned."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store.save_child", str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "READY"
        time.sleep(delay)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    reported = []
    for line in child.stdout.read().splitlines():
        if line.startswith("SAVED "):
            _, uuid, reference = line.split()
            reported.append((uuid, reference))
    child.stdout.close()
    return reported


def check_store(paths: Paths, reported: list[tuple[str, str]]) -> None:
    with open_store(paths) as store:
        with store.read() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            stored = dict(conn.execute(text("SELECT uuid, reference FROM quote")).all())
            queued = set(conn.execute(text("SELECT quote_uuid FROM sync_outbox")).scalars())
        for uuid, reference in reported:
            assert stored.get(uuid) == reference, f"a saved quote was lost: {reference}"
        assert queued == set(stored), "a quote without its outbox entry, or the reverse"
        assert len(set(stored.values())) == len(stored)
        fresh = QuoteRepository(store).save(make_quote(), client_name="After the kill")
        assert fresh.reference not in stored.values()
        assert fresh.reference > max(stored.values(), default="")


def test_kill_9_during_saves_loses_nothing_that_was_saved(paths: Paths) -> None:
    open_store(paths).close()
    rng = random.Random(20261205)
    saves = 0
    for _ in range(TRIALS):
        reported = run_and_kill(paths.data_dir, rng.uniform(0, LONGEST_RUN_S))
        saves += len(reported)
        check_store(paths, reported)
    print(f"kill -9 during saves: {TRIALS} trials, {saves} saves reported, none lost")
    assert saves > 0, "the kills landed while quotes were being saved"
