"""Fuzzing the reader (tests/metric/fuzz.py): the shared generator's workbooks
as they are (every variant, as generated, re-saved as Excel or LibreOffice
write them, as .xlsm), and those mutated — truncated archives, flipped bytes,
wrong values, bad numbers and bad shared strings in the cells read, deleted,
renamed and missing sheets, shifted rows and columns, declared dimensions,
cells far right and far down, formatted rows and columns, sheets really
holding over a million cells, zip and entity bombs, broken XML, formulas
without values, changed headers.

Every file is either imported whole or refused with a MetricError naming the
file; an unmutated file gives exactly what the generator expects. None takes
more processor time than the read budget allows (plus the package checks and
the offsetting), and an alarm stops a hang. The counts are printed: imported,
and refused by kind; with the slowest file and the run's peak memory.
"""

from __future__ import annotations

import json
import random
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bng_desktop.core.errors import BngError, MetricError
from bng_desktop.core.model import NET_GAIN_NAMES
from bng_desktop.core.offsetting import TINY
from bng_desktop.io.metric.budget import MAX_READ_SECONDS
from bng_desktop.io.metric.to_json import import_to_json
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.metric_import import import_metric
from tests.alarm import raised_after
from tests.metric.compare import line_differences
from tests.metric.conftest import SPECS
from tests.metric.fuzz import MUTATIONS, mutated
from tests.metric.generated import FORMS, Generated, Spec

BASES = [
    (Spec(variant, seed), form)
    for variant, seed in [
        ("1.0.3", 14), ("1.0.4", 7), ("libreoffice", 3), ("1.0.2", 11), ("hedge-unknown-label", 4)
    ]
    for form in FORMS
]  # fmt: skip
"""What is mutated: five readable workbooks, each in its three forms."""
CPU_LIMIT = MAX_READ_SECONDS + 2.0
"""The read budget, and the package checks and offsetting around it."""
ALARM_SECONDS = 60.0
"""Wall time before a file counts as a hang (the machine may be shared)."""
FACTS = load_statutory_facts()


class FuzzTimeout(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` can swallow it."""


def alarm_after(seconds: float, what: str):
    """The block stopped with FuzzTimeout after ``seconds`` of wall time."""
    return raised_after(seconds, FuzzTimeout(f"{what}: no answer within {seconds} s"))


@dataclass
class Run:
    """What a fuzz run met: outcomes, mutation families, the slowest file."""

    outcomes: Counter = field(default_factory=Counter)
    families: Counter = field(default_factory=Counter)
    by_family: Counter = field(default_factory=Counter)
    slowest: tuple[float, str] = (0.0, "")

    def record(self, path: Path, what: str, expected: dict | None = None) -> str:
        started = time.thread_time()
        try:
            with alarm_after(ALARM_SECONDS, what):
                result = outcome(path, what, expected)
        finally:
            spent = time.thread_time() - started
            self.slowest = max(self.slowest, (spent, what))
        assert spent < CPU_LIMIT, f"{what}: {spent:.1f} s of processor time"
        self.outcomes[result] += 1
        return result

    def report(self, title: str, seconds: float, capsys) -> None:
        refused = {k.split(": ")[1]: n for k, n in sorted(self.outcomes.items()) if k != "imported"}
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with capsys.disabled():
            print(
                f"\nfuzz: {title} in {seconds:.1f} s — imported {self.outcomes['imported']}, "
                f"refused {sum(refused.values())}: {refused}; slowest {self.slowest[0]:.2f} s "
                f"processor time ({self.slowest[1]}); peak memory of the test process "
                f"{peak:.0f} MB"
            )
            print("  by mutation (a file mutated twice counts under both):")
            for family in sorted({name for name, _ in self.by_family}):
                found = {o: n for (f, o), n in self.by_family.items() if f == family}
                print(f"    {family}: {dict(sorted(found.items()))}")


def outcome(path: Path, what: str, expected: dict | None) -> str:
    """'imported' or 'refused: <kind>'; fails the test on anything else."""
    try:
        imported = import_metric(path)
    except BngError as error:
        assert isinstance(error, MetricError), f"{what}: {error!r}"
        assert str(error).startswith(path.name), f"{what}: {error}"
        assert str(error).endswith("Nothing was imported."), what
        assert expected is None or error.kind == expected.get("error"), f"{what}: {error}"
        return f"refused: {error.kind}"
    assert_whole(imported, what)
    if expected is not None:
        assert "error" not in expected, f"{what} was imported"
        found = import_to_json(imported)["lines"]
        assert not line_differences(found, expected["demand_lines"]), what
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


def as_generated(run: Run, workbooks: list[tuple[Generated, str]], tmp_path: Path) -> None:
    """The generator's workbooks unmutated: each gives what the generator expects."""
    for generated, form in workbooks:
        source = generated.form(form)
        path = tmp_path / f"as-generated{source.suffix}"
        path.write_bytes(source.read_bytes())
        run.record(path, f"{generated.id} ({form})", generated.expected)


def mutations(run: Run, count: int, seed: int, workbooks: dict, tmp_path: Path) -> None:
    rng = random.Random(seed)
    bases = [
        (workbooks[spec].form(form).suffix, workbooks[spec].form(form)) for spec, form in BASES
    ]
    loaded = [(suffix, path.read_bytes()) for suffix, path in bases]
    for number in range(count):
        suffix, base = rng.choice(loaded)
        names, data = mutated(base, rng)
        path = tmp_path / f"fuzz-{number}{suffix}"
        path.write_bytes(data)
        result = run.record(path, f"file {number} ({names})")
        run.families.update(names.split("+"))
        run.by_family.update((name, result) for name in names.split("+"))
        path.unlink()


def corpus_sample(workbooks: dict, count: int, seed: int) -> list[tuple[Generated, str]]:
    """``count`` generated workbooks over every variant and form, seeded."""
    rng = random.Random(seed)
    pairs = [(workbooks[spec], form) for spec in SPECS for form in FORMS]
    by_variant: dict[str, list] = {}
    for pair in pairs:
        by_variant.setdefault(pair[0].spec.variant, []).append(pair)
    picked = [rng.choice(group) for group in by_variant.values()]
    return picked + rng.sample([p for p in pairs if p not in picked], count - len(picked))


def test_fuzz_smoke(metric_workbooks, tmp_path, capsys):
    started = time.perf_counter()
    run = Run()
    as_generated(run, corpus_sample(metric_workbooks, 10, seed=1), tmp_path)
    mutations(run, 50, seed=1, workbooks=metric_workbooks, tmp_path=tmp_path)
    run.report("10 generated and 50 mutated workbooks", time.perf_counter() - started, capsys)
    assert sum(run.outcomes.values()) == 60


@pytest.mark.slow
def test_fuzz_over_a_thousand_workbooks(metric_workbooks, tmp_path, capsys):
    started = time.perf_counter()
    run = Run()
    as_generated(run, corpus_sample(metric_workbooks, 150, seed=2), tmp_path)
    mutations(run, 900, seed=2, workbooks=metric_workbooks, tmp_path=tmp_path)
    run.report("150 generated and 900 mutated workbooks", time.perf_counter() - started, capsys)
    assert sum(run.outcomes.values()) == 1050
    assert set(run.families) == set(MUTATIONS)
    assert run.outcomes["imported"] > 100
    kinds = {k for k in run.outcomes if k.startswith("refused")}
    assert {
        "refused: hostile",
        "refused: damaged",
        "refused: layout",
        "refused: bad-value",
    } <= kinds
