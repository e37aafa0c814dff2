"""`custody demo`: the whole story on sample data it generates itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from custody.bootstrap import demo_parts
from custody.cli.output import emit_json, info
from custody.cli.root import app
from custody.errors import Conflict
from custody.services.demo import run_demo

__all__ = ["demo"]


@app.command("demo")
def demo(
    directory: Annotated[Path | None, typer.Option("--dir", help="Where to put the vaults.")]
    = None,
    customers: Annotated[int, typer.Option("--customers")] = 300,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run the whole story: import, valuation, transfer, destruction. Example: custody demo"""
    base = directory or Path(f"custody-demo-{dt.datetime.now():%Y%m%d-%H%M%S}")
    if base.exists() and any(base.iterdir()):
        raise Conflict(f"{base} exists and is not empty")
    result = run_demo(base, demo_parts(), say=info, customers_n=customers)
    if json_out:
        emit_json(result)
