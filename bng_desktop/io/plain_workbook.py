"""A workbook whose sheets are of the plain form, read by an XML parser of its own.

openpyxl's read-only reader spends some 10 µs on every cell (more on an
inline string), and sizes every sheet by parsing it once more when it opens
the workbook: a 1,000-bank backend workbook (1.6 million cells) took about
25 s to read. Its sheets are plain, though: rows of cells that each hold a
number, a shared or inline string, a flag, an error or a formula's cached
value. Such a sheet is streamed here from the archive through expat, with a
handler for the start and the end of each element, and every cell value is
made by the rule openpyxl applies to it (numbers as its ``_cast_number``,
flags as ``bool(int(v))``, blanks as None), keeping the rows exactly as
``iter_rows(values_only=True)`` gives them.

The package parts other than the sheets (manifest, workbook, shared strings,
properties, theme) are read by openpyxl's own public reader, and the styles
by its public stylesheet, so a part openpyxl refuses is never read here and
the styles that format a date are those openpyxl counts. Each sheet's
elements outside its rows are checked by the openpyxl classes that read
them when it opens and reads the sheet.

Everything that is not of that form makes :func:`read_plain_workbook`
return None, and the caller reads the workbook with openpyxl as before, so
the values and every message about a damaged or unusual file stay
openpyxl's: a cell styled as a date, rich inline text, a sheet element the
reader does not check, a document type declaration (so no entity is ever
declared, let alone expanded), defined names, a chartsheet, a sheet beyond
``MAX_PLAIN_BYTES``, or any part openpyxl itself refuses.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator, Sequence
from enum import Enum, auto
from functools import partial
from typing import IO, NoReturn
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.dimensions import SheetDimension, SheetFormatProperties
from openpyxl.worksheet.header_footer import HeaderFooter
from openpyxl.worksheet.page import PageMargins, PrintOptions, PrintPageSetup
from openpyxl.worksheet.properties import WorksheetProperties
from openpyxl.worksheet.views import SheetViewList
from openpyxl.xml.constants import ARC_STYLE
from openpyxl.xml.functions import fromstring

from .row_shapes import RowShapes

MAX_PLAIN_BYTES = 256 << 20
"""A sheet's rows are held whole in memory once read; beyond this size of
its XML openpyxl streams them instead."""
MAX_PLAIN_ROW = 1 << 20
"""Excel's last row: a row numbered beyond it would have the reader fill
the gap before it with empty rows, which openpyxl yields one by one instead."""
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
CHUNK_BYTES = 1 << 16
TEXT_CHUNK_BYTES = 1 << 20
"""A sheet read as text is decoded and matched a mebibyte at a time."""
_DECLARATION = re.compile(
    rb"<\?xml(?:[^>]*?\bencoding=[\"']([A-Za-z0-9._-]*)[\"'])?[^>]*\?>|(?=<[^?!])"
)
"""The XML declaration and the encoding it names, if any (none: UTF-8)."""
_UTF8 = {None, b"UTF-8", b"utf-8", b"UTF8", b"utf8"}

_WORKSHEET, _SHEET_DATA, _ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT = (
    f"{MAIN} {tag}" for tag in ("worksheet", "sheetData", "row", "c", "v", "f", "is", "t")
)
_COLUMN_LETTERS = re.compile(r"[A-Z]{1,3}")
_ROW_NUMBER = re.compile(r"[0-9]+")

_CHECKED: dict[str, Callable[[Element], object]] = {
    "sheetPr": WorksheetProperties.from_tree,
    "dimension": lambda element: SheetDimension.from_tree(element).boundaries,
    "sheetViews": SheetViewList.from_tree,
    "sheetFormatPr": SheetFormatProperties.from_tree,
    "cols": lambda element: [get_column_letter(int(col.attrib["min"])) for col in element],
    "pageMargins": PageMargins.from_tree,
    "printOptions": PrintOptions.from_tree,
    "pageSetup": PrintPageSetup.from_tree,
    "headerFooter": HeaderFooter.from_tree,
}
"""The elements beside the rows a plain sheet may hold, each checked as
openpyxl reads it (``cols`` as its parser sizes each column)."""
_WATCHED = {
    f"{MAIN} {tag}"
    for tag in (
        *_CHECKED,
        "col",
        "sheetData",
        "row",
        "c",
        "sheetProtection",
        "extLst",
        "conditionalFormatting",
        "legacyDrawing",
        "rowBreaks",
        "colBreaks",
        "customSheetViews",
        "autoFilter",
        "dataValidations",
        "scenarios",
        "tableParts",
        "hyperlinks",
        "mergeCells",
    )
}
"""Names openpyxl's sheet parser acts on wherever they stand: none may stand
deeper inside a checked element (but a ``col`` in ``cols``)."""


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


SheetRead = Callable[[str, float, int], None]
"""on_sheet(title, share of the workbook's sheet bytes read so far, rows of
the sheet read so far)"""
REPORT_BYTES = 1 << 20
"""A sheet being parsed is reported on every mebibyte of its XML read."""


def read_plain_workbook(path: str, on_sheet: SheetRead | None = None) -> PlainWorkbook | None:
    """Every sheet of the workbook at ``path`` when all are plain, else None;
    ``on_sheet`` hears of each sheet as its parsing starts and as it goes on.
    What ``on_sheet`` raises (the import cancelled) is raised."""
    told = _Told(on_sheet or _unheard)
    try:
        reader = ExcelReader(path, read_only=True, data_only=True)
        try:
            return _read(reader, told)
        finally:
            reader.archive.close()
    except Exception:  # any failure at all: openpyxl reads it and says what is wrong
        if told.raised is not None:
            raise told.raised from None
        return None


def _unheard(title: str, share: float, rows: int) -> None:
    """No one is told which sheet is being read."""


class _Told:
    """``on_sheet``, remembering what it raised (so it is not taken for a
    workbook that is not plain)."""

    def __init__(self, on_sheet: SheetRead):
        self.on_sheet = on_sheet
        self.raised: Exception | None = None

    def __call__(self, title: str, share: float, rows: int) -> None:
        try:
            self.on_sheet(title, share, rows)
        except Exception as exc:
            self.raised = exc
            raise


class _CountedStream:
    """A sheet's stream, telling ``heard(bytes read)`` every REPORT_BYTES."""

    def __init__(self, stream: IO[bytes], heard: Callable[[int], None]):
        self.stream = stream
        self.heard = heard
        self.count = 0
        self.next_report = REPORT_BYTES

    def read(self, size: int) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        if self.count >= self.next_report:
            self.next_report = self.count + REPORT_BYTES
            self.heard(self.count)
        return data


