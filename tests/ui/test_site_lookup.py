"""Locating the site from the quote page: a postcode filled in through the
(fake) location services, and the offline path back to the manual pickers."""

from __future__ import annotations

import pytest
from nicegui import app
from nicegui.testing import User

from bng_desktop.ui.pages.quote import CURRENT_DRAFT
from tests.geo.fakes import FakeServices

pytestmark = pytest.mark.asyncio


@pytest.fixture
def fake(monkeypatch):
    services = FakeServices().start()
    for name, url in services.environment().items():
        monkeypatch.setenv(name, url)
    yield services
    services.stop()


async def test_a_postcode_fills_in_the_lpa_and_nca(fake, user: User, services):
    await user.open("/")
    user.find(marker="postcode").type("so23 9lj")
    user.find(marker="locate").click()
    await user.should_see("Winchester / Hampshire Downs — located by postcode", retries=50)
    await user.should_see("7 neighbouring LPAs")
    site = _draft_site(user)
    assert (site.lpa, site.nca, site.located_by) == ("Winchester", "Hampshire Downs", "postcode")
    assert site.lat == pytest.approx(51.0632)
    user.find(marker="locate").click()
    await user.should_see("located earlier (from the cache)", retries=50)
    assert fake.count("postcodes") == 1


async def test_offline_says_so_and_leaves_the_pickers_to_the_user(monkeypatch, user: User):
    for name in ("POSTCODES", "NOMINATIM", "PHOTON", "ARCGIS_LPA", "ARCGIS_NCA"):
        monkeypatch.setenv(f"BNG_{name}_URL", "http://127.0.0.1:9")
    await user.open("/")
    user.find(marker="postcode").type("SO23 9LJ")
    user.find(marker="locate").click()
    await user.should_see("you are offline; pick LPA and NCA by hand", retries=100)
    await user.should_see("No location yet")


async def test_a_malformed_postcode_is_refused_before_any_call(fake, user: User):
    await user.open("/")
    user.find(marker="postcode").type("12345")
    user.find(marker="locate").click()
    await user.should_see("address not found", retries=50)


def _draft_site(user: User):
    with user.client:
        return app.storage.client[CURRENT_DRAFT].site()
