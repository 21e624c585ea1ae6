"""Postcodes: the format check, postcodes.io answers, and the HTTP failure modes
(retries on 5xx and timeouts, malformed JSON, connection refused)."""

from __future__ import annotations

import socket
import time

import pytest

from bng_desktop.core.errors import (
    LocationError,
    PostcodeNotFound,
    ServiceFailed,
    ServiceUnreachable,
)
from bng_desktop.geo.postcodes import normalise_postcode

OFFLINE_MESSAGE = "service unreachable — you are offline; pick LPA and NCA by hand"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("  so23   9lj ", "SO23 9LJ"),
        ("m11ae", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("cr26xh", "CR2 6XH"),
        ("dn551pt", "DN55 1PT"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcodes_are_normalised(typed: str, normal: str) -> None:
    assert normalise_postcode(typed) == normal


@pytest.mark.parametrize("typed", ["", "hello", "SW1A", "12345", "SW1A 1A", "SW1A 1AAA", "1AA SW1"])
def test_a_malformed_postcode_is_refused_before_any_request(fake, service, typed: str) -> None:
    with pytest.raises(LocationError, match="is not a UK postcode"):
        service.locate_postcode(typed)
    assert fake.count() == 0


def test_a_postcode_is_located_from_its_result_object(fake, service) -> None:
    location = service.locate_postcode("so239lj")
    assert (location.lpa, location.nca) == ("Winchester", "Hampshire Downs")
    assert (location.lat, location.lon) == (51.0632, -1.3081)
    assert location.source == "network" and location.located_by == "postcode"
    (request,) = fake.requests("postcodes")
    assert request.path == "/postcodes.io/postcodes/SO239LJ"
    assert request.params["user-agent"].startswith("BNG-Desktop/")


def test_an_unknown_postcode_says_postcode_not_found(fake, service) -> None:
    with pytest.raises(PostcodeNotFound, match=r"^postcode not found: ZZ9 9ZZ"):
        service.locate_postcode("ZZ99ZZ")
    assert fake.count("postcodes") == 1  # a 404 is an answer, not retried
    assert fake.count("lpa") == 0


def test_a_second_identical_lookup_makes_no_request(fake, service) -> None:
    first = service.locate_postcode("SO23 9LJ")
    before = fake.count()
    second = service.locate_postcode("so23 9lj")
    assert fake.count() == before == 4  # postcode, LPA at point, NCA at point, NCA neighbours
    assert second.source == "cache"
    assert (second.lpa, second.nca, second.nca_neighbours) == (
        first.lpa,
        first.nca,
        first.nca_neighbours,
    )


def test_malformed_json_is_a_service_failure_not_retried(fake, service) -> None:
    fake.script("postcodes", "malformed")
    with pytest.raises(ServiceFailed, match=r"postcodes\.io is not working properly.*not JSON"):
        service.locate_postcode("SO23 9LJ")
    assert fake.count("postcodes") == 1


def test_a_500_is_retried_then_succeeds(fake, service) -> None:
    fake.script("postcodes", 500, 503)
    location = service.locate_postcode("SO23 9LJ")
    assert location.lpa == "Winchester"
    assert fake.count("postcodes") == 3


def test_a_service_failing_every_time_gives_up_after_the_attempts(fake, service) -> None:
    fake.script("postcodes", 500, 500, 500, 500)
    with pytest.raises(ServiceFailed, match=r"HTTP 500 after 3 tries"):
        service.locate_postcode("SO23 9LJ")
    assert fake.count("postcodes") == 3


def test_a_timeout_is_retried_then_succeeds(fake, service) -> None:
    fake.script("postcodes", 1.0)  # longer than the 0.5 s read timeout
    started = time.monotonic()
    location = service.locate_postcode("SO23 9LJ")
    assert location.lpa == "Winchester"
    assert fake.count("postcodes") == 2
    assert time.monotonic() - started < 1.0


def test_timeouts_every_time_end_as_unreachable_within_the_budget(fake, make_service) -> None:
    service = make_service(budget=1.2, attempts=5)
    fake.script("postcodes", 2.0, 2.0, 2.0, 2.0, 2.0)
    started = time.monotonic()
    with pytest.raises(ServiceUnreachable) as caught:
        service.locate_postcode("SO23 9LJ")
    assert str(caught.value) == OFFLINE_MESSAGE
    assert "Timeout" in caught.value.detail
    assert time.monotonic() - started < 1.6
    assert fake.count("postcodes") < 5


def test_connection_refused_gives_the_offline_message(make_service) -> None:
    service = make_service(postcodes_url=f"http://127.0.0.1:{closed_port()}")
    started = time.monotonic()
    with pytest.raises(ServiceUnreachable) as caught:
        service.locate_postcode("SO23 9LJ")
    assert str(caught.value) == OFFLINE_MESSAGE
    assert caught.value.service == "postcodes.io"
    assert time.monotonic() - started < 1.0


def test_a_postcode_without_coordinates_is_explained(fake, service, monkeypatch) -> None:
    from tests.geo import fakes

    monkeypatch.setitem(fakes.POSTCODES, "JE2 3AB", (None, None, "Jersey"))
    with pytest.raises(LocationError, match="JE2 3AB has no coordinates"):
        service.locate_postcode("JE2 3AB")
