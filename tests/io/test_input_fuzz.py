"""A small sample of the input fuzz run (the heavy run: benchmarks/fuzz_inputs.py):
mutated reference workbooks and bad demand CSVs each end in an import or the
product's own refusal naming the file, within the bound, the store unchanged."""

from __future__ import annotations

import pytest

from bng_desktop.workspace import Workspace
from tests.io.input_fuzz import DEMAND_FAMILIES, reference_bases, run_demand, run_reference
from tests.shared_data import needs_shared

FAILED = ("TRACEBACK", "HANG", "WRONG")


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "data") as workspace:
        workspace.ensure_reference()
        yield workspace


@needs_shared
def test_mutated_reference_workbooks_are_imported_or_refused_cleanly(workspace, tmp_path):
    bases = reference_bases(tmp_path, range(1, 2))
    tally = run_reference(workspace, bases, 40, seed=11, folder=tmp_path)
    assert not any(tally.outcomes[o] for o in FAILED), tally.summary("reference")
    assert sum(tally.outcomes.values()) == 40
    assert tally.outcomes["refused"] > 0


def test_bad_demand_files_are_read_or_refused_cleanly(workspace, tmp_path):
    tally = run_demand(workspace, 60, seed=11, folder=tmp_path)
    assert not any(tally.outcomes[o] for o in FAILED), tally.summary("demand")
    assert tally.outcomes["refused"] > 0 and tally.outcomes["read"] > 0
    assert len({family for family, _ in tally.by_family}) > len(DEMAND_FAMILIES) // 2
