"""Mutated metric workbooks for the fuzz run: each mutation takes a good
workbook's bytes (as generated, or re-saved as Excel or LibreOffice write it,
or as .xlsm) and a seeded random source and returns broken or awkward bytes.
Some are what real saving tools write and must import (cells far right and
far down, whole rows and columns formatted); most must be refused."""

from __future__ import annotations

import random
import re
import zipfile
import zlib
from collections.abc import Callable
from xml.sax.saxutils import escape

from tests.metric import mutate, saved_as
from tests.metric.mutate import flipped_bytes, truncated

AREA = "Trading Summary Area Habitats"
HEDGEROW = "Trading Summary Hedgerows"
WATERCOURSE = "Trading Summary WaterC's"
HEADLINE = "Headline Results"
NEEDED = ("Start", HEADLINE, AREA, HEDGEROW, WATERCOURSE, "Version History")
STRINGS = "xl/sharedStrings.xml"
BAD_NUMBERS = ["1,5", "1e999999999", "nan", "-1", "9" * 5_000, "\ufeff2.5", "1e400", "12,345.6"]
SUMMARY_ROWS = {
    AREA: ("F", [*range(13, 33), *range(41, 83), *range(89, 116), *range(125, 163)]),
    HEDGEROW: ("E", [14, 22, 23, 24, *range(32, 37), 44, 45, 46, 54]),
    WATERCOURSE: ("E", [13, 22, 30, 31, 42]),
}
HEADLINE_CELLS = [
    *(f"H{r}" for r in (8, 9, 10, 47, 48, 49, 61, 62, 63)),
    *(f"{c}{r}" for c in "DF" for r in (61, 62, 63)),
    "F55",
    "B8",
    "F8",
    "B60",
]
WRONG_VALUES = [
    "abc", "N/A", "0.00", " ", "", True, False, "#REF!", "#VALUE!", "#N/A", "#DIV/0!",
    "Check Data ⚠", "Error ▲", "=SUM(A1:A2)", 1e308, -5, 7.5, "1,234.5", "12%", "nan", None,
]  # fmt: skip

Mutation = Callable[[bytes, random.Random], bytes]


def wrong_summary_value(data: bytes, rng: random.Random) -> bytes:
    sheet = rng.choice(list(SUMMARY_ROWS))
    column, rows = SUMMARY_ROWS[sheet]
    ref = f"{rng.choice([column, column, 'B', 'C', 'D'])}{rng.choice(rows)}"
    return mutate.set_cell(data, sheet, ref, rng.choice(WRONG_VALUES))


def wrong_headline_value(data: bytes, rng: random.Random) -> bytes:
    sheet, ref = rng.choice([(HEADLINE, rng.choice(HEADLINE_CELLS)), ("Start", "D8")])
    return mutate.set_cell(data, sheet, ref, rng.choice(WRONG_VALUES))


def deleted_sheet(data: bytes, rng: random.Random) -> bytes:
    return mutate.delete_sheet(data, rng.choice(NEEDED))


def renamed_sheet(data: bytes, rng: random.Random) -> bytes:
    old = rng.choice(NEEDED)
    new = rng.choice([old.upper(), old.replace(" ", "  "), old + "s", old[:-1], "Sheet99"])
    return mutate.rename_sheet(data, old, new)


def shifted_rows(data: bytes, rng: random.Random) -> bytes:
    sheet = rng.choice([AREA, HEDGEROW, WATERCOURSE, HEADLINE])
    first = rng.randrange(1, 160)
    last = first + rng.randrange(0, 60)
    by = rng.choice([-2, -1, 1, 2, 3, 40])
    return mutate.edit_sheet(data, sheet, lambda xml: mutate.shift_rows(xml, first, last, by))


def shifted_column(data: bytes, rng: random.Random) -> bytes:
    sheet = rng.choice(list(SUMMARY_ROWS))
    column, rows = SUMMARY_ROWS[sheet]
    first = rng.choice([1, rows[0], rng.choice(rows)])
    last = first + rng.randrange(0, 200)
    by = rng.choice([-1, 1, 2])
    column = rng.choice([column, "B", "D"])
    return mutate.edit_sheet(
        data, sheet, lambda xml: mutate.shift_column(xml, first, last, column, by)
    )


def huge_dimension(data: bytes, rng: random.Random) -> bytes:
    ref = rng.choice(["A1:XFD1048576", "A1:ZZ5000000", "A1:AMJ900000", "B2:L163", "A1:XFE1"])
    return mutate.edit_sheet(
        data, rng.choice(NEEDED[:5]), lambda xml: mutate.set_dimension(xml, ref)
    )


def zip_bomb(data: bytes, rng: random.Random) -> bytes:
    """A highly compressible part, or a central directory lying about a size."""
    if rng.random() < 0.5:
        name = rng.choice(["xl/media/image1.png", "xl/sharedStrings.xml", "customXml/item1.xml"])
        return mutate.add_part(data, name, mutate.zeros_part(rng.choice([2, 8, 70])))
    contents = mutate.parts(data)
    part = rng.choice(list(contents))
    return mutate.declare_size(data, part, rng.choice([2**31, 700 * 2**20, 1, 0]))


