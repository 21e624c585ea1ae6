"""Generated metric workbooks, written once per test session into a temporary
folder and shared by every metric test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.metric.generated import BAD, READABLE, Generated, Spec, generate
from tests.shared_data import SHARED

READABLE_SEEDS = range(1, 21)
BAD_SEEDS = range(1, 7)
EXTRA = (
    Spec("1.0.3", 101, ("--offsite", "yes")),
    Spec("1.0.3", 102, ("--target", "0")),
    Spec("1.0.3", 103, ("--target", "0.2")),
    Spec("1.0.3", 104, ("--trading-met", "yes")),
    Spec("1.0.3", 105, ("--baseline-hedgerow", "0", "--baseline-watercourse", "0")),
)
"""Sites the random seeds may miss: off-site units entered, targets 0 and 20%,
trading rules met on site, and linear baselines at the generator's minimum
(0.0001 units: a Net Gain requirement below the 0.0001 threshold, so no line)."""

SPECS = [
    *(Spec(v, s) for v in READABLE for s in READABLE_SEEDS),
    *(Spec(v, s) for v in BAD for s in BAD_SEEDS),
    *EXTRA,
]


@pytest.fixture(scope="session")
def metric_workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[Spec, Generated]:
    if not SHARED.is_dir():
        pytest.skip(f"the shared product folder is not beside the repository ({SHARED})")
    return generate(tmp_path_factory.mktemp("metric-workbooks"), SPECS)


@pytest.fixture(scope="session")
def workbook(metric_workbooks):
    """workbook(variant, seed, *options) → the generated file and its expected JSON."""

    def find(variant: str, seed: int, *options: str) -> Generated:
        return metric_workbooks[Spec(variant, seed, tuple(options))]

    return find


@pytest.fixture
def metric_copy(workbook, tmp_path):
    """A copy of a generated workbook in the test's own folder (to mutate or rename)."""

    def copy(variant: str = "1.0.3", seed: int = 14, name: str = "metric.xlsx") -> Path:
        target = tmp_path / name
        target.write_bytes(workbook(variant, seed).workbook.read_bytes())
        return target

    return copy
