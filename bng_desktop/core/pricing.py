"""Price lookup: exact rows, the proxy rules for area demand, promoter discounts
(``tier_up``: the size prices are read at; ``percentage``: the factor on them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from .bands import Band, ContractSize, Tier, UnitType
from .model import Habitat
from .policy import Promoter
from .trading import Deficit

EXACT = "exact"
PROXY = "proxy"


@dataclass(frozen=True, slots=True)
class Price:
    value: Fraction
    source: str
    habitat: str
    """The habitat whose price row was used (the supply itself when exact)."""
    amount: float = field(init=False, compare=False, repr=False)
    """The value as a float, worked out once: for ordering and the objective."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", float(self.value))


def next_size_up(size: ContractSize, present: Iterable[ContractSize]) -> ContractSize:
    """The next larger size present; the same size at the top."""
    larger = sorted((s for s in set(present) if s.rank > size.rank), key=lambda s: s.rank)
    return larger[0] if larger else size


def pricing_size(
    size: ContractSize, present: Iterable[ContractSize], promoter: Promoter | None
) -> ContractSize:
    """The contract size whose prices a quote reads: ``tier_up`` promoters price
    at the next larger size present (the reported size and admin fee stay)."""
    if promoter is not None and promoter.discount_type == "tier_up":
        return next_size_up(size, present)
    return size


def discount_factor(promoter: Promoter | None) -> Fraction:
    """``percentage`` promoters take p% off every option price."""
    if promoter is not None and promoter.discount_type == "percentage":
        return 1 - promoter.discount_value / 100
    return Fraction(1)


def proxy_price(
    deficit: Deficit,
    rows: tuple[tuple[Fraction, str], ...],
    legal: frozenset[str],
    habitats: Mapping[str, Habitat],
) -> tuple[Fraction, str] | None:
    """The price reference for a supply with no exact row, per RULES.md.

    ``rows`` are the (price, habitat) rows at one bank, tier and size, cheapest
    first. Low and Net Gain area demand: the cheapest legal area row. Medium:
    the cheapest legal row of the demand's trading group if there is one (even
    when a higher band is cheaper), else of a higher band. Otherwise none.
    """
    if deficit.unit_type is not UnitType.AREA:
        return None
    band = deficit.trading_band
    if band is Band.LOW:
        return next(((p, h) for p, h in rows if h in legal), None)
    if band is Band.MEDIUM and deficit.habitat is not None:
        group = deficit.habitat.trading_broad_habitat
        same_group = next(
            ((p, h) for p, h in rows if h in legal and habitats[h].trading_broad_habitat == group),
            None,
        )
        if same_group is not None:
            return same_group
        return next(
            ((p, h) for p, h in rows if h in legal and habitats[h].band > Band.MEDIUM), None
        )
    return None


class PriceBook:
    """Prices for one quote: one pricing size, one promoter discount."""

    def __init__(
        self,
        prices: Mapping[tuple[str, Tier, ContractSize, str], Fraction],
        rows_at: Mapping[tuple[str, Tier, ContractSize], tuple[tuple[Fraction, str], ...]],
        habitats: Mapping[str, Habitat],
        size: ContractSize,
        promoter: Promoter | None = None,
    ):
        self._prices = prices
        self._rows_at = rows_at
        self._habitats = habitats
        self.size = size
        self.factor = discount_factor(promoter)
        self._exact: dict[tuple[str, Tier, str], Price | None] = {}
        self._proxies: dict[tuple[str, Tier, str], Price] = {}
        """One proxy price per price row: every line priced by the same row
        at a bank shares it (a national quote prices thousands so)."""

    def exact(self, bank_id: str, tier: Tier, habitat: str) -> Price | None:
        key = (bank_id, tier, habitat)
        if key not in self._exact:
            value = self._prices.get((bank_id, tier, self.size, habitat))
            self._exact[key] = (
                None if value is None else Price(self._discounted(value), EXACT, habitat)
            )
        return self._exact[key]

    def _discounted(self, value: Fraction) -> Fraction:
        return value if self.factor == 1 else value * self.factor

    def proxy(
        self, bank_id: str, tier: Tier, deficit: Deficit, legal: frozenset[str]
    ) -> Price | None:
        rows = self._rows_at.get((bank_id, tier, self.size), ())
        found = proxy_price(deficit, rows, legal, self._habitats)
        if found is None:
            return None
        key = (bank_id, tier, found[1])
        price = self._proxies.get(key)
        if price is None:
            price = self._proxies[key] = Price(self._discounted(found[0]), PROXY, found[1])
        return price
