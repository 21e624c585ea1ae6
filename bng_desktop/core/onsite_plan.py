"""How a metric's on-site surplus was used, as kept with a quote.

Two ways to use the site's own surplus before anything is bought:

* ``METRIC_ORDER`` — the metric's own order (METRIC.md step 1, core/offsetting.py):
  deficits highest band first, each taking the lowest eligible surplus first;
* ``OPTIMISED_TOGETHER`` — the site's surpluses and the banks' stock in one
  model (core/joint_offsetting.py), so the purchase is as cheap as it can be.

``OnSiteRecord`` is what a quote keeps: the mode used, every on-site transfer
(surplus habitat → deficit line, units) and, when both were priced, both
totals and the reference fingerprint they were priced on; a re-quote on
other prices keeps its own way's total alone (core/kept_metric.py). Pure
records, no rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .bands import Band, UnitType
from .rounding import display_money, format_money


class OnSiteMode(StrEnum):
    METRIC_ORDER = "metric order"
    OPTIMISED_TOGETHER = "optimised together"

    @classmethod
    def parse(cls, text: object) -> OnSiteMode:
        """'metric', 'metric order', 'joint', 'optimised together' (any case)."""
        key = str(text).strip().lower()
        aliases = {"metric": cls.METRIC_ORDER, "joint": cls.OPTIMISED_TOGETHER}
        if key in aliases:
            return aliases[key]
        try:
            return cls(key)
        except ValueError:
            raise ValueError(
                f"{text!r} is not an on-site mode (expected 'metric' or 'joint')"
            ) from None


@dataclass(frozen=True)
class OnSiteTransfer:
    """Units of one on-site surplus that offset one deficit line, on site."""

    unit_type: UnitType
    surplus: str
    surplus_band: Band
    deficit: str
    deficit_band: Band
    units: Fraction


@dataclass(frozen=True)
class OnSiteRecord:
    """The on-site offsetting a quote's demand was found with."""

    mode: OnSiteMode
    transfers: tuple[OnSiteTransfer, ...]
    metric_order_total: Fraction | None = None
    """The quote's total with the metric's own order (None: not priced or no answer)."""
    optimised_total: Fraction | None = None
    """The quote's total with on-site and off-site optimised together."""
    priced_on: str = ""
    """The reference data fingerprint the totals were priced on ("": not recorded)."""
    repriced_alone: bool = False
    """Priced again for a quote the totals were not found for (a re-quote on
    other prices, or other lines): this quote's way has its new total, the
    other way was not priced again (its total is None)."""

    @property
    def priced(self) -> bool:
        """Whether the record gives any total."""
        return self.metric_order_total is not None or self.optimised_total is not None

    @property
    def total(self) -> Fraction | None:
        """The total of the way this quote was made."""
        if self.mode is OnSiteMode.METRIC_ORDER:
            return self.metric_order_total
        return self.optimised_total

    @property
    def saving(self) -> Fraction | None:
        """What optimising together saves against the metric's order (≥ 0)."""
        if self.metric_order_total is None or self.optimised_total is None:
            return None
        return self.metric_order_total - self.optimised_total


def describe_onsite(record: OnSiteRecord, shown_total: int) -> str:
    """The consultant's one line: both totals (or, priced again alone, this
    way's), and which one this quote is. This quote's way is given as the
    quote shows its total (``shown_total``: the sum of its lines as shown)."""
    this_way = Fraction(shown_total)
    if record.repriced_alone:
        compared = repriced_text(record.mode, this_way)
    elif record.mode is OnSiteMode.METRIC_ORDER:
        compared = compare_text(this_way, record.optimised_total)
    else:
        compared = compare_text(record.metric_order_total, this_way)
    return f"{compared} This quote: {record.mode.value}."


def _money(total: Fraction | None) -> str:
    return "—" if total is None else f"{format_money(display_money(total))} + VAT"


def repriced_text(mode: OnSiteMode, total: Fraction | None) -> str:
    """A quote's own way priced again, and plainly what was not."""
    if mode is OnSiteMode.METRIC_ORDER:
        return (
            f"Offsetting as the metric does: {_money(total)} (priced again for this quote; "
            "optimising together was not priced again)."
        )
    return (
        f"Optimised together: {_money(total)}, with the on-site transfers as first "
        "optimised (priced again for this quote; the metric's own order was not priced again)."
    )


def compare_text(metric_order: Fraction | None, optimised: Fraction | None) -> str:
    """'Offsetting as the metric does: £X; optimised together: £Y' (— when a
    way has no quote)."""
    text = (
        f"Offsetting as the metric does: {_money(metric_order)}; "
        f"optimised together: {_money(optimised)}"
    )
    if metric_order is None or optimised is None:
        return f"{text}."
    shown = display_money(metric_order) - display_money(optimised)
    if shown > 0:  # the saving as the two figures shown give it, to the pound
        return f"{text} ({format_money(shown)} less)."
    return f"{text}."
