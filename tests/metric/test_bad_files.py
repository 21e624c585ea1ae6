"""METRIC.md's table of bad and awkward files, row by row: each is refused
with its kind and a message saying what to do, or read with a warning; and
hostile files are refused quickly, before anything is inflated or parsed."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bng_desktop.core.errors import MetricError
from bng_desktop.io.metric.to_json import import_to_json
from bng_desktop.metric_import import import_metric
from tests.metric import mutate

AREA = "Trading Summary Area Habitats"
HEADLINE = "Headline Results"
SEED = 14
"""A site with area, hedgerow and watercourse lines and transfers (1.0.3-s14)."""


def refused(path: Path) -> MetricError:
    with pytest.raises(MetricError) as caught:
        import_metric(path)
    assert str(caught.value).endswith("Nothing was imported.")
    return caught.value


def write(tmp_path: Path, data: bytes, name: str = "metric.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture
def good(workbook) -> bytes:
    return workbook("1.0.3", SEED).workbook.read_bytes()


@pytest.fixture
def good_result(workbook) -> dict:
    return import_to_json(import_metric(workbook("1.0.3", SEED).workbook))


def area_rows(data: bytes) -> dict[int, float]:
    """The project-wide change of each area habitat row of ``data``."""
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)[AREA]
    rows = sheet.iter_rows(min_row=13, max_row=162, max_col=6, values_only=True)
    return {
        number: row[5]
        for number, row in enumerate(rows, start=13)
        if row[1]
        and isinstance(row[5], int | float)
        and not str(row[1]).endswith("Distinctiveness")
    }


def a_loss_row(data: bytes) -> int:
    return next(number for number, change in area_rows(data).items() if change < 0)


def a_zero_row(data: bytes) -> int:
    return next(number for number, change in area_rows(data).items() if change == 0)


# ---------------------------------------------------------------- not a metric


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"habitat_name,units_required\nGrassland - Modified grassland,1\n", "not an Excel"),
        (b"", "not an Excel"),
        (b"%PDF-1.7\n...", "not an Excel"),
    ],
    ids=["csv", "empty", "pdf"],
)
def test_a_file_that_is_no_workbook_is_not_a_metric(tmp_path, content, found):
    error = refused(write(tmp_path, content))
    assert error.kind == "not-a-metric" and found in str(error)


def test_a_zip_that_is_no_workbook_is_not_a_metric(tmp_path):
    error = refused(write(tmp_path, mutate.package({"readme.txt": b"hello"})))
    assert error.kind == "not-a-metric"


def test_a_workbook_without_the_trading_summaries_names_what_is_missing(tmp_path, good):
    data = mutate.delete_sheet(good, "Trading Summary Hedgerows")
    error = refused(write(tmp_path, data))
    assert error.kind == "not-a-metric"
    assert error.details["missing"] == ["Trading Summary Hedgerows"]
    assert "Trading Summary Hedgerows" in str(error)


# ---------------------------------------------------------------- formats


def test_a_password_encrypted_workbook_asks_for_the_unprotected_file(tmp_path):
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")
    error = refused(write(tmp_path, ole + b"\0" * 2048))
    assert error.kind == "encrypted" and "without a password" in str(error)


def test_an_xls_workbook_is_refused_with_save_as_xlsx(tmp_path):
    error = refused(write(tmp_path, bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4096, "m.xls"))
    assert error.kind == "unsupported-format" and "save it as .xlsx" in str(error)


def test_an_xlsb_workbook_is_refused_with_save_as_xlsx(tmp_path):
    xlsb = mutate.package({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01"})
    error = refused(write(tmp_path, xlsb, "metric.xlsb"))
    assert error.kind == "unsupported-format" and "save it as .xlsx" in str(error)


def test_an_xlsm_workbook_is_read(tmp_path, good, good_result):
    def macro_enabled(types: bytes) -> bytes:
        xlsx = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        xlsm = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        assert xlsx in types
        return types.replace(xlsx, xlsm)

    path = write(tmp_path, mutate.edit_part(good, "[Content_Types].xml", macro_enabled), "m.xlsm")
    assert import_to_json(import_metric(path))["lines"] == good_result["lines"]


def test_a_missing_file_is_unreadable(tmp_path):
    assert refused(tmp_path / "nowhere.xlsx").kind == "unreadable"


# ---------------------------------------------------------------- versions


@pytest.mark.parametrize(("d8", "shown"), [(4, "metric 4.0"), (3.1, "metric 3.1"), ("x", "'x'")])
def test_an_older_metric_is_refused_naming_its_version(tmp_path, good, d8, shown):
    error = refused(write(tmp_path, mutate.set_cell(good, "Start", "D8", d8)))
    assert error.kind == "unsupported-version"
    assert shown in str(error) and "statutory biodiversity metric (4.1) is required" in str(error)


def test_a_newer_metric_is_read_with_a_warning_naming_its_version(tmp_path, good, good_result):
    result = import_to_json(
        import_metric(write(tmp_path, mutate.set_cell(good, "Start", "D8", 4.2)))
    )
    assert result["metric_version"] == "4.2" and result["lines"] == good_result["lines"]
    assert any("metric 4.2" in w["message"] for w in result["warnings"])


def test_excels_stored_4_1_reads_as_4_1(tmp_path, good):
    path = write(tmp_path, mutate.set_cell(good, "Start", "D8", 4.0999999999999996))
    assert import_metric(path).source.metric_version == "4.1"


# ---------------------------------------------------------------- values


def test_formulas_without_values_in_a_trading_summary_are_named(tmp_path, good):
    row = a_loss_row(good)
    data = mutate.set_cell(good, AREA, f"F{row}", "=SUM(D1:E1)")
    error = refused(write(tmp_path, data))
    assert error.kind == "no-cached-values" and error.details["cell"] == f"F{row}"
    assert "open it in Excel or LibreOffice and save it again" in str(error)


def test_the_metrics_own_flag_in_a_figure_that_matters_is_quoted_and_refused(tmp_path, good):
    error = refused(write(tmp_path, mutate.set_cell(good, HEADLINE, "H8", "Check Data ⚠")))
    assert error.kind == "metric-flag" and "'Check Data ⚠'" in str(error)


@pytest.mark.parametrize(
    ("cell", "flag"),
    [
        ("H61", "Error ▲"),
        ("H47", "Check Data ⚠"),
        ("B19", "Error - off-site gain sites must be postive ▲"),
    ],
)
def test_the_metrics_own_flag_elsewhere_imports_with_a_warning_quoting_it(
    tmp_path, good, good_result, cell, flag
):
    result = import_to_json(
        import_metric(write(tmp_path, mutate.set_cell(good, HEADLINE, cell, flag)))
    )
    assert result["lines"] == good_result["lines"]
    assert any(flag in w["message"] and cell in w["message"] for w in result["warnings"])


@pytest.mark.parametrize("text", ["0.00", "N/A", " ", "n/a"])
def test_numbers_in_text_and_na_read_as_numbers(tmp_path, good, good_result, text):
    zero_row = a_zero_row(good)
    result = import_to_json(
        import_metric(write(tmp_path, mutate.set_cell(good, AREA, f"F{zero_row}", text)))
    )
    assert result["lines"] == good_result["lines"]


def test_a_number_written_as_text_keeps_its_value(tmp_path, good, good_result):
    row = a_loss_row(good)
    value = openpyxl.load_workbook(io.BytesIO(good), read_only=True)[AREA][f"F{row}"].value
    data = mutate.set_cell(good, AREA, f"F{row}", repr(value))
    assert import_to_json(import_metric(write(tmp_path, data)))["report"] == good_result["report"]


def test_text_where_a_number_belongs_is_named(tmp_path, good):
    row = a_loss_row(good)
    error = refused(write(tmp_path, mutate.set_cell(good, AREA, f"F{row}", "lots")))
    assert error.kind == "bad-value" and f"F{row}" in str(error) and "'lots'" in str(error)


BAD_NUMBERS = [
    pytest.param("text", "1,5", "use a point for decimals", id="decimal-comma"),
    pytest.param("text", "1e999999999", "exponent", id="huge-exponent-text"),
    pytest.param("number", "1e999999999", "exponent", id="huge-exponent-number"),
    pytest.param("number", "1e400", "inf", id="overflowing-number"),
    pytest.param("text", "nan", "'nan'", id="nan"),
    pytest.param("number", "-1", "-1", id="negative"),
    pytest.param("text", "9" * 10_000, "10,000 characters", id="10000-digits-text"),
    pytest.param("number", "9" * 10_000, "10,000 characters", id="10000-digits-number"),
    pytest.param("text", "\ufeff1.5", "invisible character", id="bom"),
]


def with_value(data: bytes, sheet: str, ref: str, kind: str, text: str) -> bytes:
    """``ref`` holding ``text`` as a text cell, or as the raw digits of a number cell."""
    if kind == "text":
        return mutate.set_cell(data, sheet, ref, text)
    raw = f'<c r="{ref}" t="n"><v>{text}</v></c>'
    return mutate.edit_sheet(
        data, sheet, lambda xml: mutate.put_cell(xml, ref, 0).replace(mutate.cell_xml(ref, 0), raw)
    )


@pytest.mark.parametrize(("kind", "text", "said"), BAD_NUMBERS)
def test_a_number_that_cannot_be_read_is_refused_with_its_reason(tmp_path, good, kind, text, said):
    """The baseline decides the Net Gain line: each of these is named, quickly."""
    data = with_value(good, HEADLINE, "H8", kind, text)
    started = time.process_time()
    error = refused(write(tmp_path, data))
    assert time.process_time() - started < 1
    assert error.kind == "bad-value" and "metric.xlsx: 'Headline Results'!H8 holds" in str(error)
    assert said in str(error) and "an on-site baseline" in str(error)


@pytest.mark.parametrize(("kind", "text", "said"), [p for p in BAD_NUMBERS if p.id != "negative"])
def test_a_unit_change_that_cannot_be_read_is_refused_with_its_reason(
    tmp_path, good, kind, text, said
):
    row = a_loss_row(good)
    error = refused(write(tmp_path, with_value(good, AREA, f"F{row}", kind, text)))
    assert error.kind == "bad-value" and f"'{AREA}'!F{row} holds" in str(error)
    assert said in str(error) and "a number of units" in str(error)


@pytest.mark.parametrize("value", ["#REF!", "#VALUE!", "#N/A", "#DIV/0!"])
def test_an_error_in_a_row_that_matters_is_named_and_refused(tmp_path, good, value):
    zero_row = a_zero_row(good)  # no change, but every project-wide cell is read
    error = refused(write(tmp_path, mutate.set_cell(good, AREA, f"F{zero_row}", value)))
    assert error.kind == "error-cell"
    assert error.details == {
        "sheet": AREA,
        "cell": f"F{zero_row}",
        "cells": [f"F{zero_row}"],
        "file": "metric.xlsx",
    }
    assert value in str(error) and str(error).startswith("metric.xlsx: ")


def test_errors_where_nothing_is_read_do_not_stop_the_import(tmp_path, good, good_result):
    data = mutate.set_cell(good, HEADLINE, "B3", "#VALUE!")
    data = mutate.set_cell(data, AREA, "K91", "#REF!")
    data = mutate.set_cell(data, AREA, "G13", "#DIV/0!")
    assert import_to_json(import_metric(write(tmp_path, data)))["lines"] == good_result["lines"]


# ---------------------------------------------------------------- layout


def test_sheets_are_found_by_folded_name(tmp_path, good, good_result):
    data = mutate.rename_sheet(good, "Trading Summary WaterC's", "TRADING SUMMARY  WATERCS")
    data = mutate.rename_sheet(data, HEADLINE, "headline results")
    assert import_to_json(import_metric(write(tmp_path, data)))["report"] == good_result["report"]


def test_hidden_sheets_are_read(workbook):
    generated = workbook("1.0.2", 3)
    states = openpyxl.load_workbook(generated.workbook, read_only=True)
    assert states[AREA].sheet_state == "hidden"
    assert import_metric(generated.workbook).source.reports[0].baseline > 0


def test_a_shifted_value_column_is_refused_not_misread(tmp_path, good):
    data = mutate.edit_sheet(good, AREA, lambda xml: mutate.shift_column(xml, 13, 163, "F", 1))
    error = refused(write(tmp_path, data))
    assert error.kind == "layout"


def test_a_shifted_block_with_its_headers_is_refused(tmp_path, good):
    data = mutate.edit_sheet(good, AREA, lambda xml: mutate.shift_column(xml, 1, 400, "F", 1))
    error = refused(write(tmp_path, data))
    assert error.kind == "layout" and "project wide unit change" in str(error)


def test_a_habitat_in_the_wrong_block_is_refused(tmp_path, good):
    row = a_loss_row(good)
    data = mutate.set_cell(good, AREA, f"B{row}", "Wetland - Blanket bog")
    assert refused(write(tmp_path, data)).kind == "layout"


def test_an_unknown_area_habitat_with_a_change_is_refused(tmp_path, good):
    row = a_loss_row(good)
    data = mutate.set_cell(good, AREA, f"B{row}", "Grassland - Imaginary meadow")
    error = refused(write(tmp_path, data))
    assert error.kind == "unknown-habitat" and "Imaginary meadow" in str(error)


def test_a_changed_headline_label_is_refused(tmp_path, good):
    error = refused(write(tmp_path, mutate.set_cell(good, HEADLINE, "F10", "River units")))
    assert error.kind == "layout" and "F10" in str(error)


def test_a_row_missing_from_a_block_is_caught_by_its_total(tmp_path, good):
    row = a_loss_row(good)
    data = mutate.set_cell(good, AREA, f"B{row}", None)
    data = mutate.set_cell(data, AREA, f"F{row}", None)
    assert refused(write(tmp_path, data)).kind == "layout"


def test_external_links_are_ignored(tmp_path, good, good_result):
    link = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships"/></externalLink>'
    )
    rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" TargetMode="External" Target="file:///\\\\server\\share\\'
        b'Calculations.xlsx" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/externalLinkPath"/></Relationships>'
    )
    data = mutate.add_part(good, "xl/externalLinks/externalLink1.xml", link)
    data = mutate.add_part(data, "xl/externalLinks/_rels/externalLink1.xml.rels", rels)
    assert import_to_json(import_metric(write(tmp_path, data)))["lines"] == good_result["lines"]


# ---------------------------------------------------------------- hostile


def hostile(path: Path) -> MetricError:
    started = time.perf_counter()
    error = refused(path)
    assert time.perf_counter() - started < 2, "a hostile file must be refused quickly"
    assert error.kind == "hostile"
    return error


def test_a_zip_bomb_is_refused_before_inflating_it(tmp_path, good):
    data = mutate.add_part(good, "xl/media/image1.png", mutate.zeros_part(8))
    assert len(data) < len(good) + 2**16
    assert "zip bomb" in str(hostile(write(tmp_path, data)))


def test_a_part_unpacking_to_more_than_a_workbook_holds_is_refused(tmp_path, good):
    data = mutate.add_part(good, "xl/media/image1.png", mutate.zeros_part(70))
    assert "unpacks to 70 MB" in str(hostile(write(tmp_path, data)))


def test_a_part_claiming_gigabytes_is_refused(tmp_path, good):
    data = mutate.declare_size(good, "xl/styles.xml", 3 * 2**30)
    assert "unpacks to" in str(hostile(write(tmp_path, data)))


@pytest.mark.parametrize(
    "dimension",
    ["A1:XFD1048576", "A1:XFD67", "A1:Q1048576", "B2:B2", "A1:B2000000", "A1:ZZZZ9", "nonsense"],
)
def test_a_declared_dimension_is_not_judged(tmp_path, good, good_result, dimension):
    data = good
    for sheet in ("Start", HEADLINE, AREA, "Trading Summary Hedgerows", "Lists"):
        data = mutate.edit_sheet(data, sheet, lambda xml: mutate.set_dimension(xml, dimension))
    assert import_to_json(import_metric(write(tmp_path, data)))["lines"] == good_result["lines"]


def test_an_entity_bomb_is_refused(tmp_path, good):
    dtd = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    data = mutate.edit_sheet(good, HEADLINE, lambda xml: dtd + xml)
    assert "DTD" in str(hostile(write(tmp_path, data)))


def test_a_package_of_thousands_of_parts_is_refused(tmp_path, good):
    contents = mutate.parts(good)
    contents.update({f"customXml/item{i}.xml": b"<a/>" for i in range(5_001)})
    assert "parts" in str(hostile(write(tmp_path, mutate.package(contents))))


def test_a_huge_file_is_refused_before_reading_it(tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(65 * 2**20)
    assert "MB" in str(hostile(path))


def test_a_truncated_workbook_is_damaged(tmp_path, good):
    error = refused(write(tmp_path, good[: len(good) // 2]))
    assert error.kind == "damaged" and "save it again" in str(error)


def test_a_part_with_broken_xml_is_damaged(tmp_path, good):
    data = mutate.edit_sheet(good, AREA, lambda xml: xml.replace("</sheetData>", "<row", 1))
    assert refused(write(tmp_path, data)).kind == "damaged"


def test_a_package_is_checked_from_its_bytes_not_its_name(tmp_path, good, good_result):
    path = write(tmp_path, good, "metric.data")
    assert import_to_json(import_metric(path))["lines"] == good_result["lines"]
    assert zipfile.is_zipfile(path)


def test_a_dtd_hidden_behind_padding_is_refused(tmp_path, good):
    padding = "<!--" + "x" * 5000 + "-->"
    dtd = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
    data = mutate.edit_sheet(good, AREA, lambda xml: padding + dtd + xml)
    assert "first 4 KB" in str(hostile(write(tmp_path, data)))


def test_a_release_newer_than_known_is_read_with_a_warning(tmp_path, good, good_result):
    data = mutate.set_cell(good, "Version History", "B9", "Version 1.0.5")
    result = import_to_json(import_metric(write(tmp_path, data)))
    assert result["release"] == "1.0.5" and result["lines"] == good_result["lines"]
    assert any("release 1.0.5" in w["message"] for w in result["warnings"])
