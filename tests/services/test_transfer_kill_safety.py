"""SIGKILL during packaging and during receive leaves both vaults consistent (issue 4)."""

from __future__ import annotations

import json
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

from custody.bootstrap import notice_writer, package_reader, package_writer
from custody.sampledata import write_customers_csv
from custody.services.audit import verify_audit
from custody.services.keys import show_keys
from custody.services.transfer import buyer, gate, notify, packaging, seller
from custody.services.vault import Vault, open_vault
from custody.storage import transfer_store as ts
from custody.storage.tables import customers

pytestmark = pytest.mark.slow
PASSPHRASE = "correct horse battery staple"
TRIALS = 6

WORKER = """
import sys
from pathlib import Path
from custody.bootstrap import discovery, package_reader, package_writer
from custody.services.transfer import buyer, packaging
from custody.services.vault import open_vault
v = open_vault(Path(sys.argv[2]), passphrase=sys.argv[3])
print("start", flush=True)
if sys.argv[1] == "package":
    packaging.package_transfer(v, sys.argv[4], Path(sys.argv[5]), rules=discovery().rules,
                               write=package_writer())
else:
    buyer.receive_package(v, Path(sys.argv[5]), read=package_reader(), rules=discovery().rules)
print("done", flush=True)
"""


def kill_after(args: list[str], delay: float) -> bool:
    proc = subprocess.Popen([sys.executable, "-c", WORKER, *args], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "CUSTODY_FAST_KDF": "1"})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    return "done" in proc.communicate()[0]


def active(v: Vault) -> int:
    with v.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(customers).where(
            customers.c.state == "active")).scalar_one())


def test_kills_during_package_and_receive_leave_both_vaults_consistent(
    make_vault: Callable[..., Vault], tmp_path: Path, do_import: Callable[..., object],
    engine_parts: object,
) -> None:
    rules = engine_parts.rules  # type: ignore[attr-defined]
    s, b = make_vault("seller"), make_vault("buyer")
    do_import(s, write_customers_csv(tmp_path / "c.csv", 1500, seed=31),
              consent_evidence="表", guardian_consent=True,
              separate_consent=("identity.resident_id",))
    k = show_keys(b)
    tid = seller.create_transfer(s, seller.CreateRequest(
        "merger", "乙", "1", k.age_recipient, k.signing_public_key))
    env = seller.sign_agreement_for(s, tid)
    seller.accept_agreement(s, tid, json.dumps(
        buyer.countersign_agreement(b, json.dumps(env).encode())).encode())
    notify.notify_customers(s, tid, tmp_path / "n.csv", objection_days=0, rules=rules,
                            write_csv=notice_writer())
    gate.assess_transfer(s, tid, {"lawfulness_necessity": "a", "impact_risk": "b",
                                  "safeguards": "c"}, rules=rules)
    pkg = tmp_path / "handover.age"
    rng = random.Random(4)
    delays = sorted(rng.uniform(0.0, 1.5) for _ in range(2 * TRIALS))
    moving = active(s)
    for delay in delays[:TRIALS]:
        done = kill_after(["package", str(s.path), PASSPHRASE, tid, str(pkg)], delay)
        again = open_vault(s.path, passphrase=PASSPHRASE)
        with again.engine.connect() as c:
            packaged = "package" in ts.get_transfer(c, tid).document  # type: ignore[union-attr]
        again.engine.dispose()
        assert packaged == done or (packaged and pkg.exists())
        assert verify_audit(s).ok and active(s) == moving
        if packaged:
            break
    else:
        packaging.package_transfer(s, tid, pkg, rules=rules, write=package_writer())
    for delay in delays[TRIALS:]:
        kill_after(["receive", str(b.path), PASSPHRASE, tid, str(pkg)], delay * 0.6)
        n = active(b)
        assert n in (0, moving)
        assert verify_audit(b).ok
        if n:
            break
    else:
        buyer.receive_package(b, pkg, read=package_reader(), rules=rules)
    assert active(b) == moving
