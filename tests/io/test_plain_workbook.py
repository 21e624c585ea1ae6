"""A plain workbook read from its XML gives exactly the rows openpyxl gives;
anything not plain is left to openpyxl (the reader says None)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bng_desktop.io.plain_workbook import read_plain_workbook
from tests.shared_data import ACCEPTANCE_DIR, needs_shared

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def openpyxl_rows(path: Path) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = {}
        for title in workbook.sheetnames:
            sheet = workbook[title]
            sheet.reset_dimensions()
            rows[title] = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        return rows
    finally:
        workbook.close()


def plain_rows(path: Path) -> dict[str, list[tuple]] | None:
    plain = read_plain_workbook(str(path))
    if plain is None:
        return None
    return {title: [tuple(r) for r in plain[title].rows] for title in plain.sheetnames}


def typed(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The rows with each value's type beside it: 1 and 1.0 and True differ."""
    return {t: [tuple((type(v), v) for v in r) for r in rs] for t, rs in rows.items()}


def assert_same_as_openpyxl(path: Path) -> None:
    plain = plain_rows(path)
    assert plain is not None, f"{path.name} should be plain"
    assert typed(plain) == typed(openpyxl_rows(path))


def test_the_bundled_sample_reads_as_openpyxl_reads_it():
    assert_same_as_openpyxl(ASSETS / "sample_reference.xlsx")


@needs_shared
def test_every_acceptance_workbook_reads_as_openpyxl_reads_it():
    for backend in sorted(ACCEPTANCE_DIR.glob("*/backend.xlsx")):
        assert_same_as_openpyxl(backend)


def write(path: Path, rows_by_sheet: dict[str, list[list]], *, write_only: bool = False) -> Path:
    workbook = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    for title, rows in rows_by_sheet.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


TRICKY = [
    ["text", "number", "flag", "blank", "big"],
    ["Heathland & shrub <dense>", 52.45, True, None, 12345678901234567890],
    ["  spaced  ", 0, False, "", 1e-7],
    ["Ünïcödé £", -3, None, None, 1.5e300],
    ["quote \" and apostrophe '", 10**15, "=not a formula", None, 0.1],
]


@pytest.mark.parametrize("write_only", [False, True])
def test_values_of_every_plain_kind_read_exactly(tmp_path, write_only):
    path = write(
        tmp_path / "t.xlsx", {"Sheet": TRICKY, "Other": [["a"], [], ["b"]]}, write_only=write_only
    )
    assert_same_as_openpyxl(path)


def test_gaps_between_rows_and_cells_read_as_openpyxl_fills_them(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "head"
    sheet["C1"] = "third"
    sheet["B4"] = 7
    sheet["E9"] = "far"
    path = tmp_path / "gaps.xlsx"
    workbook.save(path)
    assert_same_as_openpyxl(path)


def test_a_number_styled_as_a_date_is_left_to_openpyxl(tmp_path):
    path = write(tmp_path / "date.xlsx", {"Sheet": [["when"], [dt.datetime(2024, 5, 1)]]})
    assert read_plain_workbook(str(path)) is None


def rewrite_part(source: Path, target: Path, part: str, edit) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, edit(data) if info.filename == part else data)
    return target


