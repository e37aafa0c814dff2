"""`custody user`, `custody keys` and `custody audit` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from custody.cli.output import emit_json, info, out_console, progress_bar
from custody.cli.root import app, open_vault_for
from custody.services import audit as audit_svc
from custody.services import keys as keys_svc
from custody.services import users as users_svc
from custody.services.vault import Vault

__all__ = ["audit_app", "keys_app", "user_app"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]

user_app = typer.Typer(help="Users and roles (owner only).", no_args_is_help=True)
keys_app = typer.Typer(help="Keys: public keys, identity export, rotation.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")


def _vault(ctx: typer.Context) -> Vault:
    return open_vault_for(ctx)


@user_app.command("add")
def user_add(ctx: typer.Context, name: str, role: Annotated[str, typer.Option("--role")],
             json_out: JsonOpt = False) -> None:
    """Add a user. Example: custody user add li --role staff"""
    u = users_svc.add_user(_vault(ctx), name, role)
    emit_json({"user": u.name, "role": u.role}) if json_out else info(f"added {u.name} ({u.role})")


@user_app.command("remove")
def user_remove(ctx: typer.Context, name: str, json_out: JsonOpt = False) -> None:
    """Remove a user. Example: custody user remove li"""
    users_svc.remove_user(_vault(ctx), name)
    emit_json({"user": name, "removed": True}) if json_out else info(f"removed {name}")


@user_app.command("list")
def user_list(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """List users. Example: custody user list --json"""
    users = users_svc.list_users(_vault(ctx))
    if json_out:
        emit_json({"users": [{"name": u.name, "role": u.role, "active": u.active}
                             for u in users]})
        return
    table = Table("user / 用户", "role / 角色", "active")
    for u in users:
        table.add_row(u.name, u.role, "yes" if u.active else "no")
    out_console.print(table)


@keys_app.command("show")
def keys_show(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Show the public keys a counterparty needs. Example: custody keys show --json"""
    k = keys_svc.show_keys(_vault(ctx))
    doc = {"age_recipient": k.age_recipient, "signing_public_key": k.signing_public_key,
           "vault_id": k.vault_id, "vault_key_version": k.vault_key_version}
    if json_out:
        emit_json(doc)
    else:
        for name, value in doc.items():
            out_console.print(f"{name}: {value}")


@keys_app.command("export-identity")
def keys_export(ctx: typer.Context, out: Annotated[Path, typer.Option("--out")]) -> None:
    """Write the age identity for the standard age tool.

    Example: custody keys export-identity --out buyer.key
    """
    keys_svc.export_identity(_vault(ctx), out)
    info(f"age identity written to {out} (keep it secret / 请妥善保管)")


@keys_app.command("rotate")
def keys_rotate(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Make a new vault key and re-wrap every customer key. Example: custody keys rotate"""
    with progress_bar("re-wrapping customer keys") as bar:
        r = keys_svc.rotate_keys(_vault(ctx), progress=bar)
    doc = {"version": r.version, "rewrapped": r.rewrapped, "resumed": r.resumed}
    emit_json(doc) if json_out else info(f"vault key v{r.version}: {r.rewrapped} re-wrapped")


@audit_app.command("verify")
def audit_verify(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Check the hash chain and signed checkpoints. Example: custody audit verify --json"""
    r = audit_svc.verify_audit(_vault(ctx))
    doc: dict[str, object] = {"ok": r.ok, "events": r.events}
    if not r.ok:
        doc["first_bad"] = {"seq": r.first_bad, "reason": r.reason}
    if json_out:
        emit_json(doc)
    else:
        info(f"audit chain ok / 审计链完整: {r.events} events" if r.ok
             else f"audit chain BROKEN at event {r.first_bad}: {r.reason}")
    if not r.ok:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Write a signed checkpoint of the chain. Example: custody audit checkpoint"""
    seq, digest = audit_svc.write_checkpoint(_vault(ctx))
    emit_json({"seq": seq, "hash": digest}) if json_out else info(f"checkpoint at {seq}")


@audit_app.command("log")
def audit_log(ctx: typer.Context, limit: Annotated[int | None, typer.Option("--limit")] = None,
              json_out: JsonOpt = False) -> None:
    """List audit events (metadata only). Example: custody audit log --limit 20"""
    events = audit_svc.audit_events(_vault(ctx), limit=limit)
    rows = [{"seq": e.seq, "at": e.at, "actor": e.event.actor, "role": e.event.role,
             "action": e.event.action, "purpose": e.event.purpose,
             "customers": list(e.event.customers), "labels": list(e.event.labels),
             "result": e.event.result, "details": e.event.details, "hash": e.hash}
            for e in events]
    if json_out:
        emit_json({"events": rows})
        return
    table = Table("seq", "at", "actor", "role", "action", "purpose", "result")
    for r in rows:
        table.add_row(*(str(r[k]) for k in ("seq", "at", "actor", "role", "action", "purpose",
                                             "result")))
    out_console.print(table)
