"""Units of demand as a consultant types them: read exactly, or refused with
what is wrong and what to type instead.

A demand line's units are a positive decimal of at most
:data:`MAX_DEMAND_UNITS`, written out in full. Text becomes an exact
:class:`~fractions.Fraction` through :func:`~.number_input.read_number`, so
3.4567 reaches the engine as 34567/10000, never through a float.
"""

from __future__ import annotations

from fractions import Fraction

from .exact import fraction_text, round_half_up
from .number_input import NumberInputError, NumberRule, read_number

MAX_DEMAND_UNITS = 10_000
SHOWN_DECIMALS = 4
_WRITTEN_OUT = NumberRule(exponent_allowed=False)


def read_demand_units(text: object) -> Fraction:
    """The exact units in ``text``, or :class:`NumberInputError` saying what to type."""
    try:
        number = read_number(text, _WRITTEN_OUT)
    except NumberInputError as error:
        if error.problem == "not a number":
            hint = "not a number: type the units as a decimal, e.g. 1.25"
            raise NumberInputError(text, hint) from None
        raise
    if number < 0:
        positive = fraction_text(-number)
        raise NumberInputError(text, f"a negative number: type the units with no sign: {positive}")
    if number == 0:
        raise NumberInputError(text, "zero units: type more than 0, or remove the line")
    if number > MAX_DEMAND_UNITS:
        most = f"{MAX_DEMAND_UNITS:,}"
        raise NumberInputError(text, f"more than {most} units: check the figure (at most {most})")
    return number


def demand_units_problem(text: str) -> str | None:
    """What is wrong with typed units, in words, or None when they can be quoted."""
    try:
        read_demand_units(text)
    except NumberInputError as error:
        return f"Units {error}"
    return None


def units_text(units: Fraction) -> str:
    """Units with up to 4 decimals, at least 2, never an exponent:
    3.4567 → '3.4567', 123.456 → '123.456', 2 → '2.00'."""
    shown = fraction_text(round_half_up(units, Fraction(1, 10**SHOWN_DECIMALS)))
    whole, _, decimals = shown.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"
