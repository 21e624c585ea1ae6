"""Mutated metric workbooks for the fuzz run: each mutation takes a good
workbook's bytes and a seeded random source and returns broken bytes."""

from __future__ import annotations

import random
import re
import zipfile
import zlib
from collections.abc import Callable

from tests.metric import mutate

AREA = "Trading Summary Area Habitats"
HEDGEROW = "Trading Summary Hedgerows"
WATERCOURSE = "Trading Summary WaterC's"
HEADLINE = "Headline Results"
NEEDED = ("Start", HEADLINE, AREA, HEDGEROW, WATERCOURSE, "Version History")
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


def truncated(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(0, len(data))]


def flipped_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


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
    """Numbers of one sheet turned into formulas without values."""
    sheet = rng.choice(NEEDED[1:5])
    return mutate.edit_sheet(
        data,
        sheet,
        lambda xml: re.sub(r'(<c r="[A-Z]+\d+") s="1" t="n"><v>[^<]*</v>', r"\1><f>1+1</f>", xml),
    )


def renumbered_titles(data: bytes, rng: random.Random) -> bytes:
    """A band title or header text changed."""
    sheet = rng.choice(list(SUMMARY_ROWS))
    old = rng.choice(["High Distinctiveness", "Habitat group", "Project wide unit change ",
                      "Project-wide unit change ", "Off-site unit change", "Group"])  # fmt: skip
    new = rng.choice(["", "Very High Distinctiveness", "Habitat", "Project-wide unit change",
                      "Total", "Group"])  # fmt: skip
    return mutate.edit_sheet(
        data, sheet, lambda xml: xml.replace(f"<t>{old}</t>", f"<t>{new}</t>", 1)
    )


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
}


def mutated(base: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One or two mutations of ``base``: their names and the bytes."""
    names = [rng.choice(list(MUTATIONS)) for _ in range(rng.choice([1, 1, 1, 2]))]
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
