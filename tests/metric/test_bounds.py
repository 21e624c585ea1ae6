"""A workbook is judged by what it holds: the reading stops at the last row it
needs, keeps only the corner of each sheet the layout uses, reads shared
strings only as far as those cells need, and refuses a file once the cells
or XML elements it really had to parse, or the processor time, pass the
bounds of budget.py — with a message naming the file, the sheet and where."""

from __future__ import annotations

import itertools
import struct
from pathlib import Path

import pytest

from bng_desktop.core.errors import MetricError
from bng_desktop.io.metric import ReadBudget, check_package, read_metric_workbook
from bng_desktop.io.metric.budget import MAX_CELLS_READ
from bng_desktop.io.metric.to_json import import_to_json
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.metric_import import import_metric
from tests.metric import mutate
from tests.metric.fuzz import wide_rows
from tests.metric.generated import Spec
from tests.metric.saved_as import STRINGS_TYPE

AREA = "Trading Summary Area Habitats"
SEED = 14
FACTS = load_statutory_facts()
CHUNK_CELLS = 20_000
"""At most what one 64 KB chunk of sheet XML can add past a bound."""


@pytest.fixture
def good(workbook) -> bytes:
    return workbook("1.0.3", SEED).workbook.read_bytes()


@pytest.fixture
def good_lines(workbook) -> list:
    return import_to_json(import_metric(workbook("1.0.3", SEED).workbook))["lines"]


@pytest.fixture
def saved(metric_workbooks) -> bytes:
    """The Excel-saved form: its text is in a shared-strings table."""
    return metric_workbooks[Spec("1.0.3", SEED)].form("saved").read_bytes()


