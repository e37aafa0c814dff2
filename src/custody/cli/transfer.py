"""`custody transfer …`: the company transfer, seller and buyer side (cli.md, Transfer)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from custody.bootstrap import (
    discovery,
    notice_writer,
    package_reader,
    package_writer,
    render_report,
    smtp_mailer,
)
from custody.cli.output import emit_json, info, progress_bar
from custody.cli.root import app, open_vault_for
from custody.errors import InputError
from custody.services.report_data import agreement_report, certificate_report
from custody.services.transfer import (
    buyer,
    completion,
    disposal,
    gate,
    legitimate_interest,
    notify,
    packaging,
    seller,
)
from custody.services.transfer import dataroom as dr
from custody.services.vault import Vault

__all__ = ["transfer_app"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
transfer_app = typer.Typer(help="Company transfer: agreement, notice, gate, handover.",
                           no_args_is_help=True)
app.add_typer(transfer_app, name="transfer")


def _vault(ctx: typer.Context) -> Vault:
    return open_vault_for(ctx)


def _write_json(path: Path, doc: Any) -> None:
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                   encoding="utf-8")
    tmp.replace(path)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path.name}: {exc.strerror}") from exc


@transfer_app.command("create")
def create(
    ctx: typer.Context,
    deal_type: Annotated[str, typer.Option("--deal-type")],
    buyer_name: Annotated[str, typer.Option("--buyer-name")],
    buyer_contact: Annotated[str, typer.Option("--buyer-contact")],
    buyer_recipient: Annotated[str, typer.Option("--buyer-recipient")],
    buyer_signing_key: Annotated[str, typer.Option("--buyer-signing-key")],
    dataset: Annotated[list[str] | None, typer.Option("--dataset")] = None,
    fields: Annotated[list[str] | None, typer.Option("--fields")] = None,
    purpose: Annotated[list[str] | None, typer.Option("--purpose")] = None,
    destination: Annotated[str, typer.Option("--destination-country")] = "CN",
    important_data: Annotated[bool, typer.Option(
        "--important-data", help="The data includes important data (NDSMR Art. 32).")] = False,
    gdpr: Annotated[bool, typer.Option(
        "--gdpr", help="Treat every customer as covered by the GDPR.")] = False,
    no_successor: Annotated[bool, typer.Option(
        "--no-successor",
        help="Dissolution or bankruptcy without a successor: no handover.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Draft a transfer.

    Example: custody transfer create --deal-type merger --buyer-name 乙公司 …
    """
    req = seller.CreateRequest(deal_type, buyer_name, buyer_contact, buyer_recipient,
                               buyer_signing_key, tuple(dataset or ()), tuple(fields or ()),
                               tuple(purpose or ()), destination, important_data=important_data,
                               gdpr_all=gdpr, no_successor=no_successor)
    tid = seller.create_transfer(_vault(ctx), req)
    emit_json({"transfer_id": tid}) if json_out else info(f"transfer created / 已创建: {tid}")


@transfer_app.command("agreement")
def agreement(ctx: typer.Context, transfer_id: str,
              out: Annotated[Path, typer.Option("--out")],
              html: Annotated[Path | None, typer.Option("--html")] = None,
              pdf: Annotated[Path | None, typer.Option("--pdf")] = None,
              lang: Annotated[str, typer.Option("--lang")] = "zh") -> None:
    """Write the seller-signed agreement.

    Example: custody transfer agreement tr_1 --out agreement.json
    """
    env = seller.sign_agreement_for(_vault(ctx), transfer_id)
    _write_json(out, env)
    if html or pdf:
        from custody.domain.transfer.agreement import agreement_hash

        data = agreement_report(env, agreement_hash(env["agreement"]), lang)
        if html:
            html.write_text(render_report("agreement", data, "html", lang), encoding="utf-8")
        if pdf:
            render_report("agreement", data, "pdf", lang, pdf)
    info(f"signed agreement written to {out}")


@transfer_app.command("countersign")
def countersign_cmd(ctx: typer.Context, document: Path,
                    out: Annotated[Path, typer.Option("--out")]) -> None:
    """Buyer: check and countersign.

    Example: custody transfer countersign agreement.json --out countersigned.json
    """
    _write_json(out, buyer.countersign_agreement(_vault(ctx), _read(document)))
    info(f"countersigned agreement written to {out}")


@transfer_app.command("accept")
def accept(ctx: typer.Context, transfer_id: str, document: Path, json_out: JsonOpt = False
           ) -> None:
    """Seller: accept the countersigned agreement.

    Example: custody transfer accept tr_1 countersigned.json
    """
    digest = seller.accept_agreement(_vault(ctx), transfer_id, _read(document))
    doc = {"transfer_id": transfer_id, "accepted": True, "agreement_hash": digest}
    emit_json(doc) if json_out else info(f"agreement accepted / 协议已生效: {digest}")


