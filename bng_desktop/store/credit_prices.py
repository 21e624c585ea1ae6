"""Statutory credit prices by date: the sets an admin set here, and the team's as pulled.

A set is keyed by its effective date: setting prices for a date replaces
whatever that date held, whole, in one transaction. The bundled prices are
not stored (io/statutory.py gives them); quotes use the latest set in force.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction

from sqlalchemy import delete, insert, select

from ..core.exact import fraction_text, to_fraction
from ..core.statutory_credits import CreditPrices, CreditTier
from .db import Store
from .sqlite import utc_now
from .tables import CreditPriceRow

_prices = CreditPriceRow.__table__


class CreditPriceList:
    def __init__(self, store: Store):
        self._store = store

    def all(self) -> list[CreditPrices]:
        """Every stored set, oldest first."""
        query = select(_prices).order_by(_prices.c.effective_from, _prices.c.tier)
        by_date: dict[str, dict[CreditTier, Fraction]] = {}
        sources: dict[str, str] = {}
        with self._store.read() as conn:
            for row in conn.execute(query):
                by_date.setdefault(row.effective_from, {})[CreditTier(row.tier)] = to_fraction(
                    row.price
                )
                sources[row.effective_from] = row.source
        return [
            CreditPrices(effective_from=date.fromisoformat(day), prices=prices, source=sources[day])
            for day, prices in by_date.items()
        ]

    def put(self, price_sets: Iterable[CreditPrices]) -> int:
        """Store each set, replacing what its date held; returns how many sets."""
        now = utc_now()
        sets = list(price_sets)
        with self._store.transaction() as conn:
            for prices in sets:
                day = prices.effective_from.isoformat()
                conn.execute(delete(_prices).where(_prices.c.effective_from == day))
                conn.execute(
                    insert(_prices),
                    [
                        {
                            "effective_from": day,
                            "tier": tier.value,
                            "price": fraction_text(price),
                            "source": prices.source,
                            "set_at": now,
                        }
                        for tier, price in prices.prices.items()
                    ],
                )
        return len(sets)
