"""Numbers as people and files give them: read exactly, or refused with a reason.

One reader serves every place a number comes from outside: a field in the
app, a demand CSV, a reference workbook cell, a policy file, a command-line
option. It returns an exact :class:`~fractions.Fraction` (decimal text is never
passed through binary floating point) or raises :class:`NumberInputError`
saying what was found and what to type instead. The caller adds *where* (file,
line, column); this module says *what*.

The text is bounded before any arithmetic: at most :data:`MAX_TEXT_LENGTH`
characters and an exponent of at most :data:`MAX_EXPONENT`, so no input (a
10,000-digit number, ``1e999999999``) can make the conversion spin.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .errors import shown_value

MAX_TEXT_LENGTH = 40
MAX_EXPONENT = 30

_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_WITH_EXPONENT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_FRACTION = re.compile(r"[+-]?\d+/[1-9]\d*")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
_POINT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d+")
_FORMULA = re.compile(r"[=@]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class NumberInputError(ValueError):
    """A number that cannot be read as given. ``str()`` is the whole message."""

    def __init__(self, found: object, problem: str):
        self.found = found
        self.problem = problem
        super().__init__(f"{shown_value(found)} — {problem}")


@dataclass(frozen=True)
class NumberRule:
    """What a number must be where it is used (all bounds inclusive unless said)."""

    minimum: Fraction | int | None = None
    minimum_excluded: bool = False
    maximum: Fraction | int | None = None
    whole: bool = False
    exponent_allowed: bool = True
    fraction_allowed: bool = False
    """Take an exact ``p/q`` too (the product writes thirds that way in its exports)."""

    @property
    def expected(self) -> str:
        """What the rule asks for, in words: "a number > 0", "a whole number ≥ 1"."""
        noun = "a whole number" if self.whole else "a number"
        low = None if self.minimum is None else _plain(Fraction(self.minimum))
        high = None if self.maximum is None else _plain(Fraction(self.maximum))
        if low is not None and high is not None and not self.minimum_excluded:
            return f"{noun} between {low} and {high}"
        bounds = []
        if low is not None:
            bounds.append(f"{'>' if self.minimum_excluded else '≥'} {low}")
        if high is not None:
            bounds.append(f"≤ {high}")
        return " ".join([noun, " and ".join(bounds)]).strip()


ANY = NumberRule()
NOT_NEGATIVE = NumberRule(minimum=0)
POSITIVE = NumberRule(minimum=0, minimum_excluded=True)


def read_number(value: object, rule: NumberRule = ANY) -> Fraction:
    """The exact value of ``value`` (text, int, float or Decimal) under ``rule``."""
    number = _exact(value, rule)
    _check_bounds(value, number, rule)
    return number


def _exact(value: object, rule: NumberRule) -> Fraction:
    if isinstance(value, bool):
        raise NumberInputError(value, "a yes/no value, not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        if value.bit_length() > 4 * MAX_TEXT_LENGTH:
            raise NumberInputError(value, "far too large to be a real quantity")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberInputError(value, "not a finite number")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return _exact(str(value), rule)
    if isinstance(value, str):
        return _from_text(value, rule)
    if value is None:
        raise NumberInputError("", "empty: type a number")
    raise NumberInputError(value, "not a number")


def _from_text(raw: str, rule: NumberRule) -> Fraction:
    if _INVISIBLE.search(raw):
        raise NumberInputError(raw, "contains an invisible character; retype the number")
    text = raw.strip()
    if not text:
        raise NumberInputError(raw, "empty: type a number")
    if len(text) > MAX_TEXT_LENGTH:
        raise NumberInputError(raw, f"too long (more than {MAX_TEXT_LENGTH} characters)")
    if _PLAIN.fullmatch(text):
        return Fraction(Decimal(text))
    if _WITH_EXPONENT.fullmatch(text):
        return _from_exponent_text(raw, text, rule)
    if rule.fraction_allowed and _FRACTION.fullmatch(text):
        return Fraction(text)
    raise NumberInputError(raw, _why_not_a_number(text))


def _from_exponent_text(raw: str, text: str, rule: NumberRule) -> Fraction:
    if not rule.exponent_allowed:
        raise NumberInputError(raw, "write the number out in full, without an exponent")
    exponent = int(re.split("[eE]", text)[1])
    if abs(exponent) > MAX_EXPONENT:
        raise NumberInputError(raw, f"exponent out of range (at most {MAX_EXPONENT} either way)")
    return Fraction(Decimal(text))


def _why_not_a_number(text: str) -> str:
    folded = text.casefold()
    if folded.lstrip("+-") in {"nan", "inf", "infinity"}:
        return "not a finite number"
    if _THOUSANDS.fullmatch(text):
        return f"leave out the thousands separator: {text.replace(',', '')}"
    if _DECIMAL_COMMA.fullmatch(text):
        return f"use a point for decimals: {text.replace(',', '.')}"
    if _POINT_THOUSANDS.fullmatch(text):
        plain = text.replace(".", "").replace(",", ".")
        return f"use a point for decimals and no thousands separator: {plain}"
    if _FORMULA.match(text):
        return "a spreadsheet formula; type the number it gives"
    if _SPACES.search(text) and _PLAIN.fullmatch(_SPACES.sub("", text)):
        return f"leave out the spaces: {_SPACES.sub('', text)}"
    if "/" in text:
        return "a fraction; type it as a decimal"
    if any(symbol in text for symbol in "£$€%"):
        return "type the number alone, without a currency or % sign"
    return "not a number"


def _check_bounds(found: object, number: Fraction, rule: NumberRule) -> None:
    if rule.whole and number.denominator != 1:
        raise NumberInputError(found, "must be a whole number")
    if rule.minimum is not None:
        low = Fraction(rule.minimum)
        if rule.minimum_excluded and number <= low:
            raise NumberInputError(found, f"must be more than {_plain(low)}")
        if not rule.minimum_excluded and number < low:
            raise NumberInputError(found, f"must be at least {_plain(low)}")
    if rule.maximum is not None and number > Fraction(rule.maximum):
        raise NumberInputError(found, f"must be at most {_plain(Fraction(rule.maximum))}")


def _plain(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f")