@transfer_app.command("notify")
def notify_cmd(ctx: typer.Context, transfer_id: str,
               out: Annotated[Path, typer.Option("--out")],
               objection_days: Annotated[int, typer.Option("--objection-days")] = 30,
               smtp: Annotated[str | None, typer.Option("--smtp", help="HOST:PORT")] = None,
               smtp_from: Annotated[str, typer.Option("--smtp-from")] = "noreply@example.com",
               json_out: JsonOpt = False) -> None:
    """Notify every customer in scope. Example: custody transfer notify tr_1 --out notices.csv"""
    mailer = smtp_mailer(smtp, smtp_from) if smtp else None
    r = notify.notify_customers(_vault(ctx), transfer_id, out, objection_days=objection_days,
                                rules=discovery().rules, write_csv=notice_writer(),
                                mailer=mailer)
    doc = {"transfer_id": transfer_id, "notified": r.notified, "sms": r.sms,
           "emails_delivered": r.emails_delivered, "emails_failed": r.emails_failed,
           "without_contact": r.without_contact, "objection_window_ends": r.window_ends,
           "warnings": r.warnings}
    emit_json(doc) if json_out else info(f"{r.notified} customers notified; objections until "
                                         f"{r.window_ends}")


@transfer_app.command("object")
def object_cmd(ctx: typer.Context, transfer_id: str,
               customer: Annotated[str, typer.Option("--customer")],
               delete: Annotated[bool, typer.Option("--delete", help="Also erase.")] = False,
               json_out: JsonOpt = False) -> None:
    """Record an objection. Example: custody transfer object tr_1 --customer c123"""
    doc = seller.record_objection(_vault(ctx), transfer_id, customer, delete=delete)
    emit_json(doc) if json_out else info(f"objection recorded; {customer} excluded")


@transfer_app.command("consent")
def consent_cmd(ctx: typer.Context, transfer_id: str,
                customer: Annotated[list[str], typer.Option("--customer")],
                evidence: Annotated[str, typer.Option("--evidence")],
                json_out: JsonOpt = False) -> None:
    """Record separate consent to this provision (Art. 23).

    Example: custody transfer consent tr_1 --customer c1 --evidence 短信回复同意
    """
    n = seller.record_provision_consent(_vault(ctx), transfer_id, customer, evidence=evidence)
    emit_json({"transfer_id": transfer_id, "recorded": n}) if json_out else info(f"{n} recorded")


@transfer_app.command("assess")
def assess(ctx: typer.Context, transfer_id: str,
           answers: Annotated[Path | None, typer.Option("--answers")] = None,
           json_out: JsonOpt = False) -> None:
    """Record the impact assessment. Example: custody transfer assess tr_1 --answers pia.json"""
    given: dict[str, str] = {}
    if answers is not None:
        try:
            given = {str(k): str(v) for k, v in json.loads(_read(answers)).items()}
        except (ValueError, AttributeError) as exc:
            raise InputError(f"{answers.name} is not a JSON object of answers") from exc
    record = gate.assess_transfer(_vault(ctx), transfer_id, given, rules=discovery().rules)
    emit_json(record) if json_out else info(
        f"assessment recorded; open questions: {', '.join(record['open_questions']) or 'none'}")


@transfer_app.command("legitimate-interest")
def legitimate_interest_cmd(ctx: typer.Context, transfer_id: str, record: Path,
                            json_out: JsonOpt = False) -> None:
    """Attach the legitimate-interest record (GDPR balancing test, TR-23); an unsigned
    agreement binds it.

    Example: custody transfer legitimate-interest tr_1 balancing-test.md
    """
    doc = legitimate_interest.attach_legitimate_interest(_vault(ctx), transfer_id,
                                                         _read(record))
    emit_json(doc) if json_out else info(
        f"legitimate-interest record attached / 已附正当利益评估: {doc['sha256'][:16]}…"
        + ("" if doc["bound_to_agreement"] else " (not bound: the agreement is signed)"))


@transfer_app.command("disposal-report")
def disposal_report_cmd(ctx: typer.Context, transfer_id: str,
                        out: Annotated[Path | None, typer.Option("--out")] = None,
                        lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh"
                        ) -> None:
    """Report template for the provincial-level authority (NDSMR Art. 28, 32; TR-19).

    Example: custody transfer disposal-report tr_1 --out report.md
    """
    text = disposal.disposal_report(_vault(ctx), transfer_id, lang=lang)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        info(f"report template written to {out} / 报告模板已写入 {out}")


