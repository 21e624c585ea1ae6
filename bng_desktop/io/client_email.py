"""The client email: a .eml file the consultant opens in their mail program and sends.

Built with the standard library's ``email`` package (no SMTP): multipart/mixed
holding a multipart/alternative (plain text, then HTML) and the attachments,
each under its own media type (core/client_documents.py). ``X-Unsent: 1``
makes Outlook open it as a draft ready to send; other programs show it as a
message to forward or "edit as new". Every piece of data put into the HTML is
escaped; the styles are inline, as mail programs drop style sheets.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from ..core.client_documents import attachment_media_type
from ..core.client_letter import ClientLetter
from ..core.errors import BngError
from .client_report import (
    IMPACT_COLOUR,
    IMPACT_COLUMNS,
    MITIGATION_COLOUR,
    SECTION_COLOUR,
    TOTAL_COLOUR,
    ShownRow,
    ShownRowKind,
    ShownTable,
    plain_text_table,
)

FONT = "font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222"
CELL = "border:1px solid #999;padding:4px 6px;vertical-align:top"
NUMBER_COLUMNS = frozenset({2, 5, 6, 7})
"""Columns (0-based) of units and money, aligned right."""


class InvalidRecipient(BngError):
    kind = "invalid_recipient"


@dataclass(frozen=True)
class Attachment:
    file_name: str
    content: bytes

    @property
    def media_type(self) -> str:
        return attachment_media_type(self.file_name)


def client_email(
    letter: ClientLetter,
    table: ShownTable,
    attachments: Sequence[Attachment],
    *,
    recipient: str = "",
) -> EmailMessage:
    """The message: To the recipient when given, subject with reference and site."""
    message = EmailMessage(policy=policy.SMTP)
    if recipient.strip():
        message["To"] = _address(recipient)
    message["Subject"] = letter.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="bng-desktop.invalid")
    message["X-Unsent"] = "1"
    message.set_content(plain_text_body(letter, table))
    message.add_alternative(html_body(letter, table), subtype="html")
    for attachment in attachments:
        maintype, subtype = attachment.media_type.split("/", 1)
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.file_name
        )
    return message


def _address(text: str) -> Address:
    """One address as typed ('a@b.com' or 'Name <a@b.com>'), or a clear refusal."""
    name, spec = parseaddr(text.strip())
    local, _, domain = spec.partition("@")
    if not local or "." not in domain or "," in text.replace(name, ""):
        raise InvalidRecipient(f"{text!r} is not one email address; type it as name@example.com")
    try:
        return Address(display_name=name, addr_spec=spec)
    except (ValueError, HeaderParseError) as error:
        raise InvalidRecipient(f"{text!r} is not an email address: {error}") from error


def plain_text_body(letter: ClientLetter, table: ShownTable) -> str:
    steps = [f"{n}. {step}" for n, step in enumerate(letter.next_steps, start=1)]
    parts = [
        letter.greeting,
        f"Our ref: {letter.reference}",
        letter.introduction,
        letter.headline,
        plain_text_table(table),
        letter.vat_sentence,
        *([letter.credits_sentence] if letter.credits_sentence else []),
        "Next steps\n" + "\n".join([letter.steps_introduction, *steps]),
        letter.validity,
        "\n".join(part for part in (letter.sign_off, letter.author) if part),
    ]
    return "\n\n".join(parts) + "\n"


def html_body(letter: ClientLetter, table: ShownTable) -> str:
    e = html.escape
    steps = "".join(f'<li style="margin-bottom:4px">{e(step)}</li>' for step in letter.next_steps)
    signature = "<br>".join(e(part) for part in (letter.sign_off, letter.author) if part)
    credits = f"<p>{e(letter.credits_sentence)}</p>" if letter.credits_sentence else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en-GB"><head><meta charset="utf-8"><title>{e(letter.subject)}</title>'
        f'</head><body style="{FONT};margin:16px">'
        f"<p>{e(letter.greeting)}</p>"
        f"<p><strong>Our ref: {e(letter.reference)}</strong></p>"
        f"<p>{e(letter.introduction)}</p>"
        f'<h2 style="font-size:18px;margin:20px 0 8px">{e(letter.headline)}</h2>'
        f"{html_table(table)}"
        f'<p style="font-size:13px">{e(letter.vat_sentence)}</p>'
        f"{credits}"
        f'<h3 style="font-size:16px;margin:20px 0 6px">Next steps</h3>'
        f"<p>{e(letter.steps_introduction)}</p><ol>{steps}</ol>"
        f"<p>{e(letter.validity)}</p>"
        f"<p>{signature}</p>"
        "</body></html>\n"
    )


def html_table(table: ShownTable) -> str:
    """The client report table as the Quote sheet shows it, banded as the legacy email."""
    mitigation_columns = len(table.columns) - IMPACT_COLUMNS
    head = (
        "<tr>"
        + _cell(table.impact_header, "th", span=IMPACT_COLUMNS, style=f"background:{IMPACT_COLOUR}")
        + _cell(
            table.mitigation_header,
            "th",
            span=mitigation_columns,
            style=f"background:{MITIGATION_COLOUR};color:#fff",
        )
        + "</tr><tr>"
        + "".join(
            _cell(title, "th", style=_band_style(n), align="center")
            for n, title in enumerate(table.columns)
        )
        + "</tr>"
    )
    body = "".join(_row(row, len(table.columns)) for row in table.rows)
    return (
        '<table role="table" cellspacing="0" cellpadding="0" '
        f'style="border-collapse:collapse;{FONT};font-size:13px">'
        f"<thead>{head}</thead><tbody>{body}</tbody></table>"
    )


def _band_style(column: int) -> str:
    if column < IMPACT_COLUMNS:
        return f"background:{IMPACT_COLOUR}"
    return f"background:{MITIGATION_COLOUR};color:#fff"


def _row(row: ShownRow, width: int) -> str:
    if row.kind is ShownRowKind.SECTION:
        cells = _cell(row.cells[0], span=width, style=f"background:{SECTION_COLOUR}", bold=True)
    elif row.kind is ShownRowKind.CHARGE:
        label, amount = row.cells
        cells = _cell(label, span=width - 1, align="right", bold=True) + _cell(
            amount, align="right", bold=True
        )
    else:
        total = row.kind is ShownRowKind.TOTAL
        cells = "".join(
            _cell(
                text,
                align="right" if n in NUMBER_COLUMNS else "left",
                bold=total,
                style=f"background:{TOTAL_COLOUR}" if total else "",
            )
            for n, text in enumerate(row.cells)
        )
    return f'<tr data-kind="{row.kind.value}">{cells}</tr>'


def _cell(
    text: str,
    tag: str = "td",
    *,
    span: int = 1,
    style: str = "",
    align: str = "left",
    bold: bool = False,
) -> str:
    colspan = f' colspan="{span}"' if span > 1 else ""
    weight = "font-weight:bold;" if bold else ""
    return (
        f'<{tag}{colspan} style="{CELL};text-align:{align};{weight}{style}">'
        f"{html.escape(text)}</{tag}>"
    )
