"""A file of statutory credit prices an admin sets: one row per tier.

The columns are those of the bundled assets/data/credit_prices.csv —
``tier`` and ``price_per_credit_gbp`` (any other column, such as
``applies_to``, is ignored) — and every tier needs exactly one price above 0
(at most :data:`~bng_desktop.core.statutory_credits.PRICE_PER_CREDIT`'s
maximum). Each problem is named by file, row, column and value; nothing is
stored unless the whole file, and the day it is in force from, are good.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from fractions import Fraction
from pathlib import Path

from ..core.errors import Problem, ReferenceDataError
from ..core.number_input import NumberInputError, read_number
from ..core.statutory_credits import (
    PRICE_PER_CREDIT,
    CreditPrices,
    CreditTier,
    effective_from_problem,
    missing_tiers,
)

TIER_COLUMN = "tier"
PRICE_COLUMN = "price_per_credit_gbp"
UNQUOTED_COMMA = "more cells than the header has columns: write prices without a thousands comma"
TIERS_EXPECTED = "one of " + ", ".join(tier.value for tier in CreditTier)
HEADER = f"{TIER_COLUMN},{PRICE_COLUMN}"
MAX_FILE_BYTES = 100_000
"""A prices file is a header and a row per tier: a larger one is another file."""
FORMULA_START = ("=", "+", "@", "\t", "\r")
"""How a cell a spreadsheet would run as a formula starts."""
FORMULA_HINT = "starts like a spreadsheet formula (=, +, @): type the plain value"


def read_credit_prices(
    path: str | Path, effective_from: date, *, today: date | None = None
) -> CreditPrices:
    """The prices in ``path``, in force from ``effective_from``; ReferenceDataError
    listing every problem when the file (or the day) cannot be used."""
    path = Path(path)
    too_far = effective_from_problem(effective_from, today or date.today())
    if too_far is not None:
        raise ReferenceDataError(
            f"The credit prices cannot be set in force from {too_far}; nothing was changed"
        )
    prices: dict[CreditTier, Fraction] = {}
    problems: list[Problem] = []
    for line, row in _rows(path):
        if row.get(None):  # type: ignore[call-overload]
            extra = ",".join(row[None])  # type: ignore[index]
            problems.append(
                Problem(path.name, line, None, extra, "one cell per column", UNQUOTED_COMMA)
            )
            continue
        tier = _tier(path.name, line, row.get(TIER_COLUMN), problems)
        price = _price(path.name, line, row.get(PRICE_COLUMN), problems)
        if tier is None or price is None:
            continue
        if tier in prices:
            problems.append(
                Problem(path.name, line, TIER_COLUMN, tier.value, "each tier once", "a repeat")
            )
        prices[tier] = price
    if not problems:
        problems += [
            Problem(path.name, None, TIER_COLUMN, None, f"a row for tier {tier.value}")
            for tier in missing_tiers(prices)
        ]
    if problems:
        raise _refused(path.name, problems)
    return CreditPrices(effective_from=effective_from, prices=prices, source=path.name)


def _refused(name: str, problems: list[Problem]) -> ReferenceDataError:
    return ReferenceDataError(
        f"The credit prices in {name} cannot be used; nothing was changed", problems
    )


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(_text(path), newline=""))
    try:
        header = [name.strip() for name in reader.fieldnames or ()]
        _check_header(path.name, header)
        reader.fieldnames = header
        return [(line, row) for line, row in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise _refused(
            path.name, [Problem(path.name, reader.line_num, None, None, "CSV text", str(exc))]
        ) from exc


def _text(path: Path) -> str:
    """The file's text (UTF-8, with or without a byte order mark); OSError
    when it cannot be read, as for any input file."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problem = f"too large ({size:,} bytes): a prices file is a header and a row per tier"
        raise _refused(path.name, [Problem(path.name, None, None, None, HEADER, problem)])
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = f"byte 0x{data[exc.start]:02X} is not UTF-8 text: save the prices as CSV UTF-8"
        raise ReferenceDataError(
            f"{path.name} is not a CSV text file (UTF-8); nothing was changed",
            [Problem(path.name, line, None, None, "UTF-8 text", byte)],
        ) from exc


def _check_header(name: str, header: list[str]) -> None:
    if not header:
        empty = f"the file is empty: it needs the header {HEADER} and a row for each tier"
        raise _refused(name, [Problem(name, None, None, None, HEADER, empty)])
    problems = [
        Problem(name, 1, column, None, f"a column named {column!r} in the header")
        for column in (TIER_COLUMN, PRICE_COLUMN)
        if column not in header
    ]
    problems += [
        Problem(name, 1, column, None, "one column of each name", f"{column!r} is named twice")
        for column in (TIER_COLUMN, PRICE_COLUMN)
        if header.count(column) > 1
    ]
    if problems:
        raise _refused(name, problems)


def _tier(file: str, line: int, value: str | None, problems: list[Problem]) -> CreditTier | None:
    text = (value or "").strip()
    if text.startswith(FORMULA_START):
        problems.append(Problem(file, line, TIER_COLUMN, text, TIERS_EXPECTED, FORMULA_HINT))
        return None
    try:
        return CreditTier(text.upper())
    except ValueError:
        problems.append(Problem(file, line, TIER_COLUMN, text, TIERS_EXPECTED))
        return None


def _price(file: str, line: int, value: str | None, problems: list[Problem]) -> Fraction | None:
    text = value or ""
    expected = PRICE_PER_CREDIT.expected
    if text.lstrip(" ").startswith(FORMULA_START):
        problems.append(Problem(file, line, PRICE_COLUMN, text, expected, FORMULA_HINT))
        return None
    try:
        return read_number(text, PRICE_PER_CREDIT)
    except NumberInputError as error:
        problems.append(Problem(file, line, PRICE_COLUMN, text, expected, error.problem))
        return None
