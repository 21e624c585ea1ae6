"""Location settings: service addresses, time limits, cache lifetimes and size.

Every service's base URL can be overridden by an environment variable, so
tests and staging point the program at other servers:

    BNG_POSTCODES_URL   BNG_NOMINATIM_URL   BNG_PHOTON_URL
    BNG_ARCGIS_LPA_URL  BNG_ARCGIS_NCA_URL  BNG_GEO_CONTACT (sent in the User-Agent)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from .. import __version__
from ..core.errors import LocationError

DAY = 86_400.0

ENVIRONMENT = {
    "postcodes_url": "BNG_POSTCODES_URL",
    "nominatim_url": "BNG_NOMINATIM_URL",
    "photon_url": "BNG_PHOTON_URL",
    "arcgis_lpa_url": "BNG_ARCGIS_LPA_URL",
    "arcgis_nca_url": "BNG_ARCGIS_NCA_URL",
    "contact": "BNG_GEO_CONTACT",
}
"""GeoSettings field → the environment variable that overrides it."""


@dataclass(frozen=True)
class GeoSettings:
    postcodes_url: str = "https://api.postcodes.io"
    nominatim_url: str = "https://nominatim.openstreetmap.org"
    photon_url: str = "https://photon.komoot.io"
    arcgis_lpa_url: str = (
        "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
        "Local_Authority_Districts_December_2024_Boundaries_UK_BFC/FeatureServer/0"
    )
    arcgis_nca_url: str = (
        "https://services.arcgis.com/JJzESW51TqeY9uat/arcgis/rest/services/"
        "National_Character_Areas_England/FeatureServer/0"
    )
    lpa_field: str = "LAD24NM"
    nca_field: str = "NCA_Name"
    contact: str = ""
    """An e-mail or web address for the User-Agent, as Nominatim's policy asks."""

    connect_timeout: float = 3.0
    read_timeout: float = 6.0
    budget: float = 7.0
    """Seconds one whole lookup may take, retries included (the CLI promises 10)."""
    attempts: int = 3
    backoff: float = 0.25
    """First pause between attempts; doubled after each failure."""
    nominatim_interval: float = 1.0

    postcode_ttl: float = 30 * DAY
    address_ttl: float = 30 * DAY
    area_ttl: float = 90 * DAY
    neighbours_ttl: float = 180 * DAY
    cache_max_bytes: int = 32 * 1024 * 1024

    @property
    def user_agent(self) -> str:
        contact = f" ({self.contact})" if self.contact else ""
        return f"BNG-Desktop/{__version__}{contact}"


def geo_settings(environ: Mapping[str, str] | None = None, **overrides) -> GeoSettings:
    """The defaults, then the environment, then ``overrides`` (for tests)."""
    environ = os.environ if environ is None else environ
    values = {field: environ[name] for field, name in ENVIRONMENT.items() if environ.get(name)}
    settings = replace(GeoSettings(), **values, **overrides)
    for field in ENVIRONMENT:
        if field.endswith("_url"):
            settings = replace(settings, **{field: _checked_url(field, getattr(settings, field))})
    return settings


def _checked_url(field: str, url: str) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LocationError(
            f"{ENVIRONMENT[field]} must be an http(s) address, not {url!r}; fix or unset it"
        )
    return url
