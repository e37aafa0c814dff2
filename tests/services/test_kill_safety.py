"""SIGKILL during `import` and `keys rotate` leaves a vault that opens fully (issue 2)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from custody.sampledata import write_customers_csv
from custody.services.audit import verify_audit
from custody.services.customers import open_records
from custody.services.vault import Vault
from custody.storage.tables import customers, imports, records

pytestmark = pytest.mark.slow
TRIALS = 20
PASSPHRASE = "correct horse battery staple"

IMPORT_WORKER = """
import sys
from pathlib import Path
from custody.bootstrap import discovery
from custody.services.importing import ImportOptions, import_file
from custody.services.vault import open_vault
v = open_vault(Path(sys.argv[1]), passphrase=sys.argv[3])
d = discovery()
print("start", flush=True)
import_file(v, Path(sys.argv[2]), ImportOptions(dataset="学员", purposes=("教学服务",),
            consent_evidence="表"), reader=d.reader, classifier=d.classifier, rules=d.rules)
print("done", flush=True)
"""

ROTATE_WORKER = """
import sys
from pathlib import Path
from custody.services.keys import rotate_keys
from custody.services.vault import open_vault
v = open_vault(Path(sys.argv[1]), passphrase=sys.argv[2])
print("start", flush=True)
rotate_keys(v, batch=20)
print("done", flush=True)
"""


def run_and_kill(script: str, args: list[str], delay: float) -> bool:
    """Run a worker, SIGKILL it `delay` seconds after it starts working; True if finished."""
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "CUSTODY_FAST_KDF": "1"})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "start"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    return "done" in out


def time_to_finish(script: str, args: list[str]) -> float:
    """Seconds from a worker's start signal to its end, run without a kill."""
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "CUSTODY_FAST_KDF": "1"})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
    started = time.perf_counter()
    out, _ = proc.communicate()
    assert "done" in out
    return time.perf_counter() - started


def all_records_open(v: Vault) -> int:
    with v.engine.connect() as c:
        ids = list(c.execute(select(customers.c.id)).scalars())
        n = 0
        for cid in ids:
            n += sum(len(r.fields) for r in open_records(v, c, cid))
    return n


def counts(v: Vault) -> tuple[int, int, int]:
    with v.engine.connect() as c:
        return tuple(int(c.execute(select(func.count()).select_from(t)).scalar_one())
                     for t in (customers, records, imports))  # type: ignore[return-value]


def test_import_killed_at_random_points_is_all_or_nothing(
    make_vault: Callable[..., Vault], tmp_path: Path
) -> None:
    src = write_customers_csv(tmp_path / "big.csv", 2000, seed=11)
    rng = random.Random(2)
    finished = 0
    full = time_to_finish(IMPORT_WORKER, [str(make_vault("timing").path), str(src), PASSPHRASE])
    for trial in range(TRIALS):
        v = make_vault(f"v{trial}")
        done = run_and_kill(IMPORT_WORKER, [str(v.path), str(src), PASSPHRASE],
                            rng.uniform(0.0, 1.3 * full))
        n_customers, n_records, n_imports = counts(v)
        if n_imports:
            finished += 1
            assert n_records == 2000
        else:
            assert not done
            assert (n_customers, n_records) == (0, 0)
        assert verify_audit(v).ok
        all_records_open(v)
    assert 0 < finished < TRIALS, "kills should land both before and after commit"


def test_rotation_killed_at_random_points_keeps_every_record_readable(
    vault: Vault, tmp_path: Path, do_import: Callable[..., object]
) -> None:
    do_import(vault, write_customers_csv(tmp_path / "c.csv", 500, seed=12))
    fields = all_records_open(vault)
    rng = random.Random(3)
    for _ in range(TRIALS):
        run_and_kill(ROTATE_WORKER, [str(vault.path), PASSPHRASE], rng.uniform(0.0, 0.6))
        reopened = _reopen(vault)
        assert all_records_open(reopened) == fields
        reopened.engine.dispose()
    final = _reopen(vault)
    from custody.services.keys import rotate_keys

    rotate_keys(final)
    assert all_records_open(final) == fields
    assert verify_audit(final).ok
    final.engine.dispose()


def _reopen(v: Vault) -> Vault:
    from custody.services.vault import open_vault

    return open_vault(v.path, passphrase=PASSPHRASE)
