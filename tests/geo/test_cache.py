"""The on-disk answer cache: TTLs, the size cap, damage, and surviving a restart."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bng_desktop.geo.cache import FILE_NAME, LookupCache
from bng_desktop.geo.config import DAY
from tests.geo.fakes import FakeClock

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path: Path, clock: FakeClock):
    with LookupCache.in_dir(tmp_path, max_bytes=1000, clock=clock) as opened:
        yield opened


def test_an_answer_is_served_until_it_expires(cache: LookupCache, clock: FakeClock) -> None:
    cache.put("postcode:SO23 9LJ", {"lat": 51.0632}, ttl=10)
    clock.advance(9.9)
    hit = cache.get("postcode:SO23 9LJ")
    assert hit is not None and hit.value == {"lat": 51.0632}
    assert hit.fetched_at == clock.now - 9.9
    clock.advance(0.2)
    assert cache.get("postcode:SO23 9LJ") is None


def test_a_new_answer_replaces_the_old_one(cache: LookupCache, clock: FakeClock) -> None:
    cache.put("k", ["old"], ttl=5)
    clock.advance(10)
    cache.put("k", ["new"], ttl=5)
    assert cache.get("k").value == ["new"]
    assert cache.entries() == 1


def test_the_size_cap_evicts_the_least_recently_used(cache: LookupCache, clock: FakeClock) -> None:
    payload = "x" * 180  # about 200 bytes an entry: five fit under 1000
    for n in range(5):
        cache.put(f"key{n}", payload, ttl=DAY)
        clock.advance(1)
    assert cache.get("key0") is not None  # key0 is now the most recently used
    clock.advance(1)
    cache.put("key5", payload, ttl=DAY)
    assert cache.total_bytes() <= 1000
    assert cache.get("key1") is None
    assert all(cache.get(k) is not None for k in ("key0", "key2", "key3", "key4", "key5"))


def test_expired_entries_go_before_live_ones(cache: LookupCache, clock: FakeClock) -> None:
    payload = "x" * 180
    cache.put("short", payload, ttl=1)
    clock.advance(0.5)
    for n in range(4):
        cache.put(f"long{n}", payload, ttl=DAY)
    assert cache.get("short") is not None  # recently used, but expires before the next put
    clock.advance(1)
    cache.put("long4", payload, ttl=DAY)
    assert [cache.get(f"long{n}") is not None for n in range(5)] == [True] * 5


def test_a_damaged_file_is_replaced_with_a_warning(tmp_path: Path, clock, caplog) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"this is not a database, just bytes " * 200)
    with caplog.at_level(logging.WARNING, logger="bng_desktop.geo.cache"):
        cache = LookupCache.in_dir(tmp_path, clock=clock)
    assert "starting afresh" in caplog.text
    cache.put("k", 1, ttl=10)
    assert cache.get("k").value == 1
    cache.close()


def test_a_deleted_file_is_recreated_empty(tmp_path: Path, clock) -> None:
    with LookupCache.in_dir(tmp_path, clock=clock) as cache:
        cache.put("k", 1, ttl=10)
    for path in tmp_path.iterdir():
        path.unlink()
    with LookupCache.in_dir(tmp_path, clock=clock) as cache:
        assert cache.get("k") is None
        cache.put("k", 2, ttl=10)
        assert cache.get("k").value == 2


def test_an_unusable_location_falls_back_to_memory(tmp_path: Path, clock, caplog) -> None:
    (tmp_path / FILE_NAME).mkdir()  # a folder where the file should be
    with caplog.at_level(logging.WARNING), LookupCache.in_dir(tmp_path, clock=clock) as cache:
        cache.put("k", 1, ttl=10)
        assert cache.get("k").value == 1
    assert "caching in memory" in caplog.text


def test_answers_survive_closing_and_reopening(tmp_path: Path, clock) -> None:
    with LookupCache.in_dir(tmp_path, clock=clock) as cache:
        cache.put("k", {"a": [1, 2]}, ttl=10)
    with LookupCache.in_dir(tmp_path, clock=clock) as cache:
        assert cache.get("k").value == {"a": [1, 2]}


def test_each_kind_of_answer_keeps_its_own_lifetime(fake, service, clock: FakeClock) -> None:
    service.locate_postcode("SO23 9LJ")
    assert (fake.count("postcodes"), fake.count("lpa"), fake.count("nca")) == (1, 1, 2)
    clock.advance(31 * DAY)  # the postcode (30 days) expired; the areas (90 days) did not
    assert service.locate_postcode("SO23 9LJ").source == "network"
    assert (fake.count("postcodes"), fake.count("lpa"), fake.count("nca")) == (2, 1, 2)
    clock.advance(60 * DAY)  # 91 days: the areas expired too; the neighbours (180) did not
    service.locate_postcode("SO23 9LJ")
    assert (fake.count("postcodes"), fake.count("lpa"), fake.count("nca")) == (3, 2, 3)
    clock.advance(90 * DAY)  # 181 days: everything is fetched again
    service.locate_postcode("SO23 9LJ")
    assert (fake.count("postcodes"), fake.count("lpa"), fake.count("nca")) == (4, 3, 5)


CHILD = """
import json, sys
from pathlib import Path
from bng_desktop.geo import LocationService
with LocationService.open(Path(sys.argv[1])) as service:
    print(json.dumps(service.locate_postcode(sys.argv[2]).to_json()))
"""


def _locate_in_child(cache_dir: Path, environment: dict[str, str], postcode: str):
    """A fresh Python process that looks ``postcode`` up with the cache in ``cache_dir``."""
    env = {**os.environ, **environment}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(cache_dir), postcode],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_cache_survives_a_process_restart(fake, tmp_path: Path) -> None:
    """One process looks up over the network; a second, with the services gone, must
    answer from the cache on disk."""
    first = _locate_in_child(tmp_path / "cache", fake.environment(), "so23 9lj")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["source"] == "network"
    requests = fake.count()
    fake.stop()

    second = _locate_in_child(tmp_path / "cache", fake.environment(), "SO23 9LJ")
    assert second.returncode == 0, second.stderr
    answer = json.loads(second.stdout)
    assert answer["source"] == "cache"
    assert (answer["lpa"], answer["nca"]) == ("Winchester", "Hampshire Downs")
    assert answer["fetched_at"] == json.loads(first.stdout)["fetched_at"]
    assert fake.count() == requests
    assert (tmp_path / "cache" / FILE_NAME).is_file()
