"""Plain frozen records passed between the layers.

Reference rows (what a backend workbook holds, after validation), the site,
and the demand. Everything here is immutable and hashable so it can be cached
and compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .bands import Band, ContractSize, Tier, UnitType
from .names import fold


@dataclass(frozen=True)
class Habitat:
    """A catalogue habitat, with every attribute the trading rules need."""

    name: str
    unit_type: UnitType
    band: Band
    broad_habitat: str
    trading_broad_habitat: str
    irreplaceable: bool = False


@dataclass(frozen=True)
class Bank:
    bank_id: str
    name: str
    lpa: str = ""
    nca: str = ""
    postcode: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.bank_id


@dataclass(frozen=True, slots=True)
class StockLine:
    stock_id: str
    bank_id: str
    habitat_name: str
    quantity_available: Fraction
    available_excl_quotes: Fraction | None = None
    quoted: Fraction | None = None


@dataclass(frozen=True, slots=True)
class PriceRow:
    """Price per delivered unit; the tier's spatial-risk uplift is already in it."""

    bank_id: str
    habitat_name: str
    contract_size: ContractSize
    tier: Tier
    price: Fraction
    broader_type: str = ""
    distinctiveness_name: str = ""
    bank_name: str = ""


@dataclass(frozen=True)
class TradingRule:
    """An explicit override: demand habitat may be met by this supply habitat."""

    demand_habitat: str
    allowed_supply_habitat: str
    min_band: Band | None = None
    companion_habitat: str = ""


@dataclass(frozen=True)
class DistinctivenessLevel:
    name: str
    level_value: Fraction


@dataclass(frozen=True)
class SrmRow:
    """A row of the informational SRM sheet (never used to price or consume)."""

    tier: Tier
    multiplier: Fraction


NET_GAIN_NAMES: dict[UnitType, str] = {
    UnitType.AREA: "Net Gain (area)",
    UnitType.HEDGEROW: "Net Gain (hedgerow)",
    UnitType.WATERCOURSE: "Net Gain (watercourse)",
}
_NET_GAIN_ALIASES: dict[str, UnitType] = {
    "net gain (area)": UnitType.AREA,
    "net gain (low-equivalent)": UnitType.AREA,
    "net gain (hedgerow)": UnitType.HEDGEROW,
    "net gain (hedgerows)": UnitType.HEDGEROW,
    "net gain (watercourse)": UnitType.WATERCOURSE,
    "net gain (watercourses)": UnitType.WATERCOURSE,
}


def net_gain_unit_type(name: str) -> UnitType | None:
    """The unit type of a Net Gain line name (any accepted alias), else None."""
    return _NET_GAIN_ALIASES.get(fold(name))


@dataclass(frozen=True)
class Site:
    """Where the development is: decides every bank's tier.

    Neighbour names are as given; comparison normalises them (see tiers.py).
    """

    lpa: str = ""
    nca: str = ""
    lpa_neighbours: tuple[str, ...] = ()
    nca_neighbours: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    located_by: str = "manual"
    located_at: str = ""
    label: str = ""

    @property
    def has_location(self) -> bool:
        return bool(self.lpa.strip() or self.nca.strip())


@dataclass(frozen=True)
class DemandLine:
    """One line of the unit deficit: a catalogue habitat or a Net Gain line."""

    habitat_name: str
    units: Fraction


@dataclass(frozen=True)
class ReferenceData:
    """Everything one reference version holds, validated, in plain rows."""

    banks: tuple[Bank, ...]
    habitats: tuple[Habitat, ...]
    stock: tuple[StockLine, ...]
    prices: Sequence[PriceRow]
    """A tuple of rows, or a PriceTable (columns) as a snapshot loads them."""
    trading_rules: tuple[TradingRule, ...] = ()
    distinctiveness: tuple[DistinctivenessLevel, ...] = ()
    srm: tuple[SrmRow, ...] = ()
    lpa_neighbours: tuple[tuple[str, str], ...] = ()
    nca_neighbours: tuple[tuple[str, str], ...] = ()
    policy: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
