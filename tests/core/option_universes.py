"""A generated reference with its demand and site, and the option universe
built from them before any option is drawn: the set-up shared by the tests of
the universe's indexed scans and of the greedy heuristic's lazy draws."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from bng_desktop.core.contract import contract_size
from bng_desktop.core.demand import resolve_demand
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.options import availability, build_options
from bng_desktop.core.policy import Policy
from bng_desktop.core.pricing import PriceBook, pricing_size
from bng_desktop.core.pruning import OptionUniverse
from bng_desktop.core.reference import ReferenceSnapshot
from bng_desktop.core.sites import with_known_neighbours
from bng_desktop.core.tiers import SiteGeography
from tests.shared_data import (
    generate_reference,
    read_demand_csv,
    read_site_json,
    snapshot_from_workbook,
)

Instance = tuple[ReferenceSnapshot, tuple[DemandLine, ...], Site]
"""A reference snapshot, a demand to quote on it, and the site."""


def generated_instance(folder: Path, banks: int, seed: int, demand_lines: int) -> Instance:
    """The shared generator's reference, demand and site (its neighbours known)."""
    workbook, demand_csv, site_json = generate_reference(folder, banks, seed, demand_lines)
    snap = snapshot_from_workbook(workbook)
    site = with_known_neighbours(read_site_json(site_json), snap)
    return snap, read_demand_csv(demand_csv), site


def fresh_universe(instance: Instance, split_lines: bool) -> tuple[OptionUniverse, int]:
    """A fresh universe (no option built yet), made as a quote makes it, and
    the policy's bank cap."""
    snap, demand, site = instance
    policy = Policy(split_lines=split_lines)
    lines = resolve_demand(demand, snap)
    total = sum((line.units for line in lines), Fraction(0))
    size = contract_size(total, snap.sizes_present, policy)
    book = PriceBook(
        snap.prices,
        snap.price_rows_at,
        snap.habitats,
        pricing_size(size, snap.sizes_present, policy.promoter),
        policy.promoter,
    )
    geography = SiteGeography(site)
    tiers = {bank_id: geography.tier_of(bank) for bank_id, bank in snap.banks.items()}
    available = availability(snap, policy)
    found = build_options(snap, lines, tiers, book, policy, available)
    units = {line.index: line.units for line in lines}
    universe = OptionUniverse(
        found.groups,
        units,
        available,
        split_lines,
        left=found.left,
        stock_banks=found.stock_banks,
    )
    return universe, policy.bank_cap(total)
