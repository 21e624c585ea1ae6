"""Pull colleagues' quotes into the local history, read-only, marked as the team's.

The central ``quote.seq`` grows in commit order (pushes serialise on the
counter row), so a cursor — the highest seq applied, kept locally — never
skips a quote. Each page is applied in ONE local transaction with its cursor
(TeamQuotes.apply_page). A quote whose reference this desktop still holds
for one of its own unpushed quotes stops the page there (the cursor stays
before it): the next push renumbers the local quote, and the next pull
brings the colleague's in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, select

from ..core.progress import ProgressCallback, no_progress
from ..store import AppliedPage, Store, TeamQuote, TeamQuotes
from .connection import central_errors
from .schema import quote, quote_line

PAGE_SIZE = 500


def pull_team_quotes(
    engine: Engine,
    store: Store,
    desktop_id: str,
    *,
    progress: ProgressCallback = no_progress,
    page_size: int = PAGE_SIZE,
) -> int:
    """Bring in colleagues' quotes pushed since the last pull; returns how many."""
    total = 0
    with central_errors(), engine.connect() as conn:
        while True:
            cursor = read_cursor(store)
            page = _fetch_page(conn, cursor, desktop_id, page_size)
            if not page:
                return total
            applied = apply_page(store, page)
            total += applied.quotes
            progress("team", 0.9, f"{total} team quotes received")
            if applied.blocked or len(page) < page_size:
                return total


def read_cursor(store: Store) -> int:
    return TeamQuotes(store).cursor()


def apply_page(store: Store, page: Sequence[TeamQuote]) -> AppliedPage:
    """Insert the page's new quotes and advance the cursor, in ONE transaction."""
    return TeamQuotes(store).apply_page(page)


def _fetch_page(conn: Connection, cursor: int, desktop_id: str, page_size: int) -> list[TeamQuote]:
    with conn.begin():
        rows = conn.execute(
            select(quote)
            .where(quote.c.seq > cursor, quote.c.desktop_id != desktop_id)
            .order_by(quote.c.seq)
            .limit(page_size)
        ).all()
        if not rows:
            return []
        found = conn.execute(
            select(quote_line)
            .where(quote_line.c.quote_uuid.in_([r.uuid for r in rows]))
            .order_by(quote_line.c.quote_uuid, quote_line.c.position)
        ).mappings()
        lines: dict[str, list[dict[str, Any]]] = {}
        for line in found:
            lines.setdefault(str(line["quote_uuid"]), []).append(dict(line))
    return [
        TeamQuote(seq=row.seq, quote=row._asdict(), lines=lines.get(str(row.uuid), ()))
        for row in rows
    ]
