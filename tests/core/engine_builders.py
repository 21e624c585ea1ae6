"""Small hand-built reference snapshots for the rule tests (trading, tiers,
pricing, pairing, stock, totals ...), using real habitats from the bundled
statutory list so that bands and trading groups are the metric's own."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from bng_desktop.core.bands import ContractSize, Tier
from bng_desktop.core.model import (
    Bank,
    DemandLine,
    Habitat,
    PriceRow,
    ReferenceData,
    Site,
    StockLine,
    TradingRule,
)
from bng_desktop.core.policy import Policy
from bng_desktop.core.quote import make_quote
from bng_desktop.core.reference import ReferenceSnapshot, VersionInfo, content_hash
from bng_desktop.core.result import Quote, QuoteRequest
from bng_desktop.io.statutory import load_statutory_facts

F = Fraction

# Real habitat names (assets/data).
MODIFIED = "Grassland - Modified grassland"  # area Low, Grassland
BRACKEN = "Grassland - Bracken"  # area Low, Grassland
NEUTRAL = "Grassland - Other neutral grassland"  # area Medium, Grassland
ACID = "Grassland - Other lowland acid grassland"  # area Medium, Grassland
CALCAREOUS = "Grassland - Lowland calcareous grassland"  # area High, Grassland
MEADOWS = "Grassland - Lowland meadows"  # area V.High, Grassland
ORCHARD = "Grassland - Traditional orchards"  # area High, Grassland
SCRUB = "Heathland and shrub - Mixed scrub"  # area Medium, Heathland and shrub
HAWTHORN = "Heathland and shrub - Hawthorn scrub"  # area Medium, Heathland and shrub
HEATH = "Heathland and shrub - Lowland heathland"  # area High, Heathland and shrub
CEREAL = "Cropland - Cereal crops"  # area Low, Cropland
MARGINS = "Cropland - Arable field margins tussocky"  # area Medium, Cropland
BROADLEAVED = "Woodland and forest - Other woodland; broadleaved"  # area Medium, Woodland
SEALED = "Urban - Developed land; sealed surface"  # area V.Low
BARE_GARDEN = "Urban - Unvegetated garden"  # area V.Low
DUNES = "Sparsely vegetated land - Coastal sand dunes"  # area High, irreplaceable
PAVEMENT = "Sparsely vegetated land - Limestone pavement"  # area V.High, irreplaceable
BLANKET_BOG = "Wetland - Blanket bog"  # area V.High, irreplaceable

NATIVE_HEDGE = "Native hedgerow"  # hedgerow Low
LINE_OF_TREES = "Line of trees"  # hedgerow Low
SPECIES_RICH = "Species-rich native hedgerow"  # hedgerow Medium
NATIVE_WITH_TREES = "Native hedgerow with trees"  # hedgerow Medium
SR_WITH_TREES = "Species-rich native hedgerow with trees"  # hedgerow High
SR_BANK = "Species-rich native hedgerow - associated with bank or ditch"  # hedgerow High
SR_TREES_BANK = (
    "Species-rich native hedgerow with trees - associated with bank or ditch"  # hedgerow V.High
)
ORNAMENTAL = "Non-native and ornamental hedgerow"  # hedgerow V.Low

PRIORITY = "Priority habitat"  # watercourse V.High
RIVERS = "Other rivers and streams"  # watercourse High
DITCHES = "Ditches"  # watercourse Medium
CANALS = "Canals"  # watercourse Medium
CULVERT = "Culvert"  # watercourse Low

# A site in Winchester / South Downs with one neighbour on each axis.
SITE = Site(
    lpa="Winchester",
    nca="South Downs",
    lpa_neighbours=("Test Valley",),
    nca_neighbours=("Hampshire Downs",),
)
LOCAL_BANK = Bank("L", "Local Bank", lpa="Winchester City Council", nca="South Downs")
ADJACENT_BANK = Bank("A", "Adjacent Bank", lpa="Test Valley", nca="Wessex Downs")
FAR_BANK = Bank("F", "Far Bank", lpa="Cornwall", nca="The Lizard")


def habitat(name: str) -> Habitat:
    """The statutory habitat of that name (fails loudly on a typo)."""
    found = load_statutory_facts().habitat(name)
    if found is None:
        raise KeyError(f"{name!r} is not in the bundled statutory habitat list")
    return found


def all_habitats() -> tuple[Habitat, ...]:
    return tuple(load_statutory_facts().habitats.values())


def prices_for(
    bank_id: str,
    habitat_name: str,
    price: Fraction | int | str,
    *,
    sizes: Iterable[ContractSize] = tuple(ContractSize),
    tiers: Iterable[Tier] = tuple(Tier),
) -> tuple[PriceRow, ...]:
    """One price row per size and tier (the same price everywhere)."""
    tiers = tuple(tiers)
    return tuple(
        PriceRow(bank_id, habitat_name, size, tier, F(price)) for size in sizes for tier in tiers
    )


def snapshot(
    *,
    banks: Iterable[Bank] = (LOCAL_BANK, ADJACENT_BANK, FAR_BANK),
    stock: Iterable[StockLine] = (),
    prices: Iterable[PriceRow] = (),
    habitats: Iterable[Habitat] | None = None,
    trading_rules: Iterable[TradingRule] = (),
    version: int = 1,
) -> ReferenceSnapshot:
    """A snapshot holding the whole statutory catalogue unless told otherwise."""
    data = ReferenceData(
        banks=tuple(banks),
        habitats=tuple(habitats) if habitats is not None else all_habitats(),
        stock=tuple(stock),
        prices=tuple(prices),
        trading_rules=tuple(trading_rules),
    )
    return ReferenceSnapshot(data, VersionInfo(version, content_hash(data)))


def demand(*lines: tuple[str, Fraction | int | str]) -> tuple[DemandLine, ...]:
    return tuple(DemandLine(name, F(units)) for name, units in lines)


def quote(
    snap: ReferenceSnapshot,
    lines: Iterable[tuple[str, Fraction | int | str]],
    *,
    site: Site = SITE,
    policy: Policy | None = None,
    eligible_surplus: Fraction | None = None,
) -> Quote:
    request = QuoteRequest(site, demand(*lines), policy or Policy(), eligible_surplus)
    return make_quote(snap, request)
