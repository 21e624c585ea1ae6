"""Trading rules: which supply habitat may legally meet a deficit.

One source for the optimiser and the metric's on-site offsetting. The table
is RULES.md's, including its fixes (no trading down for Medium area losses;
canals and ditches never substitute; companions of a pair must be legal too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .bands import Band, UnitType
from .model import Habitat, TradingRule


@dataclass(frozen=True)
class Deficit:
    """What is being compensated: a catalogue habitat, or a Net Gain line
    of one unit type (``habitat`` None)."""

    unit_type: UnitType
    habitat: Habitat | None = None

    @property
    def is_net_gain(self) -> bool:
        return self.habitat is None

    @property
    def trading_band(self) -> Band:
        """The band the rules trade at: area Net Gain trades as Low; linear
        Net Gain accepts anything (V.Low)."""
        if self.habitat is not None:
            return self.habitat.band
        return Band.LOW if self.unit_type is UnitType.AREA else Band.V_LOW


@dataclass(frozen=True)
class Refusal:
    code: str
    reason: str
    action: str


def refusal(deficit: Deficit) -> Refusal | None:
    """Lines that are never offered as a purchase, checked before anything else."""
    habitat = deficit.habitat
    if habitat is None:
        return None
    if habitat.irreplaceable:
        return Refusal(
            "irreplaceable",
            "irreplaceable habitat: bespoke compensation required",
            "remove the line and agree bespoke compensation with the planning authority",
        )
    if habitat.unit_type is UnitType.AREA and habitat.band is Band.V_LOW:
        return Refusal(
            "v_low",
            "V.Low area habitat: nothing to compensate",
            "remove the line; V.Low area losses need no off-site units",
        )
    return None


def needs_bespoke_flag(deficit: Deficit) -> bool:
    """Area V.High losses are quotable like for like, but flagged."""
    h = deficit.habitat
    return h is not None and h.unit_type is UnitType.AREA and h.band is Band.V_HIGH


def is_legal_supply(
    deficit: Deficit, supply: Habitat, explicit_rules: Iterable[TradingRule] = ()
) -> bool:
    """True when ``supply`` may meet ``deficit`` under the trading rules.

    ``explicit_rules`` are the TradingRules rows for the deficit's habitat; when
    present they replace the default rule entirely (not for Net Gain lines).
    """
    if supply.unit_type is not deficit.unit_type or supply.irreplaceable:
        return False
    demand = deficit.habitat
    if demand is None:
        return supply.band >= deficit.trading_band
    rules = tuple(explicit_rules)
    if rules:
        return any(
            r.allowed_supply_habitat == supply.name
            and (r.min_band is None or supply.band >= r.min_band)
            for r in rules
        )
    return _DEFAULT_RULES[deficit.unit_type](demand, supply)


def _area(demand: Habitat, supply: Habitat) -> bool:
    band = demand.band
    if band >= Band.HIGH:
        return supply.name == demand.name
    if band is Band.MEDIUM:
        same_group = supply.trading_broad_habitat == demand.trading_broad_habitat
        return (same_group and supply.band >= Band.MEDIUM) or supply.band > Band.MEDIUM
    if band is Band.LOW:
        return supply.band >= Band.LOW
    return False


def _hedgerow(demand: Habitat, supply: Habitat) -> bool:
    band = demand.band
    if band is Band.V_HIGH:
        return supply.name == demand.name
    if band is Band.HIGH:
        return supply.name == demand.name or supply.band > Band.HIGH
    return supply.band >= band


def _watercourse(demand: Habitat, supply: Habitat) -> bool:
    if demand.band >= Band.MEDIUM:
        return supply.name == demand.name
    return supply.band > demand.band


_DEFAULT_RULES = {
    UnitType.AREA: _area,
    UnitType.HEDGEROW: _hedgerow,
    UnitType.WATERCOURSE: _watercourse,
}


def legal_supply_names(
    deficit: Deficit, habitats: Iterable[Habitat], explicit_rules: Iterable[TradingRule] = ()
) -> frozenset[str]:
    """Every catalogue habitat that may meet the deficit."""
    rules = tuple(explicit_rules) if deficit.habitat is not None else ()
    return frozenset(h.name for h in habitats if is_legal_supply(deficit, h, rules))
