"""custody.parallel: batches worked on in forked workers come back complete and in order."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from custody.parallel import OrderedWorkers, map_ordered, workers_available

PARENT = os.getpid()


def where_and_double(batch: list[int]) -> tuple[int, list[int]]:
    return os.getpid(), [2 * x for x in batch]


def batches(n: int, size: int = 3) -> list[list[int]]:
    return [list(range(i, min(i + size, n))) for i in range(0, n, size)]


def test_results_come_back_in_order_from_worker_processes() -> None:
    out = list(map_ordered(where_and_double, batches(100), workers=2, size=len))
    assert [r[1] for r in out] == [[2 * x for x in b] for b in batches(100)]
    assert {pid for pid, _ in out} - {PARENT}, "no batch was worked on in a worker"


def test_the_first_items_are_worked_on_here_and_small_passes_start_no_worker() -> None:
    out = list(map_ordered(where_and_double, batches(30), inline_first=12, workers=2,
                           size=len))
    pids = [pid for pid, _ in out]
    assert pids[:4] == [PARENT] * 4 and set(pids[4:]) - {PARENT}
    small = list(map_ordered(where_and_double, batches(30), inline_first=1000, workers=2,
                             size=len))
    assert {pid for pid, _ in small} == {PARENT}


def die_in_a_worker(batch: list[int]) -> list[int]:
    if os.getpid() != PARENT:
        os._exit(3)
    return [2 * x for x in batch]


def test_a_dead_worker_loses_nothing_the_rest_is_worked_on_here() -> None:
    out = list(map_ordered(die_in_a_worker, batches(60), workers=2, size=len))
    assert out == [[2 * x for x in b] for b in batches(60)]


def refuse_seven(batch: list[int]) -> list[int]:
    if 7 in batch:
        raise ValueError("seven")
    return batch


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"):
        list(map_ordered(refuse_seven, batches(60), workers=2, size=len))


def test_custody_workers_0_keeps_everything_in_this_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTODY_WORKERS", "0")
    assert workers_available() == 0
    out = list(map_ordered(where_and_double, batches(30), size=len))
    assert {pid for pid, _ in out} == {PARENT}
    monkeypatch.setenv("CUSTODY_WORKERS", "2")
    assert workers_available() == 2


def test_batches_pushed_one_at_a_time_come_back_complete_and_in_order() -> None:
    pool = OrderedWorkers(where_and_double, workers=2, inline_first=6, size=len)
    out = []
    try:
        for b in batches(90):
            out.extend(pool.put(b))
        out.extend(pool.finish())
    finally:
        pool.close()
    assert [r[1] for r in out] == [[2 * x for x in b] for b in batches(90)]
    assert [pid for pid, _ in out][:2] == [PARENT] * 2
    assert {pid for pid, _ in out} - {PARENT}


ORPHAN_SCRIPT = """
import os, time
from custody.parallel import map_ordered

def work(batch):
    time.sleep(0.05)
    return os.getpid()

for pid in map_ordered(work, range(10_000), workers=2):
    if pid != os.getpid():
        print(pid, flush=True)
        time.sleep(60)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers run on Linux only")
def test_workers_die_with_a_process_killed_outright() -> None:
    with subprocess.Popen([sys.executable, "-c", ORPHAN_SCRIPT], stdout=subprocess.PIPE,
                          text=True) as proc:
        try:
            worker = int(proc.stdout.readline())  # type: ignore[union-attr]
            assert alive(worker)
        finally:
            proc.kill()
    deadline = time.monotonic() + 10
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)
