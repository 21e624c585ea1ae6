"""Colleagues' quotes in the local history: read-only, marked as the team's.

The team sync brings them in page by page, in the central database's commit
order (``seq``), with a cursor — the highest seq applied, kept in
``app_setting`` — so no quote is skipped. Each page is applied in ONE local
transaction with its cursor. A quote whose reference this desktop still
holds for one of its own unpushed quotes stops the page there (the cursor
stays before it): the next push renumbers the local quote, and the next pull
brings the colleague's in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_upsert

from .db import Store
from .sqlite import utc_now
from .tables import (
    AppSetting,
    QuoteLineRow,
    QuoteRow,
    ReferenceVersion,
    SyncCentralVersion,
    SyncTeamQuote,
)

TEAM_CURSOR_KEY = "sync.team_quote_seq"
_quotes = QuoteRow.__table__
_lines = QuoteLineRow.__table__
_team = SyncTeamQuote.__table__
_links = SyncCentralVersion.__table__
_versions = ReferenceVersion.__table__
_settings = AppSetting.__table__
QUOTE_COLUMNS = tuple(
    c.name for c in _quotes.columns if c.name not in ("uuid", "payload", "reference_version_id")
)
LINE_COLUMNS = tuple(c.name for c in _lines.columns if c.name not in ("id", "quote_uuid"))


@dataclass(frozen=True)
class TeamQuote:
    """A colleague's quote as the central database holds it."""

    seq: int
    """Its place in the central commit order."""
    quote: Mapping[str, Any]
    """The central quote row: the local quote columns, plus ``reference_version_id``
    (a central version id) and ``reference_hash``."""
    lines: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class AppliedPage:
    quotes: int
    """How many quotes were new here."""
    cursor: int
    blocked: bool
    """True when a local unpushed quote holds a reference the page needs."""


class TeamQuotes:
    """Colleagues' quotes in one local store."""

    def __init__(self, store: Store):
        self._store = store

    def cursor(self) -> int:
        """The highest central seq applied (0 before the first pull)."""
        with self._store.read() as conn:
            return _cursor(conn)

    def apply_page(self, page: Sequence[TeamQuote]) -> AppliedPage:
        """Insert the page's new quotes and advance the cursor, in ONE transaction."""
        count = 0
        blocked = False
        with self._store.transaction() as conn:
            cursor = _cursor(conn)
            links = dict(conn.execute(select(_links.c.central_id, _links.c.version_id)).all())
            for team_quote in page:
                if team_quote.seq <= cursor:
                    continue
                if not _known(conn, team_quote.quote["uuid"]):
                    if _clashes(conn, team_quote.quote):
                        blocked = True
                        break
                    _insert(conn, team_quote, links)
                    count += 1
                cursor = team_quote.seq
            _set_cursor(conn, cursor)
        return AppliedPage(count, cursor, blocked)


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


def _clashes(conn: Connection, quote: Mapping[str, Any]) -> bool:
    """Another local quote (one of ours, not yet pushed) holds this reference."""
    query = select(_quotes.c.uuid).where(
        or_(
            _quotes.c.reference == quote["reference"],
            (_quotes.c.base_reference == quote["base_reference"])
            & (_quotes.c.revision == quote["revision"]),
        )
    )
    return conn.execute(query).first() is not None


def _insert(conn: Connection, team_quote: TeamQuote, links: dict[int, int]) -> None:
    quote = team_quote.quote
    uuid = str(quote["uuid"])
    values = {name: quote[name] for name in QUOTE_COLUMNS}
    values.update(uuid=uuid, payload=quote["payload"])
    values["reference_version_id"] = _local_version(conn, quote, links)
    conn.execute(insert(_quotes), values)
    if team_quote.lines:
        conn.execute(
            insert(_lines),
            [
                {**{c: line[c] for c in LINE_COLUMNS}, "quote_uuid": uuid}
                for line in team_quote.lines
            ],
        )
    conn.execute(
        insert(_team),
        {"quote_uuid": uuid, "central_seq": team_quote.seq, "pulled_at": utc_now()},
    )


def _local_version(conn: Connection, quote: Mapping[str, Any], links: dict[int, int]) -> int | None:
    """The local copy of the version the quote was made on, when this desktop has it."""
    if quote["reference_version_id"] in links:
        return links[quote["reference_version_id"]]
    query = select(_versions.c.id).where(
        _versions.c.content_hash == quote["reference_hash"], _versions.c.staged_at.is_(None)
    )
    return conn.execute(query.order_by(_versions.c.id.desc())).scalar()
