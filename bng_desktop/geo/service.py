"""LocationService: postcode, address, coordinates or picked names → Location.

Every answer goes through the on-disk cache, so a repeated lookup makes no
request. District neighbours come from the bundled ONS list (no network);
NCA neighbours are fetched once and cached. When a part cannot be looked up,
the rest stands and the Location carries a warning; only when neither the LPA
nor the NCA can be found does a lookup fail, with a LocationError whose
message the shells show as it is.

The methods block. Each runs in a worker thread with a hard time limit, and
all its requests share one time budget, so no call takes much longer than
``settings.budget`` even on a dead network. The UI calls them through its job
runner (a thread pool); they are safe to call from several threads at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ..core.errors import LocationError, ServiceFailed, ServiceUnreachable
from ..core.tiers import normalise_place
from .arcgis import ArcGisLayer
from .budget import call_within, lookup_budget
from .bundled import bundled_lpa_neighbours
from .cache import LookupCache
from .config import GeoSettings, geo_settings
from .geocode import AddressGeocoder, address_key
from .http import ServiceClient, new_http_client
from .location import Fetched, Location, provenance
from .postcodes import PostcodePlace, PostcodesClient, normalise_postcode
from .ratelimit import RateLimiter, shared_limiter

T = TypeVar("T")

HARD_LIMIT_GRACE = 1.0
"""Seconds past the budget before a call is abandoned (see budget.call_within)."""


@dataclass
class _Trail:
    """What one lookup gathered on its way: the answers used, and what went wrong."""

    parts: list[Fetched[Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[LocationError] = field(default_factory=list)

    def location(self, **fields: Any) -> Location:
        source, fetched_at = provenance(self.parts)
        return Location(
            **fields, source=source, fetched_at=fetched_at, warnings=tuple(self.warnings)
        )


class LocationService:
    def __init__(
        self,
        settings: GeoSettings,
        cache: LookupCache,
        *,
        offline: bool = False,
        http: httpx.Client | None = None,
        nominatim_limiter: RateLimiter | None = None,
    ):
        self.settings = settings
        self.cache = cache
        self.offline = offline
        self._http = http or new_http_client(settings)
        limiter = nominatim_limiter or shared_limiter(
            settings.nominatim_url, settings.nominatim_interval
        )
        client = partial(ServiceClient, http=self._http, settings=settings, offline=offline)
        self._postcodes = PostcodesClient(client("postcodes.io", settings.postcodes_url))
        self._geocoder = AddressGeocoder(
            client("Nominatim", settings.nominatim_url, before_request=limiter.wait),
            client("Photon", settings.photon_url),
            settings.contact,
        )
        self._layers = {
            "lpa": ArcGisLayer(client("ArcGIS (LPA)", settings.arcgis_lpa_url), settings.lpa_field),
            "nca": ArcGisLayer(client("ArcGIS (NCA)", settings.arcgis_nca_url), settings.nca_field),
        }

    @classmethod
    def open(
        cls, cache_dir: Path, settings: GeoSettings | None = None, **kwargs: Any
    ) -> LocationService:
        """A service whose cache lives in ``cache_dir`` (Paths.cache_dir)."""
        settings = settings or geo_settings()
        cache = LookupCache.in_dir(cache_dir, max_bytes=settings.cache_max_bytes)
        return cls(settings, cache, **kwargs)

    def close(self) -> None:
        self._http.close()
        self.cache.close()

    def __enter__(self) -> LocationService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ site lookups

    def locate_postcode(self, text: str) -> Location:
        postcode = normalise_postcode(text)  # before any request

        def work() -> Location:
            place = self._postcode(postcode)
            lat, lon, district = place.value["lat"], place.value["lon"], place.value["district"]
            return self._locate(lat, lon, "postcode", postcode, _Trail([place]), district)

        return self._bounded(work)

    def locate_address(self, text: str) -> Location:
        def work() -> Location:
            place = self._address(text)
            lat, lon = place.value["lat"], place.value["lon"]
            return self._locate(lat, lon, "address", " ".join(text.split()), _Trail([place]))

        return self._bounded(work)

    def locate_point(self, lat: float, lon: float) -> Location:
        check_point(lat, lon)
        query = f"{lat:.6f},{lon:.6f}"
        return self._bounded(lambda: self._locate(lat, lon, "point", query, _Trail()))

    def locate_names(self, lpa: str, nca: str) -> Location:
        """LPA and NCA picked by hand: their neighbours, bundled or looked up."""
        lpa, nca = lpa.strip(), nca.strip()
        if not (lpa or nca):
            raise LocationError("pick a local planning authority or a National Character Area")

        def work() -> Location:
            trail = _Trail()
            lpa_near = self._lpa_neighbours(lpa, None, trail)
            nca_near = self._neighbours("nca", nca, None, trail)
            return trail.location(
                lpa=lpa,
                nca=nca,
                lpa_neighbours=lpa_near,
                nca_neighbours=nca_near,
                lat=None,
                lon=None,
                located_by="manual",
                query=" / ".join(n for n in (lpa, nca) if n),
            )

        return self._bounded(work)

    # ------------------------------------------------------------ for banks

    def postcode_place(self, text: str) -> PostcodePlace:
        postcode = normalise_postcode(text)
        return PostcodePlace(**self._bounded(lambda: self._postcode(postcode)).value)

    def areas_at(self, lat: float, lon: float) -> tuple[str, str]:
        """(LPA, NCA) names at a point, either empty where no area covers it."""
        check_point(lat, lon)

        def work() -> tuple[str, str]:
            lpa, _ = self._area("lpa", lat, lon)
            nca, _ = self._area("nca", lat, lon)
            return lpa.value, nca.value

        return self._bounded(work)

    # ------------------------------------------------------------ internals

    def _bounded(self, work: Callable[[], T]) -> T:
        def budgeted() -> T:
            with lookup_budget(self.settings.budget):
                return work()

        return call_within(self.settings.budget + HARD_LIMIT_GRACE, budgeted)

    def _cached(self, key: str, ttl: float, fetch: Callable[[], Any]) -> Fetched[Any]:
        hit = self.cache.get(key)
        if hit is not None:
            return Fetched(hit.value, True, hit.fetched_at)
        value = fetch()
        self.cache.put(key, value, ttl)
        return Fetched(value, False, self.cache.clock())

    def _postcode(self, postcode: str) -> Fetched[dict[str, Any]]:
        fetch = lambda: asdict(self._postcodes.lookup(postcode))  # noqa: E731
        return self._cached(f"postcode:{postcode}", self.settings.postcode_ttl, fetch)

    def _address(self, text: str) -> Fetched[dict[str, Any]]:
        fetch = lambda: asdict(self._geocoder.geocode(text))  # noqa: E731
        return self._cached(f"address:{address_key(text)}", self.settings.address_ttl, fetch)

    def _area(self, kind: str, lat: float, lon: float) -> tuple[Fetched[str], Any]:
        """The name at a point, and the outline when it was fetched just now."""
        outline: list[Any] = [None]

        def fetch() -> str:
            area = self._layers[kind].area_at(lat, lon)
            outline[0] = area.geometry
            return area.name

        key = f"{kind}-at:{lat:.5f},{lon:.5f}"
        return self._cached(key, self.settings.area_ttl, fetch), outline[0]

    def _locate(
        self, lat: float, lon: float, located_by: str, query: str, trail: _Trail, district=""
    ) -> Location:
        lpa, lpa_outline = self._try_area("lpa", lat, lon, trail)
        if not lpa and district:
            lpa = district
            trail.warnings.append(f"LPA taken from the postcode's district ({district})")
        nca, nca_outline = self._try_area("nca", lat, lon, trail)
        if not (lpa or nca):
            if trail.failures:
                raise trail.failures[0]
            raise LocationError(
                f"no local planning authority or National Character Area covers "
                f"{lat:.5f}, {lon:.5f} (outside England?): pick LPA and NCA by hand"
            )
        lpa_near = self._lpa_neighbours(lpa, lpa_outline, trail)
        nca_near = self._neighbours("nca", nca, nca_outline, trail)
        return trail.location(
            lpa=lpa,
            nca=nca,
            lpa_neighbours=lpa_near,
            nca_neighbours=nca_near,
            lat=lat,
            lon=lon,
            located_by=located_by,
            query=query,
        )

    def _try_area(self, kind: str, lat: float, lon: float, trail: _Trail) -> tuple[str, Any]:
        """The name at a point; a service failure becomes a warning (and "")."""
        try:
            name, outline = self._area(kind, lat, lon)
        except (ServiceUnreachable, ServiceFailed) as exc:
            trail.failures.append(exc)
            trail.warnings.append(f"{kind.upper()} unknown: {_reason(exc)}")
            return "", None
        trail.parts.append(name)
        if not name.value:
            trail.warnings.append(f"no {kind.upper()} covers this point")
        return name.value, outline

    def _lpa_neighbours(self, lpa: str, outline: Any, trail: _Trail) -> tuple[str, ...]:
        bundled = bundled_lpa_neighbours(lpa) if lpa else ()
        if bundled is not None:
            return bundled
        return self._neighbours("lpa", lpa, outline, trail)

    def _neighbours(self, kind: str, name: str, outline: Any, trail: _Trail) -> tuple[str, ...]:
        if not name:
            return ()
        layer = self._layers[kind]
        key = f"{kind}-neighbours:{normalise_place(name)}"
        fetch = lambda: list(layer.neighbours_of(name, outline))  # noqa: E731
        try:
            answer = self._cached(key, self.settings.neighbours_ttl, fetch)
        except LocationError as exc:
            trail.warnings.append(
                f"{kind.upper()} neighbours of {name} unknown ({_reason(exc)}): "
                f"banks in neighbouring {kind.upper()}s count as far"
            )
            return ()
        trail.parts.append(answer)
        return tuple(answer.value)


def check_point(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise LocationError(
            f"{lat}, {lon} is not a point on Earth: give latitude then longitude, "
            "in degrees (like 51.0632,-1.3081)"
        )


def _reason(exc: LocationError) -> str:
    if isinstance(exc, ServiceUnreachable):
        return f"{exc.service or 'the service'} is unreachable"
    if isinstance(exc, ServiceFailed):
        return f"{exc.service}: {exc.detail}"
    return str(exc)
