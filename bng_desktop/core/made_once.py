"""Each distinct object of a long column made into something once.

A 1,000-bank version's 225,000 price rows share a few thousand price
objects (the reader gives equal cells one value), a thousand bank ids and a
handful of tiers: writing each row's price as text (or looking up an enum's
value, which is slow) costs a call per row, a look-up by identity a
fraction of one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def made_once(values: Sequence[T], make: Callable[[T], R]) -> list[R]:
    """``[make(v) for v in values]``, calling ``make`` once per distinct object."""
    distinct = dict(zip(map(id, values), values, strict=True))
    made = {key: make(value) for key, value in distinct.items()}
    return list(map(made.__getitem__, map(id, values)))
