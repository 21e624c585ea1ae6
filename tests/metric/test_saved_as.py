"""The workbooks the metric tests read are what they claim to be: the
generator's sheets declare sizes as Excel and LibreOffice do, and the re-saved
forms (saved_as.py) hold the same values, read back by openpyxl, in the way
each tool writes them."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from tests.metric import mutate
from tests.metric.generated import BAD, READABLE, Spec

READ_SHEETS = (
    "Start",
    "Headline Results",
    "Trading Summary Area Habitats",
    "Trading Summary Hedgerows",
    "Trading Summary WaterC's",
    "Version History",
)
DIMENSION = re.compile(r'<dimension ref="([^"]*)"')


def values(data: bytes) -> dict[tuple[str, int, int], object]:
    """Every non-empty cell of every sheet, as openpyxl reads the cached values."""
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return {
        (sheet.title, row, column): cell.value
        for sheet in book.worksheets
        for (row, column), cell in sheet._cells.items()
        if cell.value is not None
    }


def dimensions(data: bytes) -> list[str]:
    contents = mutate.parts(data)
    found = []
    for name in READ_SHEETS:
        try:
            part = mutate.sheet_part(contents, name)
        except KeyError:
            continue
        found += DIMENSION.findall(contents[part].decode())
    return found


@pytest.mark.parametrize("spec", [Spec(v, s) for v in READABLE + BAD for s in (1, 2)], ids=str)
def test_a_resaved_form_holds_the_same_values(metric_workbooks, spec):
    generated = metric_workbooks[spec]
    original = values(generated.workbook.read_bytes())
    assert values(generated.form("saved").read_bytes()) == original
    assert values(generated.form("xlsm").read_bytes()) == original


def test_generated_sheets_declare_whole_rows_and_columns(metric_workbooks):
    excel = [
        d
        for s in range(1, 21)
        for d in dimensions(metric_workbooks[Spec("1.0.3", s)].workbook.read_bytes())
    ]
    libre = [
        d
        for s in range(1, 21)
        for d in dimensions(metric_workbooks[Spec("libreoffice", s)].workbook.read_bytes())
    ]
    assert any(re.fullmatch(r"[A-Z]+\d+:XFD\d+", d) for d in excel)
    assert any(re.fullmatch(r"[A-Z]+\d+:[A-Z]+1048576", d) for d in libre)


@pytest.mark.parametrize(("variant", "tool"), [("1.0.3", "Excel"), ("libreoffice", "LibreOffice")])
def test_a_resaved_form_is_written_as_its_tool_writes(metric_workbooks, variant, tool):
    contents = mutate.parts(metric_workbooks[Spec(variant, 3)].form("saved").read_bytes())
    sheets = "".join(v.decode() for k, v in contents.items() if k.startswith("xl/worksheets/"))
    assert "xl/sharedStrings.xml" in contents and 't="inlineStr"' not in sheets
    assert 't="s"' in sheets and "<f" in sheets and "customFormat=" in sheets
    assert 'max="16384"' in sheets if tool == "Excel" else 'r="1048576"' in sheets
    if tool == "Excel":
        assert '<f t="shared"' in sheets and "x14ac:dyDescent" in sheets and 'r="XFD' in sheets
        assert "<rPh " in contents["xl/sharedStrings.xml"].decode()
    else:
        assert '<f aca="false">' in sheets and 't="n"' in sheets


def test_the_xlsm_form_is_macro_enabled(metric_workbooks):
    contents = mutate.parts(metric_workbooks[Spec("1.0.3", 3)].form("xlsm").read_bytes())
    assert "xl/vbaProject.bin" in contents
    assert (
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in contents["[Content_Types].xml"]
    )
