"""Exact, lossless JSON for a Quote and everything inside it.

Fractions become the exact text ``fraction_text`` writes ("52.45", "1/3"), enums
their value, tuples lists, records objects keyed by field name, and the policy
goes through ``policy_to_mapping``/``policy_from_stored``. Decoding follows
the records' type hints, so ``quote_from_dict(quote_to_dict(q)) == q``.

Format 1. A field missing from a stored payload takes the record's default,
and keys the records no longer have are ignored, so fields added to core with
a default stay readable both ways; anything else needs ``FORMAT`` bumped and
an upgrade path here.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from enum import Enum
from fractions import Fraction
from functools import cache
from typing import Any

from ..core.errors import StoreError
from ..core.exact import fraction_text, to_fraction
from ..core.policy import Policy, policy_from_stored, policy_to_mapping
from ..core.result import AllocationLine, Quote, QuoteRequest

FORMAT = 1

Decoder = typing.Callable[[Any], Any]
R = typing.TypeVar("R")


def quote_to_dict(quote: Quote) -> dict[str, Any]:
    """The quote as JSON-ready data, with ``"format": 1``."""
    return {"format": FORMAT, **_encode(quote)}


def quote_from_dict(data: dict[str, Any]) -> Quote:
    """Rebuild the exact Quote; StoreError when the data is not a readable quote."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise StoreError(
            f"This saved quote uses format {found!r}; this version of BNG Desktop reads "
            f"format {FORMAT}. Update BNG Desktop to open it."
        )
    decode = _decoder(Quote)
    try:
        return decode(data)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise StoreError(f"The saved quote is damaged and cannot be read ({exc!r}).") from exc


def request_and_total(data: dict[str, Any]) -> tuple[QuoteRequest, Fraction]:
    """A saved quote's request and total only, without rebuilding its lines
    (what re-quoting it needs); StoreError as ``quote_from_dict``."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        quote_from_dict(data)  # says which format, or that it is damaged
    try:
        request = _decoder(QuoteRequest)(data["request"])
        return request, _fraction(data["totals"]["total"])
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise StoreError(f"The saved quote is damaged and cannot be read ({exc!r}).") from exc


def record_to_dict(record: Any) -> Any:
    """Any record a quote is made of (a site, a metric import, ...) as JSON-ready data."""
    return _encode(record)


def record_from_dict(kind: type[R], data: Any) -> R:
    """The record of type ``kind`` back; StoreError when the data is not one."""
    try:
        return _decoder(kind)(data)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise StoreError(
            f"A stored {kind.__name__} is damaged and cannot be read ({exc!r})."
        ) from exc


def line_to_dict(line: AllocationLine) -> dict[str, Any]:
    """One allocation line as JSON-ready data (also used by the quote_line rows)."""
    return _encode(line)


def dumps(data: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Fraction):
        return fraction_text(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return value
    if isinstance(value, Policy):
        return policy_to_mapping(value)
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot store a {type(value).__name__} in a quote: {value!r}")


@cache
def _decoder(hint: Any) -> Decoder:
    """A function turning encoded data back into a value of type ``hint``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return _optional(hint, args)
    if origin is tuple:
        return _tuple_decoder(args)
    if hint is Fraction:
        return _fraction
    if hint is Policy:
        return policy_from_stored
    if hint in (str, int, float, bool):
        return _checked(hint)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if dataclasses.is_dataclass(hint):
        return _record_decoder(hint)
    raise TypeError(f"the quote codec cannot decode {hint!r}; teach store/codec.py")


def _optional(hint: Any, args: tuple[Any, ...]) -> Decoder:
    inner = [a for a in args if a is not type(None)]
    if len(inner) != 1 or len(args) != 2:
        raise TypeError(f"the quote codec cannot decode the union {hint!r}")
    decode = _decoder(inner[0])
    return lambda v: None if v is None else decode(v)


def _tuple_decoder(args: tuple[Any, ...]) -> Decoder:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda v: tuple(item(x) for x in v)
    items = [_decoder(a) for a in args]

    def decode(v: Any) -> tuple:
        if len(v) != len(items):
            raise ValueError(f"expected {len(items)} items, found {v!r}")
        return tuple(d(x) for d, x in zip(items, v, strict=True))

    return decode


def _record_decoder(cls: type) -> Decoder:
    hints = typing.get_type_hints(cls)
    fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls) if f.init]

    def decode(v: dict[str, Any]) -> Any:
        return cls(**{name: d(v[name]) for name, d in fields if name in v})

    return decode


def _fraction(v: Any) -> Fraction:
    if not isinstance(v, str | int):
        raise TypeError(f"an exact number is stored as text, found {v!r}")
    return to_fraction(v)


def _checked(kind: type) -> Decoder:
    def decode(v: Any) -> Any:
        if kind is float and isinstance(v, int) and not isinstance(v, bool):
            return float(v)
        if not isinstance(v, kind) or (kind is int and isinstance(v, bool)):
            raise TypeError(f"expected {kind.__name__}, found {v!r}")
        return v

    return decode
