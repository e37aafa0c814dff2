#!/usr/bin/env python3
"""Import benchmark (issue 2): generated customers into a SQLite vault, against a floor.

    python bench/import.py [--rows 1000000] [--lookups 200]

Prints rows/s and peak memory of `custody import` (in-process, service layer), the floor
measured in the same run (the same rows sealed and indexed with the same primitives and
written with one executemany into a bare table, no other work), their ratio, and the
median in-process time of `customers find --mobile` on the resulting vault. Each part
runs in its own process so that peak memory is its own.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADERS = ["姓名", "手机", "身份证号", "邮箱", "订单号", "取件码", "包裹数", "会员等级", "站点编号",
           "备用编号"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(rng: random.Random) -> str:
    body = (f"{rng.choice(['110101', '310104', '440305', '510107', '320102'])}"
            f"{rng.randint(1960, 2015)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            f"{rng.randint(0, 999):03d}")
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def generate(path: Path, rows: int) -> None:
    rng = random.Random(1)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADERS)
        for i in range(rows):
            w.writerow([
                rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
                resident_id(rng), f"user{i}@example.com", f"SO{rng.randint(10**11, 10**12)}",
                f"{rng.randint(1, 9)}-{rng.randint(1, 9)}-{rng.randint(1000, 9999)}",
                str(rng.randint(1, 5)), rng.choice(["普通", "银卡", "金卡"]),
                f"ST{rng.randint(100, 999)}", f"B{rng.randint(10**7, 10**8)}",
            ])


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_floor(src: Path, work: Path) -> dict[str, float]:
    from custody.crypto.blind_index import BlindIndexer
    from custody.crypto.envelope import FieldCipher, new_key, wrap_key
    from custody.crypto.record_pack import seal_record
    from custody.discovery.rules import RuleValueRules

    rules = RuleValueRules()
    index = BlindIndexer(new_key())
    vault_key = new_key()
    labels = ["person.name", "contact.mobile", "identity.resident_id", "contact.email"] + \
        ["other"] * 6
    db = sqlite3.connect(work / "floor.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, customer TEXT, wrapped BLOB, "
               "sealed BLOB, t1 TEXT, t2 TEXT, t3 TEXT)")
    start = time.perf_counter()
    out = []
    with src.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for n, row in enumerate(reader):
            cid = f"c{n}"
            dk = new_key()
            cipher = FieldCipher(dk, vault_id="v", customer_id=cid, key_version=1)
            values = [(i, labels[i], v) for i, v in enumerate(row)]
            tokens = [index.token(lab, rules.normalize(lab, row[i]) or "")
                      for i, lab in ((1, "contact.mobile"), (2, "identity.resident_id"),
                                     (3, "contact.email"))]
            out.append((cid, wrap_key(vault_key, dk, cid), seal_record(cipher, f"d/{n}", values),
                        *tokens))
    db.executemany("INSERT INTO t (customer, wrapped, sealed, t1, t2, t3) VALUES (?,?,?,?,?,?)",
                   out)
    db.commit()
    secs = time.perf_counter() - start
    return {"rows": len(out), "seconds": secs, "rows_per_s": len(out) / secs,
            "peak_mib": peak_mib()}


def run_import(src: Path, work: Path, lookups: int) -> dict[str, float]:
    os.environ["CUSTODY_FAST_KDF"] = "1"
    from custody.bootstrap import discovery
    from custody.services.customers import find_customers
    from custody.services.importing import ImportOptions, import_file
    from custody.services.vault import init_vault, open_vault

    init_vault(work / "vault", org="bench", passphrase="bench")
    v = open_vault(work / "vault", passphrase="bench")
    d = discovery()
    start = time.perf_counter()
    s = import_file(v, src, ImportOptions(dataset="bench", purposes=("服务",)),
                    reader=d.reader, classifier=d.classifier, rules=d.rules)
    secs = time.perf_counter() - start
    result = {"rows": s.rows, "seconds": secs, "rows_per_s": s.rows / secs,
              "peak_mib": peak_mib(), "customers": s.customers_new}
    rng = random.Random(5)
    with src.open(encoding="utf-8", newline="") as f:
        mobiles = [r[1] for _, r in zip(range(200_000), csv.reader(f), strict=False)][1:]
    times = []
    for m in rng.sample(mobiles, min(lookups, len(mobiles))):
        t = time.perf_counter()
        assert find_customers(v, "contact.mobile", m, rules=d.rules)
        times.append((time.perf_counter() - t) * 1000)
    result["find_median_ms"] = statistics.median(times)
    result["find_p95_ms"] = sorted(times)[int(len(times) * 0.95) - 1]
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--lookups", type=int, default=200)
    ap.add_argument("--part", choices=["floor", "import"])
    ap.add_argument("--src")
    ap.add_argument("--work")
    a = ap.parse_args()
    if a.part:
        fn = run_floor if a.part == "floor" else run_import
        args = (Path(a.src), Path(a.work)) + ((a.lookups,) if a.part == "import" else ())
        print(json.dumps(fn(*args)))  # type: ignore[operator]
        return
    work = Path(tempfile.mkdtemp(prefix="custody-bench-"))
    try:
        src = work / "customers.csv"
        t = time.perf_counter()
        generate(src, a.rows)
        print(f"generated {a.rows} rows ({src.stat().st_size / 2**20:.0f} MiB) in "
              f"{time.perf_counter() - t:.1f}s", file=sys.stderr)
        results = {}
        for part in ("floor", "import"):
            (work / part).mkdir()
            out = subprocess.run([sys.executable, __file__, "--part", part, "--src", str(src),
                                  "--work", str(work / part), "--lookups", str(a.lookups)],
                                 check=True, capture_output=True, text=True).stdout
            results[part] = json.loads(out)
        f, i = results["floor"], results["import"]
        print(f"floor : {f['rows_per_s']:>10,.0f} rows/s  {f['seconds']:7.1f}s  "
              f"peak {f['peak_mib']:.0f} MiB")
        print(f"import: {i['rows_per_s']:>10,.0f} rows/s  {i['seconds']:7.1f}s  "
              f"peak {i['peak_mib']:.0f} MiB  ({i['customers']:,} customers)")
        print(f"ratio import/floor: {i['rows_per_s'] / f['rows_per_s']:.2f} (goal >= 0.5)")
        print(f"customers find --mobile: median {i['find_median_ms']:.2f} ms, "
              f"p95 {i['find_p95_ms']:.2f} ms (goal median < 5 ms)")
        print(json.dumps(results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
