"""The rows of a plain sheet in the form its writers give them, read by a pattern per row shape.

Parsing a 1,000-bank Pricing sheet element by element (some 5 million
elements, a Python handler for the start and the end of each) took over
five seconds. Its 225,000 rows come in one shape, though: the same cells,
in the same columns, of the same types, written the same way
(``<row r="2"><c r="A2" t="inlineStr"><is><t>WC1P001</t></is></c>...``).
A regular expression made for that shape matches a whole row and captures
its values at once, so Python touches each row once rather than each element.

A row is only ever read here when the text is certain to mean to an XML
parser exactly what the pattern says it means:

- the sheet is UTF-8 and holds no comment, CDATA section, processing
  instruction or declaration (no ``<!`` and, past the XML declaration, no
  ``<?``), so every ``<`` in it starts a tag;
- the default namespace is the spreadsheet's, declared on the root alone,
  and every attribute prefix a row uses is declared there;
- the parser (``_SheetReader``) has read everything before the row, stands
  directly inside ``sheetData`` and has no token half read: whatever it was
  given ends between two tokens;
- the row's text is of the forms below alone: the row number and extra row
  attributes (each distinct set checked once: well formed, no repeat, no
  namespace declaration), then cells written ``<c r="B7" s="3" t="s">``
  (style and type optional, in that order) that are empty (``/>``) or hold
  one ``<v>`` or one ``<is><t>``, whose text has no markup, no reference,
  no ``]``, no carriage return and only characters XML allows.

Everything else (another shape of cell, whitespace between tags, a number
styled as a date...) is handed to the parser, which reads it as before,
and the values are made by the same rules (``_SheetReader.cell_value``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import call
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .plain_workbook import _SheetReader

_TEXT = r"[^<&\]\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*"
"""Text an XML parser gives back unchanged."""
_ATTRIBUTE_VALUE = r'[^"<&\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*'
_NAME = r"[A-Za-z_][A-Za-z0-9_.-]*"
_ROW_START = (
    r'<row r="([0-9]+)"((?: (?:' + _NAME + r":)?" + _NAME + r'="' + _ATTRIBUTE_VALUE + r'")*)>'
)
_CELL = (
    r'<c r="([A-Z]{1,3})[1-9][0-9]*"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?'
    r"(/>|><v>" + _TEXT + r"</v></c>|><is><t>" + _TEXT + r"</t></is></c>)"
)
_ANY_CELL = re.compile(_CELL)
_ANY_ROW = re.compile(_ROW_START + r"((?:" + re.sub(r"\((?!\?)", "(?:", _CELL) + r")*)</row>")
_ATTRIBUTE = re.compile(r" (?:(" + _NAME + r"):)?(" + _NAME + r')="[^"]*"')
_WHOLE_TOKENS = re.compile(
    r"(?:[^<&]+|&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][A-Za-z0-9_.-]*);"
    r"|<(?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*>)*"
)
"""Text made of whole tokens: a parser given it ends between two."""
MAX_SHAPES = 256
"""Shapes remembered per sheet; a row of another shape goes to the parser."""

Convert = Callable[[str], object]


class _Values(dict[str, object]):
    """Each distinct text of a kind of cell made into its value once."""

    def __init__(self, make: Convert):
        super().__init__()
        self.make = make

    def __missing__(self, text: str) -> object:
        value = self[text] = self.make(text)
        return value


def _number(text: str) -> object:
    if not text:
        return None
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _flag(text: str) -> object:
    return bool(int(text)) if text else None


def _text_or_none(text: str) -> object:
    return text or None


def _nothing(text: str) -> object:
    return None


class _Shape:
    """One shape of row: its pattern, each cell's value maker, its columns."""

    def __init__(self, pattern: re.Pattern[str], makers: list[Convert], columns: list[int]):
        self.pattern = pattern
        self.makers = makers
        self.columns = columns
        self.in_order = columns == list(range(1, len(columns) + 1))


