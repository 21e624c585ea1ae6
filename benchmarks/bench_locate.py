"""Location lookup speed: cold (every service asked, a fake on loopback) vs cached.

    python benchmarks/bench_locate.py [--runs 50]

A cold lookup of a postcode makes four requests (postcodes.io, the LPA and
NCA point queries, the NCA neighbours) to the tests' fake services on
127.0.0.1, so it measures the program's own overhead plus loopback HTTP, not
the real services' latency (2–3 s in the legacy tool). A cached lookup is the
same call answered from the on-disk cache. Medians in milliseconds; results
also go to benchmarks/results/locate.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.results_file import save_results  # noqa: E402
from bng_desktop.geo.config import geo_settings  # noqa: E402
from bng_desktop.geo.service import LocationService  # noqa: E402
from tests.geo.fakes import FakeServices  # noqa: E402

POSTCODE = "SO23 9LJ"
POINT = (55.0, -2.3)


def median_ms(call: Callable[[], object], runs: int, before: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 3)


def bench(service: LocationService, runs: int) -> dict[str, float]:
    postcode = lambda: service.locate_postcode(POSTCODE)  # noqa: E731
    point = lambda: service.locate_point(*POINT)  # noqa: E731
    nothing = lambda: None  # noqa: E731
    return {
        "postcode_cold_ms": median_ms(postcode, runs, service.cache.clear),
        "postcode_cached_ms": median_ms(postcode, runs, nothing),
        "point_cold_ms": median_ms(point, runs, service.cache.clear),
        "point_cached_ms": median_ms(point, runs, nothing),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    fake = FakeServices().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            service = LocationService.open(Path(tmp), geo_settings({}, **fake.urls()))
            with service:
                service.locate_postcode(POSTCODE)  # warm up imports and the connection pool
                results = {"runs": args.runs, **bench(service, args.runs)}
    finally:
        fake.stop()
    print(json.dumps(results, indent=1))
    save_results("locate", results)


if __name__ == "__main__":
    main()
