"""The PDF quote: one A4 page for the client (more when the allocation needs it).

Header (title, reference, date, client, site, valid until), the client report
table as the Excel Quote sheet shows it (io/client_report.py), the total, the
VAT sentence, next steps and validity. Made with ReportLab, imported only when
a PDF is written (it costs start-up time otherwise); the DejaVu Sans fonts
bundled under ``assets/fonts`` are embedded (subset), so the file looks the
same in every viewer and "£" and "–" always print. Written to a temporary
file beside the target and moved into place.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..core.client_letter import TITLE, ClientLetter, long_uk_date
from ..settings import assets_dir
from .client_report import (
    IMPACT_COLOUR,
    IMPACT_COLUMNS,
    MITIGATION_COLOUR,
    SECTION_COLOUR,
    TOTAL_COLOUR,
    ShownRowKind,
    ShownTable,
)

FONT = "DejaVuSans"
BOLD_FONT = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", BOLD_FONT: "DejaVuSans-Bold.ttf"}
COLUMN_WIDTHS_MM = (24, 33, 13, 24, 34, 13, 17, 18)
"""176 mm: the A4 width less 17 mm margins."""
MARGIN_MM = 17
NUMBER_COLUMNS = frozenset({2, 5, 6, 7})


def font_path(name: str) -> Path:
    return assets_dir() / "fonts" / FONT_FILES[name]


def write_client_pdf(letter: ClientLetter, table: ShownTable, path: str | os.PathLike[str]) -> Path:
    """Write the PDF quote at ``path`` (atomically) and return the path."""
    target = Path(path)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            _build(letter, table, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in FONT_FILES:
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_path(name))))


def _build(letter: ClientLetter, table: ShownTable, stream: Any) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    styles = _styles()
    document = SimpleDocTemplate(
        stream,
        pagesize=A4,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"{TITLE} {letter.reference}",
        author=letter.author or "BNG Desktop",
        subject=letter.subject,
        creator="BNG Desktop",
        lang="en-GB",
        initialFontName=FONT,
    )

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawString(MARGIN_MM * mm, 10 * mm, f"{TITLE} · {letter.reference}")
        canvas.drawRightString(A4[0] - MARGIN_MM * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    story = [*_header(letter, styles), _table(table, styles), *_closing(letter, table, styles)]
    document.build(story, onFirstPage=footer, onLaterPages=footer)


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=5)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=BOLD_FONT,
            fontSize=17,
            leading=21,
            textColor=colors.HexColor(MITIGATION_COLOUR),
            spaceAfter=8,
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=BOLD_FONT, fontSize=12, leading=15, spaceBefore=8
        ),
        "label": ParagraphStyle("label", parent=base, fontName=BOLD_FONT, spaceAfter=0),
        "value": ParagraphStyle("value", parent=base, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=BOLD_FONT, fontSize=7.5, leading=9, spaceAfter=0
        ),
        "number": ParagraphStyle(
            "number", parent=base, fontSize=7.5, leading=9, spaceAfter=0, alignment=TA_RIGHT
        ),
        "number_bold": ParagraphStyle(
            "number_bold",
            parent=base,
            fontName=BOLD_FONT,
            fontSize=7.5,
            leading=9,
            spaceAfter=0,
            alignment=TA_RIGHT,
        ),
        "head": ParagraphStyle(
            "head", parent=base, fontName=BOLD_FONT, fontSize=7, leading=8.5, spaceAfter=0
        ),
        "head_light": ParagraphStyle(
            "head_light",
            parent=base,
            fontName=BOLD_FONT,
            fontSize=7,
            leading=8.5,
            spaceAfter=0,
            textColor=colors.white,
        ),
    }


def _text(value: str) -> str:
    """Plain text for a Paragraph (which reads a little markup): escaped."""
    from xml.sax.saxutils import escape

    return escape(value)


def _header(letter: ClientLetter, styles: dict[str, Any]) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    facts = (
        ("Reference", letter.reference),
        ("Date", long_uk_date(letter.quote_date)),
        ("Client", letter.client or "—"),
        ("Site", letter.site),
        ("Valid until", long_uk_date(letter.valid_until)),
    )
    rows = [
        [Paragraph(_text(label), styles["label"]), Paragraph(_text(value), styles["value"])]
        for label, value in facts
    ]
    box = Table(rows, colWidths=(30 * mm, 146 * mm), hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor(MITIGATION_COLOUR)),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEF5F3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return [
        Paragraph(_text(TITLE), styles["title"]),
        box,
        Spacer(1, 5 * mm),
        Paragraph(_text(letter.introduction), styles["body"]),
        Paragraph(_text(letter.headline), styles["heading"]),
        Spacer(1, 2 * mm),
    ]


def _table(table: ShownTable, styles: dict[str, Any]) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Table, TableStyle

    width = len(table.columns)
    grey = colors.HexColor("#999999")
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, grey),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("SPAN", (0, 0), (IMPACT_COLUMNS - 1, 0)),
        ("SPAN", (IMPACT_COLUMNS, 0), (width - 1, 0)),
        ("BACKGROUND", (0, 0), (IMPACT_COLUMNS - 1, 1), colors.HexColor(IMPACT_COLOUR)),
        ("BACKGROUND", (IMPACT_COLUMNS, 0), (width - 1, 1), colors.HexColor(MITIGATION_COLOUR)),
    ]

    def head(text: str, column: int) -> Any:
        style = styles["head"] if column < IMPACT_COLUMNS else styles["head_light"]
        return Paragraph(_text(text), style)

    blank = [""] * width
    data: list[list[Any]] = [
        [
            head(table.impact_header, 0),
            *blank[1:IMPACT_COLUMNS],
            head(table.mitigation_header, IMPACT_COLUMNS),
            *blank[IMPACT_COLUMNS + 1 :],
        ],
        [head(title, n) for n, title in enumerate(table.columns)],
    ]
    for row in table.rows:
        index = len(data)
        if row.kind is ShownRowKind.SECTION:
            data.append([Paragraph(_text(row.cells[0]), styles["cell_bold"]), *blank[1:]])
            commands += [
                ("SPAN", (0, index), (-1, index)),
                ("BACKGROUND", (0, index), (-1, index), colors.HexColor(SECTION_COLOUR)),
            ]
        elif row.kind is ShownRowKind.CHARGE:
            label, amount = row.cells
            data.append(
                [
                    Paragraph(_text(label), styles["number_bold"]),
                    *blank[1:-1],
                    Paragraph(_text(amount), styles["number_bold"]),
                ]
            )
            commands.append(("SPAN", (0, index), (width - 2, index)))
        else:
            total = row.kind is ShownRowKind.TOTAL
            data.append([_cell(text, n, total, styles) for n, text in enumerate(row.cells)])
            if total:
                commands.append(
                    ("BACKGROUND", (0, index), (-1, index), colors.HexColor(TOTAL_COLOUR))
                )
    shown = Table(data, colWidths=[w * mm for w in COLUMN_WIDTHS_MM], repeatRows=2, hAlign="LEFT")
    shown.setStyle(TableStyle(commands))
    return shown


def _cell(text: str, column: int, bold: bool, styles: dict[str, Any]) -> Any:
    from reportlab.platypus import Paragraph

    kind = "number" if column in NUMBER_COLUMNS else "cell"
    return Paragraph(_text(text), styles[f"{kind}_bold" if bold else kind])


def _closing(letter: ClientLetter, table: ShownTable, styles: dict[str, Any]) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Paragraph, Spacer

    steps = ListFlowable(
        [
            ListItem(Paragraph(_text(step), styles["body"]), leftIndent=12)
            for step in letter.next_steps
        ],
        bulletType="1",
        bulletFormat="%s.",
        bulletFontName=FONT,
        bulletFontSize=9.5,
        leftIndent=12,
    )
    return [
        Spacer(1, 3 * mm),
        Paragraph(_text(f"Total: {table.total} + VAT"), styles["heading"]),
        Paragraph(_text(letter.vat_sentence), styles["body"]),
        *(
            [Paragraph(_text(letter.credits_sentence), styles["body"])]
            if letter.credits_sentence
            else []
        ),
        KeepTogether(
            [
                Paragraph("Next steps", styles["heading"]),
                Paragraph(_text(letter.steps_introduction), styles["body"]),
                steps,
                Paragraph(_text(letter.validity), styles["body"]),
            ]
        ),
    ]
