"""`custody valuation`: the customer base valued as a report a buyer can trust."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from custody.bootstrap import discovery, render_report
from custody.cli.output import emit_json, info, progress_bar
from custody.cli.root import app, open_vault_for
from custody.errors import InputError
from custody.services.report_data import valuation_report
from custody.services.valuation import compute_valuation

__all__ = ["valuation"]


@app.command("valuation")
def valuation(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD")] = None,
    html: Annotated[Path | None, typer.Option("--html")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh",
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Value the customer base.

    Example: custody valuation --as-of 2026-11-22 --html report.html --json
    """
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise InputError("--as-of takes a date as YYYY-MM-DD") from None
    vault = open_vault_for(ctx)
    with progress_bar("valuing customers"):
        v = compute_valuation(vault, as_of=day, rules=discovery().rules)
    data = valuation_report(v, org=vault.org)
    if html:
        html.write_text(render_report("valuation", data, "html", lang), encoding="utf-8")
    if pdf:
        render_report("valuation", data, "pdf", lang, pdf)
    if json_out:
        emit_json(v.to_dict())
    else:
        info(f"{v.distinct_customers} customers, {v.active_90d} active in 90 days, "
             f"revenue {v.revenue_total}")