def entity_bomb(data: bytes, rng: random.Random) -> bytes:
    dtd = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    sheet = rng.choice(NEEDED[:5])
    return mutate.edit_sheet(data, sheet, lambda xml: dtd + xml)


def broken_xml(data: bytes, rng: random.Random) -> bytes:
    sheet = rng.choice(NEEDED[:5])

    def cut(xml: str) -> str:
        at = rng.randrange(len(xml))
        return xml[:at] + rng.choice(["<", "</row>", "&", '"', ""]) + xml[at + rng.randrange(5) :]

    return mutate.edit_sheet(data, sheet, cut)


def uncached_values(data: bytes, rng: random.Random) -> bytes:
    """Numbers of one sheet turned into formulas without values (as generated: values
    alone; as saved: formulas whose cached value is dropped)."""
    sheet = rng.choice(NEEDED[1:5])

    def drop(xml: str) -> str:
        xml = re.sub(r'(<c r="[A-Z]+\d+") s="1" t="n"><v>[^<]*</v>', r"\1><f>1+1</f>", xml)
        return re.sub(r"(<f[^>]*/>|<f[^>]*>[^<]*</f>)<v>[^<]*</v>", r"\1<v></v>", xml)

    return mutate.edit_sheet(data, sheet, drop)


def renumbered_titles(data: bytes, rng: random.Random) -> bytes:
    """A band title or header text changed (in the sheet, or in the shared strings)."""
    sheet = rng.choice(list(SUMMARY_ROWS))
    old = rng.choice(["High Distinctiveness", "Habitat group", "Project wide unit change ",
                      "Project-wide unit change ", "Off-site unit change", "Group"])  # fmt: skip
    new = rng.choice(["", "Very High Distinctiveness", "Habitat", "Project-wide unit change",
                      "Total", "Group"])  # fmt: skip
    if STRINGS in mutate.parts(data):
        return mutate.edit_part(
            data,
            STRINGS,
            lambda xml: xml.replace(f">{old}</t>".encode(), f">{new}</t>".encode(), 1),
        )
    return mutate.edit_sheet(
        data, sheet, lambda xml: xml.replace(f"<t>{old}</t>", f"<t>{new}</t>", 1)
    )


def bad_shared_string(data: bytes, rng: random.Random) -> bytes:
    """A cell read pointing into the shared strings: past their end, not a number, or
    at another string (a label where a figure belongs, or the wrong label)."""
    sheet = rng.choice(list(SUMMARY_ROWS))
    column, rows = SUMMARY_ROWS[sheet]
    ref = f"{rng.choice([column, 'B', 'C'])}{rng.choice(rows)}"
    index = rng.choice(["999999", "9" * 5_000, "-1", "x", "", "0", "3", str(rng.randrange(200))])
    raw = f'<c r="{ref}" t="s"><v>{index}</v></c>'
    return mutate.edit_sheet(
        data, sheet, lambda xml: mutate.put_cell(xml, ref, 0).replace(mutate.cell_xml(ref, 0), raw)
    )


def broken_shared_strings(data: bytes, rng: random.Random) -> bytes:
    """The shared-strings table cut short, emptied, broken or gone."""
    if STRINGS not in mutate.parts(data):
        return wrong_summary_value(data, rng)
    how = rng.choice(["cut", "empty", "broken", "gone", "entity"])
    if how == "gone":
        contents = mutate.parts(data)
        del contents[STRINGS]
        return mutate.package(contents)

    def edit(xml: bytes) -> bytes:
        if how == "cut":
            return xml[: rng.randrange(len(xml))]
        if how == "empty":
            return re.sub(rb"<si>.*</si>", b"", xml, flags=re.S)
        if how == "entity":
            return b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>' + xml
        at = rng.randrange(len(xml))
        return xml[:at] + b"<si><t>&bad;</t>" + xml[at:]

    return mutate.edit_part(data, STRINGS, edit)


def bad_number_text(data: bytes, rng: random.Random) -> bytes:
    """Numbers no one can read, as text or as the digits of a number cell."""
    sheet, ref = rng.choice(
        [(HEADLINE, "H8"), (HEADLINE, "D61"), ("Start", "D8")]
        + [(s, f"{c}{rng.choice(rows)}") for s, (c, rows) in SUMMARY_ROWS.items()]
    )
    text = rng.choice(BAD_NUMBERS)
    if rng.random() < 0.5:
        return mutate.set_cell(data, sheet, ref, text)
    raw = f'<c r="{ref}"><v>{escape(text)}</v></c>'
    return mutate.edit_sheet(
        data, sheet, lambda xml: mutate.put_cell(xml, ref, 0).replace(mutate.cell_xml(ref, 0), raw)
    )


