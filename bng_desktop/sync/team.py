"""Pull colleagues' quotes into the local history, read-only, marked as the team's.

The central ``quote.seq`` grows in commit order (pushes serialise on the
counter row), so a cursor — the highest seq applied, kept in ``app_setting``
— never skips a quote. Each page is applied in ONE local transaction with its
cursor. A quote whose reference this desktop still holds for one of its own
unpushed quotes stops the page there (the cursor stays before it): the next
push renumbers the local quote, and the next pull brings the colleague's in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_upsert

from ..core.progress import ProgressCallback, no_progress
from ..store import Store
from ..store.sqlite import utc_now
from ..store.tables import (
    AppSetting,
    QuoteLineRow,
    QuoteRow,
    ReferenceVersion,
    SyncCentralVersion,
    SyncTeamQuote,
)
from .connection import central_errors
from .schema import LINE_COLUMNS, quote, quote_line
from .settings import TEAM_CURSOR_KEY

PAGE_SIZE = 500
_quotes = QuoteRow.__table__
_lines = QuoteLineRow.__table__
_team = SyncTeamQuote.__table__
_links = SyncCentralVersion.__table__
_versions = ReferenceVersion.__table__
_settings = AppSetting.__table__
LOCAL_COLUMNS = tuple(
    c.name for c in _quotes.columns if c.name not in ("payload", "reference_version_id")
)


@dataclass(frozen=True)
class Applied:
    quotes: int
    cursor: int
    blocked: bool


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
            rows, lines = _fetch_page(conn, cursor, desktop_id, page_size)
            if not rows:
                return total
            applied = apply_page(store, rows, lines)
            total += applied.quotes
            progress("team", 0.9, f"{total} team quotes received")
            if applied.blocked or len(rows) < page_size:
                return total


def read_cursor(store: Store) -> int:
    with store.read() as conn:
        return _cursor(conn)


def apply_page(
    store: Store, rows: Sequence[Any], lines: dict[str, list[dict[str, Any]]]
) -> Applied:
    """Insert the page's new quotes and advance the cursor, in ONE transaction."""
    count = 0
    blocked = False
    with store.transaction() as conn:
        cursor = _cursor(conn)
        links = dict(conn.execute(select(_links.c.central_id, _links.c.version_id)).all())
        for row in rows:
            if row.seq <= cursor:
                continue
            if not _known(conn, row.uuid):
                if _clashes(conn, row):
                    blocked = True
                    break
                _insert(conn, row, lines.get(str(row.uuid), ()), links)
                count += 1
            cursor = row.seq
        _set_cursor(conn, cursor)
    return Applied(count, cursor, blocked)


def _fetch_page(
    conn: Connection, cursor: int, desktop_id: str, page_size: int
) -> tuple[list[Any], dict[str, list[dict[str, Any]]]]:
    with conn.begin():
        rows = conn.execute(
            select(quote)
            .where(quote.c.seq > cursor, quote.c.desktop_id != desktop_id)
            .order_by(quote.c.seq)
            .limit(page_size)
        ).all()
        if not rows:
            return [], {}
        found = conn.execute(
            select(quote_line)
            .where(quote_line.c.quote_uuid.in_([r.uuid for r in rows]))
            .order_by(quote_line.c.quote_uuid, quote_line.c.position)
        ).mappings()
        lines: dict[str, list[dict[str, Any]]] = {}
        for line in found:
            lines.setdefault(str(line["quote_uuid"]), []).append(dict(line))
    return rows, lines


def _cursor(conn: Connection) -> int:
    value = conn.execute(
        select(_settings.c.value).where(_settings.c.key == TEAM_CURSOR_KEY)
    ).scalar()
    return int(json.loads(value)) if value else 0


def _set_cursor(conn: Connection, cursor: int) -> None:
    text = json.dumps(cursor)
    stmt = sqlite_upsert(_settings).values(key=TEAM_CURSOR_KEY, value=text)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": text}))


def _known(conn: Connection, uuid: Any) -> bool:
    return (
        conn.execute(select(_quotes.c.uuid).where(_quotes.c.uuid == str(uuid))).first() is not None
    )


def _clashes(conn: Connection, row: Any) -> bool:
    """Another local quote (one of ours, not yet pushed) holds this reference."""
    query = select(_quotes.c.uuid).where(
        or_(
            _quotes.c.reference == row.reference,
            (_quotes.c.base_reference == row.base_reference) & (_quotes.c.revision == row.revision),
        )
    )
    return conn.execute(query).first() is not None


def _insert(
    conn: Connection, row: Any, lines: Sequence[dict[str, Any]], links: dict[int, int]
) -> None:
    uuid = str(row.uuid)
    values = {name: getattr(row, name) for name in LOCAL_COLUMNS}
    values.update(uuid=uuid, payload=row.payload)
    values["reference_version_id"] = _local_version(conn, row, links)
    conn.execute(insert(_quotes), values)
    if lines:
        conn.execute(
            insert(_lines),
            [{**{c: line[c] for c in LINE_COLUMNS}, "quote_uuid": uuid} for line in lines],
        )
    conn.execute(
        insert(_team), {"quote_uuid": uuid, "central_seq": row.seq, "pulled_at": utc_now()}
    )


def _local_version(conn: Connection, row: Any, links: dict[int, int]) -> int | None:
    """The local copy of the version the quote was made on, when this desktop has it."""
    if row.reference_version_id in links:
        return links[row.reference_version_id]
    query = select(_versions.c.id).where(_versions.c.content_hash == row.reference_hash)
    return conn.execute(query.order_by(_versions.c.id.desc())).scalar()
