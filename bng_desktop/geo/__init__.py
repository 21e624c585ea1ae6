"""Locating sites and banks: postcode / address / coordinates → LPA, NCA and neighbours.

    with LocationService.open(paths.cache_dir) as service:
        location = service.locate_postcode("so23 9lj")   # blocking; run it off the UI loop
        site = location.to_site()

Lookups go to postcodes.io, Nominatim (Photon as fallback) and two ArcGIS
FeatureServer layers over httpx (config.py: every address can be overridden
by an environment variable), through an on-disk cache (cache.py). District
neighbours come bundled, so an LPA gets correct tiers offline.
"""

from .banks import BankBatch, locate_bank, locate_banks
from .config import GeoSettings, geo_settings
from .location import Location
from .postcodes import normalise_postcode
from .service import LocationService

__all__ = [
    "BankBatch",
    "GeoSettings",
    "Location",
    "LocationService",
    "geo_settings",
    "locate_bank",
    "locate_banks",
    "normalise_postcode",
]
