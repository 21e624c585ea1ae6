"""The location service: points, picked names, offline use, partial answers, the Site."""

from __future__ import annotations

import asyncio
import time

import pytest

from bng_desktop.core.errors import LocationError, ServiceUnreachable
from bng_desktop.core.model import Bank
from bng_desktop.core.tiers import SiteGeography
from bng_desktop.geo.budget import call_within
from bng_desktop.geo.config import geo_settings
from bng_desktop.geo.location import iso_time
from tests.geo.test_postcodes import OFFLINE_MESSAGE, closed_port


def test_a_point_is_located_with_both_kinds_of_neighbours(fake, service) -> None:
    location = service.locate_point(55.0, -2.3)
    assert (location.lpa, location.nca) == ("Northumberland", "Tyne Gap and Hadrian's Wall")
    assert "Newcastle upon Tyne" in location.lpa_neighbours  # the bundled ONS list
    assert location.nca_neighbours == ("Border Moors and Forests",)
    assert location.located_by == "point" and location.query == "55.000000,-2.300000"
    assert fake.count("postcodes") == fake.count("nominatim") == 0


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (0, 181), (float("nan"), 0)])
def test_a_point_off_the_earth_is_refused_before_any_request(fake, service, lat, lon) -> None:
    with pytest.raises(LocationError, match="not a point on Earth"):
        service.locate_point(lat, lon)
    assert fake.count() == 0


def test_a_point_no_area_covers_is_a_clear_error(fake, service) -> None:
    with pytest.raises(LocationError, match="outside England"):
        service.locate_point(40.0, 10.0)


def test_lpa_neighbours_come_bundled_without_any_request(fake, service) -> None:
    location = service.locate_names("Winchester City Council", "")
    assert "Test Valley" in location.lpa_neighbours
    assert (location.source, location.fetched_at) == ("bundled", "")
    assert fake.count() == 0


def test_a_district_the_bundled_list_lacks_gets_its_neighbours_online(fake, service) -> None:
    location = service.locate_point(52.6, 1.4)
    assert location.lpa == "Fakeshire"
    assert location.lpa_neighbours == ("Breckland",)
    assert location.nca == "" and "no NCA covers this point" in location.warnings


def test_offline_answers_from_the_cache_with_no_request(fake, make_service) -> None:
    online = make_service().locate_postcode("SO23 9LJ")
    before = fake.count()
    offline = make_service(offline=True).locate_postcode("so23 9lj")
    assert fake.count() == before
    assert offline.source == "cache"
    assert offline.lpa_neighbours == online.lpa_neighbours
    assert offline.nca_neighbours == online.nca_neighbours


def test_offline_with_nothing_cached_sends_the_user_to_the_pickers(fake, make_service) -> None:
    with pytest.raises(ServiceUnreachable) as caught:
        make_service(offline=True).locate_postcode("SO23 9LJ")
    assert str(caught.value) == OFFLINE_MESSAGE
    assert fake.count() == 0


def test_offline_picked_names_still_get_correct_lpa_tiers(fake, make_service) -> None:
    location = make_service(offline=True).locate_names("Winchester", "South Downs")
    assert location.nca_neighbours == ()
    assert any("NCA neighbours of South Downs unknown" in w for w in location.warnings)
    geography = SiteGeography(location.to_site())
    assert geography.tier_of(Bank("B1", "", "Winchester City Council")).value == "local"
    assert geography.tier_of(Bank("B2", "", "Test Valley")).value == "adjacent"
    assert geography.tier_of(Bank("B3", "", "Cornwall")).value == "far"


def test_with_arcgis_down_the_postcode_district_stands_in_for_the_lpa(fake, make_service) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    location = make_service(arcgis_lpa_url=dead, arcgis_nca_url=dead).locate_postcode("SO23 9LJ")
    assert (location.lpa, location.nca) == ("Winchester", "")
    assert "Test Valley" in location.lpa_neighbours
    assert any("ArcGIS (NCA) is unreachable" in w for w in location.warnings)


def test_with_everything_down_a_point_gives_the_offline_message(make_service) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    service = make_service(arcgis_lpa_url=dead, arcgis_nca_url=dead)
    with pytest.raises(ServiceUnreachable, match=r"^service unreachable — you are offline"):
        service.locate_point(51.0632, -1.3081)


def test_the_site_records_how_and_when_it_was_located(fake, service, clock) -> None:
    site = service.locate_postcode("SO23 9LJ").to_site()
    assert (site.lpa, site.nca, site.label) == ("Winchester", "Hampshire Downs", "SO23 9LJ")
    assert site.located_by == "postcode" and site.located_at == iso_time(clock.now)
    assert (site.lat, site.lon) == (51.0632, -1.3081)
    fetched = clock.now
    clock.advance(3600)
    again = service.locate_postcode("SO23 9LJ").to_site()
    assert again.located_by == "cached" and again.located_at == iso_time(fetched)
    manual = service.locate_names("Winchester", "Hampshire Downs").to_site()
    assert manual.located_by == "manual"


def test_the_hard_limit_abandons_a_call_that_hangs() -> None:
    started = time.monotonic()
    with pytest.raises(ServiceUnreachable, match="you are offline"):
        call_within(0.2, lambda: time.sleep(3))
    assert time.monotonic() - started < 1.0


def test_every_service_address_can_come_from_the_environment() -> None:
    names = ("POSTCODES", "NOMINATIM", "PHOTON", "ARCGIS_LPA", "ARCGIS_NCA")
    environ = {f"BNG_{n}_URL": f"http://127.0.0.1:9/{n.lower()}/" for n in names}
    settings = geo_settings(environ)
    assert settings.postcodes_url == "http://127.0.0.1:9/postcodes"
    assert settings.arcgis_nca_url == "http://127.0.0.1:9/arcgis_nca"
    with pytest.raises(LocationError, match="BNG_PHOTON_URL must be an http"):
        geo_settings({"BNG_PHOTON_URL": "photon.local"})


def test_a_lookup_run_in_a_thread_leaves_the_event_loop_free(fake, service) -> None:
    """How the UI calls it: the loop keeps ticking while the services are slow."""
    fake.script("postcodes", 0.3)

    async def ui() -> tuple[str, int]:
        ticks = 0
        lookup = asyncio.create_task(asyncio.to_thread(service.locate_postcode, "SO23 9LJ"))
        while not lookup.done():
            await asyncio.sleep(0.01)
            ticks += 1
        return (await lookup).lpa, ticks

    lpa, ticks = asyncio.run(ui())
    assert lpa == "Winchester"
    assert ticks >= 10
