"""Batches worked on in forked worker processes, results in order.

The bulk passes (packaging a transfer, the gate's scan) are CPU-bound Python: opening
each customer's fields, judging them, writing their lines. On a machine with two or more
cores, `map_ordered` runs the per-batch work in worker processes while the caller reads
the next batches from the database and writes what comes back.

The workers are forked from the calling process, so the work function (and the keys or
state it holds) is inherited in memory, never serialised; what crosses the pool's pipes
is each batch and its result, in memory too. Nothing is written to disk. A few batches
are handed out ahead of the caller, so memory stays bounded whatever the number of
batches.

Small passes never start a worker: the first `inline_first` items are worked on in the
calling process. Where fork is not available, or only one core is, or CUSTODY_WORKERS
is 0, everything runs in the calling process. If a worker dies, its batches and the rest
are worked on in the calling process: nothing is lost, the result is the same.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

__all__ = ["map_ordered", "workers_available"]

A = TypeVar("A")  # a batch handed to the work function
R = TypeVar("R")  # what the work function makes of it

_AHEAD_PER_WORKER = 2  # batches waiting in the pipe for each worker, beyond the one it has
_MAX_WORKERS = 4

_work: Callable[[Any], Any] | None = None  # in a worker: the function it was forked with
_END: Any = object()


def _adopt(work: Callable[[Any], Any]) -> None:
    global _work
    _work = work


def _run(batch: Any) -> Any:
    assert _work is not None, "worker started without its work function"
    return _work(batch)


def workers_available() -> int:
    """Worker processes worth starting: one per core (at most 4) on a machine with two or
    more cores, none with one core, without fork, or with CUSTODY_WORKERS=0; a positive
    CUSTODY_WORKERS sets the number."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    asked = os.environ.get("CUSTODY_WORKERS", "").strip()
    if asked.isdigit():
        return min(int(asked), _MAX_WORKERS)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, _MAX_WORKERS) if cores >= 2 else 0


def map_ordered(work: Callable[[A], R], batches: Iterable[A], *, inline_first: int = 0,
                size: Callable[[A], int] = lambda _: 1, workers: int | None = None
                ) -> Iterator[R]:
    """work(batch) for every batch, in order (see the module doc).

    `size` tells how many items a batch holds; once `inline_first` items have been
    worked on here, the rest go to `workers` processes (default: workers_available()).
    Exceptions raised by `work` reach the caller unchanged when they can be pickled;
    the work function must not use the caller's database connection."""
    count = workers_available() if workers is None else workers
    stream = iter(batches)
    done_here = 0
    for batch in stream:
        yield work(batch)
        done_here += size(batch)
        if count and done_here >= inline_first:
            break
    else:
        return
    yield from _in_workers(work, stream, count)


def _in_workers(work: Callable[[A], R], stream: Iterator[A], count: int) -> Iterator[R]:
    pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
        max_workers=count, mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt, initargs=(work,))
    pending: deque[tuple[A, Future[R] | None]] = deque()
    ahead = count * (1 + _AHEAD_PER_WORKER)
    try:
        while True:
            while len(pending) < ahead and (batch := next(stream, _END)) is not _END:
                pending.append((batch, pool.submit(_run, batch) if pool else None))
            if not pending:
                return
            batch, future = pending.popleft()
            if future is None:
                yield work(batch)
                continue
            try:
                result = future.result()
            except BrokenProcessPool:  # a worker died: work on the rest here
                pool.shutdown(wait=False, cancel_futures=True)  # type: ignore[union-attr]
                pool = None
                pending = deque((b, None) for b, _ in pending)
                result = work(batch)
            yield result
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

