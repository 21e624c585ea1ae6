"""Concurrency against the real server: desktops pushing at once, admins publishing at once."""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from fractions import Fraction

import pytest

from bng_desktop.sync.publish import Publisher, publish_data
from tests.factories import make_quote
from tests.store.builders import rich_reference
from tests.sync.faults import pending

QUOTES_EACH = 1000


def save_many(workspace, count: int, client: str) -> None:
    quote = make_quote()
    for _ in range(count):
        workspace.quotes.save(quote, client_name=client)


def in_parallel(*work):
    """Run each callable in its own thread, released together; their results in order."""
    barrier = threading.Barrier(len(work))
    results: list = [None] * len(work)
    errors: list = []

    def run(n: int, job) -> None:
        try:
            barrier.wait(timeout=30)
            results[n] = job()
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if errors:
        raise errors[0]
    return results


class PushClock:
    """A progress callback noting when the push steps happened."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def __call__(self, stage: str, fraction: float, message: str) -> None:
        if stage == "push":
            self.times.append(time.perf_counter())


@pytest.mark.slow
def test_two_desktops_pushing_a_thousand_quotes_each_at_once(central, desktop, capsys):
    a, b = desktop("a"), desktop("b")
    save_many(a, QUOTES_EACH, "From A")
    save_many(b, QUOTES_EACH, "From B")
    clocks = PushClock(), PushClock()
    reports = in_parallel(
        lambda: a.sync.sync(central.url, progress=clocks[0]),
        lambda: b.sync.sync(central.url, progress=clocks[1]),
    )
    assert all(r.ok for r in reports), [r.error for r in reports]
    assert [r.pushed.quotes for r in reports] == [QUOTES_EACH, QUOTES_EACH]

    central_refs = central.quote_refs()
    assert len(central_refs) == 2 * QUOTES_EACH
    assert len(set(central_refs.values())) == 2 * QUOTES_EACH
    for workspace in (a, b):
        assert pending(workspace) == set()
        own = {s.uuid: s.reference for s in workspace.quotes.search(team=False, limit=None)}
        assert {u: central_refs[u] for u in own} == own
    renumbered = sum(len(r.pushed.renumbered) for r in reports)
    assert renumbered == QUOTES_EACH  # every number was claimed twice: one kept it

    overlap = min(clocks[0].times[-1], clocks[1].times[-1]) - max(
        clocks[0].times[0], clocks[1].times[0]
    )
    order = [d for (d,) in central.rows("SELECT desktop_id FROM quote ORDER BY seq")]
    switches = sum(1 for x, y in itertools.pairwise(order) if x != y)
    assert overlap > 0 and switches > 1, "the two pushes did not run at the same time"

    for workspace in (a, b):
        assert workspace.sync.sync(central.url).ok
        everything = {s.uuid: s.reference for s in workspace.quotes.search(limit=None)}
        assert everything == central_refs
    with capsys.disabled():
        print(
            f"\n2 desktops x {QUOTES_EACH} quotes pushed at once: {len(central_refs)} arrived, "
            f"references unique, {renumbered} renumbered, pushes overlapped {overlap:.2f} s, "
            f"batches interleaved {switches} times"
        )


def test_two_admins_publishing_at_once_are_served_one_after_the_other(central, desktop):
    engine_owner = desktop("admin")
    first_data = rich_reference("first")
    second_data = dataclasses.replace(
        rich_reference("second"),
        prices=tuple(
            dataclasses.replace(p, price=p.price + Fraction(1)) for p in rich_reference().prices
        ),
    )
    first_locked = threading.Event()
    marks: dict[str, float] = {}

    def first_progress(stage: str, fraction: float, message: str) -> None:
        if "is ours" in message:
            first_locked.set()
        if "rows written" in message:
            time.sleep(0.5)  # hold the lock a while, mid-transaction
            marks["first_committing"] = time.perf_counter()

    def second_progress(stage: str, fraction: float, message: str) -> None:
        if "is ours" in message:
            marks["second_locked"] = time.perf_counter()

    def publish(data, source, progress, wait=None):
        if wait is not None:
            assert wait.wait(timeout=30)
        with engine_owner.sync.central_engine(central.url) as engine:
            return publish_data(
                engine, data, source=source, publisher=Publisher(source, "d"), progress=progress
            )

    first, second = in_parallel(
        lambda: publish(first_data, "first", first_progress),
        lambda: publish(second_data, "second", second_progress, wait=first_locked),
    )
    assert first.central_id != second.central_id and not (first.unchanged or second.unchanged)
    assert marks["second_locked"] >= marks["first_committing"], "the publishes interleaved"
    versions = central.rows("SELECT id, is_current, row_counts FROM reference_version ORDER BY id")
    assert [v.id for v in versions] == [first.central_id, second.central_id]
    assert [v.is_current for v in versions] == [False, True]
    assert central.scalar("SELECT count(*) FROM reference_version WHERE is_current") == 1
    for version in versions:
        prices = central.scalar(
            "SELECT count(*) FROM ref_price WHERE version_id = :v", v=version.id
        )
        assert prices == len(first_data.prices)
