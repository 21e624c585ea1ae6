"""Values typed on the command line, read or refused at parse time.

Each function here is an argparse ``type=``: it returns the value or raises
``ArgumentTypeError`` with what is wrong, and argparse names the option
(``argument --limit: '1,5' — must be a whole number``). Numbers go through
:func:`~bng_desktop.core.number_input.read_number`, like every number from outside.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path

from ..core.number_input import NumberInputError, NumberRule, read_number
from ..core.statutory_credits import effective_from_problem

STDOUT = "-"
"""``--json -``: the JSON on standard output."""

COUNT = NumberRule(minimum=1, maximum=1_000_000, whole=True, exponent_allowed=False)
VERSION_ID = NumberRule(minimum=1, maximum=1_000_000_000, whole=True, exponent_allowed=False)
SECONDS = NumberRule(minimum=0, minimum_excluded=True, maximum=86_400)
LATITUDE = NumberRule(minimum=-90, maximum=90)
LONGITUDE = NumberRule(minimum=-180, maximum=180)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _number(text: str, rule: NumberRule, name: str = "") -> Fraction:
    try:
        return read_number(text, rule)
    except NumberInputError as error:
        raise argparse.ArgumentTypeError(f"{name}{error}") from None


def count(text: str) -> int:
    """A number of things: a whole number from 1 to 1,000,000."""
    return int(_number(text, COUNT))


def seconds(text: str) -> Fraction:
    """A time limit: more than 0 seconds, at most a day."""
    return _number(text, SECONDS)


def version_id(text: str) -> int:
    """A reference version's number."""
    return int(_number(text, VERSION_ID))


def point(text: str) -> tuple[float, float]:
    """``LAT,LON`` in decimal degrees, e.g. ``51.0632,-1.3081``."""
    parts = text.split(",")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(
            f"{_shown(text)} is not LAT,LON (like 51.0632,-1.3081; a point for decimals)"
        )
    latitude = _number(parts[0], LATITUDE, "latitude ")
    longitude = _number(parts[1], LONGITUDE, "longitude ")
    return float(latitude), float(longitude)


def iso_date(text: str) -> date:
    """A day as YYYY-MM-DD (not the other ISO forms Python also reads, such as
    20250131 or 2025-W05-5, which the help does not offer)."""
    try:
        if not _ISO_DAY.fullmatch(text.strip()):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a date like 2025-01-31") from None


def prices_day(text: str) -> date:
    """The day statutory credit prices are in force from: YYYY-MM-DD, not years ahead."""
    day = iso_date(text)
    too_far = effective_from_problem(day, date.today())
    if too_far is not None:
        raise argparse.ArgumentTypeError(too_far)
    return day


def data_folder(text: str) -> Path:
    """The data folder; an empty value would silently mean the default one, so it is refused."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty: give a folder")
    try:
        return Path(text).expanduser()
    except RuntimeError as error:  # "~someone" with no such user
        raise argparse.ArgumentTypeError(f"{_shown(text)}: {error}") from None


def output_file(*suffixes: str) -> Callable[[str], Path]:
    """A file to write, whose name must end in one of ``suffixes`` (checked here;
    whether it can be written is checked before the command does any work)."""

    def output(text: str) -> Path:
        path = Path(text)
        if not text.strip() or path.suffix.lower() not in suffixes:
            raise argparse.ArgumentTypeError(
                f"{_shown(text)} — the file name must end in {' or '.join(suffixes)}"
            )
        return path

    output.__name__ = "file"
    return output


def json_target(text: str) -> str:
    """A JSON file, or ``-`` for standard output."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty: give a file, or - for standard output")
    return text


def _shown(text: str) -> str:
    if len(text) > 60:
        return repr(f"{text[:40]}…{text[-10:]}") + f" ({len(text):,} characters)"
    return repr(text)
