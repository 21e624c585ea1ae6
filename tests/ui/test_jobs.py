"""The job runner holds full collections off while work runs; young ones go on."""

from __future__ import annotations

import gc
import threading

import pytest

from bng_desktop.collector_policy import FULL_COLLECTIONS_HELD, CollectorPause
from bng_desktop.ui.jobs import JobRunner, JobStatus

APP_THRESHOLDS = (10_000, 10, 10)


@pytest.fixture
def collector_on():
    was_enabled, was_thresholds = gc.isenabled(), gc.get_threshold()
    gc.enable()
    gc.set_threshold(*APP_THRESHOLDS)
    gc.collect()
    yield
    gc.set_threshold(*was_thresholds)
    if not was_enabled:
        gc.disable()


@pytest.fixture
def generations_collected():
    """The generation of every collection that starts meanwhile."""
    seen: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def wait_for(job, seconds: float = 10.0) -> None:
    deadline = threading.Event()
    for _ in range(int(seconds * 100)):
        if not job.active:
            return
        deadline.wait(0.01)
    raise AssertionError(f"job {job.name} did not finish")


def keep_many_objects(progress, cancel) -> int:
    """Work that keeps far more containers alive than any threshold."""
    kept = [[n] for n in range(200_000)]
    return len(kept)


def test_a_job_gets_young_collections_but_no_full_one(collector_on, generations_collected):
    runner = JobRunner()
    job = runner.submit("many objects", keep_many_objects)
    wait_for(job)
    runner.shutdown()
    assert job.status is JobStatus.DONE
    assert job.result == 200_000
    assert generations_collected, "no young collection ran during the job"
    assert 2 not in generations_collected, "a full collection ran during the job"


def test_the_thresholds_come_back_when_the_job_ends(collector_on):
    runner = JobRunner()
    job = runner.submit("probe", lambda progress, cancel: gc.get_threshold())
    wait_for(job)
    runner.shutdown()
    assert job.status is JobStatus.DONE
    assert job.result[2] == FULL_COLLECTIONS_HELD
    assert gc.get_threshold() == APP_THRESHOLDS
    assert gc.isenabled()


def test_no_full_collection_follows_jobs_at_once(collector_on, generations_collected):
    runner = JobRunner()
    wait_for(runner.submit("many objects", keep_many_objects))
    wait_for(runner.submit("many objects again", keep_many_objects))
    runner.shutdown()
    first, middle, full = gc.get_threshold()
    assert (first, middle) == APP_THRESHOLDS[:2]
    assert full > APP_THRESHOLDS[2], "the job's young collections were not discounted"
    generations_collected.clear()
    after = [[n] for n in range(3 * APP_THRESHOLDS[0])]
    assert len(after) == 3 * APP_THRESHOLDS[0]
    assert generations_collected, "the collector did not come back after the job"
    assert 2 not in generations_collected, "a full collection followed the jobs at once"


def test_after_a_full_collection_the_next_job_gives_back_the_app_s_own_thresholds(collector_on):
    runner = JobRunner()
    wait_for(runner.submit("many objects", keep_many_objects))
    gc.collect()
    wait_for(runner.submit("small", lambda progress, cancel: None))
    runner.shutdown()
    assert gc.get_threshold() == APP_THRESHOLDS


def test_full_collections_stay_held_until_the_last_of_two_jobs_ends(collector_on):
    release_second = threading.Event()
    first_done = threading.Event()
    runner = JobRunner(workers=2)

    def first(progress, cancel):
        first_done.set()
        return "first"

    def second(progress, cancel):
        release_second.wait(10)
        return gc.get_threshold()

    slow = runner.submit("slow", second)
    quick = runner.submit("quick", first)
    wait_for(quick)
    assert first_done.is_set()
    assert gc.get_threshold()[2] == FULL_COLLECTIONS_HELD, (
        "full collections came back while a job was still running"
    )
    release_second.set()
    wait_for(slow)
    runner.shutdown()
    assert slow.result[2] == FULL_COLLECTIONS_HELD
    assert gc.get_threshold()[:2] == APP_THRESHOLDS[:2]


def test_a_failing_job_gives_the_thresholds_back(collector_on):
    runner = JobRunner()

    def boom(progress, cancel):
        raise RuntimeError("broken")

    job = runner.submit("boom", boom)
    wait_for(job)
    runner.shutdown()
    assert job.status is JobStatus.FAILED
    assert gc.get_threshold() == APP_THRESHOLDS
    assert gc.isenabled()


def test_a_collector_the_app_turned_off_stays_off():
    was = gc.isenabled()
    gc.disable()
    try:
        with CollectorPause():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
