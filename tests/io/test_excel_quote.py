"""The Excel quote: what a consultant opens, read back cell by cell."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from bng_desktop.core.allocation_table import allocation_rows
from bng_desktop.core.alternatives import Alternative, Relaxation
from bng_desktop.core.bands import UnitType
from bng_desktop.core.report import client_report
from bng_desktop.core.statutory_credits import CreditTier, StatutoryCredits, TierCredits
from bng_desktop.io.excel_quote import write_quote_workbook
from tests.factories import make_line, make_paired_line, make_quote, with_suo

F = Fraction
CREATED = datetime(2026, 11, 3, 14, 30)
MEADOW = "Grassland - Other neutral grassland"
MODIFIED = "Grassland - Modified grassland"
HEADER_ROW = 6
FIRST_ROW = 8


def sample_quote():
    lines = (
        make_line(0, MODIFIED, MEADOW, F(1, 3), F(20000)),
        make_line(1, "Net Gain (area)", MEADOW, F(1, 3), F(20000), demand_band=""),
        make_paired_line(2, units=F(3, 2)),
        make_line(
            3,
            "Net Gain (watercourse)",
            "Ditches",
            F("0.125"),
            F(31000),
            unit_type=UnitType.WATERCOURSE,
            demand_band="",
        ),
        make_line(
            None,
            "Native hedgerow",
            "Native hedgerow",
            F(2),
            F(10000),
            kind="manual",
            unit_type=UnitType.HEDGEROW,
        ),
    )
    return make_quote(lines)


def write(tmp_path: Path, quote=None, **kwargs) -> openpyxl.Workbook:
    path = write_quote_workbook(
        quote or sample_quote(),
        tmp_path / "quote.xlsx",
        reference=kwargs.pop("reference", "BNG-A-02025"),
        client_name=kwargs.pop("client_name", "Acme Homes Ltd"),
        created_at=kwargs.pop("created_at", CREATED),
        **kwargs,
    )
    assert path == tmp_path / "quote.xlsx"
    return openpyxl.load_workbook(path)


def sheet_rows(sheet, first=1):
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=first)]


def find_row(sheet, text, column=1):
    for row in sheet.iter_rows():
        if row[column - 1].value == text:
            return row
    raise AssertionError(f"no row starting with {text!r}")


def test_sheets_and_title_block(tmp_path):
    book = write(tmp_path)
    assert book.sheetnames == ["Quote", "Allocation", "Details"]
    sheet = book["Quote"]
    assert sheet["A1"].value == "Biodiversity Net Gain Quote"
    assert [sheet["A2"].value, sheet["B2"].value] == ["Reference", "BNG-A-02025"]
    assert [sheet["A3"].value, sheet["B3"].value] == ["Client", "Acme Homes Ltd"]
    assert sheet["B4"].value == CREATED
    assert sheet["B4"].is_date


def test_header_bands_and_columns(tmp_path):
    sheet = write(tmp_path)["Quote"]
    impact, mitigation = sheet.cell(HEADER_ROW, 1), sheet.cell(HEADER_ROW, 4)
    assert impact.value == "Development Impact"
    assert mitigation.value == "Mitigation Supplied"
    assert impact.fill.fgColor.rgb.endswith("F8C237")
    assert mitigation.fill.fgColor.rgb.endswith("2A514A")
    assert mitigation.font.color.rgb.endswith("FFFFFF") and mitigation.font.bold
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A6:C6", "D6:H6"} <= merged
    assert [c.value for c in sheet[HEADER_ROW + 1]] == [
        "Distinctiveness",
        "Habitats Lost",
        "# Units",
        "Distinctiveness",
        "Habitats Supplied",
        "# Units",
        "Price Per Unit",
        "Offset Cost",
    ]
    assert sheet.freeze_panes == f"A{FIRST_ROW}"


def test_report_rows_are_numbers_equal_to_the_report(tmp_path):
    quote = sample_quote()
    sheet = write(tmp_path, quote)["Quote"]
    report = client_report(quote)
    row = FIRST_ROW
    for section in report.sections:
        title = sheet.cell(row, 1)
        assert title.value == section.title
        assert title.fill.fgColor.rgb.endswith("D9F2D0")
        row += 1
        for expected in section.rows:
            cells = [sheet.cell(row, column) for column in range(1, 9)]
            assert [c.value for c in cells] == [
                expected.demand_distinctiveness,
                expected.habitats_lost,
                pytest.approx(float(expected.units_lost), abs=5e-5),
                expected.supply_distinctiveness,
                expected.habitats_supplied,
                pytest.approx(float(expected.units_supplied), abs=5e-5),
                expected.price_per_unit,
                expected.cost,
            ]
            for cell in cells[2:3] + cells[5:6]:
                assert isinstance(cell.value, int | float)
                assert cell.number_format == "0.00##"
            for cell in cells[6:]:
                assert type(cell.value) is int
                assert cell.number_format == "£#,##0"
            row += 1
    assert sheet.cell(row, 1).value == "Planning Discharge Pack"


def test_units_cells_show_what_the_report_shows(tmp_path):
    sheet = write(tmp_path)["Quote"]
    row = find_row(sheet, "Low + Net Gain")
    assert row[2].value == 0.6667  # 2/3, rounded to 4 decimals as the screen shows it
    paired = find_row(sheet, "Medium")
    assert paired[4].value.endswith("(75%) + Grassland - Modified grassland (25%)")
    assert paired[5].value == 1.5


def test_footer_and_total_equal_the_quote_figures(tmp_path):
    quote = sample_quote()
    sheet = write(tmp_path, quote)["Quote"]
    fee = find_row(sheet, "Planning Discharge Pack")
    assert fee[7].value == 500
    total = find_row(sheet, "Total")
    assert total[7].value == quote.totals.display_total
    assert type(total[7].value) is int
    assert total[7].number_format == "£#,##0"
    report_total = client_report(quote).footer[-1]
    assert total[2].value == pytest.approx(float(report_total.units_lost), abs=5e-4)
    assert total[5].value == pytest.approx(float(report_total.units_supplied), abs=5e-4)
    money = [sheet.cell(r, 8).value for r in range(FIRST_ROW, total[0].row)]
    assert sum(v for v in money if isinstance(v, int)) == quote.totals.display_total
    values = [c.value for r in sheet.iter_rows() for c in r]
    assert "All prices exclude VAT." in values


def test_suo_row_is_written_negative(tmp_path):
    quote = with_suo(sample_quote(), F(1, 4))
    sheet = write(tmp_path, quote)["Quote"]
    suo = find_row(sheet, "Surplus uplift offset (25% discount)")
    assert suo[7].value == -quote.totals.display_suo_discount < 0
    assert find_row(sheet, "Total")[7].value == quote.totals.display_total


def test_no_suo_row_without_suo(tmp_path):
    sheet = write(tmp_path)["Quote"]
    values = [str(r[0].value) for r in sheet.iter_rows()]
    assert not any(v.startswith("Surplus uplift offset") for v in values)


def test_print_setup(tmp_path):
    sheet = write(tmp_path)["Quote"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["E"].width >= 30


def test_allocation_sheet_lists_every_line_and_part(tmp_path):
    quote = sample_quote()
    sheet = write(tmp_path, quote)["Allocation"]
    expected = allocation_rows(quote)
    header, *rows = sheet_rows(sheet)
    assert header[:4] == ["Demand #", "Demand habitat", "Unit type", "Kind"]
    assert len(rows) == len(expected) == len(quote.lines) + 2
    assert sheet.auto_filter.ref == f"A1:O{len(rows) + 1}"
    column = {name: header.index(name) for name in header}
    for values, row in zip(rows, expected, strict=True):
        assert values[column["Demand #"]] == row.demand_number
        assert values[column["Supply habitat"]] == row.supply_habitat
        assert values[column["Units supplied"]] == pytest.approx(float(row.units_supplied))
        assert values[column["Unit price"]] == pytest.approx(float(row.unit_price))
        assert values[column["Cost"]] == pytest.approx(float(row.cost))
        assert values[column["Stock lines used (id: units)"]] == row.stock_use_text
        assert values[column["Stock units used"]] == pytest.approx(float(row.stock_use_total))
    paired_line, main, companion = rows[2:5]
    assert paired_line[column["Stock lines used (id: units)"]] == "B1-S1: 1.50; B1-S2: 0.50"
    assert rows[0][column["How priced"]] == "price list, this habitat"
    assert main[column["Kind"]] == companion[column["Kind"]] == "paired part"
    assert main[column["Share"]] == 0.75
    assert sheet.cell(5, column["Supply habitat"] + 1).alignment.indent > 0
    assert sheet.cell(4, column["Supply habitat"] + 1).alignment.indent == 0
    assert rows[-1][column["Kind"]] == "manual" and rows[-1][column["Demand #"]] is None
    assert sheet.cell(2, column["Cost"] + 1).number_format == "£#,##0.00"


def test_details_sheet(tmp_path):
    quote = sample_quote()
    book = write(tmp_path, quote, extra_details={"Metric file": "site-metric.xlsx"})
    details = {row[0]: row[1] for row in sheet_rows(book["Details"], first=2)}
    assert details["Reference"] == "BNG-A-02025"
    assert details["Client"] == "Acme Homes Ltd"
    assert details["Created"] == CREATED
    assert details["Site LPA"] == "Winchester"
    assert details["LPA neighbours"] == "Test Valley"
    assert details["Reference data version"] == quote.reference_version
    assert details["Reference data fingerprint (SHA-256)"] == quote.reference_hash
    assert details["Optimiser used"] == "HiGHS"
    assert details["Optimiser's answer"] == "proven cheapest"
    assert details["Contract size"] == "small"
    assert "Priced at contract size" not in details
    assert details["Most banks allowed"] == 2
    assert details["Policy — Planning Discharge Pack, other contracts"] == "£500"
    assert details["Policy — A demand line may be split across banks"] == "no"
    assert details["Metric file"] == "site-metric.xlsx"


ENGINE_WORDS = ("solver", "highs", "cbc", "optimal", "status", "proxy", "exact", "tolerance")
ENGINE_WORDS += ("policy", "hash", "sha-256", "price source", "stock", "_")


def rich_quote():
    """Every kind of line and figure the client sheet can show: optimiser,
    Net Gain, paired, watercourse, manual lines, an SUO discount, a warning."""
    quote = with_suo(sample_quote(), F(1, 4))
    return dataclasses.replace(quote, warnings=("Stock B1-S1 nearly used up (tolerance_rel)",))


def test_the_client_sheet_carries_no_engine_words(tmp_path):
    quote = rich_quote()
    book = write(tmp_path, quote)
    texts = [
        str(cell.value).lower()
        for row in book["Quote"].iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    for word in ENGINE_WORDS:
        found = [text for text in texts if word in text]
        assert not found, f"{word!r} on the client's sheet: {found}"
    everything = " ".join(texts)
    for line in quote.lines:
        for stock_id, _units in line.stock_use:
            assert stock_id.lower() not in everything
    assert quote.reference_hash.lower() not in everything


def test_engine_facts_are_in_the_details_sheet_in_plain_words(tmp_path):
    quote = rich_quote()
    details = {row[0]: row[1] for row in sheet_rows(write(tmp_path, quote)["Details"], first=2)}
    labels = " ".join(details)
    assert "tolerance_rel" not in labels and "Policy:" not in labels
    assert not [label for label in details if "_" in label], "snake_case labels"
    rel = "Policy — Extra cost accepted to use fewer banks, as a share of the cost"
    assert details[rel] == "0.01 %"
    assert details["Policy — Extra cost accepted to use fewer banks, up to"] == "£10"
    assert details["Policy — Stock on open quotes"].startswith("ignored")
    assert details["Surplus uplift offset: discount"] == "25 %"
    assert details["Warning"].startswith("Stock B1-S1")


def test_aware_creation_time_is_written_as_local_time(tmp_path):
    created = datetime(2026, 11, 3, 14, 30, tzinfo=UTC)
    sheet = write(tmp_path, created_at=created)["Quote"]
    assert sheet["B4"].value == created.astimezone().replace(tzinfo=None)


def half_written_save(self, stream):
    """A save that fails after writing part of the file (a full disk, a crash)."""
    stream.write(b"PK\x03\x04 half a workbook")
    raise OSError("disk full")


def test_failed_save_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(Workbook, "save", half_written_save)
    with pytest.raises(OSError, match="disk full"):
        write_quote_workbook(sample_quote(), tmp_path / "quote.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_failed_save_leaves_an_existing_file_untouched(tmp_path, monkeypatch):
    target = tmp_path / "quote.xlsx"
    target.write_bytes(b"the earlier export")
    monkeypatch.setattr(Workbook, "save", half_written_save)
    with pytest.raises(OSError, match="disk full"):
        write_quote_workbook(sample_quote(), target)
    assert target.read_bytes() == b"the earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["quote.xlsx"]


def test_inconsistent_quote_is_not_exported(tmp_path):
    quote = sample_quote()
    broken = dataclasses.replace(quote, totals=dataclasses.replace(quote.totals, display_total=1))
    with pytest.raises(ValueError):
        write_quote_workbook(broken, tmp_path / "quote.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_overwrites_an_existing_file(tmp_path):
    target = tmp_path / "quote.xlsx"
    target.write_bytes(b"old")
    write_quote_workbook(sample_quote(), target, reference="BNG-A-1")
    assert openpyxl.load_workbook(target)["Quote"]["B2"].value == "BNG-A-1"


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_written_file_is_not_left_private(tmp_path):
    path = write_quote_workbook(sample_quote(), tmp_path / "quote.xlsx")
    assert path.stat().st_mode & 0o777 == 0o644


def test_the_quote_sheet_sets_the_quote_beside_statutory_credits(tmp_path):
    quote = sample_quote()
    credits = StatutoryCredits(
        tiers=(
            TierCredits(
                tier=CreditTier.A1,
                units=F(2),
                credits=F(4),
                price_per_credit=F(42000),
                cost=F(168000),
            ),
        ),
        total=F(168000),
        prices_date="2023-07-27",
    )
    texts = sheet_texts(write(tmp_path, dataclasses.replace(quote, statutory_credits=credits)))
    saving = f"£{168000 - quote.totals.display_total:,}"
    assert (
        "Statutory credits for the same demand: £168,000 + VAT (prices of 27 July 2023) — "
        f"this quote is {saving} less." in texts
    )
    assert not any("Statutory credits" in t for t in sheet_texts(write(tmp_path, quote)))


def sheet_texts(book) -> list[str]:
    return [str(c.value) for row in book["Quote"].iter_rows() for c in row if c.value]


def allocation_block(book) -> list[tuple]:
    """The rows from the "What each constraint costs" title down."""
    rows = [tuple(c.value for c in row) for row in book["Allocation"].iter_rows()]
    start = next(n for n, row in enumerate(rows) if row[0] == "What each constraint costs")
    return [row[:5] for row in rows[start:] if any(row)]


def test_the_allocation_sheet_lists_what_each_constraint_costs(tmp_path: Path) -> None:
    quote = sample_quote()
    saving = Alternative(
        relaxation=Relaxation.ONE_MORE_BANK,
        bank_id="",
        description="Allowing a third bank would save £4,200.",
        total=quote.totals.total - 4200,
        difference=Fraction(-4200),
        proven=True,
    )
    impossible = Alternative(
        relaxation=Relaxation.WITHOUT_BANK,
        bank_id="B1",
        description="Without Harewell Vale the demand cannot be met.",
        total=None,
        difference=None,
        proven=False,
    )
    book = write(tmp_path, quote, alternatives=(saving, impossible))
    block = allocation_block(book)
    assert block[1] == ("What changed", None, "Total", "Difference", "Proven")
    assert block[2] == (
        saving.description,
        None,
        pytest.approx(float(quote.totals.total - 4200)),
        -4200,
        "yes",
    )
    assert block[3][2:4] == ("cannot be met", "cannot be met")
    assert block[3][4].startswith("no")
    last_allocation = len(allocation_rows(quote)) + 1
    assert book["Allocation"].auto_filter.ref.endswith(str(last_allocation)), "table unchanged"


def test_nothing_binding_says_so_and_none_worked_out_writes_no_block(tmp_path: Path) -> None:
    block = allocation_block(write(tmp_path, alternatives=()))
    assert block == [
        ("What each constraint costs", None, None, None, None),
        ("Relaxing a rule or leaving out a bank would not change the total.",) + (None,) * 4,
    ]
    rows = write(tmp_path)["Allocation"].iter_rows(values_only=True)
    assert not any(row[0] == "What each constraint costs" for row in rows)
