"""Statutory biodiversity credits: the government's last-resort alternative to
buying units, priced beside every quote.

Two credits buy one unit still short (the statutory spatial risk multiplier);
each credit's price depends on the tier the unit falls in. The tier rules
come from the statutory metric's "Unit shortfall calculations" sheet and the
prices from GOV.UK; both are loaded by the io layer (assets/data) and an
admin may publish newer prices with their date.

Readings this module takes, where the metric is silent:

- A V.Low habitat counts at the Low tier (A1), the cheapest area tier.
- A Medium habitat whose broad habitat the metric does not list trades in
  its merged trading group (Intertidal hard structures with Intertidal
  sediment, A2).
- A Net Gain line counts at the tier of its unit type's cheapest eligible
  habitat: any area habitat meets an area Net Gain line, so the cheapest
  area tier; hedgerow and watercourse Net Gain lines at H and W.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from .bands import Band, UnitType
from .catalogue import merged_trading_group
from .dates import uk_long_date
from .demand import ResolvedLine
from .model import Habitat
from .number_input import NumberRule
from .rounding import display_money, format_money

CREDITS_PER_UNIT = Fraction(2)
"""Credits needed for each unit still short (the statutory multiplier)."""

PRICE_PER_CREDIT = NumberRule(minimum=0, minimum_excluded=True, maximum=100_000_000)
"""A credit's price in pounds: above 0 and at most £100 million, some hundred
times the dearest tier's, so a price typed with extra digits is caught."""

FURTHEST_AHEAD = timedelta(days=2 * 366)
"""How far ahead prices may be set: GOV.UK announces them months, not years,
before they apply, so a later day is a mistyped year."""


class CreditTier(StrEnum):
    A1 = "A1"
    A2 = "A2"
    A3 = "A3"
    A4 = "A4"
    A5 = "A5"
    H = "H"
    W = "W"


class TierMatch(StrEnum):
    """How a tier rule picks habitats."""

    ALL = "all"
    """Every habitat of the band (or of the linear unit type)."""
    HABITAT = "habitat"
    """One habitat, by its catalogue name."""
    BROAD_HABITAT = "broad_habitat"
    """Every habitat of one broad habitat."""


@dataclass(frozen=True, kw_only=True)
class TierRule:
    """One row of the tier table: habitats of ``band`` (area) or of a linear
    ``unit_type`` matched by ``match`` and ``name`` fall in ``tier``."""

    unit_type: UnitType
    band: Band | None
    match: TierMatch
    name: str
    tier: CreditTier


@dataclass(frozen=True, kw_only=True)
class CreditPrices:
    """The price of one credit in each tier, in force from ``effective_from``
    until the next set's date."""

    effective_from: date
    prices: Mapping[CreditTier, Fraction]
    source: str = ""
    """Where the prices came from: the bundled file, a file an admin set, the
    team's database."""


def missing_tiers(prices: Mapping[CreditTier, Fraction]) -> tuple[CreditTier, ...]:
    """The tiers ``prices`` leaves unpriced (a new set must price every tier)."""
    return tuple(tier for tier in CreditTier if tier not in prices)


def effective_from_problem(day: date, today: date) -> str | None:
    """Why prices cannot be set in force from ``day`` (None: they can)."""
    latest = today + FURTHEST_AHEAD
    if day > latest:
        return (
            f"{day.isoformat()} is more than two years ahead (the latest is "
            f"{latest.isoformat()}); check the year"
        )
    return None


def prices_in_force(price_sets: Iterable[CreditPrices], on: date) -> CreditPrices | None:
    """The set with the latest effective date on or before ``on`` (None: none yet)."""
    in_force = [prices for prices in price_sets if prices.effective_from <= on]
    return max(in_force, key=lambda prices: prices.effective_from, default=None)


def prices_words(iso_date: str) -> str:
    """'2025-04-01' → 'prices of 1 April 2025'."""
    return f"prices of {uk_long_date(date.fromisoformat(iso_date))}"


@dataclass(frozen=True, kw_only=True)
class CreditSchedule:
    """The tier rules and the price of one credit in each tier."""

    rules: tuple[TierRule, ...]
    prices: Mapping[CreditTier, Fraction]
    prices_date: date

    def with_prices(self, prices: CreditPrices) -> CreditSchedule:
        """The same tier rules with ``prices`` and their date."""
        return replace(self, prices=prices.prices, prices_date=prices.effective_from)

    def tier_for(self, habitat: Habitat) -> CreditTier | None:
        """The tier a unit of ``habitat`` falls in (None when no rule applies)."""
        if habitat.unit_type is not UnitType.AREA:
            return self._linear_tier(habitat.unit_type)
        band = Band.LOW if habitat.band is Band.V_LOW else habitat.band
        return (
            self._find(band, TierMatch.ALL, "")
            or self._find(band, TierMatch.HABITAT, habitat.name)
            or self._find(band, TierMatch.BROAD_HABITAT, habitat.broad_habitat)
            or self._find(band, TierMatch.BROAD_HABITAT, _first_of_group(habitat.broad_habitat))
        )

    def net_gain_tier(self, unit_type: UnitType) -> CreditTier | None:
        """The tier of the unit type's cheapest eligible habitat."""
        if unit_type is not UnitType.AREA:
            return self._linear_tier(unit_type)
        area_tiers = {rule.tier for rule in self.rules if rule.unit_type is UnitType.AREA}
        priced = [tier for tier in area_tiers if tier in self.prices]
        return min(priced, key=lambda tier: (self.prices[tier], tier.value), default=None)

    def _linear_tier(self, unit_type: UnitType) -> CreditTier | None:
        return next((rule.tier for rule in self.rules if rule.unit_type is unit_type), None)

    def _find(self, band: Band, match: TierMatch, name: str) -> CreditTier | None:
        wanted = name.casefold()
        candidates = (
            rule
            for rule in self.rules
            if rule.unit_type is UnitType.AREA and rule.band is band and rule.match is match
        )
        for rule in candidates:
            if match is TierMatch.ALL or rule.name.casefold() == wanted:
                return rule.tier
        return None


