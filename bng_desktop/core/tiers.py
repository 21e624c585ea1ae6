"""Bank tiers relative to a site, and the statutory spatial risk multiplier."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache

from .bands import Tier
from .model import Bank, Site

SPATIAL_RISK_MULTIPLIER: dict[Tier, Fraction] = {
    Tier.LOCAL: Fraction(1),
    Tier.ADJACENT: Fraction(3, 4),
    Tier.FAR: Fraction(1, 2),
}
"""Statutory: delivering D units from a bank at tier t uses D / multiplier of its stock."""

STOCK_PER_UNIT: dict[Tier, Fraction] = {t: 1 / m for t, m in SPATIAL_RISK_MULTIPLIER.items()}

_PHRASES = (
    "royal borough of",
    "metropolitan borough of",
    "metropolitan borough",
    "city and district",
    "london borough of",
    "borough of",
    "city of",
    "county of",
)
_WORDS = ("council", "borough", "district", "county", "unitary authority", "unitary", "city")
_PHRASE_RE = re.compile("|".join(re.escape(p) for p in _PHRASES))
_WORD_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _WORDS) + r")\b")


@lru_cache(maxsize=4096)
def normalise_place(name: str) -> str:
    """Compare LPA/NCA names loosely: 'Winchester City Council' = 'Winchester',
    'Bristol, City of' = 'Bristol City Council'.

    RULES.md's phrases, plus two council styles its list misses ("Rochdale
    Metropolitan Borough Council", "St Albans City and District Council")."""
    text = name.lower().replace("&", " and ")
    text = _PHRASE_RE.sub(" ", text)
    text = _WORD_RE.sub(" ", text)
    return re.sub(r"[^a-z0-9]", "", text)


class SiteGeography:
    """A site's names, normalised once, ready to place many banks."""

    def __init__(self, site: Site):
        self.site = site
        self.lpa = normalise_place(site.lpa)
        self.nca = normalise_place(site.nca)
        self.lpa_neighbours = frozenset(normalise_place(n) for n in site.lpa_neighbours) - {""}
        self.nca_neighbours = frozenset(normalise_place(n) for n in site.nca_neighbours) - {""}

    def tier_of(self, bank: Bank) -> Tier:
        """Local if same LPA or same NCA; adjacent if a neighbour on either axis; else far.
        A site with no location makes every bank far (neighbours alone place nothing)."""
        if not self.site.has_location:
            return Tier.FAR
        lpa, nca = normalise_place(bank.lpa), normalise_place(bank.nca)
        if (lpa and lpa == self.lpa) or (nca and nca == self.nca):
            return Tier.LOCAL
        if (lpa and lpa in self.lpa_neighbours) or (nca and nca in self.nca_neighbours):
            return Tier.ADJACENT
        return Tier.FAR


def tier_of(bank: Bank, site: Site) -> Tier:
    return SiteGeography(site).tier_of(bank)


def tier_counts(banks: Iterable[Bank], site: Site) -> Counter[Tier]:
    """How many banks are local, adjacent and far for a site."""
    geography = SiteGeography(site)
    return Counter(geography.tier_of(bank) for bank in banks)
