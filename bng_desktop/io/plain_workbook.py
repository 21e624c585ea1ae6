"""A workbook whose sheets are of the plain form, read straight from their XML.

openpyxl's read-only reader spends some 10 µs on every cell (more on an
inline string), and sizes every sheet by parsing it once more when it opens
the workbook: a 1,000-bank backend workbook (1.6 million cells) took about
25 s to read. Its sheets are plain, though: rows of cells that each hold a
number, a shared or inline string, a flag, an error or a formula's cached
value. Such a sheet is read here with two regular expressions, and every
cell value is made by the rule openpyxl applies to it (numbers as
``_cast_number``, flags as ``bool(int(v))``, blanks as None), keeping the
rows exactly as ``iter_rows(values_only=True)`` gives them.

Everything that is not of that form makes :func:`read_plain_workbook`
return None, and the caller reads the workbook with openpyxl as before, so
the values and every message about a damaged or unusual file stay
openpyxl's: a cell styled as a date, rich text, a comment, whitespace
between elements, a character reference, a carriage return, defined names,
a chartsheet, a prefix-qualified element, a sheet beyond
``MAX_PLAIN_BYTES``, or any part openpyxl itself refuses. The package parts
other than the sheets (manifest, workbook, shared strings, styles) are read
by openpyxl's own reader, and each sheet's parts outside its rows by
openpyxl's sheet parser.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser

MAX_PLAIN_BYTES = 256 << 20
"""A sheet's XML is held whole in memory while it is read; beyond this size
openpyxl streams it instead."""
MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

_TEXT = rb"[^<\x00-\x08\x0b\x0c\x0e-\x1f\r]*"
"""Text as XML holds it, less the control characters and carriage returns
an XML parser refuses or rewrites: those are not plain."""
_ATTR = rb'(?: (?:[a-zA-Z]+|x14ac:dyDescent)="[^"<&\x00-\x1f]*")*'
_ROW_START = re.compile(rb'<row(?: r="(\d+)")?(' + _ATTR + rb") ?(/?)>")
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="([a-zA-Z]+)")? ?'
    rb"(?:/>|>(?:<f" + _ATTR + rb" ?(?:/>|>" + _TEXT + rb"</f>))?"
    rb"(?:<v>(" + _TEXT + rb")</v>|<v ?/>)?</c>"
    rb'|>(<is>)<t(?: xml:space="preserve")?>(' + _TEXT + rb")</t></is></c>)"
    rb"|([^<]+|<)"
)
"""A cell, or (the last group) whatever is not one: every byte of a row is
matched by one or the other, and the second is never plain."""


_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_PLAIN_NUMBER = re.compile(r"-?\d{1,300}(?:\.\d{0,300})?(?:[eE][-+]?\d{1,3})?")
_RANGES = [tuple(range(1, n + 1)) for n in range(257)]


class NotPlain(Exception):
    """Raised inside the reader: the part is not of the plain form."""


class PlainSheet:
    """A sheet read whole: the little of openpyxl's read-only sheet the reader uses."""

    def __init__(self, title: str, rows: list[tuple[object, ...]]):
        self.title = title
        self.rows = rows
        self.max_row = len(rows)

    def reset_dimensions(self) -> None:
        """The rows were counted, not taken from a recorded size."""

    def iter_rows(self, *, values_only: bool = True) -> Iterator[tuple[object, ...]]:
        return iter(self.rows)


class PlainWorkbook:
    def __init__(self, sheets: dict[str, PlainSheet]):
        self._sheets = sheets
        self.sheetnames = list(sheets)

    def __getitem__(self, title: str) -> PlainSheet:
        return self._sheets[title]

    def close(self) -> None:
        """Nothing is held open."""


def read_plain_workbook(path: str) -> PlainWorkbook | None:
    """Every sheet of the workbook at ``path`` when all are plain, else None."""
    try:
        reader = ExcelReader(path, read_only=True, data_only=True)
        try:
            return _read(reader)
        finally:
            reader.archive.close()
    except Exception:  # any failure at all: openpyxl reads it and says what is wrong
        return None


def _read(reader: ExcelReader) -> PlainWorkbook | None:
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    reader.read_properties()
    reader.read_custom()
    reader.read_theme()
    apply_stylesheet(reader.archive, reader.wb)
    if len(reader.parser.defined_names):
        return None
    parts = []
    for sheet, rel in reader.parser.find_sheets():
        if rel.target not in reader.valid_files:
            continue
        if "chartsheet" in rel.Type:
            return None
        parts.append((sheet.name, rel.target))
    cells = _Cells(list(reader.shared_strings), set(reader.wb._date_formats))
    sheets = {}
    for title, target in parts:
        if reader.archive.getinfo(target).file_size > MAX_PLAIN_BYTES:
            return None
        try:
            rows = _sheet_rows(reader.archive.read(target), cells)
        except (NotPlain, ValueError, IndexError, UnicodeDecodeError):
            return None
        sheets.setdefault(title, PlainSheet(title, rows))
    return PlainWorkbook(sheets)


def _sheet_rows(xml: bytes, cells: _Cells) -> list[tuple[object, ...]]:
    head, body, tail = _split(xml)
    _check_outside_rows(head + b"<sheetData/>" + tail, cells)
    if b"]]>" in body:
        raise NotPlain("]]> in a text")
    if b"x14ac:" in body and b"xmlns:x14ac=" not in head:
        raise NotPlain("an undeclared prefix")
    if not body.isascii():
        body.decode("utf-8")  # the whole part must be UTF-8, as its declaration says
    return _rows(body, cells)


