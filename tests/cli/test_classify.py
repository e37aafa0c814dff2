"""`custody classify` front door: the --json shape of cli.md (Discovery)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

import custody.cli.discovery  # noqa: F401  (registers classify)
from custody.cli.root import app

HEADER = ["姓名", "手机", "身份证号", "备注"]
ROWS = [
    ["张伟", "13812345678", "11010120150307123X", "周末上课"],
    ["李娜", "+86 139 1234 5678", "110101199003071241", "客户满意"],
    ["张伟", "138-1234-5678", "", "下次回访"],
]


def write(tmp_path: Path, *, header: bool = True) -> Path:
    path = tmp_path / "small.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        if header:
            out.writerow(HEADER)
        out.writerows(ROWS)
    return path


def test_classify_json_has_the_cli_md_keys(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["classify", str(write(tmp_path)), "--as-of", "2026-11-22", "--json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    for key in ("file", "encoding", "header_row", "rows", "columns", "minors", "duplicates",
                "invalid"):
        assert key in document
    assert document["file"] == "small.csv" and document["rows"] == 3
    assert document["header_row"] is True and document["duplicates"] == 1
    column = document["columns"][0]
    assert set(column) >= {"index", "header", "label", "sensitive", "confidence"}
    assert [c["label"] for c in document["columns"]][:2] == ["person.name", "contact.mobile"]


def test_classify_reports_columns_no_purpose_needs(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["classify", str(write(tmp_path)), "--purpose", "marketing", "--json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["purposes"] == ["marketing"]
    assert 2 in document["unneeded_columns"]  # the resident ID column


def test_classify_no_header_and_table_output(tmp_path: Path) -> None:
    path = write(tmp_path, header=False)
    result = CliRunner().invoke(app, ["classify", str(path), "--no-header", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["header_row"] is False and document["columns"][0]["header"] is None
    table = CliRunner().invoke(app, ["classify", str(path), "--no-header"])
    assert table.exit_code == 0 and "contact.mobile" in table.stdout


def test_classify_bad_input_exits_1_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = CliRunner().invoke(app, ["classify", str(empty), "--json"])
    assert result.exit_code == 1
    bad_date = CliRunner().invoke(app, ["classify", str(write(tmp_path)), "--as-of", "x"])
    assert bad_date.exit_code == 1
