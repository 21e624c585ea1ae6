"""What each constraint costs: the quote re-solved with one binding policy
relaxed at a time, and with each chosen bank left out.

A relaxation is tried only where it binds: one more bank when the quote uses
every bank the cap allows; split lines when lines may not be split; released
stock when open quotes hold some; no size tier-up when the promoter's
discount is one. Every bank the optimiser chose is then left out in turn.
Only the variants that change the total are reported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .errors import InfeasibleQuote
from .policy import Policy
from .progress import CancelToken
from .reference import ReferenceSnapshot
from .result import Quote, QuoteRequest
from .rounding import display_money, format_money

Solve = Callable[[ReferenceSnapshot, QuoteRequest], Quote]

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


class Relaxation(StrEnum):
    ONE_MORE_BANK = "one_more_bank"
    SPLIT_LINES = "split_lines"
    RELEASE_HELD_STOCK = "release_held_stock"
    NO_TIER_UP = "no_tier_up"
    WITHOUT_BANK = "without_bank"


@dataclass(frozen=True, kw_only=True)
class Variant:
    """One re-solve: the relaxation and the inputs it runs on."""

    relaxation: Relaxation
    snapshot: ReferenceSnapshot
    request: QuoteRequest
    bank_id: str = ""
    bank_name: str = ""


@dataclass(frozen=True, kw_only=True)
class Alternative:
    """The answer to one variant, against the quote's own total."""

    relaxation: Relaxation
    bank_id: str
    description: str
    total: Fraction | None
    """None: the demand cannot be met this way."""
    difference: Fraction | None
    """total − the quote's total (negative: a saving)."""
    proven: bool


def variants(quote: Quote, snapshot: ReferenceSnapshot) -> Iterator[Variant]:
    """The re-solves that could change ``quote``'s total, in a stable order."""
    request, policy = quote.request, quote.request.policy
    if len(quote.banks_used) >= quote.bank_cap:
        cap = quote.bank_cap + 1
        relaxed = dataclasses.replace(policy, bank_cap_small=cap, bank_cap_large=cap)
        yield _variant(Relaxation.ONE_MORE_BANK, snapshot, request, relaxed)
    if not policy.split_lines:
        relaxed = dataclasses.replace(policy, split_lines=True)
        yield _variant(Relaxation.SPLIT_LINES, snapshot, request, relaxed)
    if policy.quotes_hold != "ignore":
        relaxed = dataclasses.replace(policy, quotes_hold="ignore")
        yield _variant(Relaxation.RELEASE_HELD_STOCK, snapshot, request, relaxed)
    if policy.promoter is not None and policy.promoter.discount_type == "tier_up":
        relaxed = dataclasses.replace(policy, promoter=None)
        yield _variant(Relaxation.NO_TIER_UP, snapshot, request, relaxed)
    for bank_id in quote.banks_used:
        yield Variant(
            relaxation=Relaxation.WITHOUT_BANK,
            snapshot=without_bank(snapshot, bank_id),
            request=request,
            bank_id=bank_id,
            bank_name=snapshot.banks[bank_id].name if bank_id in snapshot.banks else bank_id,
        )


def _variant(
    relaxation: Relaxation, snapshot: ReferenceSnapshot, request: QuoteRequest, policy: Policy
) -> Variant:
    return Variant(
        relaxation=relaxation,
        snapshot=snapshot,
        request=dataclasses.replace(request, policy=policy),
    )


def without_bank(snapshot: ReferenceSnapshot, bank_id: str) -> ReferenceSnapshot:
    """The snapshot with ``bank_id``'s stock withdrawn (its prices kept)."""
    data = dataclasses.replace(
        snapshot.data, stock=tuple(s for s in snapshot.data.stock if s.bank_id != bank_id)
    )
    return ReferenceSnapshot(data, snapshot.info)


def alternatives(
    quote: Quote,
    snapshot: ReferenceSnapshot,
    solve: Solve,
    *,
    cancel: CancelToken | None = None,
) -> tuple[Alternative, ...]:
    """Every variant that changes the total, savings first."""
    found = []
    for variant in variants(quote, snapshot):
        if cancel is not None:
            cancel.check()
        answer = _answer(variant, quote, solve)
        if answer.difference != 0:
            found.append(answer)
    return tuple(sorted(found, key=_savings_first))


def _answer(variant: Variant, quote: Quote, solve: Solve) -> Alternative:
    try:
        solved = solve(variant.snapshot, variant.request)
    except InfeasibleQuote:
        return Alternative(
            relaxation=variant.relaxation,
            bank_id=variant.bank_id,
            description=_describe(variant, quote, None),
            total=None,
            difference=None,
            proven=True,
        )
    difference = solved.totals.total - quote.totals.total
    return Alternative(
        relaxation=variant.relaxation,
        bank_id=variant.bank_id,
        description=_describe(variant, quote, difference),
        total=solved.totals.total,
        difference=difference,
        proven=solved.solver.optimal,
    )


def _savings_first(answer: Alternative) -> tuple[bool, Fraction]:
    return (answer.difference is None, answer.difference or Fraction(0))


def _describe(variant: Variant, quote: Quote, difference: Fraction | None) -> str:
    if variant.relaxation is Relaxation.WITHOUT_BANK:
        if difference is None:
            return f"Without {variant.bank_name} the demand cannot be met."
        amount = format_money(display_money(abs(difference)))
        direction = "more" if difference > 0 else "less"
        return f"Without {variant.bank_name} the cheapest is {amount} {direction}."
    change = _PLAIN[variant.relaxation](quote)
    if difference is None:
        return f"{change} would still not meet the demand."
    amount = format_money(display_money(abs(difference)))
    return f"{change} would {'save' if difference < 0 else 'cost'} {amount}{_more(difference)}."


def _more(difference: Fraction) -> str:
    return "" if difference < 0 else " more"


def _ordinal(count: int) -> str:
    return _ORDINALS[count - 1] if count <= len(_ORDINALS) else f"{count}th"


_PLAIN: dict[Relaxation, Callable[[Quote], str]] = {
    Relaxation.ONE_MORE_BANK: lambda quote: f"Allowing a {_ordinal(quote.bank_cap + 1)} bank",
    Relaxation.SPLIT_LINES: lambda quote: "Letting a line use several banks",
    Relaxation.RELEASE_HELD_STOCK: lambda quote: "Releasing the stock held by open quotes",
    Relaxation.NO_TIER_UP: lambda quote: "Pricing without the promoter's size tier-up",
}
