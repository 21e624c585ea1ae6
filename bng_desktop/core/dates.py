"""Dates as a UK consultant reads and types them: dd/mm/yyyy, whatever the
browser's or the computer's locale. Stored times are UTC ISO strings; they
are shown in this computer's time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo

UK_DATE = "%d/%m/%Y"
UK_DATETIME = "%d/%m/%Y %H:%M"
_TYPED = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
DATE_HINT = "Type a date as dd/mm/yyyy, for example 31/01/2026."


def local(iso: str, zone: tzinfo | None = None) -> datetime:
    """A stored ISO time in ``zone`` (this computer's when None)."""
    moment = datetime.fromisoformat(iso)
    return moment.astimezone(zone) if moment.tzinfo else moment


def uk_date(iso: str, zone: tzinfo | None = None) -> str:
    """'2026-03-04T10:00:00+00:00' → '04/03/2026'."""
    return local(iso, zone).strftime(UK_DATE) if iso else ""


def uk_datetime(iso: str, zone: tzinfo | None = None) -> str:
    """'2026-03-04T10:00:00+00:00' → '04/03/2026 10:00' (in this computer's zone)."""
    return local(iso, zone).strftime(UK_DATETIME) if iso else ""


def uk_long_date(day: date) -> str:
    """date(2023, 7, 27) → '27 July 2023' (the day unpadded, as written in Britain)."""
    return f"{day.day} {day:%B %Y}"


def parse_uk_date(text: str) -> date:
    """'4/3/2026' → 4 March 2026. Raises ValueError saying what to type."""
    match = _TYPED.match(text or "")
    if match is None:
        raise ValueError(f"{text!r} is not a date. {DATE_HINT}")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text.strip()} is not a real date. {DATE_HINT}") from None
