"""Batches worked on in forked worker processes, results in order.

The bulk passes (packaging a transfer, the gate's scan, receiving a package) are
CPU-bound Python: opening each customer's fields, judging them, writing their lines;
parsing received lines. On a machine with two or more cores, `map_ordered` (batches
pulled from an iterator) and `OrderedWorkers` (batches pushed from a callback) run the
per-batch work in worker processes while the caller reads the next batches and writes
what comes back.

The workers are forked from the calling process, so the work function (and the keys or
state it holds) is inherited in memory, never serialised; what crosses the pool's pipes
is each batch and its result, in memory too. Nothing is written to disk. A few batches
are handed out ahead of the caller, so memory stays bounded whatever the number of
batches.

Small passes never start a worker: the first `inline_first` items are worked on in the
calling process. Off Linux, with one core, or with CUSTODY_WORKERS=0, everything runs
in the calling process. If a worker dies, its batches and the rest are worked on in the
calling process: nothing is lost, the result is the same.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

__all__ = ["OrderedWorkers", "map_ordered", "workers_available"]

A = TypeVar("A")  # a batch handed to the work function
R = TypeVar("R")  # what the work function makes of it

_AHEAD_PER_WORKER = 2  # batches waiting in the pipe for each worker, beyond the one it has
_MAX_WORKERS = 4
_PR_SET_PDEATHSIG = 1  # prctl(2)

_work: Callable[[Any], Any] | None = None  # in a worker: the function it was forked with


def _adopt(work: Callable[[Any], Any], parent: int) -> None:
    global _work
    _work = work
    _die_with(parent)


def _die_with(parent: int) -> None:
    """A worker must not outlive the process that forked it: one killed outright never
    shuts its pool down, and its workers would wait on the pool's pipe for ever. (The
    signal comes when the forking thread ends; should that thread end before the pool,
    the pool breaks and the caller works on the rest itself.)"""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def _run(batch: Any) -> Any:
    assert _work is not None, "worker started without its work function"
    return _work(batch)


def workers_available() -> int:
    """Worker processes worth starting: one per core (at most 4) on Linux with two or more
    cores; none with one core, elsewhere, or with CUSTODY_WORKERS=0; a positive
    CUSTODY_WORKERS sets the number."""
    if not sys.platform.startswith("linux"):  # fork is unsafe with macOS system libraries
        return 0
    asked = os.environ.get("CUSTODY_WORKERS", "").strip()
    if asked.isdigit():
        return min(int(asked), _MAX_WORKERS)
    cores = len(os.sched_getaffinity(0))
    return min(cores, _MAX_WORKERS) if cores >= 2 else 0


def map_ordered(work: Callable[[A], R], batches: Iterable[A], *, inline_first: int = 0,
                size: Callable[[A], int] = lambda _: 1, workers: int | None = None
                ) -> Iterator[R]:
    """work(batch) for every batch, in order (see the module doc).

    `size` tells how many items a batch holds; once `inline_first` items have been
    worked on here, the rest go to `workers` processes (default: workers_available()).
    Exceptions raised by `work` reach the caller unchanged when they can be pickled;
    the work function must not use the caller's database connection."""
    pool = OrderedWorkers(work, inline_first=inline_first, size=size, workers=workers)
    try:
        for batch in batches:
            yield from pool.put(batch)
        yield from pool.finish()
    finally:
        pool.close()


class OrderedWorkers(Generic[A, R]):
    """map_ordered for batches that arrive one at a time (from a callback): `put` each
    batch, take back the results that are ready, in order; `finish` at the end, `close`
    always. The workers fork at the first batch that goes to them."""

    def __init__(self, work: Callable[[A], R], *, inline_first: int = 0,
                 size: Callable[[A], int] = lambda _: 1, workers: int | None = None) -> None:
        self._work, self._size = work, size
        self._count = workers_available() if workers is None else workers
        self._inline_left = inline_first
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[tuple[A, Future[R] | None]] = deque()
        self._ahead = self._count * (1 + _AHEAD_PER_WORKER)

    def put(self, batch: A) -> list[R]:
        """Work on `batch` here or hand it to a worker; the results ready now, in order
        (waits for the oldest while too many are under way)."""
        if not self._pending and (not self._count or self._inline_left > 0):
            self._inline_left -= self._size(batch)
            return [self._work(batch)]
        if self._pool is None and self._count:
            self._pool = ProcessPoolExecutor(
                max_workers=self._count, mp_context=multiprocessing.get_context("fork"),
                initializer=_adopt, initargs=(self._work, os.getpid()))
        with warnings.catch_warnings():
            # Python 3.12+ warns when forking beside other threads (a package's decryption
            # thread, a progress bar): a lock one of them holds stays held in the child.
            # The workers run only the work function and the pool's own pipes, which take
            # none of those threads' locks.
            warnings.filterwarnings("ignore", category=DeprecationWarning,
                                    message=r".*use of fork\(\) may lead to deadlocks")
            future = self._pool.submit(_run, batch) if self._pool else None
        self._pending.append((batch, future))
        ready = []
        while self._pending and (len(self._pending) > self._ahead
                                 or self._pending[0][1] is None
                                 or self._pending[0][1].done()):
            ready.append(self._next())
        return ready

    def finish(self) -> list[R]:
        """Every result still under way, in order."""
        return [self._next() for _ in range(len(self._pending))]

    def close(self) -> None:
        """Stop the workers (what is under way is dropped)."""
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
        self._count = 0

    def _next(self) -> R:
        batch, future = self._pending.popleft()
        if future is None:
            return self._work(batch)
        try:
            return future.result()
        except BrokenProcessPool:  # a worker died: work on the rest here
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool, self._count = None, 0
            self._pending = deque((b, None) for b, _ in self._pending)
            return self._work(batch)