def far_cells(data: bytes, rng: random.Random) -> bytes:
    """What formatting leaves far right and far down (to be ignored): styled empty
    cells out to XFD, rows down to 1048576, stray values beyond what is read."""
    sheet = rng.choice(NEEDED[:5])

    def spread(xml: str) -> str:
        for _ in range(rng.randint(1, 6)):
            ref = rng.choice(["XFD", "AMJ", "ZZ", "Z"]) + str(rng.choice([1, 8, 20, 125, 400]))
            xml = mutate.put_cell(xml, ref, rng.choice([None, "junk", 99.5, "#REF!"]))
        for row in sorted(rng.sample([1_000, 65_536, 400_000, 1_048_576], 2)):
            xml = mutate.put_cell(xml, f"{rng.choice(['A', 'B', 'Q', 'XFD'])}{row}", None)
        return xml

    return mutate.edit_sheet(data, sheet, spread)


def formatted_rows(data: bytes, rng: random.Random) -> bytes:
    """Whole rows and columns formatted, as both tools write it (to be read alike)."""
    sheet = rng.choice(NEEDED[:5])
    tool = rng.choice([saved_as.EXCEL, saved_as.LIBREOFFICE])

    def style(xml: str) -> str:
        xml = re.sub(r'<row r="\d+"(?![^>]*customFormat)', r'\g<0> s="1" customFormat="1"', xml)
        last = 16_384 if tool == saved_as.EXCEL else 1_025
        column = f'<col min="30" max="{last}" width="9" style="1" customWidth="1"/>'
        if "<cols>" in xml:
            return xml.replace("</cols>", column + "</cols>", 1)
        return xml.replace("<sheetData", f"<cols>{column}</cols><sheetData", 1)

    return mutate.edit_sheet(data, sheet, style)


def millions_of_cells(data: bytes, rng: random.Random) -> bytes:
    """A sheet read that really holds over a million cells in the rows read."""
    sheet = rng.choice([AREA, HEDGEROW, HEADLINE, "Start"])
    rows, columns = rng.choice([(40, 16_384), (100, 10_500), (400, 2_700)])
    body = wide_rows(rows, columns, times=-(-1_050_000 // (rows * columns)))

    def fill(xml: str) -> str:
        start, end = xml.index("<sheetData"), xml.index("</sheetData>") + len("</sheetData>")
        return xml[:start] + f"<sheetData>{body}</sheetData>" + xml[end:]

    return mutate.edit_sheet(data, sheet, fill)


def wide_rows(rows: int, columns: int, times: int = 1) -> str:
    """Rows of styled empty cells (a row repeated ``times`` over, as a hostile file may)."""
    names = [saved_as.column_name(c) for c in range(1, columns + 1)]
    return "".join(
        f'<row r="{r}">' + "".join(f'<c r="{n}{r}" s="1"/>' for n in names) + "</row>"
        for r in range(1, rows + 1)
        for _ in range(times)
    )


def missing_part(data: bytes, rng: random.Random) -> bytes:
    """A needed sheet's relationship pointing at nothing, or at another sheet."""
    contents = mutate.parts(data)
    sheet = rng.choice(NEEDED[:5])
    part = mutate.sheet_part(contents, sheet)
    target = part.removeprefix("xl/")
    other = rng.choice(["worksheets/sheet999.xml", "../../outside.xml", "worksheets/sheet1.xml"])

    def point(xml: bytes) -> bytes:
        return xml.replace(f'/xl/{target}"'.encode(), f'{other}"'.encode()).replace(
            f'"{target}"'.encode(), f'"{other}"'.encode()
        )

    return mutate.edit_part(data, "xl/_rels/workbook.xml.rels", point)


MUTATIONS: dict[str, Mutation] = {
    "truncated": truncated,
    "flipped-bytes": flipped_bytes,
    "wrong-summary-value": wrong_summary_value,
    "wrong-headline-value": wrong_headline_value,
    "deleted-sheet": deleted_sheet,
    "renamed-sheet": renamed_sheet,
    "shifted-rows": shifted_rows,
    "shifted-column": shifted_column,
    "huge-dimension": huge_dimension,
    "zip-bomb": zip_bomb,
    "entity-bomb": entity_bomb,
    "broken-xml": broken_xml,
    "uncached-values": uncached_values,
    "changed-header": renumbered_titles,
    "bad-shared-string": bad_shared_string,
    "broken-shared-strings": broken_shared_strings,
    "bad-number-text": bad_number_text,
    "far-cells": far_cells,
    "formatted-rows": formatted_rows,
    "millions-of-cells": millions_of_cells,
    "missing-part": missing_part,
}
WEIGHTS = {name: 1.0 for name in MUTATIONS} | {"millions-of-cells": 0.15}
"""A million-cell file costs a second or two to refuse: a few of them suffice."""


def mutated(base: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One or two mutations of ``base``: their names and the bytes."""
    names = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=rng.choice([1, 1, 1, 2]))
    data = base
    for name in names:
        try:
            data = MUTATIONS[name](data, rng)
        except NOT_MUTABLE:  # an earlier mutation left nothing for this one to edit
            data = truncated(data, rng)
    return "+".join(names), data


NOT_MUTABLE = (
    zipfile.BadZipFile, zlib.error, KeyError, UnicodeDecodeError, EOFError, OSError, ValueError,
)  # fmt: skip
