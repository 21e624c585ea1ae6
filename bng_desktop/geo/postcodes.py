"""UK postcodes: the format check, and postcodes.io for coordinates and district.

The format is checked before any request, so a typo never costs a network
round trip and gets a message about the typo, not about the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core.errors import LocationError, PostcodeNotFound, ServiceFailed
from .http import ServiceClient

_COMPACT = re.compile(r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$")
"""Outward code (area letters, district digit, optional letter or digit), then
inward code (sector digit, unit letters); GIR 0AA is the one historic exception."""


def normalise_postcode(text: str) -> str:
    """'sw1a1aa' → 'SW1A 1AA'; LocationError when it cannot be a UK postcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    if not _COMPACT.match(compact):
        raise LocationError(
            f"{text.strip()!r} is not a UK postcode (like SW1A 1AA): check it, or search by address"
        )
    return f"{compact[:-3]} {compact[-3:]}"


@dataclass(frozen=True)
class PostcodePlace:
    postcode: str
    lat: float
    lon: float
    district: str
    """postcodes.io's admin_district (admin_county when blank): a fallback LPA."""


class PostcodesClient:
    def __init__(self, service: ServiceClient):
        self._service = service

    def lookup(self, postcode: str) -> PostcodePlace:
        """``postcode`` as normalise_postcode returns it."""
        reply = self._service.get(f"/postcodes/{postcode.replace(' ', '')}", {})
        if reply.status == 404:
            raise PostcodeNotFound(postcode)
        result = reply.body.get("result") if isinstance(reply.body, dict) else None
        if reply.status != 200 or not isinstance(result, dict):
            raise ServiceFailed(self._service.name, f"HTTP {reply.status} without a result")
        return _place(postcode, result, self._service.name)


def _place(postcode: str, result: dict[str, Any], service: str) -> PostcodePlace:
    lat, lon = result.get("latitude"), result.get("longitude")
    if lat is None or lon is None:
        raise LocationError(
            f"postcode {postcode} has no coordinates in postcodes.io (a new or "
            "non-geographic postcode): search by address, or pick LPA and NCA by hand"
        )
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ServiceFailed(service, f"coordinates {lat!r}, {lon!r}") from None
    district = result.get("admin_district") or result.get("admin_county") or ""
    return PostcodePlace(result.get("postcode") or postcode, lat, lon, str(district))
