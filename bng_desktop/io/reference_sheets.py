"""The sheets of the backend workbook (legacy-optimiser-spec.md §1) and their columns.

Also the phrases problems use for what a cell should have held.
"""

from __future__ import annotations

from .sheet_table import Column, SheetSpec

BANKS = SheetSpec(
    "Banks",
    (
        Column("bank_id"),
        Column("bank_name"),
        Column("lpa_name"),
        Column("nca_name"),
        Column("postcode", required=False),
        Column("address", required=False),
        Column("lat", required=False),
        Column("lon", required=False),
    ),
)
PRICING = SheetSpec(
    "Pricing",
    (
        Column("bank_id"),
        Column("habitat_name"),
        Column("contract_size"),
        Column("tier"),
        Column("price", aliases=("Price", "Unit Price", "unit_price", "unitprice")),
        Column("broader_type", required=False),
        Column("distinctiveness_name", required=False),
        Column("bank_name", required=False),
    ),
)
CATALOGUE = SheetSpec(
    "HabitatCatalog",
    (
        Column("habitat_name"),
        Column("broader_type"),
        Column("distinctiveness_name"),
        Column("UmbrellaType", required=False),
        Column("trading_broad_habitat", required=False),
        Column("irreplaceable", required=False),
    ),
)
STOCK = SheetSpec(
    "Stock",
    (
        Column("bank_id"),
        Column("habitat_name"),
        Column("stock_id"),
        Column("quantity_available"),
        Column("available_excl_quotes", required=False),
        Column("quoted", required=False),
    ),
)
LEVELS = SheetSpec("DistinctivenessLevels", (Column("distinctiveness_name"), Column("level_value")))
SRM = SheetSpec("SRM", (Column("tier"), Column("multiplier")))
TRADING_RULES = SheetSpec(
    "TradingRules",
    (
        Column("demand_habitat"),
        Column("allowed_supply_habitat"),
        Column("min_distinctiveness_name", required=False),
        Column("companion_habitat", required=False),
    ),
    required=False,
)
POLICY = SheetSpec("Policy", (Column("key"), Column("value")), required=False)
LPA_NEIGHBOURS = SheetSpec("LPANeighbours", (Column("lpa"), Column("neighbour")), required=False)
NCA_NEIGHBOURS = SheetSpec("NCANeighbours", (Column("nca"), Column("neighbour")), required=False)
SHEETS = (
    BANKS,
    PRICING,
    CATALOGUE,
    STOCK,
    LEVELS,
    SRM,
    TRADING_RULES,
    POLICY,
    LPA_NEIGHBOURS,
    NCA_NEIGHBOURS,
)
"""In the order they are written."""


BAND_EXPECTED = "one of V.Low, Low, Medium, High, V.High"
TIER_EXPECTED = "one of local, adjacent, far"
SIZE_EXPECTED = "one of fractional, small, medium, large"
UNIT_TYPE_EXPECTED = "one of area, hedgerow, watercourse"
FLAG_EXPECTED = "true or false (or blank to use the statutory list)"
BANK_EXPECTED = "a bank_id listed on the Banks sheet"
HABITAT_EXPECTED = "a habitat_name listed on the HabitatCatalog sheet"
