"""Addresses: Nominatim jsonv2 first, Photon as the fallback, at most 1 request/s to Nominatim."""

from __future__ import annotations

import pytest

from bng_desktop.core.errors import AddressNotFound, ServiceFailed, ServiceUnreachable
from bng_desktop.geo.ratelimit import RateLimiter
from tests.geo.fakes import FakeClock
from tests.geo.test_postcodes import closed_port


def test_an_address_is_located_through_nominatim_jsonv2(fake, service) -> None:
    location = service.locate_address("1 High Street,   Winchester")
    assert (location.lpa, location.nca) == ("Winchester", "Hampshire Downs")
    assert location.located_by == "address" and location.query == "1 High Street, Winchester"
    (request,) = fake.requests("nominatim")
    assert request.path == "/nominatim/search"
    assert request.params["format"] == "jsonv2" and request.params["limit"] == "1"
    assert request.params["user-agent"].startswith("BNG-Desktop/")
    assert fake.count("photon") == 0


def test_the_contact_setting_goes_in_the_user_agent_and_the_request(fake, make_service) -> None:
    make_service(contact="quotes@example.org").locate_address("1 High Street, Winchester")
    (request,) = fake.requests("nominatim")
    assert request.params["user-agent"].endswith("(quotes@example.org)")
    assert request.params["email"] == "quotes@example.org"


def test_photon_answers_when_nominatim_finds_nothing(fake, service) -> None:
    location = service.locate_address("Ashcombe Down")
    assert (location.lpa, location.nca) == ("Test Valley", "Hampshire Downs")
    assert fake.count("nominatim") == 1 and fake.count("photon") == 1


def test_photon_answers_when_nominatim_keeps_failing(fake, service) -> None:
    fake.script("nominatim", 502, 502, 502)
    location = service.locate_address("1 High Street, Winchester")
    assert location.lpa == "Winchester"
    assert fake.count("nominatim") == 3 and fake.count("photon") == 1


def test_an_address_nobody_knows_is_not_found(fake, service) -> None:
    with pytest.raises(AddressNotFound, match="address not found: 'Nowhere In Particular'"):
        service.locate_address("Nowhere In Particular")
    assert fake.count("lpa") == 0


def test_both_geocoders_failing_reports_the_primary_one(fake, service) -> None:
    fake.script("nominatim", "malformed")
    fake.script("photon", "malformed")
    with pytest.raises(ServiceFailed, match=r"^Nominatim is not working properly"):
        service.locate_address("1 High Street, Winchester")


def test_both_geocoders_unreachable_is_the_offline_path(make_service) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    service = make_service(nominatim_url=dead, photon_url=dead)
    with pytest.raises(ServiceUnreachable, match="you are offline; pick LPA and NCA by hand"):
        service.locate_address("1 High Street, Winchester")


def test_nominatim_is_asked_at_most_once_a_second(fake, service, clock: FakeClock) -> None:
    service.locate_address("Ashcombe Down")
    with pytest.raises(AddressNotFound):
        service.locate_address("Somewhere Else")  # a second Nominatim request
    assert clock.slept == [1.0]
    service.locate_address("ashcombe   DOWN")  # the same address: from the cache, no wait
    assert clock.slept == [1.0]
    clock.advance(5)
    with pytest.raises(AddressNotFound):
        service.locate_address("Elsewhere Again")
    assert clock.slept == [1.0]
    assert fake.count("nominatim") == 3


def test_the_rate_limiter_spaces_calls_from_the_last_one() -> None:
    clock = FakeClock(now=100.0)
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.advance(0.3)
    limiter.wait()
    limiter.wait()
    assert clock.slept == pytest.approx([0.7, 1.0])
