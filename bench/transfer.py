#!/usr/bin/env python3
"""Transfer benchmark (issue 4): N customers packaged, verified and received.

    python bench/transfer.py [--customers 1000000]

In one run it measures, each in its own process (peak memory is its own):
- package: `transfer package` on the seller's vault; floor = unsealing the same records
  with the same primitives, writing them as the package's record files (a tar on disk)
  and encrypting that tar with the standard `age` tool;
- verify: `transfer verify` on the buyer's vault; floor = `age -d | sha256sum` over the
  same package;
- receive: `transfer receive`; floor = the vault-core import floor of bench/import.py
  (sealing and indexing the same rows, one executemany into a bare table).
Set-up (import, agreement, notices, assessment) is timed but not compared.

On Linux with two or more cores, packaging, receive (and notices and the gate's scan in
the set-up) work on their batches in forked worker processes (custody.parallel; CUSTODY_WORKERS=0
keeps them in one process). Their memory is then given twice: the main process's peak
RSS, and the peak PSS of the main process and its workers together (shared pages counted
once).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PASS = "bench"


def _bench_import() -> object:
    spec = importlib.util.spec_from_file_location("bench_import", BENCH / "import.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class ProcessTreeMemory:
    """Peak proportional set size (PSS) of this process plus its children (the packaging
    pass's forked workers), sampled twice a second from /proc: pages the workers share
    with this process are counted once, as they are in RAM."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ProcessTreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return self.peak_kib / 1024

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.5):
            pids = [me] + [int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(p) == me]
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in pids))