PARSED_AS_XML = {
    "comment": lambda xml: xml.replace(b"<row ", b"<!-- a comment --><row ", 1),
    "whitespace": lambda xml: xml.replace(b"</row>", b"</row>\n  ", 1),
    "char-ref": lambda xml: xml.replace(b"<t>text</t>", b"<t>te&#120;t&#x20AC;</t>", 1),
    "carriage-return": lambda xml: xml.replace(b"<t>text</t>", b"<t>te\r\nxt\r</t>", 1),
    "cdata": lambda xml: xml.replace(b"<t>text</t>", b"<t><![CDATA[<te&xt>]]></t>", 1),
    "prefixed": lambda xml: (
        xml.replace(b"<worksheet ", b"<x:worksheet xmlns:x=" + MAIN + b" ", 1)
        .replace(b"</worksheet>", b"</x:worksheet>")
        .replace(b"<row ", b"<x:row ")
        .replace(b"</row>", b"</x:row>")
    ),
    "no-row-numbers": lambda xml: xml.replace(b' r="2"', b"").replace(b' r="A3"', b""),
    "empty-inline": lambda xml: xml.replace(b"<is><t>text</t></is>", b"<is><t/></is>", 1),
    "bare-inline": lambda xml: xml.replace(b"<is><t>text</t></is>", b"<is/>", 1),
    "formula": lambda xml: xml.replace(b"<v>0</v>", b"<f>1-1</f><v>0</v>", 1),
    "row-in-a-comment": lambda xml: xml.replace(
        b'<row r="2">', b'<!-- <row r="9"><c r="A9" t="n"><v>5</v></c></row> --><row r="2">', 1
    ),
    "namespace-declared-again": lambda xml: xml.replace(
        b"<sheetData>", b"<sheetData xmlns=" + MAIN + b">", 1
    ),
    "row-attributes": lambda xml: xml.replace(b'<row r="2">', b'<row r="2" spans="1:5" ht="9">'),
    "empty-cells": lambda xml: xml.replace(b"</row>", b'<c r="H1" s="0"/><c r="J1" t="s"/></row>'),
}
MAIN = b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
)
NOT_PLAIN = {
    "control-char": lambda xml: xml.replace(b"<t>text</t>", b"<t>te\x01xt</t>", 1),
    "rich-text": lambda xml: xml.replace(b"<t>text</t>", b"<r><t>te</t></r><r><t>xt</t></r>", 1),
    "damaged": lambda xml: xml.replace(b"</sheetData>", b'<row r="9"><c r="A9"><v>1</v></c>', 1),
    "bad-number": lambda xml: xml.replace(b"<v>0</v>", b"<v>1x</v>", 1),
    "date-cell": lambda xml: xml.replace(b"<v>0</v>", b"<v>2024-05-01</v>", 1).replace(
        b'<c r="B3" t="n">', b'<c r="B3" t="d">', 1
    ),
    "entity": lambda xml: BOMB + xml.replace(b"<t>text</t>", b"<t>&b;</t>", 1),
    "unchecked-element": lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><sheetProtection sheet="1"/>'
    ),
    "beyond-the-last-row": lambda xml: xml.replace(b'<row r="2">', b'<row r="1048577">', 1),
    "element-in-a-row": lambda xml: xml.replace(b"</row>", b"<extLst/></row>", 1),
    "undeclared-prefix": lambda xml: xml.replace(b'<row r="2">', b'<row r="2" x:ht="9">', 1),
    "repeated-attribute": lambda xml: xml.replace(b'<row r="2">', b'<row r="2" ht="9" ht="9">'),
    "unclosed-tag": lambda xml: xml.replace(
        b'<row r="3">', b'<row r="2" ht="<row r="3">', 1
    ).replace(b'</row><row r="4">', b'</row>"></row><row r="4">', 1),
}


def edited(tmp_path: Path, edit) -> Path:
    good = write(tmp_path / "good.xlsx", {"Sheet": TRICKY}, write_only=True)
    assert read_plain_workbook(str(good)) is not None
    changed = rewrite_part(good, tmp_path / "changed.xlsx", "xl/worksheets/sheet1.xml", edit)
    with zipfile.ZipFile(changed) as archive:
        assert archive.read("xl/worksheets/sheet1.xml") != zipfile.ZipFile(good).read(
            "xl/worksheets/sheet1.xml"
        ), "the edit found its place"
    return changed


@pytest.mark.parametrize("edit", PARSED_AS_XML.values(), ids=PARSED_AS_XML)
def test_a_sheet_written_otherwise_reads_as_openpyxl_reads_it(tmp_path, edit):
    """What an XML parser makes of the text (comments, whitespace, character
    references, CDATA, line ends, prefixes) and the forms openpyxl reads alike."""
    assert_same_as_openpyxl(edited(tmp_path, edit))


@pytest.mark.parametrize("edit", NOT_PLAIN.values(), ids=NOT_PLAIN)
def test_a_sheet_not_plain_is_left_to_openpyxl(tmp_path, edit):
    assert read_plain_workbook(str(edited(tmp_path, edit))) is None