class RowShapes:
    """Reads the rows of a sheet's text it may read, hands the rest to the parser."""

    def __init__(self, reader: _SheetReader, feed: Callable[[str], object]):
        self.reader = reader
        self.feed = feed
        self.shape: _Shape | None = None
        self.shapes: dict[tuple, _Shape | None] = {}
        self.row_attributes: dict[str, bool] = {"": True}
        self.inline: _Values = _Values(str)
        self.numbers: _Values = _Values(_number)
        self.shared: _Values = _Values(lambda text: reader.shared[int(text)] if text else None)
        self.flags: _Values = _Values(_flag)
        from .plain_workbook import MAX_PLAIN_ROW

        self.last_row = MAX_PLAIN_ROW

    def take(self, text: str, end: int) -> bool:
        """Read ``text[:end]`` (whole rows and what lies between); False when the
        parser must read the rest of the sheet (it was then given ``text[:end]``)."""
        pos = 0
        while pos < end:
            if self.reader.pattern_rows_allowed():
                pos = self.rows_from(text, pos, end)
                if pos >= end:
                    break
            following = text.find("<row", pos + 1, end)
            if following < 0:
                following = end
            self.feed(text[pos:following])
            if not _WHOLE_TOKENS.fullmatch(text, pos, following):
                self.feed(text[following:end])
                return False
            pos = following
        return True

    def rows_from(self, text: str, pos: int, end: int) -> int:
        """Read the rows from ``pos`` on while each has a pattern; where they stop."""
        reader, rows, known_attributes = self.reader, self.reader.rows, self.row_attributes
        shape = self.shape
        while pos < end:
            found = shape.pattern.match(text, pos, end) if shape is not None else None
            if found is None or shape is None:
                shape = self.learn(text, pos, end)
                found = shape.pattern.match(text, pos, end) if shape is not None else None
                if found is None or shape is None:
                    return pos
                self.shape = shape
            number, attributes, *cells = found.groups()
            known = known_attributes.get(attributes)
            if not (known or (known is None and self.check_attributes(attributes))):
                return pos
            values = tuple(map(call, shape.makers, cells))
            row = int(number)
            if row == len(rows) + 1 and shape.in_order and row <= self.last_row:
                rows.append(values)
                reader.row_number = row
            else:
                reader.add_row(row, values, shape.columns, shape.in_order)
            pos = found.end()
        return pos

    def learn(self, text: str, pos: int, end: int) -> _Shape | None:
        """The shape of the row at ``pos``, made once; None when it has no pattern."""
        row = _ANY_ROW.match(text, pos, end)
        if row is None:
            return None
        cells = [cell.groups() for cell in _ANY_CELL.finditer(text, row.start(3), row.end(3))]
        key = tuple((letters, style, kind, body[:4]) for letters, style, kind, body in cells)
        if key not in self.shapes:
            if len(self.shapes) >= MAX_SHAPES:
                return None
            self.shapes[key] = self.make_shape(key)
        return self.shapes[key]

    def make_shape(self, key: tuple) -> _Shape | None:
        parts, makers, columns = [_ROW_START], [], []
        for letters, style, kind, body in key:
            maker = self.maker(style, kind, body)
            if maker is None:
                return None
            head = f'<c r="{letters}[1-9][0-9]*"'
            head += f' s="{style}"' if style is not None else ""
            head += f' t="{kind}"' if kind is not None else ""
            if body == "/>":
                parts.append(head + "/>()")
            elif body == "><v>":
                parts.append(head + "><v>(" + _TEXT + ")</v></c>")
            else:
                parts.append(head + "><is><t>(" + _TEXT + ")</t></is></c>")
            makers.append(maker)
            columns.append(self.reader.column_of(f"{letters}1"))
        parts.append("</row>")
        return _Shape(re.compile("".join(parts)), makers, columns)

    def maker(self, style: str | None, kind: str | None, body: str) -> Convert | None:
        """How a cell's text becomes its value, as ``_SheetReader.cell_value`` makes
        it; None for a cell the parser must read (a number styled as a date...)."""
        if body == "/>":
            return _nothing
        inline = body == "><is"
        if kind == "inlineStr" or inline:
            return self.inline.__getitem__ if kind == "inlineStr" and inline else None
        if kind in (None, "n"):
            dated = int(style) in self.reader.date_styles if style else 0 in self.reader.date_styles
            return None if dated else self.numbers.__getitem__
        if kind == "s":
            return self.shared.__getitem__
        if kind == "b":
            return self.flags.__getitem__
        if kind in ("str", "e"):
            return _text_or_none
        return None

    def check_attributes(self, attributes: str) -> bool:
        """Whether a row's other attributes mean to the parser what they look:
        each a declared prefix's or none, none twice, none declaring a namespace."""
        names = {("", "r")}
        good = True
        for found in _ATTRIBUTE.finditer(attributes):
            prefix, local = found.groups()
            if prefix == "xmlns" or (not prefix and local == "xmlns"):
                good = False
            namespace = self.reader.prefixes.get(prefix) if prefix else ""
            if namespace is None or (namespace, local) in names:
                good = False
            names.add((namespace or "", local))
        self.row_attributes[attributes] = good
        return good
