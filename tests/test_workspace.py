"""The service layer: first run, result cache, re-quotes across versions."""

from __future__ import annotations

from fractions import Fraction

import openpyxl
import pytest

import bng_desktop.workspace as workspace_module
from bng_desktop.core import canonical, rounding, tiers, trading
from bng_desktop.core.bands import Tier, UnitType
from bng_desktop.core.errors import ReferenceDataError
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.sync.settings import SyncSettings
from bng_desktop.workspace import SAMPLE_SOURCE, Workspace

DEMAND = (
    DemandLine("Grassland - Modified grassland", Fraction(12, 10)),
    DemandLine("Net Gain (area)", Fraction(8, 10)),
)
SITE = Site(lpa="Winchester", nca="South Downs")


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "data") as ws:
        yield ws


def test_first_run_loads_the_sample_once(workspace):
    loaded = workspace.ensure_reference()
    assert loaded is not None and loaded.source == SAMPLE_SOURCE
    assert workspace.ensure_reference() is None
    assert [v.version_id for v in workspace.references.list_versions()] == [1]


def test_site_neighbours_come_from_the_reference_data_when_not_given(workspace):
    quote = workspace.quote(QuoteRequest(SITE, DEMAND))
    assert "Test Valley" in quote.request.site.lpa_neighbours
    given = Site(lpa="Winchester", lpa_neighbours=("Eastleigh",))
    assert workspace.quote(QuoteRequest(given, DEMAND)).request.site.lpa_neighbours == (
        "Eastleigh",
    )


def test_an_identical_request_is_answered_from_the_cache(workspace, monkeypatch):
    first = workspace.quote(QuoteRequest(SITE, DEMAND))
    assert workspace.cache.size() == 1

    def refuse(*args, **kwargs):
        raise AssertionError("the engine ran for a cached request")

    monkeypatch.setattr(workspace_module, "make_quote", refuse)
    again = workspace.quote(QuoteRequest(SITE, DEMAND))
    assert again == first
    with pytest.raises(AssertionError, match="engine ran"):
        workspace.quote(QuoteRequest(SITE, DEMAND), use_cache=False)