def _read(reader: ExcelReader, on_sheet: SheetRead) -> PlainWorkbook | None:
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    reader.read_properties()
    reader.read_custom()
    reader.read_theme()
    date_styles = _date_styles(reader)
    if len(reader.parser.defined_names):
        return None
    parts = []
    for sheet, rel in reader.parser.find_sheets():
        if rel.target not in reader.valid_files:
            continue
        if "chartsheet" in rel.Type:
            return None
        parts.append((sheet.name, rel.target))
    if len({title for title, _ in parts}) != len(parts):
        return None
    shared = list(reader.shared_strings)
    sizes = [reader.archive.getinfo(target).file_size for _, target in parts]
    if any(size > MAX_PLAIN_BYTES for size in sizes):
        return None
    total, before = max(1, sum(sizes)), 0
    sheets = {}
    for (title, target), size in zip(parts, sizes, strict=True):
        on_sheet(title, before / total, 0)
        sheet = _SheetReader(shared, date_styles)
        heard = partial(_read_so_far, on_sheet, title, sheet, before, total)
        with reader.archive.open(target) as stream:
            sheets[title] = PlainSheet(title, sheet.read(_CountedStream(stream, heard)))
        before += size
    return PlainWorkbook(sheets)


def _read_so_far(
    on_sheet: SheetRead, title: str, sheet: _SheetReader, before: int, total: int, count: int
) -> None:
    """Tell ``on_sheet`` of ``count`` bytes of a sheet read, after ``before`` of
    the sheets before it, ``total`` in all."""
    on_sheet(title, min(before + count, total) / total, len(sheet.rows))


