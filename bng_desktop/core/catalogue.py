"""The statutory habitat facts that back up a backend workbook's catalogue.

A workbook's HabitatCatalog may omit the irreplaceable flag or the Medium-band
trading group; these come from the bundled statutory list. The facts are
loaded from files by the io layer; the rules for combining them live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .bands import Band, UnitType
from .model import Habitat
from .names import fold

__all__ = ["StatutoryFacts", "fold", "merged_trading_group", "resolve_habitat"]

_INTERTIDAL = ("Intertidal sediment", "Intertidal hard structures")
INTERTIDAL_GROUP = "Intertidal sediment and hard structures"


def merged_trading_group(broad_habitat: str) -> str:
    """The Medium-band trading group when no table gives one: the broad
    habitat, with the two intertidal groups trading as one."""
    return INTERTIDAL_GROUP if broad_habitat in _INTERTIDAL else broad_habitat


@dataclass(frozen=True)
class StatutoryFacts:
    """Public reference facts bundled with the app (assets/data)."""

    habitats: dict[str, Habitat] = field(default_factory=dict)
    """Keyed by fold(name)."""
    districts: tuple[str, ...] = ()
    lpa_neighbours: tuple[tuple[str, str], ...] = ()
    ncas: tuple[str, ...] = ()

    def habitat(self, name: str) -> Habitat | None:
        return self.habitats.get(fold(name))


def resolve_habitat(
    name: str,
    unit_type: UnitType,
    band: Band,
    broad_habitat: str,
    trading_broad_habitat: str | None,
    irreplaceable: bool | None,
    facts: StatutoryFacts,
) -> Habitat:
    """A catalogue row completed by the rules of RULES.md.

    Trading group: the catalogue's column, else the statutory list's, else the
    broad habitat with the intertidal groups merged. Irreplaceable: the
    catalogue's column, else the statutory list's flag.
    """
    known = facts.habitat(name)
    if not trading_broad_habitat:
        trading_broad_habitat = (
            known.trading_broad_habitat if known else merged_trading_group(broad_habitat)
        )
    if irreplaceable is None:
        irreplaceable = bool(known and known.irreplaceable)
    return Habitat(
        name=name,
        unit_type=unit_type,
        band=band,
        broad_habitat=broad_habitat,
        trading_broad_habitat=trading_broad_habitat,
        irreplaceable=irreplaceable,
    )
