"""The job runner holds the cyclic collector off while work runs."""

from __future__ import annotations

import gc
import threading

import pytest

from bng_desktop.collector_policy import CollectorPause
from bng_desktop.ui.jobs import JobRunner, JobStatus


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def wait_for(job, seconds: float = 10.0) -> None:
    deadline = threading.Event()
    for _ in range(int(seconds * 100)):
        if not job.active:
            return
        deadline.wait(0.01)
    raise AssertionError(f"job {job.name} did not finish")


def test_the_collector_is_off_while_a_job_runs_and_back_on_after(collector_on):
    runner = JobRunner()
    job = runner.submit("probe", lambda progress, cancel: gc.isenabled())
    wait_for(job)
    runner.shutdown()
    assert job.status is JobStatus.DONE
    assert job.result is False
    assert gc.isenabled()


def test_the_collector_stays_off_until_the_last_of_two_jobs_ends(collector_on):
    release_second = threading.Event()
    first_done = threading.Event()
    runner = JobRunner(workers=2)

    def first(progress, cancel):
        first_done.set()
        return "first"

    def second(progress, cancel):
        release_second.wait(10)
        return gc.isenabled()

    slow = runner.submit("slow", second)
    quick = runner.submit("quick", first)
    wait_for(quick)
    assert first_done.is_set()
    assert not gc.isenabled(), "the collector came back while a job was still running"
    release_second.set()
    wait_for(slow)
    runner.shutdown()
    assert slow.result is False
    assert gc.isenabled()


def test_a_failing_job_gives_the_collector_back(collector_on):
    runner = JobRunner()

    def boom(progress, cancel):
        raise RuntimeError("broken")

    job = runner.submit("boom", boom)
    wait_for(job)
    runner.shutdown()
    assert job.status is JobStatus.FAILED
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
