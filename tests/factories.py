"""Hand-built quotes and reference rows for tests that need one without solving."""

from __future__ import annotations

from fractions import Fraction

from bng_desktop.core.bands import Band, ContractSize, Tier, UnitType
from bng_desktop.core.model import (
    Bank,
    DemandLine,
    Habitat,
    PriceRow,
    ReferenceData,
    Site,
    StockLine,
)
from bng_desktop.core.policy import Policy
from bng_desktop.core.result import (
    AllocationLine,
    PairedPart,
    Quote,
    QuoteRequest,
    SolverInfo,
    Totals,
)
from bng_desktop.core.rounding import display_money

F = Fraction


def make_line(
    demand_index: int | None = 0,
    demand_habitat: str = "Grassland - Modified grassland",
    supply_habitat: str = "Grassland - Other neutral grassland",
    units: Fraction = F(1),
    unit_price: Fraction = F(20000),
    *,
    unit_type: UnitType = UnitType.AREA,
    bank_id: str = "B1",
    bank_name: str = "Bank One",
    tier: Tier | None = Tier.LOCAL,
    kind: str = "optimiser",
    price_source: str = "exact",
    paired_parts: tuple[PairedPart, ...] = (),
    demand_band: str = "Low",
    supply_band: str = "Medium",
) -> AllocationLine:
    stock_use = tuple((p.stock_id, p.stock_use) for p in paired_parts) or (
        (f"{bank_id}-S1", units if tier in (None, Tier.LOCAL) else units * 2),
    )
    return AllocationLine(
        demand_index=demand_index,
        demand_habitat=demand_habitat,
        unit_type=unit_type,
        bank_id=bank_id,
        bank_name=bank_name,
        supply_habitat=supply_habitat,
        tier=tier,
        units_supplied=units,
        unit_price=unit_price,
        cost=units * unit_price,
        price_source=price_source,
        price_habitat=supply_habitat,
        stock_use=stock_use,
        paired_parts=paired_parts,
        kind=kind,
        demand_band=demand_band,
        supply_band=supply_band,
    )


def make_quote(
    lines: tuple[AllocationLine, ...] | None = None,
    *,
    site: Site | None = None,
    contract_size: ContractSize = ContractSize.SMALL,
    admin_fee: Fraction = F(500),
) -> Quote:
    lines = lines if lines is not None else (make_line(),)
    demand = tuple(
        DemandLine(ln.demand_habitat, ln.units_supplied) for ln in lines if ln.kind == "optimiser"
    )
    optimiser = sum((ln.cost for ln in lines if ln.kind == "optimiser"), F(0))
    manual = sum((ln.cost for ln in lines if ln.kind == "manual"), F(0))
    shown = sum(display_money(ln.cost) for ln in lines)
    totals = Totals(
        optimiser_cost=optimiser,
        manual_cost=manual,
        suo_discount=F(0),
        subtotal=optimiser + manual,
        admin_fee=admin_fee,
        total=optimiser + manual + admin_fee,
        display_subtotal=shown,
        display_suo_discount=0,
        display_total=shown + display_money(admin_fee),
    )
    return Quote(
        request=QuoteRequest(
            site=site or Site(lpa="Winchester", nca="South Downs", lpa_neighbours=("Test Valley",)),
            demand=demand,
            policy=Policy(),
        ),
        reference_version=1,
        reference_hash="0" * 64,
        contract_size=contract_size,
        pricing_size=contract_size,
        bank_cap=2,
        total_demand=sum((d.units for d in demand), F(0)),
        lines=lines,
        totals=totals,
        solver=SolverInfo(
            name="highs", status="optimal", optimal=True, stages=("A",), seconds=0.01, options=3
        ),
    )


