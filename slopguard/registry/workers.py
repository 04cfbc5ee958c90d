"""The resolver's worker threads: a small pool of daemon threads running one lookup per job.

What `Resolver` needs of `concurrent.futures.ThreadPoolExecutor` (submit, done/result, wait with a timeout,
shutdown that drops queued work) without its import: concurrent.futures loads logging, traceback and
their dependencies, ~10 ms on every cold agent-hook call. The threads are daemons, so a lookup still
stuck in a read when the deadline has passed never holds the process open at exit.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from slopguard.models import LookupKey, RegistryRecord

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the hook loads this module on cold lookups
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


class Job:
    """One lookup: `fn(key)`, run by a worker; `done()` once it returned or raised."""

    __slots__ = ("fn", "key", "_event", "_record", "_error")

    def __init__(self, fn: Callable[[LookupKey], RegistryRecord], key: LookupKey) -> None:
        self.fn = fn
        self.key = key
        self._event = threading.Event()
        self._record: RegistryRecord | None = None
        self._error: BaseException | None = None

    def run(self) -> None:
        """Call `fn(key)` and keep what it returned or raised."""
        try:
            self._record = self.fn(self.key)
        except BaseException as exc:  # handed to whoever asks for the result, as a Future does
            self._error = exc
        finally:
            self._event.set()

    def done(self) -> bool:
        """Whether the job has finished."""
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the job; whether it has finished."""
        return self._event.wait(max(0.0, timeout))

    def result(self) -> RegistryRecord:
        """What `fn` returned; re-raises what it raised. Only for a finished job."""
        if not self._event.is_set():
            raise RuntimeError("the job has not finished")
        if self._error is not None:
            raise self._error
        assert self._record is not None
        return self._record


class Workers:
    """Up to `size` daemon threads taking jobs in submission order; threads start as work arrives."""

    def __init__(self, size: int, name: str) -> None:
        self._size = max(1, size)
        self._name = name
        self._queue: deque[Job] = deque()
        self._cond = threading.Condition()
        self._threads = 0
        self._idle = 0
        self._stopped = False

    def submit(self, fn: Callable[[LookupKey], RegistryRecord], key: LookupKey) -> Job:
        """Queue `fn(key)`; raises `RuntimeError` after `shutdown()`."""
        job = Job(fn, key)
        with self._cond:
            if self._stopped:
                raise RuntimeError("the workers were shut down")
            self._queue.append(job)
            if self._idle == 0 and self._threads < self._size:
                self._threads += 1
                name = f"{self._name}_{self._threads}"
                threading.Thread(target=self._work, name=name, daemon=True).start()
            else:
                self._cond.notify()
        return job

    def shutdown(self) -> None:
        """Drop queued jobs (they never finish) and let every thread end after its current job."""
        with self._cond:
            self._stopped = True
            self._queue.clear()
            self._cond.notify_all()

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopped:
                    self._idle += 1
                    self._cond.wait()
                    self._idle -= 1
                if not self._queue:
                    self._threads -= 1
                    return
                job = self._queue.popleft()
            job.run()


def wait_all(jobs: Iterable[Job], timeout: float) -> None:
    """Wait until every job has finished or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    for job in jobs:
        if not job.wait(deadline - time.monotonic()):
            return
