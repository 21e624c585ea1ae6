"""The detailed allocation table: every line, paired parts expanded.

Shared by the Excel quote's Allocation sheet and the app's result table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from .bands import UnitType
from .result import AllocationLine, Quote
from .rounding import display_units


@dataclass(frozen=True)
class AllocationRow:
    """A row of the detailed allocation table: a line, or a part of a paired line.

    Figures are exact. A part row (``part`` set) repeats its line's demand and
    bank columns, so a filtered table keeps parts with their line; its units
    are the line's units × the part's share.
    """

    position: int
    part: int | None
    demand_number: int | None
    demand_habitat: str
    unit_type: UnitType
    kind: str
    bank_id: str
    bank_name: str
    supply_habitat: str
    tier: str
    share: Fraction | None
    units_supplied: Fraction
    stock_use: tuple[tuple[str, Fraction], ...]
    unit_price: Fraction
    cost: Fraction
    price_source: str
    price_habitat: str = ""
    demand_band: str = ""
    supply_band: str = ""
    line_id: str = ""

    @property
    def is_part(self) -> bool:
        return self.part is not None

    @property
    def stock_use_total(self) -> Fraction:
        return sum((units for _, units in self.stock_use), Fraction(0))

    @property
    def stock_use_text(self) -> str:
        """'S1: 1.333; S2: 0.333'."""
        return "; ".join(f"{stock}: {display_units(units)}" for stock, units in self.stock_use)


def allocation_rows(quote: Quote) -> tuple[AllocationRow, ...]:
    """Every line of ``quote`` in order, each paired line followed by its parts."""
    rows: list[AllocationRow] = []
    for position, line in enumerate(quote.lines):
        rows.append(_line_row(position, line))
        rows.extend(_part_rows(position, line))
    return tuple(rows)


def _line_row(position: int, line: AllocationLine) -> AllocationRow:
    return AllocationRow(
        position=position,
        part=None,
        demand_number=None if line.demand_index is None else line.demand_index + 1,
        demand_habitat=line.demand_habitat,
        unit_type=line.unit_type,
        kind=line.kind,
        bank_id=line.bank_id,
        bank_name=line.bank_name,
        supply_habitat=line.supply_habitat,
        tier=str(line.tier) if line.tier is not None else "",
        share=None,
        units_supplied=line.units_supplied,
        stock_use=line.stock_use,
        unit_price=line.unit_price,
        cost=line.cost,
        price_source=line.price_source,
        price_habitat=line.price_habitat,
        demand_band=line.demand_band,
        supply_band=line.supply_band,
        line_id=line.line_id,
    )


def _part_rows(position: int, line: AllocationLine) -> list[AllocationRow]:
    parent = _line_row(position, line)
    return [
        replace(
            parent,
            part=number,
            supply_habitat=part.habitat_name,
            share=part.share,
            units_supplied=line.units_supplied * part.share,
            stock_use=((part.stock_id, part.stock_use),),
            unit_price=part.unit_price,
            cost=line.units_supplied * part.share * part.unit_price,
            price_source=part.price_source,
            price_habitat=part.price_habitat,
            supply_band="",
        )
        for number, part in enumerate(line.paired_parts)
    ]
