#!/usr/bin/env python3
"""Column-label accuracy and quality counts of `custody classify` against the dev truth.

    python bench/eval_columns.py [DATA_DIR] [--as-of 2026-11-22]

For every file in the manifest: label accuracy with the header row and, for files that
have one, again on a temporary copy without it; then minors, duplicates and invalid
resident IDs against the truth files. Not a test: it needs ../shared beside the repo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from custody.bootstrap import discovery
from custody.domain.classification import ClassifyReport
from custody.services.discovery import classify_file

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO.parent / "shared" / "data" / "customers-dev"
AS_OF = dt.date(2026, 11, 22)


def _classify(path: Path, has_header: bool | None, as_of: dt.date) -> ClassifyReport:
    parts = discovery(as_of)
    return classify_file(
        path, reader=parts.reader, classifier=parts.classifier, rules=parts.rules,
        as_of=as_of, has_header=has_header, quality=parts.quality,
    )


def _without_header(path: Path, tmp: Path) -> Path:
    target = tmp / f"noheader-{path.name}"
    if path.suffix.lower() in (".xlsx", ".xls"):
        import openpyxl
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows[1:]:
            sheet.append(list(row))
        target = target.with_suffix(".xlsx")
        book.save(target)
        return target
    data = path.read_bytes()
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    target.write_bytes(bom + data[data.index(b"\n") + 1 :])
    return target


def _accuracy(report: ClassifyReport, truth: list[dict[str, Any]]) -> dict[str, Any]:
    wrong = [
        {"index": c.index, "header": truth[c.index]["header"], "got": c.label,
         "want": truth[c.index]["label"]}
        for c in report.columns if c.label != truth[c.index]["label"]
    ]
    total = len(truth)
    return {"right": total - len(wrong), "total": total, "wrong": wrong}


def _counts(report: ClassifyReport, entry: dict[str, Any], data_dir: Path) -> dict[str, Any]:
    truth_path = data_dir / (Path(entry["file"]).stem + ".truth.json")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    figures = entry["figures"]
    want_invalid = sum(1 for t in truth if t.get("resident_id_invalid"))
    return {
        "rows": [report.rows, figures["rows"]],
        "minors": [report.minors, figures["minors"]],
        "duplicates": [report.duplicates, figures["rows"] - figures["distinct_customers"]],
        "invalid_resident_id": [report.invalid.get("identity.resident_id", 0), want_invalid],
        "invalid_other": {k: v for k, v in report.invalid.items()
                          if k != "identity.resident_id" and v},
    }


def evaluate(data_dir: Path = DATA_DIR, as_of: dt.date = AS_OF) -> dict[str, Any]:
    """Accuracy with/without headers and counts vs truth, per file and in total."""
    manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    files: dict[str, Any] = {}
    right = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for entry in manifest:
            path = data_dir / entry["file"]
            started = time.perf_counter()
            report = _classify(path, None, as_of)
            result: dict[str, Any] = {
                "seconds": round(time.perf_counter() - started, 3),
                "header_detected": report.header_row == entry["header_row"],
                "with_header": _accuracy(report, entry["columns"]),
                "counts": _counts(report, entry, data_dir),
            }
            runs = [result["with_header"]]
            if entry["header_row"]:
                stripped = _classify(_without_header(path, Path(tmp)), None, as_of)
                result["without_header"] = _accuracy(stripped, entry["columns"])
                result["without_header"]["header_detected"] = not stripped.header_row
                runs.append(result["without_header"])
            for run in runs:
                right += run["right"]
                total += run["total"]
            files[entry["file"]] = result
    return {"label_accuracy": round(right / total, 4) if total else None,
            "columns_right": right, "columns_total": total, "files": files}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", nargs="?", type=Path, default=DATA_DIR)
    ap.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    args = ap.parse_args()
    result = evaluate(args.data_dir, args.as_of)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
