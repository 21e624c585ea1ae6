"""Damaged and hostile reference workbooks end in the product's own refusal,
naming the file and, where the damage is inside a sheet, the sheet and row;
never a traceback, and the store is exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bng_desktop.core.errors import ReferenceDataError
from bng_desktop.io.reference_workbook import write_reference_workbook
from bng_desktop.io.sheet_table import damaged_part
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.workspace import Workspace
from tests.io.reference_builders import add_row, edited, small_data
from tests.metric import mutate


def raw_number(sheet: str, ref: str, digits: str) -> Callable[[bytes], bytes]:
    """A number cell whose digits are ``digits``, as no spreadsheet would write them."""

    def edit(data: bytes) -> bytes:
        raw = f'<c r="{ref}" t="n"><v>{digits}</v></c>'
        return mutate.edit_sheet(
            data,
            sheet,
            lambda xml: mutate.put_cell(xml, ref, 0).replace(mutate.cell_xml(ref, 0), raw),
        )

    return edit


def broken_xml(sheet: str, *, at_the_end: bool = True) -> Callable[[bytes], bytes]:
    """A row's closing tag misspelt: the last row's, or the first's."""

    def misspell(xml: str) -> str:
        if at_the_end:
            head, _, tail = xml.rpartition("</row>")
            return f"{head}</rw>{tail}"
        return xml.replace("</row>", "</rw>", 1)

    return lambda data: mutate.edit_sheet(data, sheet, misspell)


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def without_part(name: str) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        contents = mutate.parts(data)
        del contents[name]
        return mutate.package(contents)

    return edit


def billion_laughs(sheet: str) -> Callable[[bytes], bytes]:
    """Entities that would expand to gigabytes, used in a cell."""
    entities = '<!ENTITY a0 "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )

    def bomb(xml: str) -> str:
        xml = xml.replace("<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1)
        cell = '<row r="99"><c r="A99" t="inlineStr"><is><t>&a9;</t></is></c></row>'
        return xml.replace("</sheetData>", f"{cell}</sheetData>")

    return lambda data: mutate.edit_sheet(data, sheet, bomb)


DAMAGE = {
    # id: (edit of the good file's bytes, what the refusal names)
    "5,000-digit number": (
        raw_number("Stock", "D2", "9" * 5_000),
        ["Stock", "thousands of digits"],
    ),
    "exponent bomb in a number cell": (
        raw_number("Stock", "D2", "1e999999999"),
        ["Stock row 2, quantity_available", "not a finite number"],
    ),
    "decimal comma in a number cell": (
        raw_number("Pricing", "E3", "1,5"),
        ["Pricing", "'1,5'", "use a point for decimals"],
    ),
    "nan in a number cell": (raw_number("SRM", "B2", "nan"), ["SRM", "'nan'"]),
    "corrupt XML in the rows": (broken_xml("Stock"), ["sheet 'Stock'", "damaged XML"]),
    "corrupt XML at the top": (broken_xml("Stock", at_the_end=False), ["damaged XML"]),
    "billion laughs": (billion_laughs("Banks"), ["sheet 'Banks'", "amplification"]),
    "truncated archive": (truncated, ["is not"]),
    "workbook part gone": (without_part("xl/workbook.xml"), ["is not a readable Excel"]),
    "styles gone": (without_part("xl/styles.xml"), []),
}


@pytest.fixture(scope="module")
def facts():
    return load_statutory_facts()


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "data") as workspace:
        workspace.ensure_reference()
        yield workspace


@pytest.fixture
def good(facts, tmp_path) -> Path:
    return write_reference_workbook(small_data(facts), tmp_path / "good.xlsx")


def store_state(workspace: Workspace) -> tuple:
    versions = workspace.references.list_versions()
    return tuple((v.version_id, v.content_hash, v.is_current) for v in versions)


def refused_leaving_the_store(workspace: Workspace, path: Path) -> ReferenceDataError:
    before = store_state(workspace)
    with pytest.raises(ReferenceDataError) as refused:
        workspace.import_reference(path)
    assert store_state(workspace) == before
    assert str(refused.value).startswith(path.name)
    assert "nothing was imported" in str(refused.value)
    return refused.value


@pytest.mark.parametrize(("damage", "names"), DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_workbook_is_refused_and_nothing_changes(workspace, good, damage, names):
    path = good.with_name("damaged.xlsx")
    path.write_bytes(damage(good.read_bytes()))
    try:
        workspace.import_reference(path)
    except ReferenceDataError:
        error = refused_leaving_the_store(workspace, path)
        for name in names:
            assert name in str(error)
    else:
        assert not names, "a file the reader should have refused was imported"


@pytest.mark.parametrize(
    ("value", "says"),
    [("1/0", "a fraction; type it as a decimal"), ("9" * 5_000, "too long")],
    ids=["1/0", "5,000 digits"],
)
def test_a_policy_value_no_one_can_read_is_refused_on_its_row(workspace, good, value, says):
    path = edited(good, add_row("Policy", key="tolerance_abs", value=value))
    error = refused_leaving_the_store(workspace, path)
    (problem,) = error.problems
    assert (problem.sheet, problem.row, problem.column) == ("Policy", 4, "value")
    assert says in problem.hint


def test_the_good_workbook_imports(workspace, good):
    before = len(store_state(workspace))
    workspace.import_reference(good)
    assert len(store_state(workspace)) == before + 1


@pytest.mark.parametrize(("offset", "byte"), [(0, b"\xff"), (56, b"\xff")], ids=["zlib", "crc"])
def test_a_part_damaged_in_its_packing_is_named_not_raised(tmp_path, offset, byte):
    """Finding the damaged part must not fail on the damage itself (a zlib or
    CRC error while unpacking it)."""
    body = b"".join(b'<row r="%d"><c r="A1"><v>%d</v></c></row>' % (i, i % 97) for i in range(5000))
    xml = b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>"
    data = bytearray(mutate.package({"xl/worksheets/sheet1.xml": xml}))
    start = data.index(b"sheet1.xml") + len("sheet1.xml") + offset
    data[start : start + 1] = byte
    path = tmp_path / "packed.xlsx"
    path.write_bytes(bytes(data))
    assert damaged_part(path) == "xl/worksheets/sheet1.xml: "
