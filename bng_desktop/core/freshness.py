"""Whether a quote on screen still answers the inputs on screen.

A result answers the inputs it was quoted from. Once the site, the demand or
the options differ from those, the result is out of date: it may be looked
at, but not saved or sent, until it is quoted again (or the inputs are put
back as they were quoted). Pure: the draft hands over what it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class InputPart(Enum):
    """The parts of a draft a consultant fills in, in page order."""

    SITE = "site"
    DEMAND = "demand"
    OPTIONS = "options"


class Freshness(Enum):
    NO_RESULT = "no result"
    CURRENT = "current"
    OUT_OF_DATE = "out of date"


@dataclass(frozen=True)
class QuoteInputs:
    """What a quote is made from, as typed: equal inputs, equal request."""

    site: tuple[str, str]
    """The local planning authority and the National Character Area."""
    demand: tuple[tuple[str, str], ...]
    """Habitat name and units as typed, line by line."""
    options: tuple[tuple[str, str], ...]
    """The quote's policy choices and metric settings, by name."""

    def changed_parts(self, other: QuoteInputs) -> tuple[InputPart, ...]:
        return tuple(
            part for part in InputPart if getattr(self, part.value) != getattr(other, part.value)
        )


@dataclass(frozen=True)
class ResultState:
    freshness: Freshness
    changed: tuple[InputPart, ...] = ()

    @property
    def current(self) -> bool:
        """True only for a result that may be saved and exported as it is."""
        return self.freshness is Freshness.CURRENT

    @property
    def out_of_date(self) -> bool:
        return self.freshness is Freshness.OUT_OF_DATE

    def message(self) -> str:
        """'The demand changed — get a new quote' (or the site, the options)."""
        if not self.out_of_date:
            return ""
        parts = [part.value for part in self.changed] or [InputPart.DEMAND.value]
        said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"The {said} changed — get a new quote"


def result_state(quoted: QuoteInputs | None, current: QuoteInputs) -> ResultState:
    """``quoted``: the inputs of the result on screen (None: there is none)."""
    if quoted is None:
        return ResultState(Freshness.NO_RESULT)
    changed = quoted.changed_parts(current)
    if changed:
        return ResultState(Freshness.OUT_OF_DATE, changed)
    return ResultState(Freshness.CURRENT)


def has_unsaved_work(*, typed: bool, state: ResultState, saved: bool) -> bool:
    """Work that a new draft would lose: something typed that is not a saved,
    current quote."""
    if not typed:
        return False
    return not (saved and state.current)
