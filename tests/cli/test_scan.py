"""`custody scan` (cli.md, Discovery): the --json shapes, streaming input, masked output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import custody.cli.scan  # noqa: F401  (registers the command)
from custody.cli.root import app

runner = CliRunner()
NOTE = "联系胡岩，电话13812345678"


def test_scan_text_json_lists_spans_with_offsets_and_labels() -> None:
    result = runner.invoke(app, ["scan", NOTE, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "spans": [
            {"start": 2, "end": 4, "label": "PERSON"},
            {"start": 7, "end": 18, "label": "MOBILE"},
        ]
    }


def test_scan_input_jsonl_prints_one_document_per_line_in_order(tmp_path: Path) -> None:
    source = tmp_path / "notes.jsonl"
    texts = [NOTE, "周末上课", "邮箱li.lei@example.com"]
    source.write_text(
        "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8"
    )
    result = runner.invoke(app, ["scan", "--input", str(source), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [len(x["spans"]) for x in lines] == [2, 0, 1]
    assert lines[2]["spans"] == [{"start": 2, "end": 20, "label": "EMAIL"}]


def test_scan_without_json_masks_what_it_found() -> None:
    result = runner.invoke(app, ["scan", NOTE])
    assert result.exit_code == 0
    assert "138****5678" in result.stdout
    assert "13812345678" not in result.stdout
    assert "胡岩" not in result.stdout


def test_scan_needs_exactly_one_of_text_and_input(tmp_path: Path) -> None:
    assert runner.invoke(app, ["scan"]).exit_code == 2
    assert runner.invoke(app, ["scan", NOTE, "--input", str(tmp_path / "x.jsonl")]).exit_code == 2


def test_scan_refuses_a_line_that_is_not_json_with_its_line_number(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"text": "周末上课"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(app, ["scan", "--input", str(source), "--json"])
    assert result.exit_code == 1
    assert "line 2" in result.stderr
    assert "not json" not in result.stderr


def test_scan_of_a_missing_file_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "--input", str(tmp_path / "absent.jsonl"), "--json"])
    assert result.exit_code == 1


def test_scan_input_lines_are_the_same_json_as_a_single_scan(tmp_path: Path) -> None:
    source = tmp_path / "notes.jsonl"
    texts = [NOTE, "周末上课", "学员王小明，地址北京市海淀区中关村大街1号"]
    source.write_text(
        "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8"
    )
    streamed = runner.invoke(app, ["scan", "--input", str(source), "--json"]).stdout
    singles = "".join(runner.invoke(app, ["scan", t, "--json"]).stdout for t in texts)
    assert streamed == singles


def test_scan_input_reads_a_byte_order_mark_and_refuses_bytes_that_are_not_utf8(
    tmp_path: Path,
) -> None:
    source = tmp_path / "notes.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": NOTE}).encode() + b"\n")
    result = runner.invoke(app, ["scan", "--input", str(source), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["spans"]) == 2
    source.write_bytes(b'{"text": "ok"}\n{"text": "\xff\xfe"}\n')
    result = runner.invoke(app, ["scan", "--input", str(source), "--json"])
    assert result.exit_code == 1
    assert "line 2" in result.stderr and "UTF-8" in result.stderr


def test_scan_input_reports_its_throughput_on_stderr_only(tmp_path: Path) -> None:
    source = tmp_path / "notes.jsonl"
    source.write_text(json.dumps({"text": "周末上课"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", "--input", str(source), "--json"])
    assert result.stdout == '{"spans": []}\n'
    assert "scanned 1 texts (4 characters)" in result.stderr
    assert "characters/s" in result.stderr


@pytest.mark.parametrize(("batch", "batch_chars"), [(64, 1 << 20), (2048, 500)])
def test_scan_input_longer_than_a_batch_keeps_every_line_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, batch_chars: int
) -> None:
    monkeypatch.setattr(custody.cli.scan, "_BATCH", batch)
    monkeypatch.setattr(custody.cli.scan, "_BATCH_CHARS", batch_chars)
    source = tmp_path / "notes.jsonl"
    texts = [f"客户{n}号，电话1381234{n:04d}" if n % 3 else "周末上课" for n in range(300)]
    source.write_text(
        "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8"
    )
    result = runner.invoke(app, ["scan", "--input", str(source), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x)["spans"] for x in result.stdout.splitlines()]
    assert len(lines) == len(texts)
    for text, spans in zip(texts, lines, strict=True):
        assert [text[s["start"] : s["end"]] for s in spans if s["label"] == "MOBILE"] == (
            [text[-11:]] if text != "周末上课" else []
        )


def test_scan_stops_quietly_when_its_reader_goes_away(tmp_path: Path) -> None:
    source = tmp_path / "notes.jsonl"
    source.write_text("".join(f'{{"text": "周末上课{n}"}}\n' for n in range(60000)), "utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "custody", "scan", "--input", str(source), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as reader:
        assert reader.stdout is not None and reader.stderr is not None
        assert reader.stdout.readline() == b'{"spans": []}\n'
        reader.stdout.close()  # as `| head -1` does
        reader.wait(timeout=120)
        complaints = reader.stderr.read()
    assert reader.returncode == 141
    assert complaints == b""