def _date_styles(reader: ExcelReader) -> frozenset[int]:
    """The styles whose number format is a date's, as openpyxl's stylesheet counts them."""
    try:
        source = reader.archive.read(ARC_STYLE)
    except KeyError:
        return frozenset()
    return frozenset(Stylesheet.from_tree(fromstring(source)).date_formats)


class _Place(Enum):
    """Where in the sheet the parser stands."""

    OUTSIDE = auto()
    SHEET_DATA = auto()
    ROW = auto()
    CELL = auto()
    VALUE = auto()
    FORMULA = auto()
    INLINE = auto()
    INLINE_TEXT = auto()


(
    _IN_OUTSIDE,
    _IN_SHEET_DATA,
    _IN_ROW,
    _IN_CELL,
    _IN_VALUE,
    _IN_FORMULA,
    _IN_INLINE,
    _IN_INLINE_TEXT,
) = _Place
"""The places bound to names the handlers find quickly: they run for every element."""


class _SheetReader:
    """One sheet's rows as ReadOnlyWorksheet._cells_by_row yields them (values
    only, no recorded size): gaps filled with empty rows, a row numbered at or
    below one already given skipped, each row as wide as its last cell's
    column, a later cell of a column overwriting an earlier one."""

    def __init__(self, shared: list[str], date_styles: frozenset[int]):
        self.shared = shared
        self.date_styles = date_styles
        self.rows: list[tuple[object, ...]] = []
        self.place = _IN_OUTSIDE
        self.depth = 0
        self.seen_sheet_data = False
        self.checked: TreeBuilder | None = None
        self.row_number = 0
        self.column = 0
        self.values: list[object] = []
        self.value_columns: list[int] = []
        self.in_order = True
        """Every cell of the row so far in the column after the one before."""
        self.columns: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        """Each distinct inline text once, however many cells hold it."""
        self.kind = "n"
        self.style = 0
        self.text: str | None = None
        self.value: str | None = None
        self.inline: str | None = None
        self.prefixes: dict[str, str] = {"xml": XML_NAMESPACE}
        self.default_main = False
        self.plain_namespaces = True

    def read(self, stream: IO[bytes] | _CountedStream) -> list[tuple[object, ...]]:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.buffer_size = CHUNK_BYTES
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = _refuse_declarations
        parser.EntityDeclHandler = _refuse_declarations
        parser.StartNamespaceDeclHandler = self.declared
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        head = stream.read(TEXT_CHUNK_BYTES)
        declaration = _DECLARATION.match(head)
        if declaration is None or declaration.group(1) not in _UTF8:
            parser.Parse(head, False)
            while chunk := stream.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
        else:
            self.read_text(parser, head, stream, declaration.end())
        parser.Parse(b"", True)
        return self.rows

    def read_text(
        self,
        parser: expat.XMLParserType,
        head: bytes,
        stream: IO[bytes] | _CountedStream,
        after: int,
    ) -> None:
        """The sheet decoded as UTF-8, its rows of a known shape read by pattern
        (row_shapes.py), all else by ``parser``."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        shapes = RowShapes(self, lambda part: parser.Parse(part, False))
        parser.Parse(head[:after], False)
        text, chunk, patterns = decoder.decode(head[after:]), head, True
        while chunk:
            chunk = stream.read(TEXT_CHUNK_BYTES)
            text += decoder.decode(chunk, not chunk)
            patterns = patterns and not _markup_declaration(text)
            if not patterns:
                parser.Parse(text, False)
                text = ""
                continue
            end = len(text) if not chunk else text.rfind("</row>") + len("</row>")
            if end > 0:
                patterns = shapes.take(text, end)
                text = text[end:]

    def start(self, name: str, attributes: dict[str, str]) -> None:
        place = self.place
        if place is _IN_ROW:
            if name != _CELL:
                raise NotPlain("something other than a cell in a row")
            reference = attributes.get("r")
            if reference is None:
                self.column += 1
            else:
                letters = reference.rstrip("0123456789")
                column = self.columns.get(letters)
                if (
                    column is None
                    or len(letters) == len(reference)
                    or reference[len(letters)] == "0"
                ):
                    column = self.column_of(reference)
                if column != self.column + 1:
                    self.in_order = False
                self.column = column
            style = attributes.get("s")
            self.style = int(style) if style else 0
            self.kind = attributes.get("t", "n")
            self.place, self.value, self.inline = _IN_CELL, None, None
        elif place is _IN_CELL:
            if name == _VALUE and self.value is None:
                self.place, self.text = _IN_VALUE, ""
            elif name == _INLINE and self.kind == "inlineStr" and self.inline is None:
                self.place, self.inline = _IN_INLINE, ""
            elif name == _FORMULA:
                self.place = _IN_FORMULA
            else:
                raise NotPlain("a cell holding more than a value, a formula or inline text")
        elif place is _IN_INLINE:
            if name != _TEXT or self.inline:
                raise NotPlain("rich inline text")
            self.place, self.text = _IN_INLINE_TEXT, ""
        elif place is _IN_SHEET_DATA:
            if name != _ROW:
                raise NotPlain("something other than a row in sheetData")
            self.start_row(attributes)
        elif place is _IN_OUTSIDE:
            self.start_outside(name, attributes)
        else:
            raise NotPlain(f"an element inside a cell's {place.name.lower()}")

    def end(self, name: str) -> None:
        place = self.place
        if place is _IN_CELL:
            self.place = _IN_ROW
            value = self.inline if self.kind == "inlineStr" else self.cell_value()
            self.values.append(value)
            self.value_columns.append(self.column)
        elif place is _IN_VALUE:
            self.value = self.text
            self.place, self.text = _IN_CELL, None
        elif place is _IN_INLINE_TEXT:
            if self.text:
                self.inline = self.texts.setdefault(self.text, self.text)
            self.place, self.text = _IN_INLINE, None
        elif place is _IN_INLINE:
            self.place = _IN_CELL
        elif place is _IN_ROW:
            self.end_row()
        elif place is _IN_FORMULA:
            self.place = _IN_CELL
        elif place is _IN_SHEET_DATA:
            self.place = _IN_OUTSIDE
        else:
            self.end_outside()

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text += data
        elif self.checked is not None:
            self.checked.data(data)

    def start_outside(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            if name != _WORKSHEET:
                raise NotPlain("not a worksheet in the main namespace")
            return
        if self.depth == 2:
            if name == _SHEET_DATA and not self.seen_sheet_data:
                self.place, self.seen_sheet_data = _IN_SHEET_DATA, True
                self.depth -= 1
                return
            namespace, _, tag = name.rpartition(" ")
            if namespace != MAIN or tag not in _CHECKED:
                raise NotPlain(f"a sheet element {tag!r} the reader does not check")
            self.checked = TreeBuilder()
        elif name in _WATCHED and not (self.depth == 3 and name == f"{MAIN} col"):
            raise NotPlain(f"{name} nested where openpyxl would act on it")
        assert self.checked is not None
        self.checked.start(_clark(name), {_clark(k): v for k, v in attributes.items()})

    def end_outside(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            return
        assert self.checked is not None
        element = self.checked.end("")
        if self.depth == 1:
            self.checked = None
            tag = element.tag.rpartition("}")[2]
            _CHECKED[tag](element)

    def start_row(self, attributes: dict[str, str]) -> None:
        number = attributes.get("r")
        if number is None:
            self.row_number += 1
        elif _ROW_NUMBER.fullmatch(number):
            self.row_number = int(number)
        else:
            raise NotPlain("a row number of an unusual form")
        if self.row_number > MAX_PLAIN_ROW:
            raise NotPlain("a row beyond Excel's last")
        self.place, self.column, self.in_order = _IN_ROW, 0, True
        self.values, self.value_columns = [], []

    def end_row(self) -> None:
        self.place = _IN_SHEET_DATA
        self.add_row(self.row_number, self.values, self.value_columns, self.in_order)

    def add_row(
        self, number: int, values: Sequence[object], columns: list[int], in_order: bool
    ) -> None:
        """A row read whole: gaps before it filled, a row at or above one given skipped;
        a row without a number follows it."""
        self.row_number = number
        if number > MAX_PLAIN_ROW:
            raise NotPlain("a row beyond Excel's last")
        given = len(self.rows)
        if number <= given:
            return
        self.rows.extend([()] * (number - given - 1))
        if in_order:
            self.rows.append(tuple(values))
        else:
            self.rows.append(_placed(columns, values))

    def declared(self, prefix: str | None, namespace: str) -> None:
        """A namespace declaration: rows are read by pattern only while the default
        namespace is the spreadsheet's, and every prefix was declared on the root."""
        if self.depth > 0 or self.place is not _IN_OUTSIDE:
            self.plain_namespaces = False
        elif prefix is None:
            self.plain_namespaces = self.plain_namespaces and namespace == MAIN
            self.default_main = namespace == MAIN
        else:
            self.prefixes[prefix] = namespace

    def pattern_rows_allowed(self) -> bool:
        """Whether a row met now may be read by pattern: see row_shapes.py."""
        return self.place is _IN_SHEET_DATA and self.default_main and self.plain_namespaces

    def column_of(self, reference: str) -> int:
        """The column of a cell reference, kept for its letters in later rows."""
        letters = reference.rstrip("0123456789")
        digits = reference[len(letters) :]
        if not _COLUMN_LETTERS.fullmatch(letters) or not digits or digits[0] == "0":
            raise NotPlain("a cell reference of an unusual form")
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        self.columns[letters] = column
        return column

    def cell_value(self) -> object:
        """The value as openpyxl's WorkSheetParser.parse_cell makes it, data only."""
        kind = self.kind
        if kind == "inlineStr":
            return self.inline
        value = self.value or None
        if value is None:
            return None
        if kind == "n":
            if self.style in self.date_styles:
                raise NotPlain("a number styled as a date")
            if "." in value or "E" in value or "e" in value:
                return float(value)
            return int(value)
        if kind == "s":
            return self.shared[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            raise NotPlain("a date cell")
        return value


def _markup_declaration(text: str) -> bool:
    """Whether the text holds a comment, CDATA section, declaration or processing
    instruction (looked for by their rare second character: ``<`` is everywhere)."""
    return ("!" in text and "<!" in text) or ("?" in text and "<?" in text)


def _placed(columns: list[int], values: list[object]) -> tuple[object, ...]:
    """ReadOnlyWorksheet._get_row: as wide as the last cell's column, a later
    cell of a column overwriting an earlier one, a cell beyond the width dropped."""
    width = columns[-1]
    row: list[object] = [None] * width
    for column, value in zip(columns, values, strict=True):
        if column <= width:
            row[column - 1] = value
    return tuple(row)


def _clark(name: str) -> str:
    """An expat name ("namespace local") as ElementTree spells it."""
    namespace, _, tag = name.rpartition(" ")
    return f"{{{namespace}}}{tag}" if namespace else tag


def _refuse_declarations(*_: object) -> NoReturn:
    raise NotPlain("a document type declaration")
