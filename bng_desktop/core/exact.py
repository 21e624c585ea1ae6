"""Exact arithmetic helpers.

Units and prices are carried as :class:`fractions.Fraction` so that sums such
as 0.01 + 0.09 are exactly 0.1 and spatial-risk thirds stay exact. Values read
from files are converted through their decimal text, never through binary
floating point.

Two directions, two helpers: :func:`fraction_text` writes a value for storage
and :func:`to_fraction` reads back what it wrote (or a number the program
already holds). A number a person or a file gives goes through
``core.number_input.read_number`` instead, which bounds and explains.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

Number = Fraction | int | float | Decimal | str

_STORED = re.compile(r"-?\d+(\.\d+)?|-?\d+/[1-9]\d*")
"""The forms :func:`fraction_text` writes: a whole number, a decimal, p/q."""


def to_fraction(value: Number) -> Fraction:
    """A number the program holds, or text :func:`fraction_text` wrote, as a Fraction.

    Floats are taken at their shortest decimal form (``repr``), so 52.45 read
    from a workbook is exactly 5245/100. Text in any other form (a comma, an
    exponent, spaces) raises ValueError: it did not come from the store.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value!r} is not a finite number")
        return Fraction(value)
    if isinstance(value, str):
        if not _STORED.fullmatch(value):
            raise ValueError(f"{value[:40]!r} is not a stored number")
        return Fraction(value)
    raise TypeError(f"{value!r} is not a number")


def fraction_text(value: Fraction) -> str:
    """Lossless text for storage: an integer, a terminating decimal or p/q.

    The decimal is built with integer arithmetic, so it is exact at any length.
    """
    if value.denominator == 1:
        return str(value.numerator)
    twos = fives = 0
    den = value.denominator
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = abs(value.numerator) * (10**places // value.denominator)
    whole, frac = divmod(scaled, 10**places)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{str(frac).rjust(places, '0').rstrip('0')}"


def round_half_up(value: Fraction, step: Fraction | int = 1) -> Fraction:
    """Round to the nearest multiple of ``step``, halves away from zero."""
    step = Fraction(step)
    q = value / step
    sign = -1 if q < 0 else 1
    q = abs(q)
    whole = math.floor(q + Fraction(1, 2))
    return sign * whole * step
