"""A generated workbook as Excel or LibreOffice write the same content when
they save it, and as a macro-enabled .xlsm.

The shared generator (gen_metric.py v2) declares sheet sizes as real saving
tools do, but writes its cells as openpyxl does: inline strings, no styles
on rows or columns, absolute relationship targets, no formulas beside the
values. Real files differ in all of these, so the tests and the fuzz run
also read each generated workbook re-written the way the two tools write it
(the values unchanged; ``test_saved_as.py`` checks that with openpyxl):

- both: text in a shared-strings table; whole rows and columns formatted
  (row and column styles, styled empty cells beyond the content); numbers
  carrying the formula they came from;
- Excel: numbers with 17 significant digits (4.1 as 4.0999999999999996),
  no ``t="n"``, shared formulas, text results of formulas as ``t="str"``,
  rich-text and phonetic runs in the strings table, styled cells out to
  column XFD, relative relationship targets, Excel's namespaces and row
  attributes (``x14ac:dyDescent``, ``spans``);
- LibreOffice: ``t="n"`` and ``<f aca="false">``, every styled cell of a row
  written (empty ones too) up to column Q, its row attributes, columns
  formatted up to 1025 and a formatted row at the sheet's last row 1048576.
"""

from __future__ import annotations

import random
import re

from tests.metric import mutate

