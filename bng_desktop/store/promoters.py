"""The promoters (introducers) the quote page offers: the team's list, as last pulled.

The team's database is the only source (an admin keeps it with
``bng central promoter``); each pull replaces the local list whole, in one
transaction, so a promoter removed there disappears here too.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Text, delete, func, insert, select

from ..core.exact import fraction_text, to_fraction
from ..core.policy import Promoter
from .db import Store
from .sqlite import utc_now
from .tables import PromoterRow

_promoters = PromoterRow.__table__


class PromoterList:
    def __init__(self, store: Store):
        self._store = store

    def all(self) -> list[Promoter]:
        """Every promoter, by name (ignoring case)."""
        query = select(_promoters).order_by(func.bng_casefold(_promoters.c.name, type_=Text))
        with self._store.read() as conn:
            return [
                Promoter(row.name, row.discount_type, to_fraction(row.discount_value))
                for row in conn.execute(query)
            ]

    def get(self, name: str) -> Promoter | None:
        return next((p for p in self.all() if p.name == name), None)

    def replace(self, promoters: Iterable[Promoter]) -> int:
        """The list becomes ``promoters``; returns how many it holds."""
        now = utc_now()
        rows = [
            {
                "name": p.name,
                "discount_type": p.discount_type,
                "discount_value": fraction_text(p.discount_value),
                "pulled_at": now,
            }
            for p in promoters
        ]
        with self._store.transaction() as conn:
            conn.execute(delete(_promoters))
            if rows:
                conn.execute(insert(_promoters), rows)
        return len(rows)
