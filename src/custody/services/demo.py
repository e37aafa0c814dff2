"""`custody demo`: the whole story on generated data, seller to buyer, in two vaults."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from custody.errors import AccessDenied
from custody.sampledata import write_customers_csv
from custody.services import customers, users
from custody.services.audit import verify_audit
from custody.services.importing import ImportOptions, import_file
from custody.services.keys import show_keys
from custody.services.ports import (
    ColumnClassifier,
    NoticeWriter,
    PackageReader,
    PackageWriter,
    TableReader,
    ValueRules,
)
from custody.services.reveal import reveal_field
from custody.services.transfer import buyer, completion, dataroom, gate, notify, packaging, seller
from custody.services.valuation import compute_valuation
from custody.services.vault import init_vault, open_vault

__all__ = ["DemoParts", "run_demo"]

Say = Callable[[str], None]


@dataclass(frozen=True)
class DemoParts:
    """The adapters the demo drives, built by the composition root."""

    reader: TableReader
    classifier: ColumnClassifier
    rules: ValueRules
    write_package: PackageWriter
    read_package: PackageReader
    write_notices: NoticeWriter


def run_demo(
    base: Path, parts: DemoParts, *, say: Say, customers_n: int = 300
) -> dict[str, object]:
    """Generate customers, import them, value them and transfer them to a buyer."""
    passphrase = secrets.token_urlsafe(18)
    base.mkdir(parents=True, exist_ok=True)
    src = write_customers_csv(base / "学员名单.csv", customers_n, seed=2026, encoding="gb18030")
    say(f"1. 生成示例数据 / generated {customers_n} fictional pupils: {src.name} (GB18030)")
    init_vault(base / "seller-vault", org="星光少儿培训学校",
               org_contact="400-800-1234 / privacy@seller.example.com", passphrase=passphrase)
    init_vault(base / "buyer-vault", org="远航教育科技有限公司", org_contact="021-5555-0000",
               passphrase=passphrase)
    s = open_vault(base / "seller-vault", passphrase=passphrase)
    b = open_vault(base / "buyer-vault", passphrase=passphrase)
    say("2. 创建卖方与买方保险库 / created seller and buyer vaults (SQLite, Argon2id, AES-256-GCM)")
    summary = import_file(s, src, ImportOptions(
        dataset="学员", purposes=("教学服务",),
        consent_evidence="报名表签字 / signed enrolment form",
        guardian_consent=True, separate_consent=("identity.resident_id",)),
        reader=parts.reader, classifier=parts.classifier, rules=parts.rules)
    say(f"3. 导入 / imported {summary.imported} rows: {summary.customers_new} customers, "
        f"{summary.customers_merged} merged duplicates; every field sealed, IDs blind-indexed")
    first = customers.find_customers(s, "contact.mobile", _first_mobile(src), rules=parts.rules)[0]
    view = customers.show_customer(s, first)
    shown = ", ".join(f"{f.label}={f.masked}" for f in view.records[0].fields[:5])
    say(f"4. 脱敏查看 / masked view of {first}: {shown}")
    users.add_user(s, "auditor", "auditor")
    try:
        reveal_field(open_vault(base / "seller-vault", passphrase=passphrase, user="auditor"),
                     first, "contact.mobile", "教学服务", rules=parts.rules)
    except AccessDenied as exc:
        say(f"5. 审计员查看明文被拒绝并记录 / auditor refused plaintext: {exc.message}")
    as_of = dt.date.today()
    v = compute_valuation(s, as_of=as_of, rules=parts.rules)
    say(f"6. 估值 / valuation: {v.distinct_customers} customers, {v.active_90d} active (90d), "
        f"revenue ¥{v.revenue_total:,.2f}, minors {v.minors}")
    keys = show_keys(b)
    tid = seller.create_transfer(s, seller.CreateRequest(
        "merger", "远航教育科技有限公司", "021-5555-0000 / dpo@buyer.example.com",
        keys.age_recipient, keys.signing_public_key))
    say(f"7. 转让立项 / transfer {tid}: merger → PIPL Art. 22 route (notice, purposes carry over)")
    room = dataroom.build_dataroom(s, tid, "远航教育", base / "dataroom", rules=parts.rules)
    say(f"8. 尽调资料室 / data room: k-anonymous sample k={room['k_achieved']}, "
        f"{room['rows']} rows, fingerprinted for the bidder")
    env = seller.sign_agreement_for(s, tid)
    signed = json.dumps(buyer.countersign_agreement(b, json.dumps(env).encode()))
    seller.accept_agreement(s, tid, signed.encode())
    say("9. 协议 / agreement signed by seller, countersigned by buyer (Ed25519), accepted")
    n = notify.notify_customers(s, tid, base / "notices.csv", objection_days=0,
                                rules=parts.rules, write_csv=parts.write_notices)
    objector = _second_customer(base / "notices.csv")
    seller.record_objection(s, tid, objector)
    say(f"10. 告知 / {n.notified} customers notified (notices.csv); 1 objection recorded and "
        f"excluded (0-day window: demo only)")
    gate.assess_transfer(s, tid, {
        "lawfulness_necessity": "公司合并，依《个人信息保护法》第二十二条转移，目的不变",
        "impact_risk": "接收方承继原处理目的；风险低", "safeguards": "端到端加密、签名、审计链"},
        rules=parts.rules)
    result = gate.check_transfer(s, tid, rules=parts.rules)
    say(f"11. 合规闸门 / gate: {'pass' if result.ok else 'BLOCKED'}; "
        + "; ".join(f"{f.rule} {f.severity}" for f in result.findings))
    pkg = packaging.package_transfer(s, tid, base / "handover.age", rules=parts.rules,
                                     write=parts.write_package)
    say(f"12. 移交包 / package handover.age: {pkg['summary']['customers']} customers, "
        f"manifest {pkg['manifest_sha256'][:16]}…, encrypted to the buyer (age)")
    checked = buyer.verify_received_package(b, base / "handover.age", read=parts.read_package)
    got = buyer.receive_package(b, base / "handover.age", read=parts.read_package,
                                rules=parts.rules)
    (base / "receipt.json").write_text(json.dumps(got["receipt"], ensure_ascii=False, indent=2))
    say(f"13. 买方验收 / buyer verified ({checked['files']} files) and imported "
        f"{got['received']} customers; signed receipt.json")
    cert = completion.complete_transfer(s, tid, (base / "receipt.json").read_bytes())
    (base / "certificate.json").write_text(json.dumps(cert, ensure_ascii=False, indent=2))
    how = cert["document"]["how_many"]
    say(f"14. 卖方销毁 / seller crypto-shredded {how['customers_crypto_shredded']} customers; "
        f"certificate.json signed")
    log = completion.transfer_log(s, tid)
    say(f"15. 监管链 / chain of custody: {len(log['steps'])} linked steps, ok={log['ok']}; "
        f"audit chains ok: seller={verify_audit(s).ok}, buyer={verify_audit(b).ok}")
    say(f"Vaults are in {base}; to explore: export CUSTODY_PASSPHRASE='{passphrase}'")
    for vault in (s, b):
        vault.engine.dispose()
    return {"transfer_id": tid, "dir": str(base), "received": got["received"]}


def _first_mobile(path: Path) -> str:
    import csv

    with path.open(encoding="gb18030", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        return next(rows)[4]


def _second_customer(notices: Path) -> str:
    import csv

    with notices.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[2][0]
