"""Fixtures: the fake services on a free loopback port, settings aimed at them,
an injected clock, and location services built on those."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bng_desktop.geo.cache import LookupCache
from bng_desktop.geo.config import GeoSettings, geo_settings
from bng_desktop.geo.ratelimit import RateLimiter
from bng_desktop.geo.service import LocationService
from tests.geo.fakes import FakeClock, FakeServices

FAST = {
    "connect_timeout": 0.5,
    "read_timeout": 0.5,
    "budget": 4.0,
    "backoff": 0.01,
}
"""Short timeouts and backoff, so failure tests take well under a second."""


@pytest.fixture
def fake() -> Iterator[FakeServices]:
    services = FakeServices().start()
    yield services
    services.stop()


@pytest.fixture
def settings(fake: FakeServices) -> GeoSettings:
    return geo_settings({}, **fake.urls(), **FAST)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_service(
    tmp_path: Path, settings: GeoSettings, clock: FakeClock
) -> Iterator[Callable[..., LocationService]]:
    """Build services on one cache file; every one is closed after the test."""
    opened: list[LocationService] = []

    def make(*, offline: bool = False, max_bytes: int = 1 << 20, **overrides) -> LocationService:
        chosen = dataclasses.replace(settings, **overrides)
        cache = LookupCache.in_dir(tmp_path / "cache", max_bytes=max_bytes, clock=clock)
        limiter = RateLimiter(chosen.nominatim_interval, clock=clock, sleep=clock.sleep)
        service = LocationService(chosen, cache, offline=offline, nominatim_limiter=limiter)
        opened.append(service)
        return service

    yield make
    for service in opened:
        service.close()


@pytest.fixture
def service(make_service: Callable[..., LocationService]) -> LocationService:
    return make_service()
