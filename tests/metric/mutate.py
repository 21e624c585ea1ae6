"""Edits of a workbook package at the zip/XML level: the bad and hostile
files of the tests and the fuzz run, made in milliseconds without a
spreadsheet library (so they can be anything a spreadsheet library would
refuse to write)."""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
from collections.abc import Callable
from functools import cache
from xml.sax.saxutils import escape

from openpyxl.utils.cell import column_index_from_string, get_column_letter

SHEET = re.compile(r'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"[^>]*/>')
RELATION = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"[^>]*/>')
ROW = re.compile(r'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def package(contents: dict[str, bytes], level: int = 1) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return out.getvalue()


def sheet_part(contents: dict[str, bytes], sheet: str) -> str:
    """The part name of a sheet, through workbook.xml and its relationships."""
    workbook = contents["xl/workbook.xml"].decode()
    rels = contents["xl/_rels/workbook.xml.rels"].decode()
    ids = {name.replace("&apos;", "'"): rid for name, rid in SHEET.findall(workbook)}
    targets = {rid: target for target, rid in RELATION.findall(rels)}
    target = targets[ids[sheet]]
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def edit_sheet(data: bytes, sheet: str, edit: Callable[[str], str]) -> bytes:
    contents = parts(data)
    part = sheet_part(contents, sheet)
    contents[part] = edit(contents[part].decode()).encode()
    return package(contents)


def edit_part(data: bytes, part: str, edit: Callable[[bytes], bytes]) -> bytes:
    contents = parts(data)
    contents[part] = edit(contents[part])
    return package(contents)


def cell_xml(ref: str, value: object) -> str:
    """A cell as a spreadsheet writes it: number, text, boolean or error value."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}" t="n"><v>{value!r}</v></c>'
    if value is None:
        return f'<c r="{ref}"/>'
    text = str(value)
    if text.startswith("#") and text.upper() == text:
        return f'<c r="{ref}" t="e"><v>{escape(text)}</v></c>'
    if text.startswith("="):
        return f'<c r="{ref}"><f>{escape(text[1:])}</f><v></v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def set_cell(data: bytes, sheet: str, ref: str, value: object) -> bytes:
    return edit_sheet(data, sheet, lambda xml: put_cell(xml, ref, value))


def put_cell(xml: str, ref: str, value: object) -> str:
    """``xml`` with cell ``ref`` replaced (or added) by ``value``."""
    new = cell_xml(ref, value)
    own = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
    if own.search(xml):
        return own.sub(lambda _: new, xml, count=1)
    row = int(re.sub(r"[A-Z]+", "", ref))
    found = re.search(rf'<row r="{row}"[^>]*?(/?)>', xml)
    if found and found.group(1) == "/":
        return xml[: found.start()] + f'<row r="{row}">{new}</row>' + xml[found.end() :]
    if found:
        return xml[: found.end()] + new + xml[found.end() :]
    for later in ROW.finditer(xml):
        if int(later.group(1)) > row:
            return xml[: later.start()] + f'<row r="{row}">{new}</row>' + xml[later.start() :]
    return xml.replace("</sheetData>", f'<row r="{row}">{new}</row></sheetData>')


def rename_sheet(data: bytes, old: str, new: str) -> bytes:
    quoted = escape(old, {"'": "&apos;"})

    def edit(xml: bytes) -> bytes:
        text = xml.decode()
        for form in (old, quoted):
            text = text.replace(f'name="{form}"', f'name="{escape(new)}"')
        return text.encode()

    return edit_part(data, "xl/workbook.xml", edit)


def delete_sheet(data: bytes, name: str) -> bytes:
    """The sheet's entry gone from the workbook (its part left behind)."""

    def keep(match: re.Match) -> str:
        return "" if match.group(1).replace("&apos;", "'") == name else match.group(0)

    return edit_part(data, "xl/workbook.xml", lambda xml: SHEET.sub(keep, xml.decode()).encode())


def shift_rows(xml: str, first: int, last: int, by: int) -> str:
    """Rows first..last renumbered by ``by`` (cells too); rows may then collide."""

    def move(match: re.Match) -> str:
        row = int(match.group(1))
        if not first <= row <= last:
            return match.group(0)
        moved = re.sub(r'(<row r=")\d+', rf"\g<1>{row + by}", match.group(0), count=1)
        return re.sub(r'(<c r="[A-Z]+)\d+"', rf'\g<1>{row + by}"', moved)

    return ROW.sub(move, xml)


def shift_column(xml: str, first: int, last: int, column: str, by: int) -> str:
    """Cells of ``column`` in rows first..last moved ``by`` columns to the right."""
    target = get_column_letter(column_index_from_string(column) + by)

    def move(match: re.Match) -> str:
        row = int(match.group(1))
        if not first <= row <= last:
            return match.group(0)
        return re.sub(rf'<c r="{column}{row}"', f'<c r="{target}{row}"', match.group(0))

    return ROW.sub(move, xml)


def set_dimension(xml: str, ref: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml, count=1)


def declare_size(data: bytes, part: str, size: int) -> bytes:
    """The central directory claims ``part`` unpacks to ``size`` bytes (a lying header)."""
    name = part.encode()
    out = bytearray(data)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == name:
            struct.pack_into("<I", out, position + 24, size)
            return bytes(out)
        position = data.find(b"PK\x01\x02", position + 4)
    raise KeyError(part)


@cache
def zeros_part(megabytes: int) -> bytes:
    return b"\0" * (megabytes * 2**20)


def add_part(data: bytes, name: str, content: bytes, level: int = 9) -> bytes:
    contents = parts(data)
    contents[name] = content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for part, body in contents.items():
            archive.writestr(part, body, compresslevel=level if part == name else 1)
    return out.getvalue()


def truncated(data: bytes, rng: random.Random) -> bytes:
    """The file cut off at a random byte (a copy or download that stopped)."""
    return data[: rng.randrange(0, len(data))]


def flipped_bytes(data: bytes, rng: random.Random) -> bytes:
    """One to eight random bits flipped (a damaged disk or transfer)."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)