EXCEL, LIBREOFFICE = "excel", "libreoffice"
CELL = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
ROW = re.compile(r'<row r="(\d+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
INLINE = re.compile(r"<is><t[^>]*>(.*?)</t></is>", re.S)
VALUE = re.compile(r"<v>(.*?)</v>|<v\s*/>", re.S)
MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
EXCEL_NAMESPACES = (
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' mc:Ignorable="x14ac"'
    ' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
)
STYLE = "@style@"
"""Stands for the cell format added to styles.xml (unlocked, as the metric's input
cells) until its index is known."""
LIBREOFFICE_LAST_COLUMN = 17  # Q
LIBREOFFICE_ROW = (
    ' customFormat="false" ht="12.8" customHeight="false" outlineLevel="0" collapsed="false"'
)


class StringTable:
    """The shared strings as a tool writes them: each text once, in order of use."""

    def __init__(self, rich: bool):
        self.rich = rich
        self.index: dict[str, int] = {}
        self.uses = 0

    def add(self, text: str) -> int:
        self.uses += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> bytes:
        items = "".join(self._item(n, text) for text, n in self.index.items())
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{self.uses}" uniqueCount="{len(self.index)}">{items}</sst>'
        ).encode()

    def _item(self, number: int, text: str) -> str:
        """Excel splits some strings in formatted runs and adds phonetic guides."""
        space = ' xml:space="preserve"' if text != text.strip() else ""
        if not self.rich or len(text) < 4 or number % 5:
            return f"<si><t{space}>{text}</t></si>"
        head, tail = _split_escaped(text, len(text) // 2)
        return (
            f'<si><r><t xml:space="preserve">{head}</t></r><r><rPr><b/><sz val="11"/></rPr>'
            f'<t xml:space="preserve">{tail}</t></r><rPh sb="0" eb="1"><t>ﾌﾘｶﾞﾅ</t></rPh>'
            '<phoneticPr fontId="1"/></si>'
        )


def _split_escaped(text: str, at: int) -> tuple[str, str]:
    """Split escaped XML text near ``at`` without cutting an entity (&amp; ...)."""
    amp = text.rfind("&", 0, at)
    if amp != -1 and text.find(";", amp) >= at:
        at = amp
    return text[:at], text[at:]


def excel_saved(data: bytes, seed: int = 0) -> bytes:
    return _resaved(data, EXCEL, random.Random(seed))


def libreoffice_saved(data: bytes, seed: int = 0) -> bytes:
    return _resaved(data, LIBREOFFICE, random.Random(seed))


def macro_enabled(data: bytes) -> bytes:
    """The workbook as .xlsm: the macro-enabled content type and a VBA project part."""
    contents = mutate.parts(data)
    types = contents["[Content_Types].xml"].decode().replace(MAIN, MACRO_MAIN)
    types = types.replace(
        "<Default ",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
        1,
    )
    contents["[Content_Types].xml"] = types.encode()
    contents["xl/vbaProject.bin"] = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(range(256)) * 24
    rels = contents["xl/_rels/workbook.xml.rels"].decode()
    contents["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdVba" Type="{VBA_RELATIONSHIP}" Target="vbaProject.bin"/>'
        "</Relationships>",
    ).encode()
    return mutate.package(contents, level=6)


def _resaved(data: bytes, tool: str, rng: random.Random) -> bytes:
    contents = mutate.parts(data)
    strings = StringTable(rich=tool == EXCEL)
    styles, style = _with_style(contents["xl/styles.xml"].decode())
    contents["xl/styles.xml"] = styles.encode()
    for part in sorted(p for p in contents if p.startswith("xl/worksheets/sheet")):
        xml = _sheet(contents[part].decode(), tool, strings, rng)
        contents[part] = xml.replace(STYLE, str(style)).encode()
    contents["xl/sharedStrings.xml"] = strings.xml()
    contents["[Content_Types].xml"] = (
        contents["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/></Types>',
        )
        .encode()
    )
    rels = contents["xl/_rels/workbook.xml.rels"].decode()
    if tool == EXCEL:
        rels = rels.replace('Target="/xl/', 'Target="')
    contents["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdSst" Type="{RELATIONSHIPS}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    ).encode()
    return mutate.package(contents, level=6)


def _with_style(styles: str) -> tuple[str, int]:
    """styles.xml with one more cell format, and that format's index."""
    found = re.search(r'<cellXfs count="(\d+)">', styles)
    assert found, "styles.xml without cell formats"
    index = int(found.group(1))
    added = (
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" applyProtection="1">'
        '<protection locked="0"/></xf>'
    )
    styles = styles.replace("</cellXfs>", f"{added}</cellXfs>", 1)
    return styles.replace(found.group(0), f'<cellXfs count="{index + 1}">', 1), index


def _sheet(xml: str, tool: str, strings: StringTable, rng: random.Random) -> str:
    shared: dict[str, int] = {}

    def row(match: re.Match) -> str:
        number, attributes, body = int(match.group(1)), match.group(2), match.group(3) or ""
        cells = [
            (_column(m.group(1)), _cell(m, tool, strings, shared)) for m in CELL.finditer(body)
        ]
        cells += _styled_empties(number, {c for c, _ in cells}, tool, rng)
        cells.sort()
        content = "".join(x for _, x in cells)
        return f'<row r="{number}"{_row_attributes(attributes, tool, cells)}>{content}</row>'

    xml = ROW.sub(row, xml)
    if tool == LIBREOFFICE:
        xml = xml.replace(
            "</sheetData>",
            f'<row r="1048576" s="{STYLE}"{LIBREOFFICE_ROW.replace("false", "true", 1)}/>'
            "</sheetData>",
        )
    else:
        xml = xml.replace("<worksheet ", f"<worksheet{EXCEL_NAMESPACES} ", 1)
    return _with_columns(xml, tool)


def _cell(match: re.Match, tool: str, strings: StringTable, shared: dict[str, int]) -> str:
    letters, number, attributes, body = match.groups()
    ref = f"{letters}{number}"
    attributes = attributes.replace(' t="inlineStr"', "").replace(' t="n"', "")
    style = attributes if " s=" in attributes else f'{attributes} s="{STYLE}"'
    if body is None:
        return f'<c r="{ref}"{style}/>'
    text = INLINE.search(body)
    value = VALUE.search(body)
    formula = re.search(r"<f>(.*?)</f>", body, re.S)
    if formula is not None and (value is None or not value.group(1)):
        return f'<c r="{ref}"{style}>{formula.group(0)}<v></v></c>'  # never calculated
    if text is not None:
        if text.group(1).strip() in ("N/A", "0.00", ""):
            return _text_result(ref, style, text.group(1), tool)
        return f'<c r="{ref}"{style} t="s"><v>{strings.add(text.group(1))}</v></c>'
    if ' t="e"' in attributes or ' t="b"' in attributes:
        return f'<c r="{ref}"{style}>{body}</c>'
    return _number(ref, style, letters, int(number), value.group(1) if value else "", tool, shared)


def _text_result(ref: str, style: str, text: str, tool: str) -> str:
    formula = f"IF(ISERROR({ref}),&quot;N/A&quot;,TEXT(0,&quot;0.00&quot;))"
    aca = ' aca="false"' if tool == LIBREOFFICE else ""
    return f'<c r="{ref}"{style} t="str"><f{aca}>{formula}</f><v>{text}</v></c>'


def _number(
    ref: str, style: str, letters: str, row: int, value: str, tool: str, shared: dict[str, int]
) -> str:
    if not value:
        return f'<c r="{ref}"{style}/>'
    if tool == LIBREOFFICE:
        return f'<c r="{ref}"{style} t="n"><f aca="false">SUM(D{row}:E{row})</f><v>{value}</v></c>'
    digits = format(float(value), ".17g") if "." in value or "e" in value.lower() else value
    if letters not in shared:
        shared[letters] = len(shared)
        block = f'ref="{ref}:{letters}{row + 60}" si="{shared[letters]}"'
        formula = f'<f t="shared" {block}>D{row}+E{row}</f>'
    else:
        formula = f'<f t="shared" si="{shared[letters]}"/>'
    return f'<c r="{ref}"{style}>{formula}<v>{digits}</v></c>'


def _styled_empties(row: int, taken: set[int], tool: str, rng: random.Random) -> list:
    """Formatting written as empty cells: LibreOffice writes every one up to Q;
    Excel a few beyond the content and, on some rows, one out at XFD."""
    if tool == LIBREOFFICE:
        columns = set(range(1, LIBREOFFICE_LAST_COLUMN + 1))
    else:
        last = max(taken, default=0)
        columns = {last + 1, last + 2, last + 3} | ({16_384} if rng.random() < 0.2 else set())
    return [(c, f'<c r="{_letters(c)}{row}" s="{STYLE}"/>') for c in sorted(columns - taken)]


def _row_attributes(attributes: str, tool: str, cells: list) -> str:
    if tool == LIBREOFFICE:
        hidden = ' hidden="true"' if 'hidden="1"' in attributes else ' hidden="false"'
        return LIBREOFFICE_ROW.replace(" customHeight", f"{hidden} customHeight")
    columns = [c for c, _ in cells if c < 16_384] or [1]
    spans = f' spans="{min(columns)}:{max(columns)}"'
    return f'{attributes}{spans} s="{STYLE}" customFormat="1" x14ac:dyDescent="0.25"'


def _with_columns(xml: str, tool: str) -> str:
    """Whole columns formatted: from after the sheet's own column ranges to the end."""
    maxima = [int(m) for m in re.findall(r'<col\b[^>]*\bmax="(\d+)"', xml)]
    first = max(maxima, default=0) + 1
    last = 1025 if tool == LIBREOFFICE else 16_384
    column = f'<col min="{first}" max="{last}" width="11.52" style="{STYLE}" customWidth="1"/>'
    if "<cols>" in xml:
        return xml.replace("</cols>", f"{column}</cols>", 1)
    return re.sub(r"(<sheetData\b)", f"<cols>{column}</cols>\\1", xml, count=1)


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_name(number: int) -> str:
    """1 → 'A', 16384 → 'XFD'."""
    return _letters(number)


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