@transfer_app.command("check")
def check(ctx: typer.Context, transfer_id: str, json_out: JsonOpt = False) -> None:
    """Run the pre-transfer gate. Example: custody transfer check tr_1 --json"""
    r = gate.check_transfer(_vault(ctx), transfer_id, rules=discovery().rules)
    doc = {"ok": r.ok, "findings": [f.to_dict() for f in r.findings], "summary": r.facts}
    if json_out:
        emit_json(doc)
    else:
        for f in r.findings:
            info(f"[{f.severity}] {f.rule}: {f.message} ({f.source})")
        info("gate passes / 可以打包" if r.ok else "gate blocks packaging / 禁止打包")
    if not r.ok:
        raise typer.Exit(1)


@transfer_app.command("package")
def package(ctx: typer.Context, transfer_id: str,
            out: Annotated[Path, typer.Option("--out")], json_out: JsonOpt = False) -> None:
    """Build the encrypted handover package.

    Example: custody transfer package tr_1 --out handover.age
    """
    with progress_bar("packaging customers") as bar:
        record = packaging.package_transfer(_vault(ctx), transfer_id, out,
                                            rules=discovery().rules, write=package_writer(),
                                            progress=bar)
    emit_json(record) if json_out else info(
        f"package written to {out}: {record['summary']['customers']} customers")


@transfer_app.command("verify")
def verify(ctx: typer.Context, package_file: Path, json_out: JsonOpt = False) -> None:
    """Buyer: verify a package without importing.

    Example: custody transfer verify handover.age --json
    """
    doc = buyer.verify_received_package(_vault(ctx), package_file, read=package_reader())
    if json_out:
        emit_json(doc)
    else:
        info(f"package verifies / 校验通过: {doc['customers']} customers")


@transfer_app.command("receive")
def receive(ctx: typer.Context, package_file: Path,
            out: Annotated[Path, typer.Option("--out")], json_out: JsonOpt = False) -> None:
    """Buyer: verify and import, write the signed receipt.

    Example: custody transfer receive handover.age --out receipt.json
    """
    with progress_bar("receiving"):
        doc = buyer.receive_package(_vault(ctx), package_file, read=package_reader(),
                                    rules=discovery().rules)
    _write_json(out, doc.pop("receipt"))
    emit_json(doc) if json_out else info(f"received {doc['received']} customers; receipt {out}")


@transfer_app.command("complete")
def complete(ctx: typer.Context, transfer_id: str,
             receipt: Annotated[Path, typer.Option("--receipt")],
             out: Annotated[Path, typer.Option("--out")], json_out: JsonOpt = False) -> None:
    """Seller: destroy what moved and certify it.

    Example: custody transfer complete tr_1 --receipt receipt.json --out certificate.json
    """
    cert = completion.complete_transfer(_vault(ctx), transfer_id, _read(receipt))
    _write_json(out, cert)
    html = out.with_suffix(".html")
    html.write_text(render_report("certificate", certificate_report(cert), "html", "zh"),
                    encoding="utf-8")
    emit_json(cert) if json_out else info(f"destruction certificate written to {out}")


@transfer_app.command("log")
def log(ctx: typer.Context, transfer_id: str,
        out: Annotated[Path | None, typer.Option("--out")] = None, json_out: JsonOpt = False
        ) -> None:
    """The chain of custody. Example: custody transfer log tr_1 --json"""
    doc = completion.transfer_log(_vault(ctx), transfer_id)
    if out:
        _write_json(out, doc)
    if json_out:
        emit_json(doc)
    elif not out:
        for s in doc["steps"]:
            info(f"{s['at']}  {s['step']:<18} {s['artifact_hash'][:16]}…  link {s['link'][:16]}…")


@transfer_app.command("dataroom")
def dataroom(ctx: typer.Context, transfer_id: str,
             recipient: Annotated[str, typer.Option("--recipient")],
             out: Annotated[Path, typer.Option("--out")],
             k: Annotated[int, typer.Option("--k")] = 5, json_out: JsonOpt = False) -> None:
    """Due-diligence data room for one bidder.

    Example: custody transfer dataroom tr_1 --recipient 丙资本 --out room/
    """
    stats = dr.build_dataroom(_vault(ctx), transfer_id, recipient, out,
                              rules=discovery().rules, k=k)
    emit_json(stats) if json_out else info(
        f"data room for {recipient} in {out}: k={stats['k_achieved']}, {stats['rows']} rows")


@transfer_app.command("trace")
def trace_cmd(ctx: typer.Context, leaked: Path,
              transfer: Annotated[list[str] | None, typer.Option("--transfer")] = None,
              json_out: JsonOpt = False) -> None:
    """Name the recipient a leaked sample came from. Example: custody transfer trace leaked.csv"""
    r = dr.trace_leak(_vault(ctx), leaked, transfer_ids=tuple(transfer or ()))
    doc = {"recipient": r.recipient.split(":", 1)[1] if r.recipient else None,
           "candidate": r.recipient, "confident": r.confident, "margin": r.margin,
           "scores": r.scores}
    emit_json(doc) if json_out else info(f"most likely source / 最可能来源: {doc['recipient']} "
                                         f"(margin {r.margin:.2f})")
