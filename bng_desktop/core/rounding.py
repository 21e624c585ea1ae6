"""Display rounding for client-facing figures. Stored figures stay exact."""

from __future__ import annotations

from fractions import Fraction

from .exact import round_half_up

PRICE_STEP = 50
UNITS_STEP = Fraction(1, 1000)


def display_unit_price(price: Fraction) -> int:
    """Unit prices are shown to the nearest £50, halves up (not banker's)."""
    return int(round_half_up(price, PRICE_STEP))


def display_money(amount: Fraction) -> int:
    """Costs and totals are shown to the nearest £1, halves up."""
    return int(round_half_up(amount, 1))


def display_units(units: Fraction) -> str:
    """Up to 3 decimals, trimmed, never fewer than 2: 1.5 → '1.50', 0.3333 → '0.333'."""
    text = f"{float(round_half_up(units, UNITS_STEP)):.3f}"
    if text.endswith("0"):
        text = text[:-1]
    return text


def format_money(amount: int | Fraction) -> str:
    """'£12,345' for whole pounds."""
    return f"£{int(amount):,}" if amount >= 0 else f"-£{-int(amount):,}"
