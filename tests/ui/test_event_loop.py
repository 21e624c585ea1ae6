"""The page keeps serving while a large quote runs in the job runner."""

from __future__ import annotations

import asyncio
import time

import pytest
from nicegui.testing import User

from bng_desktop.core.policy import Policy
from bng_desktop.core.result import QuoteRequest
from bng_desktop.ui.jobs import JobStatus
from tests.shared_data import generate_reference, needs_shared, read_demand_csv, read_site_json

pytestmark = [pytest.mark.asyncio, pytest.mark.slow, needs_shared]


async def watch_loop(job, tick: float = 0.005) -> list[float]:
    """Gaps between wake-ups of a task that asks to sleep ``tick`` seconds."""
    gaps = []
    last = time.perf_counter()
    while job.active:
        await asyncio.sleep(tick)
        now = time.perf_counter()
        gaps.append(now - last - tick)
        last = now
    return gaps


async def test_the_event_loop_keeps_ticking_during_a_large_quote(user: User, services, tmp_path):
    workbook, demand_csv, site_json = generate_reference(tmp_path, 200, 3, 30)
    services.import_reference(workbook)
    snapshot = services.snapshot()
    request = QuoteRequest(
        services.complete_site(read_site_json(site_json)),
        read_demand_csv(demand_csv),
        Policy(),
    )
    await user.open("/")
    job = services.start_quote(request)
    gaps = await watch_loop(job)
    assert job.status is JobStatus.DONE, job.message
    assert job.result.reference_version == snapshot.info.version_id
    assert len(gaps) > 20, "the event loop did not run while the quote was being made"
    await user.open("/history")  # the app still answers
    await user.should_see("Quote history")
    print(
        f"\nlargest event-loop stall during a 200-bank, 30-line quote: {max(gaps) * 1000:.1f} ms"
        f" over {len(gaps)} ticks in {job.seconds:.2f} s"
    )
