"""Free-text addresses to coordinates: Nominatim first, Photon as the fallback.

Nominatim (jsonv2) is asked at most once per second (its usage policy), with
the identifying User-Agent the HTTP client sends. Photon is asked when
Nominatim finds nothing or cannot be reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.errors import AddressNotFound, LocationError, ServiceFailed
from .http import ServiceClient

UK_BOUNDS = "-8.7,49.8,1.8,60.9"
"""Photon's bbox (west, south, east, north) around the United Kingdom."""


@dataclass(frozen=True)
class AddressPlace:
    lat: float
    lon: float
    label: str
    provider: str


def address_key(text: str) -> str:
    """The canonical form of an address: spacing and case do not matter."""
    return " ".join(text.split()).casefold()


class AddressGeocoder:
    def __init__(self, nominatim: ServiceClient, photon: ServiceClient, contact: str = ""):
        self._nominatim = nominatim
        self._photon = photon
        self._contact = contact

    def geocode(self, address: str) -> AddressPlace:
        """The first place found; AddressNotFound when a service answered "nothing",
        else the primary service's failure."""
        address = " ".join(address.split())
        if not address:
            raise LocationError("type an address (or a postcode) to search for")
        failures: list[LocationError] = []
        for ask in (self._ask_nominatim, self._ask_photon):
            try:
                place = ask(address)
            except LocationError as exc:
                failures.append(exc)
                continue
            if place is not None:
                return place
        if len(failures) == 2:
            raise failures[0]
        raise AddressNotFound(address)

    def _ask_nominatim(self, address: str) -> AddressPlace | None:
        params = {"q": address, "format": "jsonv2", "limit": 1, "countrycodes": "gb"}
        if self._contact:
            params["email"] = self._contact
        reply = self._nominatim.get("/search", params)
        _expect_ok(self._nominatim, reply.status)
        if not isinstance(reply.body, list):
            raise ServiceFailed(self._nominatim.name, "the answer is not a list of places")
        if not reply.body:
            return None
        first = reply.body[0]
        lat, lon = _coordinates(self._nominatim, first.get("lat"), first.get("lon"))
        return AddressPlace(lat, lon, str(first.get("display_name", "")), "nominatim")

    def _ask_photon(self, address: str) -> AddressPlace | None:
        reply = self._photon.get("/api", {"q": address, "limit": 1, "bbox": UK_BOUNDS})
        _expect_ok(self._photon, reply.status)
        features = reply.body.get("features") if isinstance(reply.body, dict) else None
        if not isinstance(features, list):
            raise ServiceFailed(self._photon.name, "the answer has no features")
        if not features:
            return None
        coordinates = (features[0].get("geometry") or {}).get("coordinates") or [None, None]
        lat, lon = _coordinates(self._photon, coordinates[1], coordinates[0])
        return AddressPlace(lat, lon, _photon_label(features[0].get("properties") or {}), "photon")


def _expect_ok(service: ServiceClient, status: int) -> None:
    if status != 200:
        raise ServiceFailed(service.name, f"HTTP {status}")


def _coordinates(service: ServiceClient, lat: Any, lon: Any) -> tuple[float, float]:
    try:
        return float(lat), float(lon)
    except (TypeError, ValueError):
        raise ServiceFailed(service.name, f"coordinates {lat!r}, {lon!r}") from None


def _photon_label(properties: dict[str, Any]) -> str:
    parts = ("name", "street", "city", "postcode", "country")
    return ", ".join(str(properties[p]) for p in parts if properties.get(p))