def tiny_reference() -> ReferenceData:
    """Two banks, three habitats, enough to price a Low area line."""
    habitats = (
        Habitat(
            "Grassland - Modified grassland", UnitType.AREA, Band.LOW, "Grassland", "Grassland"
        ),
        Habitat(
            "Grassland - Other neutral grassland",
            UnitType.AREA,
            Band.MEDIUM,
            "Grassland",
            "Grassland",
        ),
        Habitat("Native hedgerow", UnitType.HEDGEROW, Band.LOW, "Hedgerow", "Hedgerow"),
    )
    banks = (
        Bank("B1", "Bank One", "Winchester", "South Downs"),
        Bank("B2", "Bank Two", "Cornwall", ""),
    )
    stock = (
        StockLine("B1-S1", "B1", "Grassland - Other neutral grassland", F(10)),
        StockLine("B2-S1", "B2", "Grassland - Modified grassland", F(5)),
    )
    prices = tuple(
        PriceRow(bank, habitat, size, tier, F(price))
        for bank, habitat, price in (
            ("B1", "Grassland - Other neutral grassland", 25000),
            ("B2", "Grassland - Modified grassland", 15000),
        )
        for size in ContractSize
        for tier in Tier
    )
    return ReferenceData(banks=banks, habitats=habitats, stock=stock, prices=prices)


def make_paired_line(
    demand_index: int | None = 0,
    demand_habitat: str = "Heathland and shrub - Mixed scrub",
    parts: tuple[tuple[str, Fraction, Fraction], ...] = (
        ("Heathland and shrub - Mixed scrub", F(3, 4), F(30000)),
        ("Grassland - Modified grassland", F(1, 4), F(10000)),
    ),
    units: Fraction = F(1),
    *,
    tier: Tier = Tier.ADJACENT,
    demand_band: str = "Medium",
    supply_band: str = "Medium",
    kind: str = "optimiser",
) -> AllocationLine:
    """A paired area line: parts are (habitat, share, unit price); stock use follows SRM."""
    per_unit_stock = F(4, 3) if tier is Tier.ADJACENT else F(2)
    paired = tuple(
        PairedPart(
            stock_id=f"B1-S{n + 1}",
            habitat_name=habitat,
            share=share,
            unit_price=price,
            price_source="exact",
            price_habitat=habitat,
            stock_use=units * share * per_unit_stock,
        )
        for n, (habitat, share, price) in enumerate(parts)
    )
    blended = sum((share * price for _, share, price in parts), F(0))
    return make_line(
        demand_index,
        demand_habitat,
        " + ".join(habitat for habitat, _, _ in parts),
        units,
        blended,
        tier=tier,
        kind=kind,
        paired_parts=paired,
        demand_band=demand_band,
        supply_band=supply_band,
    )


def with_demand(quote: Quote, *units: Fraction) -> Quote:
    """The quote with its request's demand lines replaced (units per demand index)."""
    import dataclasses

    names = {ln.demand_index: ln.demand_habitat for ln in quote.lines}
    demand = tuple(DemandLine(names.get(i, f"Habitat {i}"), u) for i, u in enumerate(units))
    request = dataclasses.replace(quote.request, demand=demand)
    return dataclasses.replace(quote, request=request, total_demand=sum(units, F(0)))


def with_suo(quote: Quote, discount_fraction: Fraction, eligible_surplus: Fraction = F(2)) -> Quote:
    """The quote with a surplus uplift offset on its optimiser lines, totals to match."""
    import dataclasses

    from bng_desktop.core.result import SuoInfo

    supplied = sum((ln.units_supplied for ln in quote.optimiser_lines), F(0))
    suo = SuoInfo(eligible_surplus, eligible_surplus / 2, supplied, discount_fraction)
    t = quote.totals
    discount = t.optimiser_cost * discount_fraction
    totals = dataclasses.replace(
        t,
        suo_discount=discount,
        total=t.subtotal - discount + t.admin_fee,
        display_suo_discount=display_money(discount),
        display_total=t.display_subtotal - display_money(discount) + display_money(t.admin_fee),
    )
    return dataclasses.replace(quote, suo=suo, totals=totals)