class EngineRuns:
    """Counts the engine's runs, passing each request through to it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.count = 0
        engine = workspace_module.make_quote

        def counted(*args, **kwargs):
            self.count += 1
            return engine(*args, **kwargs)

        monkeypatch.setattr(workspace_module, "make_quote", counted)


UPGRADES = [
    ("application version", lambda mp: mp.setattr(canonical, "__version__", "99.0.0")),
    (
        "spatial risk multiplier",
        lambda mp: mp.setitem(tiers.SPATIAL_RISK_MULTIPLIER, Tier.FAR, Fraction(1, 3)),
    ),
    (
        "trading rule",
        lambda mp: mp.setitem(trading._DEFAULT_RULES, UnitType.HEDGEROW, lambda d, s: False),
    ),
    ("display rounding", lambda mp: mp.setattr(rounding, "PRICE_STEP", 100)),
]


@pytest.mark.parametrize("upgrade", [u[1] for u in UPGRADES], ids=[u[0] for u in UPGRADES])
def test_an_upgrade_or_a_changed_rule_table_misses_the_cache(workspace, monkeypatch, upgrade):
    runs = EngineRuns(monkeypatch)
    workspace.quote(QuoteRequest(SITE, DEMAND))
    workspace.quote(QuoteRequest(SITE, DEMAND))
    assert runs.count == 1
    upgrade(monkeypatch)
    workspace.quote(QuoteRequest(SITE, DEMAND))
    assert runs.count == 2
    assert workspace.cache.size() == 2
    workspace.quote(QuoteRequest(SITE, DEMAND))
    assert runs.count == 2


def test_a_data_folder_from_an_older_version_is_not_answered_from_its_cache(tmp_path, monkeypatch):
    """The issue's case: a data folder kept across an upgrade. Its cache
    entries stay on disk, but the upgraded application quotes afresh."""
    monkeypatch.setattr(canonical, "__version__", "1.0.0")
    with Workspace.open(tmp_path / "data") as before:
        before.quote(QuoteRequest(SITE, DEMAND))
        assert before.cache.size() == 1
    monkeypatch.setattr(canonical, "__version__", "1.1.0")
    with Workspace.open(tmp_path / "data") as after:
        runs = EngineRuns(monkeypatch)
        after.quote(QuoteRequest(SITE, DEMAND))
        assert runs.count == 1
        assert after.cache.size() == 2


def test_changed_reference_data_is_not_answered_from_the_old_cache(workspace, tmp_path):
    first = workspace.quote(QuoteRequest(SITE, DEMAND))
    exported = workspace.export_reference(tmp_path / "backend.xlsx")
    book = openpyxl.load_workbook(exported)
    prices = book["Pricing"]
    for row in prices.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].value = row[0].value * 2
    book.save(exported)
    workspace.import_reference(exported)
    second = workspace.quote(QuoteRequest(SITE, DEMAND))
    assert (first.reference_version, second.reference_version) == (1, 2)
    assert second.totals.optimiser_cost == 2 * first.totals.optimiser_cost
    assert workspace.cache.size() == 2


def test_identical_content_under_a_new_version_reuses_the_answer(workspace, tmp_path):
    first = workspace.quote(QuoteRequest(SITE, DEMAND))
    workspace.import_reference(workspace.export_reference(tmp_path / "backend.xlsx"))
    second = workspace.quote(QuoteRequest(SITE, DEMAND))
    assert second.reference_version == 2 and second.lines == first.lines
    assert workspace.cache.size() == 1


def test_requote_reoptimises_on_the_current_version_or_copies(workspace, tmp_path):
    saved = workspace.save_quote(workspace.quote(QuoteRequest(SITE, DEMAND)), client_name="Acme")
    workspace.import_reference(workspace.export_reference(tmp_path / "backend.xlsx"))
    workspace.cache.clear()
    fresh = workspace.requote(saved.reference)
    copied = workspace.requote(saved.reference, copy_lines=True)
    assert fresh.reference_version == 2
    assert copied == saved.quote and copied.reference_version == 1
    revision = workspace.save_revision(saved.reference, fresh)
    assert revision.reference == f"{saved.reference}.1"
    assert revision.client_name == "Acme"


def test_an_imported_version_records_who_imported_it(workspace, tmp_path):
    """The name this desktop's quotes carry for colleagues; the sample has none."""
    workspace.ensure_reference()
    sample = workspace.references.current_version()
    workspace.sync.save_settings(SyncSettings(author="Jane Smith"))
    imported = workspace.import_reference(workspace.export_reference(tmp_path / "backend.xlsx"))
    assert (sample.imported_by, imported.imported_by) == ("", "Jane Smith")
    kept = {v.version_id: v for v in workspace.references.list_versions()}
    assert kept[imported.version_id].imported_by == "Jane Smith"
    assert workspace.version_origin(kept[imported.version_id]).when().endswith(" by Jane Smith")
    assert " by " not in workspace.version_origin(kept[sample.version_id]).when()


def test_a_bad_workbook_leaves_the_store_as_it_was(workspace, tmp_path):
    workspace.ensure_reference()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(ReferenceDataError):
        workspace.import_reference(broken)
    versions = workspace.references.list_versions()
    assert [v.version_id for v in versions] == [1] and versions[0].is_current


def test_a_quote_the_time_limit_left_unproven_is_not_kept_in_the_result_cache(
    workspace, tmp_path, monkeypatch
):
    """What a time-limited search finds depends on the machine's load: the
    same request asked again is solved again (and here proven)."""
    from tests.core.engine_builders import SITE
    from tests.timeouts import DEMAND, shared_stock_workbook, time_up_after_the_first_solve

    workspace.import_reference(shared_stock_workbook(tmp_path))
    request = QuoteRequest(SITE, tuple(DemandLine(name, units) for name, units in DEMAND))
    with monkeypatch.context() as patch:
        time_up_after_the_first_solve(patch)
        assert not workspace.quote(request).solver.optimal
    assert workspace.quote(request).solver.optimal
    assert workspace.quote(request).solver.optimal  # a proven answer is kept