def write(tmp_path: Path, data: bytes, name: str = "metric.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(data: bytes, budget: ReadBudget | None = None, name: str = "metric.xlsx"):
    return read_metric_workbook(check_package(name, data), FACTS, budget=budget)


def refused_reading(data: bytes, budget: ReadBudget) -> MetricError:
    with pytest.raises(MetricError) as caught:
        read(data, budget)
    assert str(caught.value).endswith("Nothing was imported.")
    return caught.value


# ---------------------------------------------------------------- what is not read


def test_cells_right_of_and_below_what_is_read_are_left_alone(tmp_path, good, good_lines):
    def spread(xml: str) -> str:
        xml = mutate.put_cell(xml, "XFD20", "junk")
        xml = mutate.put_cell(xml, "AMJ125", 123.0)
        xml = mutate.put_cell(xml, "B5000", "Grassland - Modified grassland")
        return mutate.put_cell(xml, "XFD1048576", "#REF!")

    data = mutate.edit_sheet(good, AREA, spread)
    data = mutate.edit_sheet(data, "Headline Results", spread)
    assert import_to_json(import_metric(write(tmp_path, data)))["lines"] == good_lines


def test_rows_below_the_last_row_needed_are_never_parsed(tmp_path, good, good_lines):
    """Broken XML far down the sheet (where formatting reaches) is never met."""
    tail = '<row r="5000"><c r="B5000" s="1"/></row><row r="6000"><c <<< not XML &&&'
    data = mutate.edit_sheet(good, AREA, lambda xml: xml.replace("</sheetData>", tail, 1))
    assert import_to_json(import_metric(write(tmp_path, data)))["lines"] == good_lines


def test_what_follows_the_cells_of_a_sheet_is_never_parsed(tmp_path, good, good_lines):
    """Conditional formats, validations, drawings: nothing the import needs."""
    tail = '</sheetData><conditionalFormatting sqref="A1"><<< not XML &&&'
    data = mutate.edit_sheet(good, "Start", lambda xml: xml.replace("</sheetData>", tail, 1))
    assert import_to_json(import_metric(write(tmp_path, data)))["lines"] == good_lines


def test_shared_strings_are_read_only_as_far_as_the_cells_need(tmp_path, saved, good_lines):
    """A table 100,000 strings long, with only its first few hundred used."""
    filler = "".join(f"<si><t>unused text {n:06d}</t></si>" for n in range(100_000))
    data = mutate.edit_part(
        saved,
        "xl/sharedStrings.xml",
        lambda xml: xml.replace(b"</sst>", filler.encode() + b"</sst>"),
    )
    budget = ReadBudget("metric.xlsx", max_cells=60_000)
    workbook = read(data, budget)
    assert budget.cells < 60_000 and workbook.ledgers[0].rows
    assert import_to_json(import_metric(write(tmp_path, data)))["lines"] == good_lines


# ---------------------------------------------------------------- what is refused


def test_a_sheet_really_holding_millions_of_cells_is_refused_by_the_cells_read(tmp_path, good):
    rows = wide_rows(400, 3_000)  # 1.2 million cells in the rows the summary is read from
    data = mutate.edit_sheet(
        good,
        AREA,
        lambda xml: (
            xml[: xml.index("<sheetData>")]
            + f"<sheetData>{rows}</sheetData>"
            + xml[xml.index("</sheetData>") + len("</sheetData>") :]
        ),
    )
    budget = ReadBudget("big.xlsx")
    error = refused_reading(data, budget)
    assert error.kind == "hostile"
    assert budget.cells <= MAX_CELLS_READ + CHUNK_CELLS, "reading went on past the bound"
    message = str(error)
    assert message.startswith("big.xlsx was refused: reading the sheet 'Trading Summary Area")
    assert f"went past {MAX_CELLS_READ:,} cells" in message and " (at cell " in message


def test_reading_past_the_time_budget_is_refused_saying_where(good):
    ticks = itertools.count()
    budget = ReadBudget("slow.xlsx", max_seconds=0.5, clock=lambda: next(ticks) * 0.1)
    error = refused_reading(good, budget)
    assert error.kind == "hostile" and "0.5 s of processor time" in str(error)
    assert "; it stopped in " in str(error)


def test_a_file_of_more_xml_elements_than_allowed_is_refused(good):
    error = refused_reading(good, ReadBudget("metric.xlsx", max_elements=2_000))
    assert error.kind == "hostile" and "went past 2,000 XML elements" in str(error)


def test_a_cell_asking_for_a_shared_string_far_down_a_long_table_is_refused(saved):
    filler = "".join(f"<si><t>unused text {n:06d}</t></si>" for n in range(100_000))
    data = mutate.edit_part(
        saved,
        "xl/sharedStrings.xml",
        lambda xml: xml.replace(b"</sst>", filler.encode() + b"</sst>"),
    )
    data = mutate.edit_sheet(
        data,
        "Start",
        lambda xml: mutate.put_cell(xml, "F12", "x").replace(
            '<c r="F12" t="inlineStr"><is><t>x</t></is></c>', '<c r="F12" t="s"><v>99000</v></c>'
        ),
    )
    error = refused_reading(data, ReadBudget("metric.xlsx", max_cells=60_000))
    assert error.kind == "hostile" and "reading the shared strings" in str(error)


@pytest.mark.parametrize("index", ["999999", "9" * 10_000, "-1", "x"])
def test_a_missing_shared_string_is_named_by_its_cell(tmp_path, saved, index):
    data = mutate.edit_sheet(
        saved,
        "Start",
        lambda xml: mutate.put_cell(xml, "F12", "x").replace(
            '<c r="F12" t="inlineStr"><is><t>x</t></is></c>', f'<c r="F12" t="s"><v>{index}</v></c>'
        ),
    )
    error = refused_reading(data, ReadBudget("metric.xlsx"))
    assert error.kind == "damaged" and f"'Start'!F12 refers to shared string {index[:20]!r}" in (
        str(error)
    )


def test_a_cell_longer_than_excel_allows_is_damaged(good):
    data = mutate.set_cell(good, AREA, "C13", "x" * 40_000)
    error = refused_reading(data, ReadBudget("metric.xlsx"))
    assert error.kind == "damaged" and "'Trading Summary Area Habitats'!C13" in str(error)


def test_a_zip_directory_claiming_more_parts_than_a_workbook_has_is_refused(tmp_path, good):
    end = good.rfind(b"PK\x05\x06")
    data = bytearray(good)
    struct.pack_into("<HH", data, end + 8, 0xFFFF, 0xFFFF)
    error = refused_reading_file(write(tmp_path, bytes(data)))
    assert error.kind == "hostile" and "lists 65,535 parts" in str(error)


def test_a_zip_directory_larger_than_a_workbooks_is_refused(tmp_path, good):
    contents = mutate.parts(good)
    contents.update({f"customXml/{n:04d}{'x' * 1200}.xml": b"<a/>" for n in range(1_000)})
    error = refused_reading_file(write(tmp_path, mutate.package(contents)))
    assert error.kind == "hostile" and "zip directory takes" in str(error)


def refused_reading_file(path: Path) -> MetricError:
    with pytest.raises(MetricError) as caught:
        import_metric(path)
    return caught.value


# ---------------------------------------------------------------- other ways of writing


def test_strict_open_xml_reads_as_transitional(tmp_path, saved, good_lines):
    """Excel's "Strict Open XML Spreadsheet" writes other namespaces for the same parts."""
    names = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
            b"http://purl.oclc.org/ooxml/spreadsheetml/main"
        ),
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
    }
    contents = mutate.parts(saved)
    for part, body in contents.items():
        for old, new in names.items():
            body = body.replace(old, new)
        contents[part] = body
    assert STRINGS_TYPE.encode() in contents["[Content_Types].xml"]
    assert import_to_json(import_metric(write(tmp_path, mutate.package(contents))))["lines"] == (
        good_lines
    )
