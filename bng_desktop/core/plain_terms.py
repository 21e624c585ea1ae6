"""How a quote was made, in words a consultant (or a curious client) can read.

The engine's own names — ``tolerance_rel``, solver status ``optimal``, price
source ``proxy``, a content hash — are exact but mean nothing outside the
code. The Excel quote's Allocation and Details sheets (and any "Details" area
on screen) show them through this module: a plain label and a formatted value
for each. Nothing here goes on the client-facing Quote sheet.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from .errors import UnmetLine, UnmetReason
from .exact import fraction_text
from .policy import Policy, Promoter
from .result import SolverInfo
from .rounding import format_money
from .typed_units import units_text

Row = tuple[str, Any]


def _percent(value: Fraction) -> str:
    return f"{fraction_text(value * 100)} %"


def _pounds(value: Fraction) -> str:
    return f"£{fraction_text(value)}"


def _units(value: Fraction) -> str:
    return f"{fraction_text(value)} units"


def _seconds(value: Fraction) -> str:
    return f"{fraction_text(value)} seconds"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


QUOTES_HOLD_TEXT = {
    "ignore": "ignored (stock held by open quotes stays available)",
    "hold_100": "held in full (stock on open quotes is not offered)",
    "hold_50": "half held (half the stock on open quotes is not offered)",
}
SOLVER_CHOICE_TEXT = {
    "auto": "automatic (HiGHS, else CBC)",
    "highs": "HiGHS",
    "cbc": "CBC",
    "greedy": "quick heuristic (not proven cheapest)",
}
DISCOUNT_TEXT = {
    "none": "no discount",
    "tier_up": "priced at the next contract size up",
    "percentage": "a percentage off every unit price",
}


def _looked_up(texts: dict[str, str]) -> Callable[[Any], str]:
    """A value's plain text from ``texts``; the value itself when it has none."""
    return lambda value: texts.get(value, str(value))


POLICY_TERMS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "split_lines": ("A demand line may be split across banks", _yes_no),
    "quotes_hold": ("Stock on open quotes", _looked_up(QUOTES_HOLD_TEXT)),
    "bank_cap_small": ("Most banks in one quote", str),
    "bank_cap_large": ("Most banks in one quote, for a large demand", str),
    "bank_cap_threshold": ("A demand is large above", _units),
    "fractional_below": ("Fractional contract below", _units),
    "small_below": ("Small contract below", _units),
    "medium_below": ("Medium contract below", _units),
    "admin_fee_fractional": ("Planning Discharge Pack, fractional contract", _pounds),
    "admin_fee_other": ("Planning Discharge Pack, other contracts", _pounds),
    "paired_main_share_adjacent": ("Main habitat's share of a paired supply, adjacent", _percent),
    "paired_main_share_far": ("Main habitat's share of a paired supply, far", _percent),
    "min_delivery": ("Smallest quantity delivered", _units),
    "tolerance_abs": ("Extra cost accepted to use fewer banks, up to", _pounds),
    "tolerance_rel": ("Extra cost accepted to use fewer banks, as a share of the cost", _percent),
    "time_limit_seconds": ("Time allowed to find the cheapest allocation", _seconds),
    "suo_usable_share": ("Share of the on-site surplus counted for the uplift offset", _percent),
    "suo_cap": ("Largest surplus uplift offset discount", _percent),
    "solver": ("Optimiser", _looked_up(SOLVER_CHOICE_TEXT)),
}

SOLVER_NAMES = {"highs": "HiGHS", "cbc": "CBC", "greedy": "quick heuristic"}
SOLVER_STATUS_TEXT = {
    "optimal": "proven cheapest",
    "feasible": "the best found in the time allowed (not proven cheapest)",
    "greedy": "a quick heuristic answer (not proven cheapest)",
}
LOCATED_BY_TEXT = {
    "manual": "LPA and NCA picked by hand",
    "postcode": "from the postcode",
    "address": "from the address",
    "cached": "from an earlier lookup on this computer",
}
PRICE_SOURCE_TEXT = {
    "exact": "price list, this habitat",
    "proxy": "price list, a comparable habitat",
    "manual": "entered by hand",
}


def humanised(name: str) -> str:
    """'bank_cap_small' → 'Bank cap small': for a setting with no plain label yet."""
    return name.replace("_", " ").strip().capitalize()


def policy_rows(policy: Policy) -> list[Row]:
    """Every policy setting as (plain label, formatted value), in declaration order."""
    rows: list[Row] = []
    for field in dataclasses.fields(policy):
        value = getattr(policy, field.name)
        if field.name == "promoter":
            rows.append(("Promoter", promoter_text(value)))
            continue
        label, show = POLICY_TERMS.get(field.name, (humanised(field.name), _plain_value))
        rows.append((label, show(value) or _plain_value(value)))
    return rows


def _plain_value(value: Any) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, Fraction):
        return fraction_text(value)
    return str(value)


def promoter_text(promoter: Promoter | None) -> str:
    if promoter is None:
        return "none"
    discount = DISCOUNT_TEXT.get(promoter.discount_type, promoter.discount_type)
    if promoter.discount_type == "percentage":
        discount = f"{fraction_text(promoter.discount_value)} % off every unit price"
    return f"{promoter.name} ({discount})"


