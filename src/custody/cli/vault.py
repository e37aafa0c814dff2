"""`custody init`, `custody import` and the customer commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from custody.bootstrap import discovery, resolve_passphrase
from custody.cli.output import emit_json, info, out_console, progress_bar
from custody.cli.root import app, open_vault_for, state
from custody.errors import InputError
from custody.services import customers as svc
from custody.services.importing import ImportOptions, import_file
from custody.services.reveal import reveal_field
from custody.services.vault import init_vault

__all__ = ["customers_app"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@app.command("init")
def init_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Vault directory to create.")],
    org: Annotated[str, typer.Option("--org", help="Organisation that holds the data.")],
    database_url: Annotated[str | None, typer.Option("--database-url")] = None,
    org_contact: Annotated[str, typer.Option("--org-contact")] = "",
    json_out: JsonOpt = False,
) -> None:
    """Create a vault. Example: custody init ./vault --org 示例培训学校"""
    passphrase = resolve_passphrase(state(ctx).key_file)
    v = init_vault(path, org=org, passphrase=passphrase, database_url=database_url,
                   org_contact=org_contact)
    doc = {"vault": str(v.path), "vault_id": v.vault_id, "org": v.org,
           "database": v.database, "owner": v.owner}
    emit_json(doc) if json_out else info(f"vault created / 已创建保险库: {v.path} ({v.database})")


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV, TSV, XLSX, XLS, JSON or JSONL file.")],
    dataset: Annotated[str, typer.Option("--dataset")],
    purpose: Annotated[list[str], typer.Option("--purpose", help="Declared purpose(s).")],
    legal_basis: Annotated[str, typer.Option("--legal-basis")] = "consent",
    no_header: Annotated[bool, typer.Option("--no-header")] = False,
    sheet: Annotated[str | None, typer.Option("--sheet")] = None,
    consent_evidence: Annotated[str | None, typer.Option("--consent-evidence")] = None,
    guardian_consent: Annotated[bool, typer.Option("--guardian-consent")] = False,
    separate_consent: Annotated[list[str] | None, typer.Option("--separate-consent")] = None,
    drop_unneeded: Annotated[bool, typer.Option(
        "--drop-unneeded", help="Leave out personal columns no declared purpose needs.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Import a customer file.

    Example: custody import pupils.csv --dataset 学员 --purpose 教学服务
    """
    vault = open_vault_for(ctx)
    d = discovery()
    opts = ImportOptions(
        dataset=dataset, purposes=tuple(purpose), legal_basis=legal_basis,
        consent_evidence=consent_evidence, guardian_consent=guardian_consent,
        separate_consent=tuple(separate_consent or ()), has_header=False if no_header else None,
        sheet=sheet, drop_unneeded=drop_unneeded,
    )
    with progress_bar(f"importing {file.name}") as bar:
        s = import_file(vault, file, opts, reader=d.reader, classifier=d.classifier,
                        rules=d.rules, progress=bar, unneeded=d.unneeded)
    doc = {"dataset": s.dataset, "rows": s.rows, "imported": s.imported,
           "customers_new": s.customers_new, "customers_merged": s.customers_merged,
           "rejected": s.rejected, "already_present": s.already_present, "columns": s.columns}
    if json_out:
        emit_json(doc)
    else:
        info(f"imported / 已导入 {s.imported} of {s.rows} rows into {s.dataset}: "
             f"{s.customers_new} new, {s.customers_merged} merged, {s.rejected} rejected")


customers_app = typer.Typer(help="Look up, show and delete customers.", no_args_is_help=True)
app.add_typer(customers_app, name="customers")


@customers_app.command("find")
def find_cmd(
    ctx: typer.Context,
    mobile: Annotated[str | None, typer.Option("--mobile")] = None,
    resident_id: Annotated[str | None, typer.Option("--resident-id")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Find customers by exact identifier. Example: custody customers find --mobile 13800000000"""
    given = [(lab, v) for lab, v in (("contact.mobile", mobile),
             ("identity.resident_id", resident_id), ("contact.email", email)) if v]
    if len(given) != 1:
        raise InputError("give exactly one of --mobile, --resident-id, --email")
    vault = open_vault_for(ctx)
    found = svc.find_customers(vault, given[0][0], given[0][1], rules=discovery().rules)
    if json_out:
        emit_json({"customers": found})
    else:
        for cid in found:
            out_console.print(cid)


@customers_app.command("show")
def show_cmd(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument()],
    reveal: Annotated[str | None, typer.Option("--reveal", help="Label to show in plaintext.")]
    = None,
    purpose: Annotated[str | None, typer.Option("--purpose")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Show a customer, masked.

    Example: custody customers show c1a2 --reveal contact.mobile --purpose 教学服务
    """
    vault = open_vault_for(ctx)
    if reveal:
        plain = reveal_field(vault, customer_id, reveal, purpose or "", rules=discovery().rules)
        doc = {"customer": customer_id, "label": reveal, "purpose": purpose,
               "values": [{"dataset": p.dataset, "header": p.header, "value": p.text}
                          for p in plain]}
        if json_out:
            emit_json(doc)
        else:
            for p in plain:
                out_console.print(p.text)
        return
    view = svc.show_customer(vault, customer_id)
    records = [{"record": r.record_id, "dataset": r.dataset, "row": r.row_no,
                "fields": [{"header": f.header, "label": f.label, "value": str(f.masked)}
                           for f in r.fields]} for r in view.records]
    consents = [{"purpose": c["purpose"], "kind": c["kind"], "label": c["label"],
                 "withdrawn": c["withdrawn_at"] is not None} for c in view.consents]
    if json_out:
        emit_json({"id": view.id, "state": view.state, "records": records, "consents": consents})
        return
    table = Table("dataset", "row", "field / 字段", "label", "value (masked / 已脱敏)",
                  title=f"{view.id} ({view.state})")
    for r in records:
        for f in r["fields"]:  # type: ignore[attr-defined]  # list built above
            table.add_row(str(r["dataset"]), str(r["row"]), f["header"], f["label"], f["value"])
    out_console.print(table)


@customers_app.command("delete")
def delete_cmd(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option("--reason")] = "request",
    json_out: JsonOpt = False,
) -> None:
    """Crypto-shred a customer. Example: custody customers delete c1a2 --reason erasure-request"""
    vault = open_vault_for(ctx)
    svc.delete_customer(vault, customer_id, reason=reason)
    doc = {"customer": customer_id, "deleted": True, "method": "crypto-shredding",
           "at": dt.datetime.now(dt.UTC).isoformat()}
    emit_json(doc) if json_out else info(f"deleted / 已删除 {customer_id}")


