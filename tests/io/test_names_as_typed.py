"""Names as people type them: dashes, quotes, spaces and case make no
difference when a demand line or a workbook row names a habitat; a
TradingRules row naming a Net Gain line is skipped with a warning."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from bng_desktop.core.catalogue import fold
from bng_desktop.core.demand import line_problem, resolve_demand
from bng_desktop.core.errors import ReferenceDataError
from bng_desktop.core.model import DemandLine, net_gain_unit_type
from bng_desktop.core.reference import content_hash
from bng_desktop.io.demand_csv import read_demand_csv
from bng_desktop.io.reference_workbook import read_reference_workbook, write_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts
from tests.io.reference_builders import add_row, edited, set_cell, small_data
from tests.shared_data import snapshot_from_workbook

MODIFIED = "Grassland - Modified grassland"
AS_TYPED = {
    "en dash": "Grassland – Modified grassland",
    "em dash": "Grassland — Modified grassland",
    "minus sign": "Grassland − Modified grassland",
    "non-breaking hyphen": "Grassland ‑ Modified grassland",
    "repeated spaces": "Grassland  -   Modified  grassland",
    "non-breaking spaces": "Grassland\u00a0-\u00a0Modified grassland",
    "tab and case": "GRASSLAND\t- modified Grassland ",
    "zero-width space": "Grassland -\u200b Modified grassland",
}


@pytest.fixture(scope="module")
def facts():
    return load_statutory_facts()


@pytest.fixture
def good(facts, tmp_path) -> Path:
    return write_reference_workbook(small_data(facts), tmp_path / "good.xlsx")


@pytest.mark.parametrize("typed", AS_TYPED.values(), ids=AS_TYPED.keys())
def test_a_name_as_typed_folds_to_the_catalogue_name(typed):
    assert fold(typed) == fold(MODIFIED)


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("Scot’s pine", "Scot's pine"), ("“Other” woodland", '"Other" woodland')],
    ids=["curly apostrophe", "curly quotes"],
)
def test_curly_quotes_fold_to_straight_ones(typed, plain):
    assert fold(typed) == fold(plain)


def test_different_names_stay_different():
    assert fold("Grassland - Modified grassland") != fold("Grassland - Modified grasslands")
    assert fold("Grassland - Modified grassland") != fold("Grassland Modified grassland")


@pytest.mark.parametrize("typed", AS_TYPED.values(), ids=AS_TYPED.keys())
def test_a_demand_line_typed_with_a_dash_resolves_to_the_catalogue_habitat(good, typed):
    snapshot = snapshot_from_workbook(good)
    (line,) = resolve_demand((DemandLine(typed, Fraction(1)),), snapshot)
    assert line.name == MODIFIED
    assert line_problem(typed, 1, snapshot) != "unknown habitat"


def test_a_demand_file_with_an_en_dash_is_quoted_as_the_catalogue_habitat(good, tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text(f"habitat_name,units_required\n{AS_TYPED['en dash']},1.5\n", "utf-8")
    lines = read_demand_csv(path)
    (resolved,) = resolve_demand(lines, snapshot_from_workbook(good), source=path.name)
    assert (resolved.name, resolved.units) == (MODIFIED, Fraction(3, 2))


def test_net_gain_names_fold_too():
    assert net_gain_unit_type("net  gain (AREA)") is net_gain_unit_type("Net Gain (area)")


def test_workbook_rows_naming_a_habitat_with_an_en_dash_are_accepted(good, facts):
    path = edited(good, set_cell("Stock", 2, "habitat_name", "Grassland – Other neutral grassland"))
    data = read_reference_workbook(path, facts)
    assert content_hash(data) == content_hash(small_data(facts))


@pytest.mark.parametrize(
    "row",
    [
        {"demand_habitat": "Net Gain (area)", "allowed_supply_habitat": MODIFIED},
        {"demand_habitat": MODIFIED, "allowed_supply_habitat": "net gain (hedgerow)"},
    ],
    ids=["demand", "supply"],
)
def test_a_trading_rule_naming_a_net_gain_line_is_skipped_with_a_warning(good, facts, row):
    data = read_reference_workbook(edited(good, add_row("TradingRules", **row)), facts)
    assert data.trading_rules == small_data(facts).trading_rules
    (warning,) = [w for w in data.warnings if w.startswith("TradingRules")]
    assert "1 row(s) name a Net Gain line (row 3 " in warning
    assert "skipped" in warning


def test_other_trading_rule_problems_still_refuse_the_workbook(good, facts):
    bad = add_row("TradingRules", demand_habitat="Nonsense", allowed_supply_habitat=MODIFIED)
    with pytest.raises(ReferenceDataError):
        read_reference_workbook(edited(good, bad), facts)