ADJUSTED_TEXT = "adjusted by hand — not the optimiser's answer"


def solver_rows(solver: SolverInfo, *, adjusted_by_hand: bool = False) -> list[Row]:
    """How the allocation was found: which optimiser, and whether it is proven
    cheapest (never said of a quote adjusted by hand: it is no longer the
    optimiser's answer)."""
    outcome = ADJUSTED_TEXT if adjusted_by_hand else solver_outcome(solver)
    rows: list[Row] = [
        ("Optimiser used", SOLVER_NAMES.get(solver.name, solver.name)),
        ("Optimiser's answer", outcome),
        ("Bank options considered", solver.options),
        ("Time to find it (seconds)", round(solver.seconds, 3)),
        ("Optimiser stages run (for support)", ", ".join(solver.stages)),
    ]
    if not solver.optimal and solver.bound is not None and not adjusted_by_hand:
        rows.append(("No allocation can cost less than", format_money(math.floor(solver.bound))))
    if solver.note:
        rows.append(("Optimiser note", solver.note))
    return rows


def solver_outcome(solver: SolverInfo) -> str:
    if solver.optimal:
        return SOLVER_STATUS_TEXT["optimal"]
    if solver.status == "time_limit":
        return not_proven_text(solver)
    return SOLVER_STATUS_TEXT.get(solver.status, f"not proven cheapest ({solver.status})")


def not_proven_text(solver: SolverInfo) -> str:
    """A time-limited answer in words, with how far it may be from the
    cheapest possible (rounded up: the figures are ceilings)."""
    if solver.bound is None or solver.gap is None:
        return (
            "Not proven cheapest — the time limit ended the search before a lower "
            "bound on the cost was proven"
        )
    above = math.ceil(solver.bound * solver.gap)
    percent = math.ceil(solver.gap * 1000) / 10
    return (
        f"Not proven cheapest — at most {format_money(above)} ({percent:g} %) "
        "above the cheapest possible"
    )


def elapsed_text(seconds: float) -> str:
    """A run's time as a person says it: 'under 0.1 s', '0.4 s', '12 s'."""
    if seconds < 0.1:
        return "under 0.1 s"
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"


def price_source_text(source: str) -> str:
    return PRICE_SOURCE_TEXT.get(source, source)


def located_text(located_by: str, located_at: str = "") -> str:
    """How the site was placed, with when (for a lookup) in brackets."""
    how = LOCATED_BY_TEXT.get(located_by, located_by)
    return f"{how} ({located_at})" if located_at else how


UNMET_TEXT = {
    UnmetReason.NO_LEGAL_STOCK: "No bank holds legal stock for this habitat at any tier",
    UnmetReason.STOCK_EXHAUSTED: "All legal stock is used up or held by other quotes",
    UnmetReason.NO_PRICE: "Legal stock exists, but no bank prices it at this contract size",
    UnmetReason.INSUFFICIENT_STOCK: "Not enough legal stock for this line",
    UnmetReason.INSUFFICIENT_STOCK_SINGLE_OPTION: (
        "No single stock line holds enough; the line would have to be split"
    ),
    UnmetReason.BANK_CAP: "Needs more banks than the cap allows",
    UnmetReason.HEURISTIC_FAILED: "The quick heuristic found no allocation",
    UnmetReason.IRREPLACEABLE: "Irreplaceable habitat: it needs bespoke compensation, not units",
    UnmetReason.V_LOW: "V.Low area habitat: there is nothing to compensate",
}


def unmet_text(line: UnmetLine, numbers: Sequence[int] = ()) -> str:
    """Why one demand line cannot be met, in a short sentence with the
    diagnosis's figures: 'Not enough stock: 2.10 units available, 3.00 needed'.
    ``numbers``: each demand line's number as shown, by demand index, where
    it is not its place in the demand (a blank line between is numbered)."""
    together = _with_lines([line_number(i, numbers) for i in line.competing])
    if line.code == UnmetReason.BANK_CAP and line.bank_cap is not None:
        return f"Needs {line.bank_cap + 1} or more banks{together}; the cap is {line.bank_cap}"
    if line.available is not None and line.needed is not None:
        shown = units_text(_rounded_down(line.available))
        return f"Not enough stock: {shown} units available, {units_text(line.needed)} needed"
    if line.code == UnmetReason.INSUFFICIENT_STOCK and line.competing:
        return f"Not enough stock for this line{together}"
    return UNMET_TEXT.get(line.code, line.reason[:1].upper() + line.reason[1:])


def line_number(index: int, numbers: Sequence[int] = ()) -> int:
    """A demand line's number as shown: its place in the demand, from 1, unless told."""
    return numbers[index] if index < len(numbers) else index + 1


def _with_lines(numbers: list[int]) -> str:
    """' together with line 2' / ' together with lines 2 and 4'."""
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f" together with line {numbers[0]}"
    listed = ", ".join(str(n) for n in numbers[:-1])
    return f" together with lines {listed} and {numbers[-1]}"


def _rounded_down(units: Fraction) -> Fraction:
    """Units available to 2 decimals, never shown above what there is."""
    return Fraction(math.floor(units * 100), 100)
