"""Generated metric workbooks, shared by every metric test: every variant of
the shared generator over 20 seeds, each in its three forms (as generated,
re-saved as Excel or LibreOffice write it, and as .xlsm).

They are written once into pytest's cache folder, under a key made of the
generator's source and of the modules writing them, so a later session
reuses them (the first one takes a minute or two on a 2-core machine); with
the cache disabled (``-p no:cacheprovider``) they go to a temporary folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bng_desktop.cli import main
from tests.metric import generated as generated_module
from tests.metric import saved_as
from tests.metric.generated import BAD, READABLE, Generated, Spec, generate
from tests.shared_data import GEN_METRIC, SHARED

SEEDS = range(1, 21)
READABLE_SEEDS = SEEDS
BAD_SEEDS = SEEDS
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


def workbook_folder(config: pytest.Config, factory: pytest.TempPathFactory) -> Path:
    """pytest's cache folder for this generator and these writers, or a temporary one."""
    cache = getattr(config, "cache", None)
    if cache is None:
        return factory.mktemp("metric-workbooks")
    sources = [GEN_METRIC, Path(saved_as.__file__), Path(generated_module.__file__)]
    key = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]
    return Path(cache.mkdir("metric-workbooks")) / key


@pytest.fixture(scope="session")
def metric_workbooks(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[Spec, Generated]:
    if not SHARED.is_dir():
        pytest.skip(f"the shared product folder is not beside the repository ({SHARED})")
    folder = workbook_folder(request.config, tmp_path_factory)
    return generate(folder, SPECS, forms=True, reuse=True)


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


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """One data folder for a module's command-line runs."""
    return tmp_path_factory.mktemp("cli-store")


@pytest.fixture
def run(data_dir):
    """``bng --data-dir DATA --quiet ARGS``, in this process: its exit status."""

    def run(*args: str) -> int:
        return main(["--data-dir", str(data_dir), "--quiet", *map(str, args)])

    return run
