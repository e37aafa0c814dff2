#!/usr/bin/env python3
"""Discovery benchmark (not a test): Custody's free-text scanner against the shared data,
and Presidio as set up in ../shared/bench/presidio_zh.py, side by side, in one run.

    python bench/eval_discovery.py [--no-presidio] [--no-columns] [--errors LABEL]

Scores are exact spans (start, end and label identical), per label:
- ../shared/data/customers-dev/notes.jsonl: every span label;
- ../shared/data/public/ner-dev.jsonl: PERSON and ORG (predictions overlapping a `dropped`
  entity count as neither right nor wrong; ADDRESS there is indicative only);
- ../shared/data/public/address-dev.jsonl: each real address embedded in generated note
  sentences, ADDRESS only.
Throughput is measured on the notes, one core, scanning only (no JSON, no I/O): `scan_raw`
(tuples) and `scan` (Span objects; its small result cache starts empty, so only notes that
repeat inside the file hit it) one text at a time, and `scan_raw_many` / `scan_many` in
batches of 2,048 as `custody scan --input` works; then `custody scan --input` itself as a
user runs it (its own timer, like Presidio's). Presidio runs in /tmp/presidio-venv on the
same notes. The public data is read at run time and never copied anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
NOTES = SHARED / "data" / "customers-dev" / "notes.jsonl"
NER = SHARED / "data" / "public" / "ner-dev.jsonl"
ADDRESSES = SHARED / "data" / "public" / "address-dev.jsonl"
PRESIDIO_SCRIPT = SHARED / "bench" / "presidio_zh.py"
PRESIDIO_VENV = Path("/tmp/presidio-venv")
# Sentences an address is embedded in; `{}` is the address.
ADDRESS_TEMPLATES = (
    "客户要求寄到{}，周末不在家",
    "送货地址改为{}",
    "收货地址：{}，请电话联系",
    "家住{}，离学校很近",
    "新地址是{}。",
    "请把资料寄往{}，谢谢",
    "地址{}",
    "学员住在{}，上课路程较远",
    "发票邮寄至{}，收件人本人",
    "{}",
)

Spans = set[tuple[int, int, str]]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Score:
    """Exact-span true positives, false positives and false negatives per label."""

    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()

    def add(self, truth: Spans, predicted: Spans, ignore: Iterable[tuple[int, int]] = ()) -> None:
        ignored = list(ignore)
        for span in predicted:
            if span in truth:
                self.tp[span[2]] += 1
            elif not any(span[0] < hi and lo < span[1] for lo, hi in ignored):
                self.fp[span[2]] += 1
        for span in truth - predicted:
            self.fn[span[2]] += 1

    def prf(self, label: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def labels(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))


def truth_of(record: dict[str, Any], labels: set[str] | None = None) -> Spans:
    return {
        (s["start"], s["end"], s["label"])
        for s in record["spans"]
        if labels is None or s["label"] in labels
    }


def custody_scanner() -> Callable[[str], Spans]:
    from custody.discovery.text import build_scanner

    scanner = build_scanner()
    return lambda text: {(s.start, s.end, s.label) for s in scanner.scan(text)}


def eval_records(
    records: list[dict[str, Any]],
    predict: Callable[[str], Spans],
    labels: set[str] | None = None,
    errors: str | None = None,
) -> Score:
    score = Score()
    for rec in records:
        truth = truth_of(rec, labels)
        pred = {s for s in predict(rec["text"]) if labels is None or s[2] in labels}
        ignore = [(d["start"], d["end"]) for d in rec.get("dropped", [])]
        score.add(truth, pred, ignore)
        if errors and any(s[2] == errors for s in truth ^ pred):
            text = rec["text"]
            missed = sorted((text[a:b], lab) for a, b, lab in truth - pred if lab == errors)
            wrong = sorted((text[a:b], lab) for a, b, lab in pred - truth if lab == errors)
            print(f"  ERR {text[:80]!r}\n    truth {missed}\n    pred  {wrong}", file=sys.stderr)
    return score


def embedded_addresses(seed: int = 3) -> list[dict[str, Any]]:
    """Each real address inside a note sentence, with the address span as truth."""
    rng = random.Random(seed)
    out = []
    for rec in read_jsonl(ADDRESSES):
        template = rng.choice(ADDRESS_TEMPLATES)
        address = rec["text"]
        start = template.index("{}")
        out.append(
            {
                "text": template.format(address),
                "spans": [{"start": start, "end": start + len(address), "label": "ADDRESS"}],
            }
        )
    return out


SCAN_MODES = ("scan_raw", "scan", "scan_raw_many", "scan_many")
BATCH = 2048  # texts per batch, as `custody scan --input` reads them


def throughput(texts: list[str], mode: str) -> float:
    """Characters per second of the scanner over `texts` (best of three). `scan_raw` and
    `scan` take one text at a time; `scan_raw_many` and `scan_many` take batches of 2,048
    (what `custody scan --input` does). Every run starts with empty caches."""
    from custody.discovery.text import build_scanner

    scanner = build_scanner()
    one = {"scan_raw": scanner.scan_raw, "scan": scanner.scan}.get(mode)
    many = {"scan_raw_many": scanner.scan_raw_many, "scan_many": scanner.scan_many}.get(mode)
    chars = sum(map(len, texts))
    best = 0.0
    for _ in range(3):
        scanner.clear_cache()
        t0 = time.perf_counter()
        if one is not None:
            for text in texts:
                one(text)
        elif many is not None:
            for k in range(0, len(texts), BATCH):
                many(texts[k : k + BATCH])
        best = max(best, chars / (time.perf_counter() - t0))
    return best


def run_cli() -> tuple[float, float] | None:
    """`custody scan --input NOTES --json` as a user runs it: (characters/s by its own timer,
    which counts reading and writing but not start-up; wall seconds with start-up)."""
    cmd = [sys.executable, "-m", "custody", "scan", "--input", str(NOTES), "--json"]
    t0 = time.perf_counter()
    # stdout to /dev/null, as in `> out.jsonl`: a reader would share this (pinned) core
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0 or "characters/s" not in done.stderr:
        print("custody scan --input failed:", done.stderr[-2000:], file=sys.stderr)
        return None
    line = done.stderr.split(" s: ")[-1]
    return float(line.split(" characters/s")[0].replace(",", "")), wall


def run_presidio() -> tuple[list[Spans], float] | None:
    python = PRESIDIO_VENV / "bin" / "python"
    if not python.exists():
        print(
            "creating",
            PRESIDIO_VENV,
            "(pip install presidio-analyzer presidio-anonymizer)",
            file=sys.stderr,
        )
        subprocess.run([sys.executable, "-m", "venv", str(PRESIDIO_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "presidio-analyzer", "presidio-anonymizer"],
            check=True,
        )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "spans.jsonl"
        cmd = [str(python), str(PRESIDIO_SCRIPT), "--input", str(NOTES), "--out", str(out)]
        if sys.platform.startswith("linux"):
            cmd = ["taskset", "-c", "0", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            print("presidio failed:", done.stderr[-2000:], file=sys.stderr)
            return None
        line = done.stderr.strip().splitlines()[-1]
        chars_per_s = float(line.split(" texts/s, ")[1].split(" chars/s")[0].replace(",", ""))
        spans = [
            {(s["start"], s["end"], s["label"]) for s in json.loads(x)["spans"]}
            for x in out.read_text(encoding="utf-8").splitlines()
        ]
    return spans, chars_per_s


def print_table(title: str, ours: Score, theirs: Score | None, labels: list[str]) -> None:
    print(f"\n{title}")
    head = f"{'label':<12} {'P':>6} {'R':>6} {'F1':>6}"
    print(head + ("   presidio F1" if theirs else ""))
    for label in labels:
        p, r, f = ours.prf(label)
        row = f"{label:<12} {p:6.3f} {r:6.3f} {f:6.3f}"
        if theirs is not None:
            row += f"   {theirs.prf(label)[2]:11.3f}"
        print(row)


def run_columns() -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from eval_columns import evaluate  # type: ignore[import-not-found, unused-ignore]
    except ImportError as exc:
        print(f"\ncolumns: skipped (bench/eval_columns.py not available: {exc})")
        return
    print("\ncolumns (bench/eval_columns.py): got / truth")
    result = evaluate()
    print(
        f"label accuracy {result.get('label_accuracy')} "
        f"({result.get('columns_right')}/{result.get('columns_total')} columns)"
    )
    for name, info in result.get("files", {}).items():
        counts = info.get("counts", {})
        shown = "  ".join(
            f"{k} {v[0]}/{v[1]}" for k, v in counts.items() if isinstance(v, list) and len(v) == 2
        )
        print(f"  {name:<22} {shown}  invalid other {counts.get('invalid_other', {})}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument("--no-columns", action="store_true")
    ap.add_argument("--errors", help="print the errors of one label on stderr")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    t0 = time.perf_counter()
    predict = custody_scanner()
    print(f"scanner loaded in {time.perf_counter() - t0:.2f} s")
    notes = read_jsonl(NOTES)
    texts = [n["text"] for n in notes]
    ours = eval_records(notes, predict, errors=args.errors)
    theirs: Score | None = None
    presidio = None if args.no_presidio else run_presidio()
    if presidio is not None:
        theirs = Score()
        for rec, pred in zip(notes, presidio[0], strict=True):
            theirs.add(truth_of(rec), pred)
    labels = sorted(
        set(ours.labels()) | {"MOBILE", "RESIDENT_ID", "BANK_CARD", "EMAIL", "PERSON", "ADDRESS"}
    )
    print_table(f"notes ({NOTES.name}, {len(notes)} notes)", ours, theirs, labels)
    ner = eval_records(read_jsonl(NER), predict, {"PERSON", "ORG", "ADDRESS"}, args.errors)
    print_table(
        "ner-dev (public, exact spans; ADDRESS indicative)", ner, None, ["PERSON", "ORG", "ADDRESS"]
    )
    addr = eval_records(embedded_addresses(), predict, {"ADDRESS"}, args.errors)
    print_table("address-dev embedded in note sentences", addr, None, ["ADDRESS"])
    rates = {mode: throughput(texts, mode) for mode in SCAN_MODES}
    cli = run_cli()
    print("\nthroughput on notes, one core (in-process figures: best of 3, caches empty each run)")
    rows: list[tuple[str, float, str]] = []
    if cli is not None:
        rows.append(
            ("custody scan --input", cli[0],
             f"the command; its own timer, reading and writing included ({cli[1]:.2f} s wall "
             "with start-up)")
        )
    rows += [
        ("scan_many", rates["scan_many"], "batches of 2,048, what the command calls"),
        ("scan_raw_many", rates["scan_raw_many"], "batches of 2,048, tuples"),
        ("scan", rates["scan"], "one text per call"),
        ("scan_raw", rates["scan_raw"], "one text per call, tuples"),
    ]
    for name, rate, what in rows:
        ratio = f"{rate / presidio[1]:5.1f}x presidio" if presidio is not None else ""
        print(f"  {name:21s} {rate:10,.0f} chars/s  {ratio}  {what}")
    if presidio is not None:
        print(f"  {'presidio':21s} {presidio[1]:10,.0f} chars/s  (its own timer)")
    if not args.no_columns:
        run_columns()


if __name__ == "__main__":
    main()