def _first_of_group(broad_habitat: str) -> str:
    """The broad habitat the metric lists for a merged trading group."""
    group = merged_trading_group(broad_habitat)
    return group.split(" and ")[0] if group != broad_habitat else ""


@dataclass(frozen=True, kw_only=True)
class DeficitUnits:
    """Units still short of one demand line: its habitat, or None for a Net
    Gain line of ``unit_type``."""

    label: str
    unit_type: UnitType
    habitat: Habitat | None
    units: Fraction


@dataclass(frozen=True, kw_only=True)
class TierCredits:
    tier: CreditTier
    units: Fraction
    credits: Fraction
    price_per_credit: Fraction
    cost: Fraction


@dataclass(frozen=True, kw_only=True)
class StatutoryCredits:
    """What the same units would cost as statutory credits (excluding VAT)."""

    tiers: tuple[TierCredits, ...]
    total: Fraction
    prices_date: str
    """ISO date of the prices (yyyy-mm-dd)."""
    unpriced: tuple[str, ...] = ()
    """Demand lines no tier rule or price covers (left out of the total)."""

    @property
    def credits(self) -> Fraction:
        return sum((tier.credits for tier in self.tiers), Fraction(0))

    def saving_against(self, quote_total: Fraction) -> Fraction:
        """How much less a quote costs than these credits (negative: more)."""
        return self.total - quote_total


def statutory_credits(lines: Iterable[DeficitUnits], schedule: CreditSchedule) -> StatutoryCredits:
    """Price ``lines`` as statutory credits, grouped by tier in tier order."""
    units_by_tier: dict[CreditTier, Fraction] = {}
    unpriced: list[str] = []
    for line in lines:
        if line.units <= 0:
            continue
        tier = (
            schedule.tier_for(line.habitat)
            if line.habitat is not None
            else schedule.net_gain_tier(line.unit_type)
        )
        if tier is None or tier not in schedule.prices:
            unpriced.append(line.label)
            continue
        units_by_tier[tier] = units_by_tier.get(tier, Fraction(0)) + line.units
    tiers = tuple(
        _priced(tier, units_by_tier[tier], schedule.prices[tier])
        for tier in CreditTier
        if tier in units_by_tier
    )
    return StatutoryCredits(
        tiers=tiers,
        total=sum((tier.cost for tier in tiers), Fraction(0)),
        prices_date=schedule.prices_date.isoformat(),
        unpriced=tuple(unpriced),
    )


def _priced(tier: CreditTier, units: Fraction, price: Fraction) -> TierCredits:
    credits = units * CREDITS_PER_UNIT
    return TierCredits(
        tier=tier, units=units, credits=credits, price_per_credit=price, cost=credits * price
    )


def tier_rule(*, band_or_type: str, match: str, name: str, tier: str) -> TierRule:
    """A tier rule from the table's text columns (band is a band label, or
    'hedgerow' / 'watercourse' for the linear unit types)."""
    linear = {member.value: member for member in UnitType if member is not UnitType.AREA}
    key = band_or_type.strip().lower()
    if key in linear:
        return TierRule(
            unit_type=linear[key],
            band=None,
            match=TierMatch(match.strip()),
            name=name.strip(),
            tier=CreditTier(tier.strip()),
        )
    return TierRule(
        unit_type=UnitType.AREA,
        band=Band.parse(band_or_type),
        match=TierMatch(match.strip()),
        name=name.strip(),
        tier=CreditTier(tier.strip()),
    )


def credits_for_demand(lines: Iterable[ResolvedLine], schedule: CreditSchedule) -> StatutoryCredits:
    """The demand of a quote request, priced as statutory credits."""
    return statutory_credits(
        (
            DeficitUnits(
                label=line.name,
                unit_type=line.deficit.unit_type,
                habitat=line.deficit.habitat,
                units=line.units,
            )
            for line in lines
        ),
        schedule,
    )


def describe(credits: StatutoryCredits, shown_total: int | None) -> str:
    """The consultant's one line: what credits would cost, and the saving
    against the quote's total as shown (``shown_total`` None: the demand cannot
    be met by units). Both figures are whole pounds, so the saving is their
    difference to the pound, as a reader checks it."""
    shown_cost = display_money(credits.total)
    cost = format_money(shown_cost)
    dated = prices_words(credits.prices_date)
    if shown_total is None:
        return f"The only route left: statutory credits at {cost} + VAT ({dated})."
    saving = shown_cost - shown_total
    difference = format_money(abs(saving))
    comparison = "less" if saving >= 0 else "more"
    return (
        f"Statutory credits for the same demand: {cost} + VAT ({dated}) — "
        f"this quote is {difference} {comparison}."
    )
