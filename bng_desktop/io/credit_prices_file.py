"""A file of statutory credit prices an admin sets: one row per tier.

The columns are those of the bundled assets/data/credit_prices.csv —
``tier`` and ``price_per_credit_gbp`` (any other column, such as
``applies_to``, is ignored) — and every tier needs exactly one price above 0.
Each problem is named by file, row, column and value; nothing is stored
unless the whole file is good.
"""

from __future__ import annotations

import csv
from datetime import date
from fractions import Fraction
from pathlib import Path

from ..core.errors import Problem, ReferenceDataError
from ..core.number_input import POSITIVE, NumberInputError, read_number
from ..core.statutory_credits import CreditPrices, CreditTier, missing_tiers

TIER_COLUMN = "tier"
PRICE_COLUMN = "price_per_credit_gbp"
UNQUOTED_COMMA = "more cells than the header has columns: write prices without a thousands comma"
TIERS_EXPECTED = "one of " + ", ".join(tier.value for tier in CreditTier)


def read_credit_prices(path: str | Path, effective_from: date) -> CreditPrices:
    """The prices in ``path``, in force from ``effective_from``; ReferenceDataError
    listing every problem when the file cannot be used."""
    path = Path(path)
    rows = _rows(path)
    prices: dict[CreditTier, Fraction] = {}
    problems: list[Problem] = []
    for line, row in rows:
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
        raise ReferenceDataError(
            f"The credit prices in {path.name} cannot be used; nothing was changed", problems
        )
    return CreditPrices(effective_from=effective_from, prices=prices, source=path.name)


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or ()]
            absent = [name for name in (TIER_COLUMN, PRICE_COLUMN) if name not in header]
            if absent:
                raise ReferenceDataError(
                    f"The credit prices in {path.name} cannot be used; nothing was changed",
                    [
                        Problem(path.name, 1, name, None, f"a column named {name!r} in the header")
                        for name in absent
                    ],
                )
            reader.fieldnames = header
            return [(line, row) for line, row in enumerate(reader, start=2)]
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(
            f"{path.name} is not a CSV text file (UTF-8); save the prices as CSV"
        ) from exc
    except csv.Error as exc:
        raise ReferenceDataError(f"{path.name} cannot be read as CSV: {exc}") from exc


def _tier(file: str, line: int, value: str | None, problems: list[Problem]) -> CreditTier | None:
    text = (value or "").strip()
    try:
        return CreditTier(text.upper())
    except ValueError:
        problems.append(Problem(file, line, TIER_COLUMN, text, TIERS_EXPECTED))
        return None


def _price(file: str, line: int, value: str | None, problems: list[Problem]) -> Fraction | None:
    try:
        return read_number(value or "", POSITIVE)
    except NumberInputError as error:
        problems.append(
            Problem(file, line, PRICE_COLUMN, value or "", POSITIVE.expected, error.problem)
        )
        return None
