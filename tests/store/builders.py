"""Hand-built records for the store tests: data that uses every field."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from bng_desktop.core.bands import Band, ContractSize, Tier, UnitType
from bng_desktop.core.model import (
    DistinctivenessLevel,
    ReferenceData,
    Site,
    SrmRow,
    StockLine,
    TradingRule,
)
from bng_desktop.core.policy import Policy, Promoter
from bng_desktop.core.result import PairedPart, Quote, SuoInfo
from tests.factories import make_line, make_quote, tiny_reference

F = Fraction


def rich_reference(label: str = "") -> ReferenceData:
    """tiny_reference plus every optional kind of row, thirds and empty values."""
    base = tiny_reference()
    stock = (
        *base.stock,
        StockLine("B1-S2", "B1", "Native hedgerow", F(7, 3), F(5, 2), F(1, 10)),
    )
    banks = (
        dataclasses.replace(base.banks[0], postcode="SO23 9LJ", lat=51.0632, lon=-1.3081),
        *base.banks[1:],
    )
    return dataclasses.replace(
        base,
        banks=banks,
        stock=stock,
        trading_rules=(
            TradingRule("Grassland - Modified grassland", "Grassland - Other neutral grassland"),
            TradingRule("Native hedgerow", "Native hedgerow", Band.MEDIUM, "Companion"),
        ),
        distinctiveness=tuple(DistinctivenessLevel(b.label, F(2 * b.value)) for b in Band),
        srm=(SrmRow(Tier.LOCAL, F(1)), SrmRow(Tier.ADJACENT, F(4, 3)), SrmRow(Tier.FAR, F(2))),
        lpa_neighbours=(("Winchester", "Test Valley"), ("Winchester", "East Hampshire")),
        nca_neighbours=(("South Downs", "Hampshire Downs"),),
        policy=(("admin_fee_other", "550"), ("split_lines", "true")),
        warnings=(f"sample warning {label}".strip(),),
    )


def rich_quote() -> Quote:
    """A quote that sets every optional field to something other than its default."""
    parts = (
        PairedPart(
            "B1-S1",
            "Grassland - Other neutral grassland",
            F(3, 4),
            F(25000),
            "exact",
            "Grassland - Other neutral grassland",
            F(3, 4),
        ),
        PairedPart("B1-S3", "Companion", F(1, 4), F(19000, 3), "proxy", "Other", F(1, 4)),
    )
    lines = (
        make_line(units=F(1, 3), unit_price=F(5245, 100)),
        make_line(
            1,
            "Native hedgerow",
            "Native hedgerow",
            F(2),
            F(30000),
            unit_type=UnitType.HEDGEROW,
            tier=Tier.ADJACENT,
        ),
        make_line(2, units=F(1), tier=Tier.ADJACENT, paired_parts=parts),
        make_line(None, units=F(1, 2), tier=None, kind="manual", price_source="manual"),
    )
    site = Site(
        "Winchester",
        "South Downs",
        ("Test Valley",),
        ("Hampshire Downs",),
        51.06,
        -1.31,
        "postcode",
        "2025-01-31T10:00:00+00:00",
        "SO23 9LJ",
    )
    quote = make_quote(lines, site=site, contract_size=ContractSize.MEDIUM)
    policy = Policy(
        split_lines=True,
        quotes_hold="hold_50",
        tolerance_rel=F(1, 3),
        promoter=Promoter("Arbtech", "percentage", F(25, 2)),
    )
    request = dataclasses.replace(quote.request, policy=policy, eligible_surplus=F(7, 9))
    return dataclasses.replace(
        quote,
        request=request,
        pricing_size=ContractSize.SMALL,
        lines=tuple(dataclasses.replace(ln, line_id=f"L{i}") for i, ln in enumerate(lines)),
        suo=SuoInfo(F(7, 9), F(7, 18), F(1, 3), F(1, 7)),
        warnings=("a warning", "another – with a dash"),
    )
