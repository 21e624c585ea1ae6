"""The service the UI calls: read + offset in a worker thread, with progress
and a cancel token, returning a preview; nothing else is touched."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bng_desktop.core.errors import MetricError, QuoteCancelled
from bng_desktop.core.progress import CancelToken
from bng_desktop.metric_import import import_metric
from bng_desktop.workspace import Workspace


@pytest.fixture
def path(workbook):
    return workbook("1.0.3", 14).workbook


def test_progress_runs_from_0_to_1_through_read_and_offset(path):
    seen = []
    imported = import_metric(path, progress=lambda *report: seen.append(report))
    fractions = [fraction for _, fraction, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1
    assert {"read", "offset", "done"} <= {stage for stage, _, _ in seen}
    assert f"{len(imported.lines)} demand line(s)" in seen[-1][2]


def test_a_cancelled_import_stops_with_nothing_imported(path):
    token = CancelToken()

    def cancel_on_headline(stage, fraction, message):
        if "Headline" in message:
            token.cancel()

    with pytest.raises(QuoteCancelled, match="nothing was imported"):
        import_metric(path, progress=cancel_on_headline, cancel=token)


def test_the_import_runs_in_a_worker_thread(path):
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: import_metric(path), range(2))
    assert first == second


def test_the_workspace_service_is_the_same_import_and_leaves_the_store_alone(path, tmp_path):
    with Workspace.open(tmp_path / "data") as workspace:
        versions = workspace.references.list_versions()
        assert workspace.import_metric(path) == import_metric(path)
        with pytest.raises(MetricError):
            workspace.import_metric(tmp_path / "missing.xlsx")
        assert workspace.references.list_versions() == versions
        assert workspace.quotes.search() == []


def test_the_preview_has_the_lines_the_report_and_the_files_identity(path):
    preview = import_metric(path)
    assert preview.source.file_name == path.name and len(preview.source.sha256) == 64
    assert [r.unit_type.value for r in preview.source.reports] == [
        "area",
        "hedgerow",
        "watercourse",
    ]
    assert [line.units for line in preview.lines] == [d.units for d in preview.demand]
