"""Distinctiveness bands, unit types, tiers and contract sizes: the small
closed vocabularies of the metric, with the spellings consultants use."""

from __future__ import annotations

import re
from enum import IntEnum, StrEnum


class Band(IntEnum):
    """Distinctiveness bands in rank order (V.Low < Low < Medium < High < V.High)."""

    V_LOW = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    V_HIGH = 4

    @property
    def label(self) -> str:
        """The metric's own spelling."""
        return _BAND_LABELS[self]

    @classmethod
    def parse(cls, text: object) -> Band:
        """Read 'Very High', 'V.High', 'v high', 'medium' ... (any case)."""
        key = re.sub(r"[^a-z]", "", str(text).lower())
        try:
            return _BAND_ALIASES[key]
        except KeyError:
            raise ValueError(
                f"{text!r} is not a distinctiveness band "
                "(expected V.Low, Low, Medium, High or V.High)"
            ) from None


_BAND_LABELS = {
    Band.V_LOW: "V.Low",
    Band.LOW: "Low",
    Band.MEDIUM: "Medium",
    Band.HIGH: "High",
    Band.V_HIGH: "V.High",
}
_BAND_ALIASES = {
    "vlow": Band.V_LOW,
    "verylow": Band.V_LOW,
    "low": Band.LOW,
    "medium": Band.MEDIUM,
    "high": Band.HIGH,
    "vhigh": Band.V_HIGH,
    "veryhigh": Band.V_HIGH,
}


class UnitType(StrEnum):
    """The three ledgers. Units of different types are never mixed."""

    AREA = "area"
    HEDGEROW = "hedgerow"
    WATERCOURSE = "watercourse"

    @classmethod
    def parse(cls, text: object) -> UnitType:
        key = str(text).strip().lower()
        aliases = {"hedgerows": "hedgerow", "watercourses": "watercourse", "habitat": "area"}
        try:
            return cls(aliases.get(key, key))
        except ValueError:
            raise ValueError(
                f"{text!r} is not a unit type (expected area, hedgerow or watercourse)"
            ) from None


class Tier(StrEnum):
    """A bank's spatial tier relative to the site."""

    LOCAL = "local"
    ADJACENT = "adjacent"
    FAR = "far"

    @property
    def rank(self) -> int:
        return _TIER_RANK[self]

    @classmethod
    def parse(cls, text: object) -> Tier:
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise ValueError(f"{text!r} is not a tier (expected local, adjacent or far)") from None


_TIER_RANK = {Tier.LOCAL: 0, Tier.ADJACENT: 1, Tier.FAR: 2}


class ContractSize(StrEnum):
    """Contract sizes, smallest first."""

    FRACTIONAL = "fractional"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def rank(self) -> int:
        return list(ContractSize).index(self)

    @classmethod
    def parse(cls, text: object) -> ContractSize:
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise ValueError(
                f"{text!r} is not a contract size (expected fractional, small, medium or large)"
            ) from None
