"""The rule tables of RULES.md as the engine holds them, and their fingerprint.

A stored quote is only as good as the rules that priced it. The result cache
keys every answer on this fingerprint (with the application version), so an
upgrade that changes a tier, a multiplier, a trading rule, a rounding step or
a default of the policy never answers with a quote the older rules made.

The trading rules live in code (trading.py); they enter the fingerprint as
their truth table over every unit type, band and kinship of supply to demand,
so the fingerprint follows what the rules decide, not how they are written.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from typing import Any

from . import rounding, tiers
from .bands import Band, ContractSize, Tier, UnitType
from .metric import SUO_MIN_BAND, SUO_UNIT_TYPE
from .model import Habitat
from .policy import Policy, policy_to_mapping
from .trading import Deficit, is_legal_supply, needs_bespoke_flag, refusal

_KINSHIPS = ("same habitat", "same trading group", "other group")
_PLACE_SAMPLES = (
    "Royal Borough of Kingston upon Thames",
    "Rochdale Metropolitan Borough Council",
    "St Albans City and District Council",
    "Bristol, City of",
    "Brighton & Hove City Council",
    "Winchester City Council",
    "County of Herefordshire",
    "Isle of Wight Unitary Authority",
)


def rule_tables() -> dict[str, Any]:
    """Every table the quoting rules read, as plain JSON-ready values."""
    return {
        "bands": {band.label: int(band) for band in Band},
        "tiers": {tier.value: tier.rank for tier in Tier},
        "contract_sizes": [size.value for size in ContractSize],
        "spatial_risk_multiplier": _fractions(tiers.SPATIAL_RISK_MULTIPLIER),
        "stock_per_unit": _fractions(tiers.STOCK_PER_UNIT),
        "trading": _trading_table(),
        "net_gain_trading": _net_gain_table(),
        "refusals": _refusal_table(),
        "place_names": {name: tiers.normalise_place(name) for name in _PLACE_SAMPLES},
        "display_price_step": rounding.PRICE_STEP,
        "display_units_step": str(rounding.UNITS_STEP),
        "surplus_uplift": {"min_band": SUO_MIN_BAND.label, "unit_type": SUO_UNIT_TYPE.value},
        "policy_defaults": policy_to_mapping(Policy()),
    }


def fingerprint() -> str:
    """SHA-256 of the rule tables: changes whenever any of them does."""
    text = json.dumps(rule_tables(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fractions(table: dict[Tier, Fraction]) -> dict[str, str]:
    return {tier.value: str(value) for tier, value in table.items()}


def _habitat(name: str, unit_type: UnitType, band: Band, group: str) -> Habitat:
    return Habitat(name, unit_type, band, group, group)


def _supply(demand: Habitat, band: Band, kinship: str) -> Habitat:
    if kinship == "same habitat":
        return demand
    group = demand.trading_broad_habitat if kinship == "same trading group" else "other"
    return _habitat(f"supply {band.label} {kinship}", demand.unit_type, band, group)


def _trading_table() -> list[list[object]]:
    """Legal or not, for every demand band × supply band × kinship, per unit type."""
    table: list[list[object]] = []
    for unit_type in UnitType:
        for demand_band in Band:
            demand = _habitat(f"demand {demand_band.label}", unit_type, demand_band, "group")
            for supply_band in Band:
                for kinship in _KINSHIPS:
                    if kinship == "same habitat" and supply_band is not demand_band:
                        continue
                    supply = _supply(demand, supply_band, kinship)
                    legal = is_legal_supply(Deficit(unit_type, demand), supply)
                    table.append(
                        [unit_type.value, demand_band.label, supply_band.label, kinship, legal]
                    )
    return table


def _net_gain_table() -> list[list[object]]:
    """What a Net Gain line of each unit type accepts, by supply band."""
    return [
        [
            unit_type.value,
            band.label,
            is_legal_supply(Deficit(unit_type), _habitat("supply", unit_type, band, "g")),
        ]
        for unit_type in UnitType
        for band in Band
    ]


def _refusal_table() -> list[list[object]]:
    """Which losses are refused (and why) or flagged as likely bespoke."""
    table: list[list[object]] = []
    for unit_type in UnitType:
        for band in Band:
            for irreplaceable in (False, True):
                habitat = Habitat("loss", unit_type, band, "g", "g", irreplaceable)
                deficit = Deficit(unit_type, habitat)
                refused = refusal(deficit)
                code = None if refused is None else refused.code
                table.append(
                    [unit_type.value, band.label, irreplaceable, code, needs_bespoke_flag(deficit)]
                )
    return table
