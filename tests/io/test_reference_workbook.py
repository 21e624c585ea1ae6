"""Backend reference workbook: import, validation of every row, export, round trips."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from bng_desktop.core.bands import Band, UnitType
from bng_desktop.core.catalogue import INTERTIDAL_GROUP
from bng_desktop.core.errors import ReferenceDataError
from bng_desktop.core.model import (
    ReferenceData,
    StockLine,
)
from bng_desktop.core.reference import content_hash
from bng_desktop.io.reference_workbook import read_reference_workbook, write_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.settings import sample_reference_path
from tests.io.reference_builders import (
    add_row,
    drop_column,
    drop_rows,
    drop_sheet,
    edited,
    problems_of,
    set_cell,
    small_data,
)
from tests.metric import mutate

SHARED = Path(__file__).resolve().parents[3] / "shared"
ACCEPTANCE = sorted((SHARED / "acceptance").glob("*/backend.xlsx"))
GENERATOR = SHARED / "bench" / "gen_reference.py"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared product folder is not beside the repository ({SHARED})"
)


@pytest.fixture(scope="module")
def facts():
    return load_statutory_facts()


def round_trip(path: Path, facts, tmp_path: Path) -> tuple[ReferenceData, ReferenceData]:
    first = read_reference_workbook(path, facts)
    written = write_reference_workbook(first, tmp_path / "round-trip.xlsx")
    return first, read_reference_workbook(written, facts)


# ---------------------------------------------------------------- real-format workbooks


@needs_shared
@pytest.mark.parametrize("path", ACCEPTANCE, ids=lambda p: p.parent.name)
def test_acceptance_workbook_imports_and_round_trips(path, facts, tmp_path):
    first, second = round_trip(path, facts, tmp_path)
    assert first.banks and first.stock and first.prices and first.habitats
    assert first.warnings == ()
    assert content_hash(second) == content_hash(first)


@needs_shared
@pytest.mark.parametrize("case", ["gen-900-b2-l2", "trap-bank-cap"])
def test_acceptance_catalogue_without_extra_columns_falls_back_to_statutory_facts(case, facts):
    """Their catalogues carry no irreplaceable / trading_broad_habitat columns."""
    data = read_reference_workbook(SHARED / "acceptance" / case / "backend.xlsx", facts)
    for habitat in data.habitats:
        known = facts.habitat(habitat.name)
        assert habitat.trading_broad_habitat == known.trading_broad_habitat
        assert habitat.irreplaceable is known.irreplaceable


def test_sample_imports_with_no_problem_and_no_warning(facts, tmp_path):
    first, second = round_trip(sample_reference_path(), facts, tmp_path)
    assert first.warnings == ()
    assert len(first.habitats) == 150
    assert sum(h.irreplaceable for h in first.habitats) == 3
    assert len(first.banks) == 20
    assert content_hash(second) == content_hash(first)
    stocked = {h.name: h for h in first.habitats}
    held = [stocked[s.habitat_name] for s in first.stock]
    assert not any(h.irreplaceable or h.band is Band.V_LOW for h in held)
    assert {h.unit_type for h in held} == set(UnitType)
    assert all(p.price % 50 == 0 for p in first.prices)


def test_sample_says_it_is_sample_data_on_its_first_sheet():
    workbook = openpyxl.load_workbook(sample_reference_path(), read_only=True)
    try:
        assert workbook.sheetnames[0] == "About"
        text = " ".join(str(v) for row in workbook["About"].values for v in row)
    finally:
        workbook.close()
    assert "SAMPLE DATA" in text and "invented" in text and "not for real quotes" in text.lower()


@needs_shared
@pytest.mark.parametrize("rules", [True, False], ids=["trading-rules", "no-trading-rules"])
def test_generated_workbook_round_trips(rules, facts, tmp_path):
    out = tmp_path / "generated.xlsx"
    args = ["--banks", "20", "--seed", "3", "--out", str(out)] + (
        ["--trading-rules"] if rules else []
    )
    subprocess.run(
        [sys.executable, str(GENERATOR), *args], check=True, cwd=tmp_path, capture_output=True
    )
    first, second = round_trip(out, facts, tmp_path)
    assert len(first.banks) == 20
    assert len(first.trading_rules) == (6 if rules else 0)
    assert content_hash(second) == content_hash(first)


# ---------------------------------------------------------------- a small good workbook


@pytest.fixture
def good(facts, tmp_path) -> Path:
    return write_reference_workbook(small_data(facts), tmp_path / "good.xlsx")


def test_small_workbook_is_exported_and_imported_exactly(facts, good):
    data = small_data(facts)
    back = read_reference_workbook(good, facts)
    assert back.warnings == ()
    assert content_hash(back) == content_hash(data)
    assert back.stock[2].quantity_available == Fraction(21, 4)


GRASS = "Grassland - Other neutral grassland"
CASES = {
    # case: (edits, (sheet, row, column), value named in the message)
    "missing sheet": ([drop_sheet("Stock")], ("Stock", None, None), "Stock"),
    "missing column": (
        [drop_column("Stock", "quantity_available")],
        ("Stock", 1, "quantity_available"),
        "quantity_available",
    ),
    "text in a number column": (
        [set_cell("Pricing", 3, "price", "cheap")],
        ("Pricing", 3, "price"),
        "cheap",
    ),
    "zero price": ([set_cell("Pricing", 2, "price", 0)], ("Pricing", 2, "price"), "0"),
    "negative stock": (
        [set_cell("Stock", 2, "quantity_available", -5)],
        ("Stock", 2, "quantity_available"),
        "-5",
    ),
    "blank required value": (
        [set_cell("Stock", 3, "stock_id", None)],
        ("Stock", 3, "stock_id"),
        "blank",
    ),
    "unknown habitat in Stock": (
        [set_cell("Stock", 2, "habitat_name", "Grassland - Purple meadow")],
        ("Stock", 2, "habitat_name"),
        "Grassland - Purple meadow",
    ),
    "unknown habitat in Pricing": (
        [set_cell("Pricing", 4, "habitat_name", "Hedgerow of dreams")],
        ("Pricing", 4, "habitat_name"),
        "Hedgerow of dreams",
    ),
    "unknown bank": ([set_cell("Stock", 4, "bank_id", "B9")], ("Stock", 4, "bank_id"), "B9"),
    "duplicate bank_id": ([add_row("Banks", bank_id="B1")], ("Banks", 4, "bank_id"), "B1"),
    "duplicate stock_id": (
        [
            add_row(
                "Stock", bank_id="B1", habitat_name=GRASS, stock_id="B1-S1", quantity_available=1
            )
        ],
        ("Stock", 5, "stock_id"),
        "B1-S1",
    ),
    "duplicate habitat": (
        [add_row("HabitatCatalog", habitat_name="ditches ", distinctiveness_name="Medium")],
        ("HabitatCatalog", 7, "habitat_name"),
        "ditches",
    ),
    "trading rule crossing unit types": (
        [add_row("TradingRules", demand_habitat=GRASS, allowed_supply_habitat="Native hedgerow")],
        ("TradingRules", 3, "allowed_supply_habitat"),
        "Native hedgerow",
    ),
    "trading rule with unknown habitat": (
        [set_cell("TradingRules", 2, "demand_habitat", "Grassland - Moon grass")],
        ("TradingRules", 2, "demand_habitat"),
        "Grassland - Moon grass",
    ),
    "bad tier": ([set_cell("Pricing", 2, "tier", "nearby")], ("Pricing", 2, "tier"), "nearby"),
    "bad contract size": (
        [set_cell("Pricing", 5, "contract_size", "huge")],
        ("Pricing", 5, "contract_size"),
        "huge",
    ),
    "bad band": (
        [set_cell("HabitatCatalog", 3, "distinctiveness_name", "Superb")],
        ("HabitatCatalog", 3, "distinctiveness_name"),
        "Superb",
    ),
    "bad unit type": (
        [set_cell("HabitatCatalog", 2, "UmbrellaType", "river")],
        ("HabitatCatalog", 2, "UmbrellaType"),
        "river",
    ),
    "bad minimum band": (
        [set_cell("TradingRules", 2, "min_distinctiveness_name", "Mid")],
        ("TradingRules", 2, "min_distinctiveness_name"),
        "Mid",
    ),
    "bad irreplaceable flag": (
        [set_cell("HabitatCatalog", 2, "irreplaceable", "perhaps")],
        ("HabitatCatalog", 2, "irreplaceable"),
        "perhaps",
    ),
    "bad policy value": (
        [set_cell("Policy", 2, "value", "two")],
        ("Policy", 2, "value"),
        "two",
    ),
    "unknown policy key": (
        [add_row("Policy", key="bank_cap_huge", value=9)],
        ("Policy", 4, "key"),
        "bank_cap_huge",
    ),
    "level that is not a band": (
        [set_cell("DistinctivenessLevels", 2, "distinctiveness_name", "Lowest")],
        ("DistinctivenessLevels", 2, "distinctiveness_name"),
        "Lowest",
    ),
    "level that is not a number": (
        [set_cell("DistinctivenessLevels", 3, "level_value", "two")],
        ("DistinctivenessLevels", 3, "level_value"),
        "two",
    ),
    "bad SRM tier": ([set_cell("SRM", 3, "tier", "regional")], ("SRM", 3, "tier"), "regional"),
    "bad SRM multiplier": (
        [set_cell("SRM", 4, "multiplier", "half")],
        ("SRM", 4, "multiplier"),
        "half",
    ),
    "latitude out of range": ([set_cell("Banks", 3, "lat", 150)], ("Banks", 3, "lat"), "150"),
    "required sheet without rows": (
        [drop_rows("DistinctivenessLevels")],
        ("DistinctivenessLevels", 2, None),
        "at least one row",
    ),
}


@pytest.mark.parametrize(("edits", "where", "value"), CASES.values(), ids=CASES.keys())
def test_each_problem_is_located_exactly(good, facts, edits, where, value):
    error = problems_of(edited(good, *edits), facts)
    assert [(p.sheet, p.row, p.column) for p in error.problems] == [where]
    assert value in str(error)
    assert error.summary == "edited.xlsx: 1 problem; nothing was imported"


def test_every_problem_of_a_workbook_is_listed(good, facts):
    path = edited(
        good,
        set_cell("Stock", 2, "quantity_available", "lots"),
        set_cell("Stock", 3, "bank_id", "B7"),
        set_cell("Pricing", 2, "tier", "nearby"),
        set_cell("Pricing", 7, "price", -1),
        set_cell("HabitatCatalog", 4, "distinctiveness_name", "Superb"),
        drop_sheet("SRM"),
        set_cell("Policy", 3, "value", "maybe"),
    )
    error = problems_of(path, facts)
    assert {(p.sheet, p.row, p.column) for p in error.problems} == {
        ("Stock", 2, "quantity_available"),
        ("Stock", 3, "bank_id"),
        ("Pricing", 2, "tier"),
        ("Pricing", 7, "price"),
        ("HabitatCatalog", 4, "distinctiveness_name"),
        ("SRM", None, None),
        ("Policy", 3, "value"),
    }
    assert error.summary == "edited.xlsx: 7 problems; nothing was imported"


def test_problems_say_what_was_expected(good, facts):
    error = problems_of(
        edited(
            good,
            set_cell("Stock", 2, "quantity_available", -5),
            set_cell("Pricing", 2, "tier", "nearby"),
            set_cell("Stock", 4, "bank_id", "B9"),
        ),
        facts,
    )
    expected = {p.column: p.expected for p in error.problems}
    assert expected == {
        "quantity_available": "a number ≥ 0",
        "tier": "one of local, adjacent, far",
        "bank_id": "a bank_id listed on the Banks sheet",
    }


def test_a_policy_value_out_of_range_is_blamed_on_its_row(good, facts):
    error = problems_of(edited(good, add_row("Policy", key="fractional_below", value=3)), facts)
    (problem,) = error.problems
    assert (problem.sheet, problem.row, problem.column) == ("Policy", 4, "value")
    assert "thresholds must increase" in problem.expected


def test_policy_values_valid_only_together_are_accepted_together(good, facts):
    path = edited(
        good,
        add_row("Policy", key="small_below", value=20),
        add_row("Policy", key="medium_below", value=30),
    )
    assert ("small_below", "20") in read_reference_workbook(path, facts).policy
    bad = edited(
        good,
        add_row("Policy", key="small_below", value=20),
        add_row("Policy", key="medium_below", value=10),
    )
    (problem,) = problems_of(bad, facts).problems
    assert (problem.sheet, problem.row, problem.column) == ("Policy", 4, "value")


def test_policy_values_are_stored_canonically(good, facts):
    path = edited(
        good,
        set_cell("Policy", 2, "value", "2.0"),
        set_cell("Policy", 3, "value", "NO"),
        add_row("Policy", key=" Min_Delivery ", value=0.010),
    )
    assert read_reference_workbook(path, facts).policy == (
        ("bank_cap_small", "2"),
        ("min_delivery", "0.01"),
        ("split_lines", "false"),
    )


# ---------------------------------------------------------------- leniency and fallbacks


def test_names_headers_and_aliases_are_matched_loosely(good, facts):
    def loosen(workbook):
        workbook["HabitatCatalog"].title = "Habitat Catalog"
        workbook["Stock"].title = "renamed"  # openpyxl refuses a case-only rename
        workbook["renamed"].title = "stock"
        workbook["Pricing"]["E1"] = " Unit Price "
        workbook["Banks"]["A1"] = "BANK_ID"
        workbook.create_sheet("Notes", 0)["A1"] = "anything at all"

    data = read_reference_workbook(edited(good, loosen), facts)
    assert content_hash(data) == content_hash(small_data(facts))


def test_blank_rows_are_skipped_and_row_numbers_stay_excel_rows(good, facts):
    def gap(workbook):
        workbook["Stock"].insert_rows(3, amount=2)

    path = edited(good, gap, set_cell("Stock", 6, "quantity_available", "x"))
    (problem,) = problems_of(path, facts).problems
    assert (problem.sheet, problem.row) == ("Stock", 6)


def test_catalogue_without_optional_columns_uses_the_statutory_facts(good, facts):
    def bare_catalogue(workbook):
        del workbook["HabitatCatalog"]
        sheet = workbook.create_sheet("HabitatCatalog")
        sheet.append(["habitat_name", "broader_type", "distinctiveness_name"])
        sheet.append(["Wetland - Blanket bog", "Wetland", "V.High"])
        sheet.append(["Intertidal sediment - Littoral mud", "Intertidal sediment", "High"])
        sheet.append(
            ["Watercourse footprint - Watercourse footprint", "Watercourse footprint", "Low"]
        )
        sheet.append(["Newly dug ditch", "", "Medium"])
        sheet.append(["Line of trees (ornamental)", "", "Low"])
        sheet.append(["Grassland - Invented sward", "Grassland", "Low"])
        for name in (
            "Ditches",
            "Native hedgerow",
            "Heathland and shrub - Mixed scrub",
            GRASS,
            "Grassland - Modified grassland",
        ):
            sheet.append([name, "", facts.habitat(name).band.label])

    habitats = {
        h.name: h for h in read_reference_workbook(edited(good, bare_catalogue), facts).habitats
    }
    assert habitats["Wetland - Blanket bog"].irreplaceable
    assert habitats["Intertidal sediment - Littoral mud"].trading_broad_habitat == INTERTIDAL_GROUP
    assert habitats["Watercourse footprint - Watercourse footprint"].unit_type is UnitType.AREA
    assert habitats["Newly dug ditch"].unit_type is UnitType.WATERCOURSE
    assert habitats["Newly dug ditch"].broad_habitat == "Watercourse"
    assert habitats["Line of trees (ornamental)"].unit_type is UnitType.HEDGEROW
    invented = habitats["Grassland - Invented sward"]
    assert (invented.unit_type, invented.trading_broad_habitat, invented.irreplaceable) == (
        UnitType.AREA,
        "Grassland",
        False,
    )
    assert habitats[GRASS].broad_habitat == "Grassland"


def test_catalogue_columns_override_the_statutory_facts(good, facts):
    path = edited(
        good,
        set_cell("HabitatCatalog", 4, "irreplaceable", "yes"),
        set_cell("HabitatCatalog", 4, "trading_broad_habitat", "Meadows"),
    )
    habitat = next(h for h in read_reference_workbook(path, facts).habitats if h.name == GRASS)
    assert habitat.irreplaceable and habitat.trading_broad_habitat == "Meadows"


def test_neighbour_sheets_absent_mean_statutory_lpa_pairs_and_no_nca_pairs(good, facts):
    path = edited(good, drop_sheet("LPANeighbours"), drop_sheet("NCANeighbours"))
    data = read_reference_workbook(path, facts)
    assert data.lpa_neighbours == facts.lpa_neighbours
    assert data.nca_neighbours == ()


def test_optional_sheets_may_be_absent_or_header_only(good, facts):
    path = edited(good, drop_sheet("TradingRules"), drop_sheet("Policy"))
    data = read_reference_workbook(path, facts)
    assert (data.trading_rules, data.policy) == ((), ())


def test_ids_typed_as_numbers_are_read_as_text(good, facts):
    path = edited(
        good,
        set_cell("Banks", 2, "bank_id", 1001),
        *(set_cell("Stock", r, "bank_id", 1001) for r in (2, 3)),
        set_cell("Pricing", 2, "bank_id", 1001.0),
        *(set_cell("Pricing", r, "bank_id", "1001") for r in (3, 4, 5)),
    )
    data = read_reference_workbook(path, facts)
    assert {b.bank_id for b in data.banks} == {"1001", "B2"}


# ---------------------------------------------------------------- warnings


def test_warnings_for_located_nowhere_unknown_district_price_mismatch_and_srm(good, facts):
    path = edited(
        good,
        set_cell("Banks", 2, "lpa_name", None),
        set_cell("Banks", 2, "nca_name", None),
        set_cell("Banks", 3, "lpa_name", "Kernow"),
        set_cell("Pricing", 2, "broader_type", "Woodland and forest"),
        set_cell("Pricing", 3, "distinctiveness_name", "High"),
        set_cell("SRM", 3, "multiplier", 1.15),
    )
    warnings = "\n".join(read_reference_workbook(path, facts).warnings)
    assert "B1" in warnings and "priced as far until located" in warnings
    assert "'Kernow'" in warnings
    assert "2 row(s) give a broader_type or distinctiveness_name" in warnings
    assert "SRM sheet: adjacent is 1.15" in warnings


def test_price_warnings_count_every_row_and_show_the_first_three_read(good, facts):
    """Disagreements are judged once per distinct cell combination but told
    per row, in the order read; a row of a cell checked cell by cell (a
    bank_name typed as a number) is ordered and counted like the rest."""
    path = edited(
        good,
        set_cell("Pricing", 7, "broader_type", "Woodland and forest"),
        set_cell("Pricing", 3, "distinctiveness_name", "High"),
        set_cell("Pricing", 5, "broader_type", "Heathland"),
        set_cell("Pricing", 5, "distinctiveness_name", "Low"),
        set_cell("Pricing", 6, "broader_type", "grassland"),
        add_row(
            "Pricing",
            bank_id="B2",
            habitat_name="Heathland and shrub - Mixed scrub",
            contract_size="small",
            tier="local",
            price=24000,
            bank_name=7,
            distinctiveness_name="V.High",
        ),
        add_row(
            "Pricing",
            bank_id="B1",
            habitat_name="Native hedgerow",
            contract_size="small",
            tier="far",
            price="1/3",
        ),
    )
    data = read_reference_workbook(path, facts)
    disagreeing, repeating = (w for w in data.warnings if w.startswith("Pricing:"))
    assert disagreeing == (
        "Pricing: 5 row(s) give a broader_type or distinctiveness_name that differs from "
        "HabitatCatalog (e.g. row 3 'Grassland - Other neutral grassland': distinctiveness_name "
        "'High', catalogue 'Medium'; row 5 'Native hedgerow': broader_type 'Heathland', "
        "catalogue 'Hedgerow'; row 6 'Heathland and shrub - Mixed scrub': broader_type "
        "'grassland', catalogue 'Heathland and shrub'); the catalogue decides which trades "
        "are legal"
    )
    assert repeating.startswith("Pricing: 2 row(s) repeat a bank, habitat, contract size and tier")
    places = [(p.bank_id, p.habitat_name, p.tier.value, p.price, p.bank_name) for p in data.prices]
    assert places == [
        ("B1", "Grassland - Other neutral grassland", "local", 20000, ""),
        ("B1", "Grassland - Other neutral grassland", "far", 40000, ""),
        ("B1", "Native hedgerow", "local", 18000, ""),
        ("B1", "Native hedgerow", "far", Fraction(1, 3), ""),
        ("B1", "Native hedgerow", "far", 36000, ""),
        ("B2", "Heathland and shrub - Mixed scrub", "local", 24000, "7"),
        ("B2", "Heathland and shrub - Mixed scrub", "local", 25000, ""),
        ("B2", "Heathland and shrub - Mixed scrub", "far", 50000, ""),
    ]


# ---------------------------------------------------------------- files that are not workbooks


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, facts):
    path = tmp_path / "prices.xlsx"
    path.write_text("bank_id,price\nB1,100\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"prices.xlsx is not an Excel workbook"):
        read_reference_workbook(path, facts)


def test_a_missing_file_is_refused(tmp_path, facts):
    with pytest.raises(ReferenceDataError, match="cannot be read"):
        read_reference_workbook(tmp_path / "nowhere.xlsx", facts)


def test_a_value_beyond_column_200_is_refused(good, facts):
    def blow_up(workbook):
        workbook["Stock"].cell(row=2, column=201, value=1)

    with pytest.raises(ReferenceDataError, match="values beyond column 200") as caught:
        read_reference_workbook(edited(good, blow_up), facts)
    assert caught.value.summary.startswith("edited.xlsx: ")


def test_a_row_numbered_beyond_any_spreadsheet_is_refused(good, facts, tmp_path):
    data = mutate.set_cell(good.read_bytes(), "Stock", "A2000000", "B1")
    path = tmp_path / "beyond.xlsx"
    path.write_bytes(data)
    with pytest.raises(ReferenceDataError, match="beyond 1,048,576"):
        read_reference_workbook(path, facts)


@pytest.mark.parametrize(
    "dimension", ["A1:XFD1048576", "A1:ZZ5000000", "A1:XFD2"], ids=["whole sheet", "rows", "wide"]
)
def test_a_declared_dimension_is_not_judged_only_what_the_sheet_holds(good, facts, dimension):
    """Saving tools declare formatted rows and columns; the cells hold a few rows."""

    def declare(xml: str) -> str:
        xml = mutate.put_cell(xml, "XFD1048576", None)  # a styled empty cell, far away
        if "<dimension" in xml:
            return mutate.set_dimension(xml, dimension)
        return xml.replace("<sheetViews", f'<dimension ref="{dimension}"/><sheetViews', 1)

    path = good.with_name("declared.xlsx")
    path.write_bytes(mutate.edit_sheet(good.read_bytes(), "Stock", declare))
    data = read_reference_workbook(path, facts)
    assert content_hash(data) == content_hash(small_data(facts))


def test_a_sheet_too_wide_is_refused_even_without_recorded_dimensions(tmp_path, facts):
    workbook = openpyxl.Workbook(write_only=True)  # writes no <dimension> element
    sheet = workbook.create_sheet("Banks")
    sheet.append(["bank_id", "bank_name", "lpa_name", "nca_name"])
    sheet.append(["B1", *[None] * 199, "far right"])
    workbook.save(tmp_path / "wide.xlsx")
    with pytest.raises(ReferenceDataError, match="values beyond column 200"):
        read_reference_workbook(tmp_path / "wide.xlsx", facts)


def test_problems_are_listed_in_sheet_order_then_row_order(good, facts):
    path = edited(
        good,
        set_cell("Stock", 3, "quantity_available", "x"),
        set_cell("Banks", 3, "lat", "north"),
        set_cell("Stock", 2, "quantity_available", "y"),
        drop_sheet("SRM"),
    )
    where = [(p.sheet, p.row) for p in problems_of(path, facts).problems]
    assert where == [("Banks", 3), ("Stock", 2), ("Stock", 3), ("SRM", None)]


# ---------------------------------------------------------------- the written layout


def test_written_workbook_has_legacy_columns_bold_frozen_headers_and_numbers(good):
    workbook = openpyxl.load_workbook(good)
    assert workbook.sheetnames == [
        "Banks",
        "Pricing",
        "HabitatCatalog",
        "Stock",
        "DistinctivenessLevels",
        "SRM",
        "TradingRules",
        "Policy",
        "LPANeighbours",
        "NCANeighbours",
    ]
    pricing = workbook["Pricing"]
    assert [c.value for c in pricing[1]] == [
        "bank_id",
        "habitat_name",
        "contract_size",
        "tier",
        "price",
        "broader_type",
        "distinctiveness_name",
        "bank_name",
    ]
    assert [c.value for c in workbook["HabitatCatalog"][1]] == [
        "habitat_name",
        "broader_type",
        "distinctiveness_name",
        "UmbrellaType",
        "trading_broad_habitat",
        "irreplaceable",
    ]
    assert all(c.font.bold for c in pricing[1])
    assert pricing.freeze_panes == "A2"
    assert pricing.column_dimensions["B"].width > 20
    assert pricing["E2"].data_type == "n" and pricing["E2"].value == 20000
    assert workbook["Stock"]["D4"].value == 5.25
    assert workbook["NCANeighbours"].max_row == 1


def test_values_a_float_cannot_hold_are_written_as_exact_text(facts, tmp_path):
    data = small_data(facts)
    third = StockLine("B1-S9", "B1", GRASS, Fraction(1, 3))
    data = dataclasses.replace(data, stock=(*data.stock, third))
    back = read_reference_workbook(write_reference_workbook(data, tmp_path / "x.xlsx"), facts)
    assert {s.stock_id: s for s in back.stock}["B1-S9"].quantity_available == Fraction(1, 3)
    assert content_hash(back) == content_hash(data)
