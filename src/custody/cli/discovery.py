"""`custody classify`: label a table file's columns (no vault needed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from custody.bootstrap import discovery
from custody.cli.output import emit_json, out_console, progress_bar
from custody.cli.root import app
from custody.domain.classification import ClassifyReport
from custody.errors import InputError
from custody.services.discovery import classify_file

__all__ = ["classify", "report_document"]


def report_document(report: ClassifyReport) -> dict[str, object]:
    """The `--json` document of cli.md (Discovery), extras after the listed keys."""
    document = asdict(report)
    extra = document.pop("extra")
    document["columns"] = [dict(c) for c in document["columns"]]
    document.update({k: v for k, v in extra.items() if k not in document})
    return document


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of must be a date like 2026-11-22, not {value!r}") from None


def _print_table(report: ClassifyReport) -> None:
    table = Table(title=f"{report.file} ({report.encoding}, {report.rows} rows)")
    for name in ("#", "header", "label", "sensitive", "confidence"):
        table.add_column(name)
    for c in report.columns:
        table.add_row(str(c.index), c.header or "", c.label, "yes" if c.sensitive else "",
                      f"{c.confidence:.2f}")
    out_console.print(table)
    invalid = ", ".join(f"{k}: {v}" for k, v in report.invalid.items()) or "none"
    out_console.print(f"minors: {report.minors}  duplicates: {report.duplicates}  "
                      f"invalid: {invalid}")
    unneeded = report.extra.get("unneeded_columns")
    if unneeded:
        out_console.print(f"columns no declared purpose needs: {unneeded}")


@app.command()
def classify(
    file: Annotated[Path, typer.Argument(help="CSV/TSV/XLSX/XLS/JSON/JSONL file.")],
    no_header: Annotated[bool, typer.Option("--no-header", help="The first row is data.")] = False,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Sheet name (workbooks).")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Processing date (YYYY-MM-DD).")
    ] = None,
    purpose: Annotated[
        list[str] | None,
        typer.Option("--purpose", help="Declared purpose (service, marketing, billing, ...)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Label every column of a table file and count minors, duplicates and invalid values.

    Example: custody classify customers.csv --as-of 2026-11-22 --json
    """
    when = _as_of(as_of)
    parts = discovery(when, tuple(purpose or ()))
    with progress_bar("classifying") as advance:
        report = classify_file(
            file, reader=parts.reader, classifier=parts.classifier, rules=parts.rules,
            as_of=when, sheet=sheet, has_header=False if no_header else None,
            progress=advance, quality=parts.quality,
        )
    if json_out:
        emit_json(report_document(report))
    else:
        _print_table(report)