def _split(xml: bytes) -> tuple[bytes, bytes, bytes]:
    """(before the rows, the rows, after them), the rows bare XML of ``<row>`` elements."""
    declaration = xml[: xml.find(b"?>") + 2] if xml.startswith(b"<?xml") else b""
    if declaration and not re.fullmatch(
        rb'<\?xml version="1\.0"(?: encoding="(?i:utf-8)")?(?: standalone="yes")?\s*\?>',
        declaration,
    ):
        raise NotPlain("an XML declaration other than UTF-8")
    root = re.match(rb"\s*<worksheet\b[^>]*>", xml[len(declaration) :])
    if root is None or MAIN_NS not in root.group(0) or xml.count(b'xmlns="') != 1:
        raise NotPlain("not a worksheet in the main namespace")
    start = xml.find(b"<sheetData>")
    if start < 0:
        if b"<sheetData" in xml:
            empty = xml.find(b"<sheetData/>")
            if empty < 0:
                raise NotPlain("sheetData with attributes")
            return xml[:empty], b"", xml[empty + len(b"<sheetData/>") :]
        return xml, b"", b""
    end = xml.find(b"</sheetData>", start)
    if end < 0:
        raise NotPlain("no end of sheetData")
    return xml[:start], xml[start + len(b"<sheetData>") : end], xml[end + len(b"</sheetData>") :]


def _check_outside_rows(xml: bytes, cells: _Cells) -> None:
    """openpyxl's sheet parser reads everything but the rows, as it would on
    opening and reading the sheet: whatever it refuses is not plain."""
    parser = WorkSheetParser(io.BytesIO(xml), cells.shared, data_only=True)
    parser.parse_dimensions()
    parser = WorkSheetParser(io.BytesIO(xml), cells.shared, data_only=True)
    for _ in parser.parse():
        pass


def _rows(body: bytes, cells: _Cells) -> list[tuple[object, ...]]:
    """The rows as ReadOnlyWorksheet._cells_by_row yields them (values only,
    no recorded size): gaps filled with empty rows, a row numbered at or below
    one already given skipped, each row as wide as its last cell's column."""
    rows: list[tuple[object, ...]] = []
    counter = row_counter = position = 0
    findall, start_of_row, size = _CELL.findall, _ROW_START.match, len(body)
    while position < size:
        start = start_of_row(body, position)
        if start is None:
            raise NotPlain("something between rows")
        number, attributes, closed = start.groups()
        if closed:
            position, found = start.end(), []
        else:
            end = body.find(b"</row>", start.end())
            if end < 0:
                raise NotPlain("a row without its end")
            found = findall(body, start.end(), end)
            position = end + len(b"</row>")
        if number is not None:
            row_counter = int(number)
        elif b' r="' in attributes:
            raise NotPlain("a row number after other attributes")
        else:
            row_counter += 1
        if row_counter <= counter:
            continue
        rows.extend([()] * (row_counter - counter - 1))
        counter = row_counter
        rows.append(cells.row(found) if found else ())
    return rows


class _Cells:
    """Cell values, each distinct cell text converted once."""

    def __init__(self, shared: list[str], date_styles: set[int]):
        self.shared = shared
        self.date_styles = date_styles
        self.known: dict[tuple[bytes, ...], tuple[int, object]] = {}

    def row(self, found: list[tuple[bytes, ...]]) -> tuple[object, ...]:
        known = self.known
        try:
            placed = list(map(known.__getitem__, found))
        except KeyError:
            for cell in found:
                if cell not in known:
                    known[cell] = self.convert(cell)
            placed = list(map(known.__getitem__, found))
        columns, values = zip(*placed, strict=True)
        if len(columns) < len(_RANGES) and columns == _RANGES[len(columns)]:
            return values
        return _placed(placed)

    def convert(self, cell: tuple[bytes, ...]) -> tuple[int, object]:
        letters, style, kind, value, inline, inline_text, other = cell
        if other:
            raise NotPlain("something other than a plain cell in a row")
        column = 0
        for letter in letters:
            column = column * 26 + letter - 64
        if kind == b"inlineStr":
            return column, _text(inline_text) if inline else None
        if not value:
            return column, None
        if kind in (b"", b"n"):
            if style and int(style) in self.date_styles:
                raise NotPlain("a number styled as a date")
            return column, _number(value.decode("ascii"))
        if kind == b"s":
            return column, self.shared[int(value)]
        if kind == b"b":
            if not value.isdigit():
                raise NotPlain("a flag that is not a number")
            return column, bool(int(value))
        if kind == b"d":
            raise NotPlain("a date cell")
        return column, _text(value)


def _placed(placed: list[tuple[int, object]]) -> tuple[object, ...]:
    """Cells out of column order: as wide as the last cell's column, a later
    cell of a column overwriting an earlier one (ReadOnlyWorksheet._get_row)."""
    width = placed[-1][0]
    row: list[object] = [None] * width
    for column, value in placed:
        if 1 <= column <= width:
            row[column - 1] = value
    return tuple(row)


def _number(text: str) -> int | float:
    """openpyxl's ``_cast_number``, for the number forms it reads without fail."""
    if not _PLAIN_NUMBER.fullmatch(text):
        raise NotPlain("a number of an unusual form")
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" not in text:
        return text
    if text.count("&") != len(_ENTITY.findall(text)):
        raise NotPlain("a character reference")
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)