SHARED_STRINGS = (
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
    b'uniqueCount="2"><si><t>shared &amp; kept</t></si><si><r><t>rich</t></r>'
    b"<r><rPr><b/></rPr><t> text</t></r></si></sst>"
)
SHARED_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def test_rows_as_excel_writes_them_read_as_openpyxl_reads_them(tmp_path):
    """Shared strings (one rich), styled blank cells, spans and Excel's row
    attribute, and a cell out of column order (Z4 before B4: dropped, as the
    row is as wide as its last cell)."""
    good = write(tmp_path / "good.xlsx", {"Sheet": TRICKY}, write_only=True)

    def as_excel(xml: bytes) -> bytes:
        xml = xml.replace(
            b"<worksheet ",
            b'<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/'
            b'spreadsheetml/2009/9/ac" ',
            1,
        )
        xml = xml.replace(b'<row r="2">', b'<row r="2" spans="1:6" x14ac:dyDescent="0.25">')
        xml = xml.replace(
            b'<c r="A3" t="inlineStr"><is><t xml:space="preserve">  spaced  </t></is></c>',
            b'<c r="A3" t="s"><v>0</v></c>',
        )
        xml = xml.replace(
            b'<c r="A4" t="inlineStr"><is><t>',
            b'<c r="A4" t="s"><v>1</v></c><c r="Z4" t="inlineStr"><is><t>',
            1,
        )
        return xml.replace(b"</row>", b'<c r="F1" s="0"/></row>', 1)

    excel = rewrite_part(good, tmp_path / "excel.xlsx", "xl/worksheets/sheet1.xml", as_excel)
    with zipfile.ZipFile(excel, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", SHARED_STRINGS)
    typed_ = rewrite_part(
        excel,
        tmp_path / "typed.xlsx",
        "[Content_Types].xml",
        lambda xml: xml.replace(b"</Types>", SHARED_TYPE + b"</Types>"),
    )
    with zipfile.ZipFile(typed_) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"x14ac:dyDescent" in sheet and b'<c r="F1" s="0"/>' in sheet
    assert sheet.count(b't="s"') == 2
    rows = plain_rows(typed_)
    assert rows is not None and rows["Sheet"][2][0] == "shared & kept"
    assert rows["Sheet"][3][0] == "rich text"
    assert_same_as_openpyxl(typed_)


def long_sheet(rows: int) -> list[list]:
    """Rows of several shapes (cells missing, of other types, out of order) over
    more than the mebibyte a sheet is read by at once."""
    made: list[list] = [["id", "name", "amount", "flag", "note"]]
    for number in range(rows):
        shape = number % 7
        if shape == 0:
            made.append([f"B{number}", "Grassland - Bracken", number * 1.25, True, None])
        elif shape == 1:
            made.append([f"B{number}", None, number, False, "n & m"])
        elif shape == 2:
            made.append([])
        else:
            made.append([f"B{number}", f"Heath {shape}", 10**shape, None, None, "x" * shape])
    return made


EDITS_FAR_IN = {
    "as-written": lambda xml: xml,
    "whitespace-far-in": lambda xml: xml.replace(
        b'</row><row r="6000">', b'</row>\n<row r="6000">'
    ),
    "comment-far-in": lambda xml: xml.replace(b'<row r="6000">', b'<!-- c --><row r="6000">'),
    "rows-out-of-order": lambda xml: xml.replace(b'<row r="5000">', b'<row r="40">'),
}


@pytest.mark.parametrize("edit", EDITS_FAR_IN.values(), ids=EDITS_FAR_IN)
def test_a_long_sheet_of_many_row_shapes_reads_as_openpyxl_reads_it(tmp_path, edit):
    """Rows read by their shape's pattern, and rows left to the XML parser
    (whitespace between them, a comment, a row numbered out of order) mixed."""
    good = write(tmp_path / "long.xlsx", {"Sheet": long_sheet(9000)}, write_only=True)
    with zipfile.ZipFile(good) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 1 << 20
    changed = rewrite_part(good, tmp_path / "changed.xlsx", "xl/worksheets/sheet1.xml", edit)
    with zipfile.ZipFile(good) as before, zipfile.ZipFile(changed) as after:
        part = "xl/worksheets/sheet1.xml"
        assert (before.read(part) == after.read(part)) == (edit is EDITS_FAR_IN["as-written"])
    assert_same_as_openpyxl(changed)
