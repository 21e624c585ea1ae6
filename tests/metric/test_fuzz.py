"""Fuzzing the reader with mutated workbooks (tests/metric/fuzz.py): truncated
archives, flipped bytes, wrong cell types in the value cells, deleted and
renamed sheets, shifted rows and columns, huge dimensions, zip and entity
bombs, broken XML, formulas without values, changed headers.

Every file is either imported whole or refused with a BngError message; no
other exception, and none takes longer than TIME_LIMIT seconds (an alarm
stops a hang). The counts are printed: imported, and refused by kind.
"""

from __future__ import annotations

import json
import random
import signal
import time
from collections import Counter
from contextlib import contextmanager

import pytest

from bng_desktop.core.errors import BngError, MetricError
from bng_desktop.core.model import NET_GAIN_NAMES
from bng_desktop.core.offsetting import TINY
from bng_desktop.io.metric.to_json import import_to_json
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.metric_import import import_metric
from tests.metric.fuzz import MUTATIONS, mutated

BASES = [("1.0.3", 14), ("1.0.4", 7), ("libreoffice", 3), ("1.0.2", 11), ("hedge-unknown-label", 4)]
TIME_LIMIT = 10.0
FACTS = load_statutory_facts()


class FuzzTimeout(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` can swallow it."""


@contextmanager
def time_limit(seconds: float, what: str):
    if not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):
        raise FuzzTimeout(f"{what}: no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def outcome(path, what: str) -> str:
    """'imported' or 'refused: <kind>'; fails the test on anything else."""
    started = time.perf_counter()
    try:
        with time_limit(TIME_LIMIT, what):
            imported = import_metric(path)
    except BngError as error:
        assert isinstance(error, MetricError), f"{what}: {error!r}"
        assert str(error).endswith("Nothing was imported."), what
        return f"refused: {error.kind}"
    finally:
        assert time.perf_counter() - started < TIME_LIMIT, what
    assert_whole(imported, what)
    return "imported"


def assert_whole(imported, what: str) -> None:
    """An import is all there: three reports, lines that can be quoted, storable."""
    assert [r.unit_type.value for r in imported.source.reports] == [
        "area",
        "hedgerow",
        "watercourse",
    ], what
    for line in imported.lines:
        assert line.units > TINY, what
        known = FACTS.habitat(line.habitat_name) is not None
        assert known or line.habitat_name == NET_GAIN_NAMES[line.unit_type], what
    json.dumps(import_to_json(imported))


def fuzz(count: int, seed: int, workbook, tmp_path) -> Counter:
    rng = random.Random(seed)
    bases = [workbook(*base).workbook.read_bytes() for base in BASES]
    outcomes: Counter = Counter()
    families: Counter = Counter()
    for number in range(count):
        names, data = mutated(rng.choice(bases), rng)
        path = tmp_path / f"fuzz-{number}.xlsx"
        path.write_bytes(data)
        outcomes[outcome(path, f"file {number} ({names})")] += 1
        families.update(names.split("+"))
        path.unlink()
    assert set(families) == set(MUTATIONS) or count < 200
    return outcomes


def report(outcomes: Counter, count: int, seconds: float, capsys) -> None:
    refused = {k.split(": ")[1]: n for k, n in sorted(outcomes.items()) if k != "imported"}
    with capsys.disabled():
        print(
            f"\nfuzz: {count} mutated workbooks in {seconds:.1f} s — imported "
            f"{outcomes['imported']}, refused {sum(refused.values())}: {refused}"
        )


def test_fuzz_smoke(workbook, tmp_path, capsys):
    started = time.perf_counter()
    outcomes = fuzz(50, seed=1, workbook=workbook, tmp_path=tmp_path)
    report(outcomes, 50, time.perf_counter() - started, capsys)
    assert sum(outcomes.values()) == 50


@pytest.mark.slow
def test_fuzz_a_thousand_workbooks(workbook, tmp_path, capsys):
    started = time.perf_counter()
    outcomes = fuzz(1000, seed=2, workbook=workbook, tmp_path=tmp_path)
    report(outcomes, 1000, time.perf_counter() - started, capsys)
    assert outcomes["imported"] > 50
    kinds = {k for k in outcomes if k.startswith("refused")}
    assert {"refused: hostile", "refused: damaged", "refused: layout"} <= kinds