def _ppid(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        return 0


def setup(work: Path, src: Path) -> dict[str, object]:
    from custody.bootstrap import discovery, notice_writer
    from custody.services.importing import ImportOptions, import_file
    from custody.services.keys import show_keys
    from custody.services.transfer import buyer, gate, notify, seller
    from custody.services.vault import init_vault, open_vault

    d = discovery()
    for name in ("seller", "buyer"):
        init_vault(work / name, org=name, passphrase=PASS)
    s, b = open_vault(work / "seller", passphrase=PASS), open_vault(work / "buyer", passphrase=PASS)
    t = time.perf_counter()
    import_file(s, src, ImportOptions(dataset="bench", purposes=("服务",),
                                      consent_evidence="表", guardian_consent=True,
                                      separate_consent=("identity.resident_id",)),
                reader=d.reader, classifier=d.classifier, rules=d.rules)
    imported = time.perf_counter() - t
    k = show_keys(b)
    tid = seller.create_transfer(s, seller.CreateRequest(
        "merger", "buyer", "1", k.age_recipient, k.signing_public_key))
    env = seller.sign_agreement_for(s, tid)
    seller.accept_agreement(s, tid, json.dumps(
        buyer.countersign_agreement(b, json.dumps(env).encode())).encode())
    t = time.perf_counter()
    notify.notify_customers(s, tid, work / "notices.csv", objection_days=0, rules=d.rules,
                            write_csv=notice_writer())
    notified = time.perf_counter() - t
    t = time.perf_counter()
    gate.assess_transfer(s, tid, {"lawfulness_necessity": "a", "impact_risk": "b",
                                  "safeguards": "c"}, rules=d.rules)
    assessed = time.perf_counter() - t
    (work / "notices.csv").unlink()
    (work / "identity.txt").write_text(b.keys.age_identity)
    (work / "recipient.txt").write_text(k.age_recipient)
    return {"transfer_id": tid, "import_s": imported, "notify_s": notified,
            "assess_s": assessed}


def part_package(work: Path, tid: str) -> dict[str, float]:
    from custody.bootstrap import discovery, package_writer
    from custody.services.transfer import packaging
    from custody.services.vault import open_vault

    s = open_vault(work / "seller", passphrase=PASS)
    t = time.perf_counter()
    with ProcessTreeMemory() as tree:
        rec = packaging.package_transfer(s, tid, work / "handover.age",
                                         rules=discovery().rules, write=package_writer())
    secs = time.perf_counter() - t
    n = int(rec["summary"]["customers"])
    return {"seconds": secs, "customers": n, "per_s": n / secs, "peak_mib": peak_mib(),
            "workers_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "tree_pss_peak_mib": tree.peak_mib}


def part_package_floor(work: Path) -> dict[str, float]:
    import sqlite3

    from custody.crypto.record_pack import open_record
    from custody.services.vault import open_vault

    v = open_vault(work / "seller", passphrase=PASS)
    keys = v.keys
    t = time.perf_counter()
    db = sqlite3.connect(work / "seller" / "vault.db")
    rows = db.execute("SELECT r.customer_id, r.dataset_id, r.digest, r.sealed, c.wrapped_key, "
                      "c.key_version, c.key_generation FROM records r JOIN customers c "
                      "ON c.id = r.customer_id ORDER BY r.customer_id")
    tar_path = work / "floor.tar"
    n = 0
    with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
        buf: list[bytes] = []
        part = 0
        for cid, ds, digest, sealed, wrapped, kv, gen in rows:
            dk = keys.unwrap_data_key(cid, wrapped, kv)
            # The digest is stored as 16 bytes; the sealed fields are bound to its hex form.
            fields = open_record(keys.cipher(cid, dk, gen), f"{ds}/{bytes(digest).hex()}",
                                 sealed)
            buf.append(json.dumps({"customer": cid, "fields": fields},
                                  ensure_ascii=False).encode() + b"\n")
            n += 1
            if len(buf) >= 5000:
                part += 1
                _add(tar, f"records/part-{part:05d}.jsonl", b"".join(buf))
                buf = []
        if buf:
            _add(tar, f"records/part-{part + 1:05d}.jsonl", b"".join(buf))
    recipient = (work / "recipient.txt").read_text()
    subprocess.run(["age", "-r", recipient, "-o", str(work / "floor.age"), str(tar_path)],
                   check=True)
    secs = time.perf_counter() - t
    tar_path.unlink()
    (work / "floor.age").unlink()
    return {"seconds": secs, "customers": n, "per_s": n / secs, "peak_mib": peak_mib()}


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def part_verify(work: Path) -> dict[str, float]:
    from custody.bootstrap import package_reader
    from custody.services.transfer import buyer
    from custody.services.vault import open_vault

    b = open_vault(work / "buyer", passphrase=PASS)
    t = time.perf_counter()
    doc = buyer.verify_received_package(b, work / "handover.age", read=package_reader())
    secs = time.perf_counter() - t
    return {"seconds": secs, "customers": float(doc["customers"]), "peak_mib": peak_mib()}


def part_verify_floor(work: Path) -> dict[str, float]:
    ident = work / "identity.txt"
    t = time.perf_counter()
    subprocess.run(f"age -d -i {ident} {work / 'handover.age'} | sha256sum", shell=True,
                   check=True, capture_output=True)
    return {"seconds": time.perf_counter() - t}


def part_receive(work: Path) -> dict[str, float]:
    from custody.bootstrap import discovery, package_reader
    from custody.services.transfer import buyer
    from custody.services.vault import open_vault

    b = open_vault(work / "buyer", passphrase=PASS)
    t = time.perf_counter()
    with ProcessTreeMemory() as tree:
        doc = buyer.receive_package(b, work / "handover.age", read=package_reader(),
                                    rules=discovery().rules)
    secs = time.perf_counter() - t
    n = int(doc["received"])
    return {"seconds": secs, "customers": n, "per_s": n / secs, "peak_mib": peak_mib(),
            "workers_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "tree_pss_peak_mib": tree.peak_mib}


def run_part(name: str, work: Path, *extra: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--part", name, "--work", str(work),
                          *extra], check=True, capture_output=True, text=True,
                         env={**os.environ, "CUSTODY_FAST_KDF": "1"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--part")
    ap.add_argument("--work")
    ap.add_argument("--transfer")
    ap.add_argument("--src")
    a = ap.parse_args()
    if a.part:
        work = Path(a.work)
        fns = {"package": lambda: part_package(work, a.transfer),
               "package_floor": lambda: part_package_floor(work),
               "verify": lambda: part_verify(work), "verify_floor": lambda: part_verify_floor(work),
               "receive": lambda: part_receive(work),
               "setup": lambda: setup(work, Path(a.src))}
        print(json.dumps(fns[a.part]()))
        return
    if shutil.which("age") is None:
        sys.exit("the age tool is needed for the floor (apt-get install age)")
    work = Path(tempfile.mkdtemp(prefix="custody-transfer-bench-"))
    try:
        bi = _bench_import()
        src = work / "customers.csv"
        bi.generate(src, a.customers)  # type: ignore[attr-defined]
        st = run_part("setup", work, "--src", str(src))
        print(f"set-up: import {st['import_s']:.1f}s, notify {st['notify_s']:.1f}s, "
              f"assess {st['assess_s']:.1f}s", file=sys.stderr)
        tid = str(st["transfer_id"])
        pkg = run_part("package", work, "--transfer", tid)
        pkg_floor = run_part("package_floor", work)
        ver = run_part("verify", work)
        ver_floor = run_part("verify_floor", work)
        rec = run_part("receive", work)
        (work / "imp").mkdir()
        imp_floor = json.loads(subprocess.run(
            [sys.executable, str(BENCH / "import.py"), "--part", "floor", "--src", str(src),
             "--work", str(work / "imp")], check=True, capture_output=True, text=True
        ).stdout)
        size = (work / "handover.age").stat().st_size / 2**20
        print(f"package : {pkg['per_s']:>9,.0f} customers/s {pkg['seconds']:7.1f}s "
              f"peak {pkg['peak_mib']:.0f} MiB, with its workers {pkg['tree_pss_peak_mib']:.0f}"
              f" MiB PSS ({size:.0f} MiB package)")
        print(f"  floor : {pkg_floor['per_s']:>9,.0f} customers/s {pkg_floor['seconds']:7.1f}s"
              f"  ratio {pkg['per_s'] / pkg_floor['per_s']:.2f} (goal >= 0.5)")
        speed = ver_floor["seconds"] / ver["seconds"]
        print(f"verify  : {ver['seconds']:7.1f}s peak {ver['peak_mib']:.0f} MiB; "
              f"age -d | sha256sum {ver_floor['seconds']:.1f}s; speed ratio {speed:.2f}"
              f" (goal >= 0.5)")
        print(f"receive : {rec['per_s']:>9,.0f} customers/s {rec['seconds']:7.1f}s "
              f"peak {rec['peak_mib']:.0f} MiB, with its workers {rec['tree_pss_peak_mib']:.0f}"
              f" MiB PSS; import floor {imp_floor['rows_per_s']:,.0f} rows/s;"
              f" ratio {rec['per_s'] / imp_floor['rows_per_s']:.2f} (goal >= 0.5)")
        print(json.dumps({"setup": st, "package": pkg, "package_floor": pkg_floor,
                          "verify": ver, "verify_floor": ver_floor, "receive": rec,
                          "import_floor": imp_floor}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
