"""What a lookup answers: a Location, and how it becomes the quote's Site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from ..core.model import Site

T = TypeVar("T")

NETWORK, CACHE, BUNDLED = "network", "cache", "bundled"


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """One answer and where it came from."""

    value: T
    from_cache: bool
    fetched_at: float
    """Epoch seconds of the original request (not of this read from the cache)."""


@dataclass(frozen=True)
class Location:
    lpa: str
    nca: str
    lpa_neighbours: tuple[str, ...]
    nca_neighbours: tuple[str, ...]
    lat: float | None
    lon: float | None
    source: str
    """network: at least one part was fetched now; cache: every part came from
    the cache; bundled: nothing was looked up (names picked by hand, neighbours
    from the bundled list)."""
    fetched_at: str
    """ISO 8601 UTC of the oldest answer used; empty when nothing was looked up."""
    located_by: str
    """postcode, address, point (coordinates given) or manual (names picked)."""
    query: str = ""
    warnings: tuple[str, ...] = ()
    """Parts that could not be looked up; the rest of the location stands."""

    def to_site(self, label: str | None = None) -> Site:
        """The quote's Site. A location looked up earlier and served from the
        cache says so (``located_by = "cached"``) and keeps the time it was
        first fetched; names picked by hand stay ``manual``."""
        cached = self.source == CACHE and self.located_by != "manual"
        return Site(
            lpa=self.lpa,
            nca=self.nca,
            lpa_neighbours=self.lpa_neighbours,
            nca_neighbours=self.nca_neighbours,
            lat=self.lat,
            lon=self.lon,
            located_by="cached" if cached else self.located_by,
            located_at=self.fetched_at or iso_time(datetime.now(UTC).timestamp()),
            label=self.query if label is None else label,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "lpa": self.lpa,
            "nca": self.nca,
            "lpa_neighbours": list(self.lpa_neighbours),
            "nca_neighbours": list(self.nca_neighbours),
            "lat": self.lat,
            "lon": self.lon,
            "source": self.source,
            "fetched_at": self.fetched_at or None,
            "located_by": self.located_by,
            "query": self.query,
            "warnings": list(self.warnings),
        }


def provenance(parts: list[Fetched[Any]]) -> tuple[str, str]:
    """(source, fetched_at) of a location assembled from ``parts``."""
    if not parts:
        return BUNDLED, ""
    source = CACHE if all(p.from_cache for p in parts) else NETWORK
    return source, iso_time(min(p.fetched_at for p in parts))


def iso_time(epoch_seconds: float) -> str:
    return datetime.fromtimestamp(epoch_seconds, UTC).isoformat(timespec="seconds")
