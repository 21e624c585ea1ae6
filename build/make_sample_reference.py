"""Write assets/sample_reference.xlsx: invented banks, stock and prices for trying the app.

The habitat catalogue (all 150 statutory types), bands, district names and
neighbours are the real bundled facts; everything about the banks is made up.
Same seed, same content (and, timestamps being pinned, the same bytes).

    python build/make_sample_reference.py [--seed 7] [--out assets/sample_reference.xlsx]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import zipfile
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bng_desktop.core.bands import Band, ContractSize, Tier, UnitType  # noqa: E402
from bng_desktop.core.catalogue import StatutoryFacts  # noqa: E402
from bng_desktop.core.model import (  # noqa: E402
    Bank,
    DistinctivenessLevel,
    Habitat,
    PriceRow,
    ReferenceData,
    SrmRow,
    StockLine,
)
from bng_desktop.core.policy import Policy, policy_settings  # noqa: E402
from bng_desktop.core.tiers import SPATIAL_RISK_MULTIPLIER  # noqa: E402
from bng_desktop.io.reference_workbook import write_reference_workbook  # noqa: E402
from bng_desktop.io.statutory import load_statutory_facts  # noqa: E402

DEFAULT_SEED = 7
ABOUT = (
    "SAMPLE DATA — for trying BNG Desktop only. Not for real quotes.",
    "The habitat banks, their stock and their prices are invented.",
    "The habitat list and distinctiveness bands are the statutory biodiversity metric's; "
    "district names and neighbours are ONS (2021 and April-2023 districts); "
    "National Character Area names are Natural England's.",
    "Import your own backend workbook (same sheets and columns) to quote for real.",
)

BANKS = (  # invented place, real district (ONS), real National Character Area
    ("Ashcombe Down", "Winchester", "Hampshire Downs"),
    ("Larkmead Farm", "Winchester", "South Downs"),
    ("Harewell Vale", "Test Valley", "Hampshire Downs"),
    ("Copsewood Farm", "Test Valley", "South Hampshire Lowlands"),
    ("Hangerfold", "East Hampshire", "South Downs"),
    ("Blackmere Heath", "East Hampshire", "Wealden Greensand"),
    ("Itchenford Meadows", "Eastleigh", "South Hampshire Lowlands"),
    ("Oakhollow Park", "Basingstoke and Deane", "Hampshire Downs"),
    ("Loddon Reach", "Basingstoke and Deane", "Thames Basin Heaths"),
    ("Stourbridge Marsh", "Fareham", "South Coast Plain"),
    ("Sallowmere Rise", "Wiltshire", "Berkshire and Marlborough Downs"),
    ("Cranmoor Farm", "Dorset", "Dorset Downs and Cranborne Chase"),
    ("Wyebrook Estate", "Herefordshire, County of", "Herefordshire Lowlands"),
    ("Sedgecombe Levels", "Somerset", "Somerset Levels and Moors"),
    ("Fenbridge Farm", "East Cambridgeshire", "The Fens"),
    ("Brecklow Heath", "Breckland", "Breckland"),
    ("Thornby Wolds", "North Yorkshire", "Howardian Hills"),
    ("Kestleigh Moor", "Cornwall", "Bodmin Moor"),
    ("Marlowe Beech Wood", "Buckinghamshire", "Chilterns"),
    ("Hadley Carr", "Northumberland", "Mid Northumberland"),
)
AREA_GROUPS = {  # broad habitat -> how often banks create it
    "Grassland": 5.0,
    "Heathland and shrub": 3.0,
    "Woodland and forest": 3.0,
    "Wetland": 1.5,
    "Lakes": 1.0,
    "Cropland": 0.8,
    "Individual trees": 1.5,
    "Urban": 0.3,
}
BAND_WEIGHT = {Band.LOW: 1.0, Band.MEDIUM: 3.0, Band.HIGH: 1.5, Band.V_HIGH: 0.3}
WATER_WEIGHT = {"Other rivers and streams": 3.0, "Ditches": 2.0}
NOT_SOLD = {"Woodland and forest - Felled", "Culvert"}
UNITS = {  # (unit type, high band?) -> stock range in units
    (UnitType.AREA, False): (2.0, 40.0),
    (UnitType.AREA, True): (0.5, 15.0),
    (UnitType.HEDGEROW, False): (0.5, 12.0),
    (UnitType.HEDGEROW, True): (0.5, 8.0),
    (UnitType.WATERCOURSE, False): (0.3, 6.0),
    (UnitType.WATERCOURSE, True): (0.3, 4.0),
}
SMALL_LOCAL_PRICE = {  # per unit, small contract, local tier
    UnitType.AREA: {
        Band.LOW: (18, 26),
        Band.MEDIUM: (24, 36),
        Band.HIGH: (32, 55),
        Band.V_HIGH: (55, 85),
    },
    UnitType.HEDGEROW: {
        Band.LOW: (15, 22),
        Band.MEDIUM: (20, 30),
        Band.HIGH: (28, 40),
        Band.V_HIGH: (40, 55),
    },
    UnitType.WATERCOURSE: {Band.MEDIUM: (45, 70), Band.HIGH: (70, 110), Band.V_HIGH: (110, 160)},
}
SIZE_FACTOR = {
    ContractSize.FRACTIONAL: (1.12, 1.22),
    ContractSize.SMALL: (1.0, 1.0),
    ContractSize.MEDIUM: (0.92, 0.97),
    ContractSize.LARGE: (0.84, 0.90),
}
TIER_FACTOR = {Tier.LOCAL: (1.0, 1.0), Tier.ADJACENT: (1.30, 1.36), Tier.FAR: (1.95, 2.05)}
PINNED_TIME = (2026, 1, 1, 0, 0, 0)


def sellable(habitat: Habitat) -> bool:
    """What a bank may hold: never V.Low, irreplaceable or hand-priced types."""
    return not (habitat.irreplaceable or habitat.band is Band.V_LOW or habitat.name in NOT_SOLD)


def area_weight(habitat: Habitat) -> float:
    return AREA_GROUPS.get(habitat.broad_habitat, 0.0) * BAND_WEIGHT.get(habitat.band, 0.0)


def pick(rng: random.Random, pool: list[Habitat], weights: list[float], k: int) -> list[Habitat]:
    """k distinct habitats, heavier weights more likely."""
    keyed = sorted(
        ((rng.random() ** (1 / w), h.name, h) for h, w in zip(pool, weights, strict=True) if w > 0),
        reverse=True,
    )
    return [h for _, _, h in keyed[:k]]


def bank_habitats(rng: random.Random, habitats: list[Habitat]) -> list[Habitat]:
    """About 12 types: mostly area, some hedgerow, now and then a watercourse."""
    by_type = {t: [h for h in habitats if h.unit_type is t and sellable(h)] for t in UnitType}
    area = by_type[UnitType.AREA]
    chosen = pick(rng, area, [area_weight(h) for h in area], rng.randint(9, 13))
    if rng.random() < 0.6:
        hedges = by_type[UnitType.HEDGEROW]
        chosen += pick(rng, hedges, [1.0] * len(hedges), rng.randint(1, 3))
    if rng.random() < 0.35:
        water = by_type[UnitType.WATERCOURSE]
        chosen += pick(
            rng, water, [WATER_WEIGHT.get(h.name, 1.0) for h in water], rng.randint(1, 2)
        )
    return chosen


def stock_line(rng: random.Random, bank_id: str, number: int, habitat: Habitat) -> StockLine:
    low, high = UNITS[(habitat.unit_type, habitat.band >= Band.HIGH)]
    quantity = Fraction(round(low * (high / low) ** rng.random() * 100), 100)
    quoted = Fraction(round(float(quantity) * rng.uniform(0.05, 0.4) * 100), 100)
    return StockLine(
        stock_id=f"{bank_id}-S{number:02d}",
        bank_id=bank_id,
        habitat_name=habitat.name,
        quantity_available=quantity,
        available_excl_quotes=quantity,
        quoted=quoted if rng.random() < 0.3 else Fraction(0),
    )


def price_rows(rng: random.Random, bank: Bank, habitats: list[Habitat]) -> list[PriceRow]:
    """Every habitat × size × tier, rounded to £50; adjacent ≈ 1.33×, far ≈ 2× local."""
    level = rng.uniform(0.95, 1.05)
    size_factor = {s: rng.uniform(*r) for s, r in SIZE_FACTOR.items()}
    tier_factor = {t: rng.uniform(*r) for t, r in TIER_FACTOR.items()}
    rows = []
    for habitat in habitats:
        base = rng.uniform(*SMALL_LOCAL_PRICE[habitat.unit_type][habitat.band]) * 1000 * level
        for size in ContractSize:
            for tier in Tier:
                price = round(base * size_factor[size] * tier_factor[tier] / 50) * 50
                rows.append(
                    PriceRow(
                        bank.bank_id,
                        habitat.name,
                        size,
                        tier,
                        Fraction(price),
                        habitat.broad_habitat,
                        habitat.band.label,
                        bank.name,
                    )
                )
    return rows


def check_places(facts: StatutoryFacts) -> None:
    for place, lpa, nca in BANKS:
        if lpa not in facts.districts or nca not in facts.ncas:
            raise SystemExit(f"{place}: {lpa!r} or {nca!r} is not in the bundled facts")


def sample_data(seed: int, facts: StatutoryFacts) -> ReferenceData:
    check_places(facts)
    rng = random.Random(seed)
    habitats = sorted(facts.habitats.values(), key=lambda h: h.name)
    banks, stock, prices = [], [], []
    for number, (place, lpa, nca) in enumerate(BANKS, start=1):
        bank = Bank(f"SB{number:02d}", f"{place} Habitat Bank", lpa=lpa, nca=nca)
        held = bank_habitats(rng, habitats)
        banks.append(bank)
        stock += [stock_line(rng, bank.bank_id, i, h) for i, h in enumerate(held, start=1)]
        prices += price_rows(rng, bank, held)
    return ReferenceData(
        banks=tuple(banks),
        habitats=tuple(habitats),
        stock=tuple(stock),
        prices=tuple(prices),
        distinctiveness=tuple(DistinctivenessLevel(b.label, Fraction(2 * b.value)) for b in Band),
        srm=tuple(SrmRow(t, m) for t, m in SPATIAL_RISK_MULTIPLIER.items()),
        lpa_neighbours=facts.lpa_neighbours,
        policy=policy_settings(Policy()),
    )


def pin_timestamps(path: Path) -> None:
    """Fix the zip entry dates and document properties so the bytes depend on the seed only."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2026-01-01T00:00:00Z",
                    data,
                )
            archive.writestr(zipfile.ZipInfo(name, PINNED_TIME), data, zipfile.ZIP_DEFLATED)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "sample_reference.xlsx")
    args = parser.parse_args(argv)
    data = sample_data(args.seed, load_statutory_facts())
    about = (*ABOUT, f"Generated by build/make_sample_reference.py --seed {args.seed}.")
    write_reference_workbook(data, args.out, about=about)
    pin_timestamps(args.out)
    print(
        f"{args.out}: {len(data.banks)} banks, {len(data.habitats)} habitats, "
        f"{len(data.stock)} stock lines, {len(data.prices)} price rows"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
