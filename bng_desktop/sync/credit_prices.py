"""Statutory credit prices in the team database: pulled by every desktop, set by admins.

Each sync reads the whole central ``credit_price`` table (a few rows a
year) and stores each dated set locally (store/credit_prices.py), replacing
what the same date held there; a set an admin made only on this desktop
stays. Setting prices needs an admin login (c0004's grants).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction

from sqlalchemy import Engine, delete, insert, select

from ..core.exact import fraction_text, to_fraction
from ..core.statutory_credits import CreditPrices, CreditTier
from ..store import CreditPriceList, Store
from .audit import announced_transaction
from .connection import central_errors
from .messages import Guarded
from .schema import credit_price


def fetch_credit_prices(engine: Engine) -> list[CreditPrices]:
    """Every set the team database holds, oldest first."""
    with central_errors(), engine.connect() as conn, conn.begin():
        rows = conn.execute(
            select(credit_price).order_by(credit_price.c.effective_from, credit_price.c.tier)
        ).all()
    by_date: dict[date, dict[CreditTier, Fraction]] = defaultdict(dict)
    sources: dict[date, str] = {}
    for row in rows:
        by_date[row.effective_from][CreditTier(row.tier)] = to_fraction(row.price)
        sources[row.effective_from] = row.source
    return [
        CreditPrices(effective_from=day, prices=prices, source=sources[day])
        for day, prices in by_date.items()
    ]


def pull_credit_prices(engine: Engine, store: Store) -> int:
    """Store the team's sets here; returns how many."""
    return CreditPriceList(store).put(fetch_credit_prices(engine))


def publish_credit_prices(engine: Engine, prices: CreditPrices, desktop_id: str) -> None:
    """Make ``prices`` the team's set for its date (replacing that date's, whole)."""
    rows = [
        {
            "effective_from": prices.effective_from,
            "tier": tier.value,
            "price": fraction_text(price),
            "source": prices.source,
        }
        for tier, price in prices.prices.items()
    ]
    with announced_transaction(engine, Guarded.CREDIT_PRICES, desktop_id) as conn:
        conn.execute(
            delete(credit_price).where(credit_price.c.effective_from == prices.effective_from)
        )
        conn.execute(insert(credit_price), rows)
