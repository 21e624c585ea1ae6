"""The public statutory facts bundled in assets/data, read into StatutoryFacts
and the statutory credit schedule.

Habitat types (area, hedgerow, watercourse), district names and their
shared-boundary neighbours (ONS), and National Character Area names. See
assets/data/README.md for where each file comes from and its known gaps.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from ..core.bands import Band, UnitType
from ..core.catalogue import StatutoryFacts, fold, merged_trading_group
from ..core.errors import Problem, ReferenceDataError
from ..core.model import Habitat
from ..core.number_input import POSITIVE, NumberInputError, read_number
from ..core.statutory_credits import CreditPrices, CreditSchedule, CreditTier, tier_rule
from ..settings import statutory_data_dir

HABITAT_FILES = ("habitats.csv", "hedgerows.csv", "watercourses.csv")
LINEAR_GROUP = {UnitType.HEDGEROW: "Hedgerow", UnitType.WATERCOURSE: "Watercourse"}
"""Broad habitat and trading group of linear types (the metric gives them none)."""


def load_statutory_facts(directory: Path | None = None) -> StatutoryFacts:
    """The bundled statutory facts (read once per directory, then cached)."""
    return _load(Path(directory or statutory_data_dir()).resolve())


@lru_cache(maxsize=4)
def _load(directory: Path) -> StatutoryFacts:
    habitats: dict[str, Habitat] = {}
    for file_name in HABITAT_FILES:
        for habitat in _read_habitats(directory / file_name):
            habitats[fold(habitat.name)] = habitat
    districts = _read_csv(directory / "lpa.csv")
    return StatutoryFacts(
        habitats=habitats,
        districts=district_names(districts),
        lpa_neighbours=district_neighbour_pairs(
            districts, _read_csv(directory / "lpa_neighbours.csv")
        ),
        ncas=tuple(sorted({row["nca_name"].strip() for row in _read_csv(directory / "nca.csv")})),
    )


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise ReferenceDataError(
            f"The bundled statutory data file {path.name} cannot be read ({exc.strerror}); "
            "reinstall the application"
        ) from exc


def _read_habitats(path: Path) -> list[Habitat]:
    out = []
    for line, row in enumerate(_read_csv(path), start=2):
        try:
            out.append(_habitat(row))
        except (KeyError, ValueError) as exc:
            raise ReferenceDataError(
                f"The bundled statutory data file {path.name} is damaged; "
                "reinstall the application",
                [Problem(path.name, line, None, None, f"a valid habitat row ({exc})")],
            ) from exc
    return out


def _habitat(row: dict[str, str]) -> Habitat:
    unit_type = UnitType.parse(row["unit_type"])
    if unit_type is UnitType.AREA:
        broad = row["broad_habitat"].strip()
        trading = (row.get("trading_broad_habitat") or "").strip() or merged_trading_group(broad)
    else:
        broad = trading = LINEAR_GROUP[unit_type]
    irreplaceable = row["irreplaceable"].strip().lower()
    if irreplaceable not in ("true", "false"):
        raise ValueError(f"irreplaceable must be true or false, got {irreplaceable!r}")
    return Habitat(
        name=row["habitat_name"].strip(),
        unit_type=unit_type,
        band=Band.parse(row["distinctiveness"]),
        broad_habitat=broad,
        trading_broad_habitat=trading,
        irreplaceable=irreplaceable == "true",
    )


def district_names(rows: list[dict[str, str]]) -> tuple[str, ...]:
    """England and Wales districts under their 2021 and their 2023 names."""
    names = {row["lad21nm"].strip() for row in rows} | {row["lad23nm"].strip() for row in rows}
    return tuple(sorted(names - {""}))


def district_neighbour_pairs(
    districts: list[dict[str, str]], neighbours: list[dict[str, str]]
) -> tuple[tuple[str, str], ...]:
    """Shared-boundary pairs by name, each unordered pair once, sorted.

    The ONS pairs are between 2021 districts. A district merged in April 2023
    neighbours whatever its predecessors neighboured, except each other; its
    neighbours are named both ways (2021 and 2023 names), because banks and
    sites may be recorded under either.
    """
    name21 = {row["lad21cd"]: row["lad21nm"].strip() for row in districts}
    name23 = {row["lad21cd"]: row["lad23nm"].strip() for row in districts}
    by_code: dict[str, set[str]] = defaultdict(set)
    for row in neighbours:
        a, b = row["lad21cd"], row["neighbour_lad21cd"]
        if a in name21 and b in name21 and a != b:
            by_code[a].add(b)
            by_code[b].add(a)
    pairs = {_pair(name21[a], name21[b]) for a, near in by_code.items() for b in near}
    predecessors: dict[str, set[str]] = defaultdict(set)
    for code, new_name in name23.items():
        if new_name != name21[code]:
            predecessors[new_name].add(code)
    for merged, codes in predecessors.items():
        for neighbour in set().union(*(by_code[c] for c in codes)) - codes:
            pairs.add(_pair(merged, name21[neighbour]))
            if name23[neighbour] != merged:
                pairs.add(_pair(merged, name23[neighbour]))
    return tuple(sorted(pairs))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


CREDIT_PRICES_DATE = date(2023, 7, 27)
"""GOV.UK's publication date of the bundled statutory credit prices."""


def load_credit_schedule(directory: Path | None = None) -> CreditSchedule:
    """The bundled statutory credit tiers and prices (assets/data)."""
    return _load_credits(Path(directory or statutory_data_dir()).resolve())


@lru_cache(maxsize=4)
def _load_credits(directory: Path) -> CreditSchedule:
    rules = []
    for line, row in enumerate(_read_csv(directory / "credit_tiers.csv"), start=2):
        try:
            rules.append(
                tier_rule(
                    band_or_type=row["band"], match=row["match"], name=row["name"], tier=row["tier"]
                )
            )
        except (KeyError, ValueError) as exc:
            raise _damaged("credit_tiers.csv", line, "a valid tier row", exc) from exc
    prices: dict[CreditTier, Fraction] = {}
    for line, row in enumerate(_read_csv(directory / "credit_prices.csv"), start=2):
        try:
            prices[CreditTier(row["tier"].strip())] = read_number(
                row["price_per_credit_gbp"], POSITIVE
            )
        except (KeyError, ValueError, NumberInputError) as exc:
            raise _damaged("credit_prices.csv", line, "a tier and a price above 0", exc) from exc
    return CreditSchedule(rules=tuple(rules), prices=prices, prices_date=CREDIT_PRICES_DATE)


def bundled_credit_prices(directory: Path | None = None) -> CreditPrices:
    """The bundled prices as a dated set: in force until an admin sets newer ones."""
    schedule = load_credit_schedule(directory)
    return CreditPrices(
        effective_from=schedule.prices_date, prices=schedule.prices, source="GOV.UK (bundled)"
    )


def _damaged(file_name: str, line: int, expected: str, exc: Exception) -> ReferenceDataError:
    return ReferenceDataError(
        f"The bundled statutory data file {file_name} is damaged; reinstall the application",
        [Problem(file_name, line, None, None, f"{expected} ({exc})")],
    )
