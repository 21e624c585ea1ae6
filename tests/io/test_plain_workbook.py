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


@pytest.mark.parametrize(
    "edit",
    [
        lambda xml: xml.replace(b"<row ", b"<!-- a comment --><row ", 1),
        lambda xml: xml.replace(b"</row>", b"</row>\n", 1),
        lambda xml: xml.replace(b"<t>text</t>", b"<t>te&#120;t</t>", 1),
        lambda xml: xml.replace(b"<t>text</t>", b"<t>te\rxt</t>", 1),
        lambda xml: xml.replace(b"<t>text</t>", b"<t>te\x01xt</t>", 1),
        lambda xml: xml.replace(b"<t>text</t>", b"<r><t>te</t></r><r><t>xt</t></r>", 1),
        lambda xml: xml.replace(b"</sheetData>", b'<row r="9"><c r="A9"><v>1</v></c>', 1),
        lambda xml: xml.replace(b"<v>0</v>", b"<v>1x</v>", 1),
    ],
    ids=[
        "comment",
        "whitespace",
        "char-ref",
        "carriage-return",
        "control-char",
        "rich-text",
        "damaged",
        "bad-number",
    ],
)
def test_a_sheet_not_plain_is_left_to_openpyxl(tmp_path, edit):
    good = write(tmp_path / "good.xlsx", {"Sheet": TRICKY}, write_only=True)
    assert read_plain_workbook(str(good)) is not None
    changed = rewrite_part(good, tmp_path / "changed.xlsx", "xl/worksheets/sheet1.xml", edit)
    with zipfile.ZipFile(changed) as archive:
        assert archive.read("xl/worksheets/sheet1.xml") != zipfile.ZipFile(good).read(
            "xl/worksheets/sheet1.xml"
        ), "the edit found its place"
    assert read_plain_workbook(str(changed)) is None


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
