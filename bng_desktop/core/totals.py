"""Totals and the surplus uplift offset (SUO) discount."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from .policy import Policy
from .result import AllocationLine, SuoInfo, Totals
from .rounding import display_money


def compute_suo(
    eligible_surplus: Fraction | None, lines: Iterable[AllocationLine], policy: Policy
) -> SuoInfo | None:
    """Usable surplus (a policy share of on-site surplus in bands ≥ Medium)
    discounts optimiser lines by usable ÷ units supplied, capped."""
    if not eligible_surplus or eligible_surplus <= 0:
        return None
    supplied = sum((ln.units_supplied for ln in lines if ln.kind == "optimiser"), Fraction(0))
    if supplied <= 0:
        return None
    usable = eligible_surplus * policy.suo_usable_share
    fraction = min(usable / supplied, policy.suo_cap)
    return SuoInfo(eligible_surplus, usable, supplied, fraction)


def compute_totals(
    lines: Iterable[AllocationLine], admin_fee: Fraction, suo: SuoInfo | None = None
) -> Totals:
    """Exact totals, and display totals that are the sum of the lines as shown.

    The SUO discount applies to optimiser lines only, never to manual lines or
    the admin fee, and is shown as a row of its own.
    """
    lines = tuple(lines)
    optimiser = sum((ln.cost for ln in lines if ln.kind == "optimiser"), Fraction(0))
    manual = sum((ln.cost for ln in lines if ln.kind != "optimiser"), Fraction(0))
    discount = optimiser * suo.discount_fraction if suo else Fraction(0)
    subtotal = optimiser + manual
    shown_lines = sum(display_money(ln.cost) for ln in lines)
    shown_discount = display_money(discount)
    return Totals(
        optimiser_cost=optimiser,
        manual_cost=manual,
        suo_discount=discount,
        subtotal=subtotal,
        admin_fee=admin_fee,
        total=subtotal - discount + admin_fee,
        display_subtotal=shown_lines,
        display_suo_discount=shown_discount,
        display_total=shown_lines - shown_discount + display_money(admin_fee),
    )
