"""The resolver's worker pool: results and errors come back, concurrency is bounded, shutdown drops queued work."""

from __future__ import annotations

import threading
import time

import pytest

from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
from slopguard.registry.workers import Job, Workers, wait_all


def key(name: str) -> LookupKey:
    return LookupKey(Ecosystem.PYPI, name)


def record(k: LookupKey) -> RegistryRecord:
    return RegistryRecord(k.ecosystem, k.name, Status.EXISTS)


def test_every_job_gets_its_own_result() -> None:
    pool = Workers(3, "test")
    jobs = [pool.submit(record, key(f"p{i}")) for i in range(20)]
    wait_all(jobs, 5.0)
    assert [j.result().name for j in jobs] == [f"p{i}" for i in range(20)]
    pool.shutdown()


def test_an_error_is_raised_by_result_not_in_the_worker() -> None:
    def boom(k: LookupKey) -> RegistryRecord:
        raise ValueError(k.name)

    pool = Workers(1, "test")
    job = pool.submit(boom, key("x"))
    wait_all([job], 5.0)
    assert job.done()
    with pytest.raises(ValueError, match="x"):
        job.result()
    ok = pool.submit(record, key("y"))  # the worker survived the error
    wait_all([ok], 5.0)
    assert ok.result().name == "y"
    pool.shutdown()


def test_no_more_threads_than_the_size() -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def slow(k: LookupKey) -> RegistryRecord:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return record(k)

    pool = Workers(4, "test")
    jobs = [pool.submit(slow, key(f"p{i}")) for i in range(24)]
    wait_all(jobs, 10.0)
    assert all(j.done() for j in jobs)
    assert 1 < most <= 4
    pool.shutdown()


def test_wait_all_gives_up_at_the_timeout_and_shutdown_drops_queued_jobs() -> None:
    release = threading.Event()

    def stuck(k: LookupKey) -> RegistryRecord:
        release.wait(5.0)
        return record(k)

    pool = Workers(1, "test")
    first, queued = pool.submit(stuck, key("a")), pool.submit(stuck, key("b"))
    started = time.monotonic()
    wait_all([first, queued], 0.1)
    assert time.monotonic() - started < 3.0  # gave up at the timeout, not after the stuck job's 5 s
    assert not first.done() and not queued.done()
    with pytest.raises(RuntimeError):
        first.result()
    pool.shutdown()
    release.set()
    assert first.wait(5.0)
    assert not queued.wait(0.1)  # dropped: never run
    with pytest.raises(RuntimeError):
        pool.submit(record, key("c"))


def test_threads_are_daemons_and_end_after_shutdown() -> None:
    pool = Workers(2, "test-daemon")
    jobs = [pool.submit(record, key(f"p{i}")) for i in range(4)]
    wait_all(jobs, 5.0)
    mine = [t for t in threading.enumerate() if t.name.startswith("test-daemon")]
    assert mine and all(t.daemon for t in mine)
    pool.shutdown()
    for thread in mine:
        thread.join(5.0)
    assert not any(t.is_alive() for t in mine)


def test_job_runs_only_when_a_worker_takes_it() -> None:
    job = Job(record, key("z"))
    assert not job.done()
    job.run()
    assert job.done() and job.result().name == "z"
