"""The company transfer end to end on the service layer, and each refusal (issue 4)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from custody.bootstrap import notice_writer, package_reader, package_writer
from custody.errors import AccessDenied, Conflict, PolicyRefused, VerificationError
from custody.sampledata import write_customers_csv
from custody.services import customers
from custody.services.audit import verify_audit
from custody.services.keys import show_keys
from custody.services.reveal import reveal_field
from custody.services.transfer import (
    buyer,
    completion,
    dataroom,
    gate,
    notify,
    packaging,
    scope,
    seller,
)
from custody.services.vault import Vault
from custody.storage.tables import customers as customers_t
from custody.storage.tables import records

ANSWERS = {"lawfulness_necessity": "合并", "impact_risk": "低", "safeguards": "加密"}


@dataclass
class Deal:
    seller: Vault
    buyer: Vault
    tid: str
    dir: Path
    rules: object


@pytest.fixture
def new_deal(make_vault: Callable[..., Vault], tmp_path: Path,
             do_import: Callable[..., object], engine_parts: object) -> Callable[..., Deal]:
    """A seller vault with imported customers, a buyer vault, and a drafted transfer."""

    def make(name: str, *, rows: int = 80, seed: int = 21, deal_type: str = "merger",
             prepare: Callable[[Vault, Vault, Path], None] | None = None,
             **consents: object) -> Deal:
        s, b = make_vault(f"{name}-seller", "甲学校"), make_vault(f"{name}-buyer", "乙公司")
        source = write_customers_csv(tmp_path / f"{name}.csv", rows, seed=seed)
        do_import(s, source, consent_evidence="报名表", **consents)
        if prepare is not None:  # more data in either vault before the transfer is drafted
            prepare(s, b, source)
        k = show_keys(b)
        tid = seller.create_transfer(s, seller.CreateRequest(
            deal_type, "乙公司", "021-0000", k.age_recipient, k.signing_public_key))
        return Deal(s, b, tid, tmp_path, engine_parts.rules)  # type: ignore[attr-defined]

    return make


@pytest.fixture
def deal(new_deal: Callable[..., Deal]) -> Iterator[Deal]:
    yield new_deal("main", guardian_consent=True, separate_consent=("identity.resident_id",))


def sign_all(d: Deal) -> None:
    env = seller.sign_agreement_for(d.seller, d.tid)
    counter = buyer.countersign_agreement(d.buyer, json.dumps(env).encode())
    seller.accept_agreement(d.seller, d.tid, json.dumps(counter).encode())


def ready(d: Deal) -> None:
    sign_all(d)
    notify.notify_customers(d.seller, d.tid, d.dir / "notices.csv", objection_days=0,
                            rules=d.rules, write_csv=notice_writer())  # type: ignore[arg-type]
    gate.assess_transfer(d.seller, d.tid, ANSWERS, rules=d.rules)  # type: ignore[arg-type]


def package(d: Deal, name: str = "handover.age") -> dict[str, object]:
    return packaging.package_transfer(d.seller, d.tid, d.dir / name, rules=d.rules,  # type: ignore[arg-type]
                                      write=package_writer())


def receive(d: Deal, name: str = "handover.age") -> dict[str, object]:
    return buyer.receive_package(d.buyer, d.dir / name, read=package_reader(),
                                 rules=d.rules)  # type: ignore[arg-type]


def active(v: Vault) -> int:
    with v.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(customers_t).where(
            customers_t.c.state == "active")).scalar_one())


def n_records(v: Vault) -> int:
    with v.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(records)).scalar_one())


def orphans(v: Vault) -> int:
    """Rows whose customer does not exist (bulk loads skip SQLite's per-row FK probes)."""
    with v.engine.connect() as c:
        return sum(int(c.exec_driver_sql(
            f"SELECT count(*) FROM {t} WHERE customer_id NOT IN (SELECT id FROM customers)"
        ).scalar_one()) for t in ("records", "lookup", "consents"))


def test_full_journey_moves_customers_and_leaves_nothing_behind(deal: Deal) -> None:
    ready(deal)
    before = active(deal.seller)
    pkg = package(deal)
    got = receive(deal)
    assert orphans(deal.seller) == orphans(deal.buyer) == 0
    assert got["received"] == pkg["summary"]["customers"] == before  # type: ignore[index]
    cert = completion.complete_transfer(deal.seller, deal.tid,
                                        json.dumps(got["receipt"]).encode())
    assert cert["document"]["how_many"]["customers_crypto_shredded"] == before
    assert active(deal.seller) == 0 and n_records(deal.seller) == 0
    assert active(deal.buyer) == before
    log = completion.transfer_log(deal.seller, deal.tid)
    assert log["ok"] and [s["step"] for s in log["steps"]][-1] == "completed"
    assert verify_audit(deal.seller).ok and verify_audit(deal.buyer).ok


def test_buyer_may_use_carried_purposes_only(deal: Deal) -> None:
    ready(deal)
    package(deal)
    receive(deal)
    with deal.buyer.engine.connect() as c:
        cid = c.execute(select(customers_t.c.id).limit(1)).scalar_one()
    with pytest.raises(AccessDenied):
        reveal_field(deal.buyer, cid, "contact.mobile", "营销推广", rules=deal.rules)  # type: ignore[arg-type]
    try:
        out = reveal_field(deal.buyer, cid, "contact.mobile", "教学服务", rules=deal.rules)  # type: ignore[arg-type]
    except AccessDenied as exc:
        assert "minor" in exc.message  # a minor's record needs the guardian consent carried
    else:
        assert out and out[0].text


def test_packaging_is_refused_until_signed_notified_and_assessed(deal: Deal) -> None:
    with pytest.raises(PolicyRefused):
        package(deal)
    sign_all(deal)
    with pytest.raises(PolicyRefused):
        package(deal)
    notify.notify_customers(deal.seller, deal.tid, deal.dir / "n.csv", objection_days=30,
                            rules=deal.rules, write_csv=notice_writer())  # type: ignore[arg-type]
    gate.assess_transfer(deal.seller, deal.tid, ANSWERS, rules=deal.rules)  # type: ignore[arg-type]
    result = gate.check_transfer(deal.seller, deal.tid, rules=deal.rules)  # type: ignore[arg-type]
    assert not result.ok and any(f.rule == "TR-16" and f.severity == "block"
                                 for f in result.findings)
    with pytest.raises(PolicyRefused):
        package(deal)


def test_missing_assessment_blocks_and_open_questions_warn(deal: Deal) -> None:
    sign_all(deal)
    notify.notify_customers(deal.seller, deal.tid, deal.dir / "n.csv", objection_days=0,
                            rules=deal.rules, write_csv=notice_writer())  # type: ignore[arg-type]
    r = gate.check_transfer(deal.seller, deal.tid, rules=deal.rules)  # type: ignore[arg-type]
    assert not r.ok and any(f.rule == "TR-06" for f in r.findings)
    gate.assess_transfer(deal.seller, deal.tid, {}, rules=deal.rules)  # type: ignore[arg-type]
    r = gate.check_transfer(deal.seller, deal.tid, rules=deal.rules)  # type: ignore[arg-type]
    assert r.ok and any(f.rule == "TR-06" and f.severity == "warn" for f in r.findings)


def test_objectors_and_deletion_requests_are_excluded(deal: Deal) -> None:
    sign_all(deal)
    notify.notify_customers(deal.seller, deal.tid, deal.dir / "n.csv", objection_days=0,
                            rules=deal.rules, write_csv=notice_writer())  # type: ignore[arg-type]
    ids = [line.split(",")[0] for line in
           (deal.dir / "n.csv").read_text(encoding="utf-8-sig").splitlines()[1:4]]
    seller.record_objection(deal.seller, deal.tid, ids[0])
    seller.record_objection(deal.seller, deal.tid, ids[1], delete=True)
    gate.assess_transfer(deal.seller, deal.tid, ANSWERS, rules=deal.rules)  # type: ignore[arg-type]
    total = active(deal.seller)
    pkg = package(deal)
    assert pkg["summary"]["customers"] == total - 1  # type: ignore[index]
    assert customers.show_customer(deal.seller, ids[1]).state == "shredded"


def test_sensitive_fields_without_separate_consent_are_left_out(
    new_deal: Callable[..., Deal],
) -> None:
    d = new_deal("s2", rows=40, seed=4, guardian_consent=True)
    s, tid = d.seller, d.tid
    ready(d)
    r = gate.check_transfer(s, tid, rules=d.rules)  # type: ignore[arg-type]
    assert "identity.resident_id" not in r.facts["fields_to_move"]
    assert r.facts["fields_left_out"].get("identity.resident_id", 0) > 0
    pkg = package(d)
    assert "identity.resident_id" not in pkg["summary"]["per_label_values"]  # type: ignore[index]


def test_minors_without_guardian_consent_do_not_move(new_deal: Callable[..., Deal]) -> None:
    d = new_deal("s3", rows=60, seed=5)
    s, tid = d.seller, d.tid
    ready(d)
    r = gate.check_transfer(s, tid, rules=d.rules)  # type: ignore[arg-type]
    assert r.facts["excluded_by_reason"].get("minor_without_guardian_consent", 0) > 0


def test_asset_sale_needs_each_customers_separate_consent(
    new_deal: Callable[..., Deal],
) -> None:
    d = new_deal("s4", rows=30, seed=6, deal_type="asset-sale", guardian_consent=True,
                 separate_consent=("identity.resident_id",))
    s, tid = d.seller, d.tid
    ready(d)
    r = gate.check_transfer(s, tid, rules=d.rules)  # type: ignore[arg-type]
    assert r.facts["customers_moving"] == 0
    with s.engine.connect() as c:
        ids = list(c.execute(select(customers_t.c.id).limit(5)).scalars())
    seller.record_provision_consent(s, tid, ids, evidence="短信回复同意")
    r = gate.check_transfer(s, tid, rules=d.rules)  # type: ignore[arg-type]
    assert r.facts["customers_moving"] == 5


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_damaged_package_is_refused_and_nothing_imported(deal: Deal, damage: str) -> None:
    ready(deal)
    package(deal)
    path = deal.dir / "handover.age"
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    else:
        data = data[: len(data) - 200]
    path.write_bytes(bytes(data))
    with pytest.raises(VerificationError):
        receive(deal)
    assert active(deal.buyer) == 0 and n_records(deal.buyer) == 0


@pytest.mark.parametrize("workers", ["0", "2"])
def test_signed_package_with_malformed_records_is_refused_and_nothing_imported(
        deal: Deal, monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    monkeypatch.setenv("CUSTODY_WORKERS", workers)
    monkeypatch.setattr(buyer, "PARALLEL_AFTER", 0)
    monkeypatch.setattr(packaging, "CUSTOMERS_PER_FILE", 10)
    ready(deal)
    line = packaging._Packer._line
    calls = iter(range(10**6))

    def broken(self: object, sc: object, out: object) -> bytes:
        made: bytes = line(self, sc, out)  # type: ignore[arg-type]
        return b'{"customer": 1}\n' if next(calls) == 3 else made

    monkeypatch.setattr(packaging._Packer, "_line", broken)
    package(deal)  # signed by the seller, yet not what a receiver can read
    with pytest.raises(VerificationError, match="malformed"):
        receive(deal)
    assert active(deal.buyer) == 0 and n_records(deal.buyer) == 0


def test_package_for_another_recipient_is_refused(deal: Deal, make_vault: Callable[..., Vault]
                                                  ) -> None:
    ready(deal)
    package(deal)
    other = make_vault("other")
    with pytest.raises(VerificationError):
        buyer.receive_package(other, deal.dir / "handover.age", read=package_reader(),
                              rules=deal.rules)  # type: ignore[arg-type]


def test_package_received_twice_is_refused(deal: Deal) -> None:
    ready(deal)
    package(deal)
    receive(deal)
    count = active(deal.buyer)
    with pytest.raises(Conflict):
        receive(deal)
    assert active(deal.buyer) == count


def test_forged_or_mismatched_receipt_is_refused(deal: Deal) -> None:
    ready(deal)
    package(deal)
    receipt = receive(deal)["receipt"]
    forged = json.loads(json.dumps(receipt))
    forged["document"]["received"]["customers"] += 1
    with pytest.raises(VerificationError):
        completion.complete_transfer(deal.seller, deal.tid, json.dumps(forged).encode())
    assert active(deal.seller) > 0


def test_dataroom_is_k_anonymous_and_traces_a_leak(deal: Deal) -> None:
    ready(deal)
    rooms = {}
    for name in ("丙资本", "丁基金", "戊投资"):
        stats = dataroom.build_dataroom(deal.seller, deal.tid, name, deal.dir / name,
                                        rules=deal.rules, k=3)  # type: ignore[arg-type]
        assert stats["k_achieved"] >= 3
        rooms[name] = deal.dir / name / "sample.csv"
    result = dataroom.trace_leak(deal.seller, rooms["丁基金"])
    assert result.recipient is not None and result.recipient.endswith("丁基金")


def test_dataroom_below_k_is_refused(deal: Deal) -> None:
    with pytest.raises(PolicyRefused):
        dataroom.build_dataroom(deal.seller, deal.tid, "x", deal.dir / "x", rules=deal.rules,  # type: ignore[arg-type]
                                k=500)


@pytest.mark.skipif(os.environ.get("CUSTODY_NO_SMTP") == "1", reason="SMTP disabled")
def test_notices_are_delivered_over_smtp(deal: Deal) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as _Message

    received: list[object] = []

    class Sink(_Message):
        def handle_message(self, message: object) -> None:
            received.append(message)

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        from custody.bootstrap import smtp_mailer

        sign_all(deal)
        r = notify.notify_customers(
            deal.seller, deal.tid, deal.dir / "n.csv", objection_days=0, rules=deal.rules,  # type: ignore[arg-type]
            write_csv=notice_writer(), mailer=smtp_mailer(f"127.0.0.1:{port}", "a@example.com"))
    finally:
        controller.stop()
    assert r.emails_delivered == r.notified == len(received) > 0


def test_pupils_known_only_by_grade_move_only_with_guardian_consent(
        new_deal: Callable[..., Deal], do_import: Callable[..., object]) -> None:
    d = new_deal("s5", rows=20, seed=8, guardian_consent=True)
    pupils = d.dir / "pupils.csv"
    pupils.write_text("姓名,手机,年级\n" + "".join(
        f"{name},1390000{n:04d},{grade}\n" for n, (name, grade) in enumerate(
            [("赵一鸣", "初一"), ("钱二丽", "五年级"), ("孙三强", "初一"),
             ("李四海", "高二"), ("周五洋", "初三")])), encoding="utf-8")
    do_import(d.seller, pupils, dataset="学员名册", consent_evidence="报名表")  # no guardian's
    k = show_keys(d.buyer)
    tid = seller.create_transfer(d.seller, seller.CreateRequest(
        "merger", "乙公司", "021-0000", k.age_recipient, k.signing_public_key))
    d = Deal(d.seller, d.buyer, tid, d.dir, d.rules)
    ready(d)
    r = gate.check_transfer(d.seller, d.tid, rules=d.rules)  # type: ignore[arg-type]
    assert r.facts["excluded_by_reason"].get("minor_without_guardian_consent") == 3


def _first_rows(path: Path, n: int) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        return [row for _, row in zip(range(n + 1), csv.reader(f), strict=False)][1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def _holders(v: Vault, mobile: str, rules: object) -> list[str]:
    return customers.find_customers(v, "contact.mobile", mobile, rules=rules)  # type: ignore[arg-type]


def test_received_customers_merge_with_the_buyers_own_customers(
    deal: Deal, do_import: Callable[..., object]
) -> None:
    first = _first_rows(deal.dir / "main.csv", 1)[0]
    name, mobile = first[0], first[4]
    do_import(deal.buyer, _write(deal.dir / "own.csv", ["姓名", "手机"], [[name, mobile]]),
              dataset="老客户")
    (own,) = _holders(deal.buyer, mobile, deal.rules)
    ready(deal)
    moved = package(deal)["summary"]["customers"]  # type: ignore[index]
    receive(deal)
    assert _holders(deal.buyer, mobile, deal.rules) == [own]
    assert active(deal.buyer) == moved  # one of them was the buyer's customer already
    assert orphans(deal.buyer) == 0


def _orders(do_import: Callable[..., object], n: int, known: int = 0
            ) -> Callable[[Vault, Vault, Path], None]:
    """A second dataset in the seller's vault for the first `n` customers of the source;
    the buyer already knows the first `known` of them, and someone else."""

    def prepare(s: Vault, b: Vault, source: Path) -> None:
        rows = _first_rows(source, n)
        do_import(s, _write(source.with_name("orders.csv"), ["姓名", "手机", "邮箱"],
                            [[r[0], r[4], r[5]] for r in rows]),
                  dataset="订单", consent_evidence="报名表")
        if known:
            do_import(b, _write(source.with_name("own.csv"), ["姓名", "手机"],
                                [[r[0], r[4]] for r in rows[:known]] + [["吴一凡", "13900001111"]]),
                      dataset="老客户")

    return prepare


def _datasets_per_customer(v: Vault) -> int:
    with v.engine.connect() as c:
        return int(c.exec_driver_sql(
            "SELECT count(DISTINCT dataset_id) FROM records GROUP BY customer_id "
            "ORDER BY 1 DESC LIMIT 1").scalar_one())


def test_a_customer_with_records_in_two_datasets_arrives_as_one_customer(
    new_deal: Callable[..., Deal], do_import: Callable[..., object]
) -> None:
    d = new_deal("two", rows=30, guardian_consent=True, prepare=_orders(do_import, 5))
    ready(d)
    moved = package(d)["summary"]["customers"]  # type: ignore[index]
    assert receive(d)["received"] == moved == active(d.seller) == active(d.buyer)
    assert _datasets_per_customer(d.buyer) == 2
    for r in _first_rows(d.dir / "two.csv", 5):
        assert len(_holders(d.buyer, r[4], d.rules)) == 1
    assert orphans(d.buyer) == 0


def test_a_customer_with_records_in_two_datasets_merges_once_into_a_non_empty_vault(
    new_deal: Callable[..., Deal], do_import: Callable[..., object]
) -> None:
    d = new_deal("three", rows=30, guardian_consent=True,
                 prepare=_orders(do_import, 4, known=1))
    ready(d)
    moved = package(d)["summary"]["customers"]  # type: ignore[index]
    assert receive(d)["received"] == moved == active(d.seller)
    assert active(d.buyer) == moved + 1  # the known one merged; the other buyer customer stays
    assert _datasets_per_customer(d.buyer) == 3
    for r in _first_rows(d.dir / "three.csv", 4):
        assert len(_holders(d.buyer, r[4], d.rules)) == 1
    assert orphans(d.buyer) == 0


def stored_counts(v: Vault) -> dict[str, int]:
    with v.engine.connect() as c:
        return {t: int(c.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one())
                for t in ("customers", "records", "lookup", "consents")}


def test_a_transfer_worked_on_in_worker_processes_matches_one_worked_on_here(
        new_deal: Callable[..., Deal], monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches opened, judged and packed, and package members parsed, in forked workers
    (custody.parallel) give the same notices, gate facts, summary, record lines and
    received vault as in this process."""
    monkeypatch.setattr(scope, "PARALLEL_AFTER", 0)
    monkeypatch.setattr(buyer, "PARALLEL_AFTER", 0)
    monkeypatch.setattr(scope, "_CHUNK", 7)  # many batches
    monkeypatch.setattr(packaging, "CUSTOMERS_PER_FILE", 10)  # many record files
    seen = []
    for workers in ("0", "2"):
        monkeypatch.setenv("CUSTODY_WORKERS", workers)
        d = new_deal(f"workers{workers}", guardian_consent=True,
                     separate_consent=("identity.resident_id",))
        ready(d)
        notices = sorted(line.split(",", 1)[1] for line in
                         (d.dir / "notices.csv").read_text(encoding="utf-8-sig").splitlines()[1:])
        facts = gate.check_transfer(d.seller, d.tid, rules=d.rules).facts  # type: ignore[arg-type]
        summary = dict(package(d)["summary"])  # type: ignore[call-overload]
        lines: list[str] = []

        def keep(name: str, data: bytes, lines: list[str] = lines) -> None:
            if name.startswith("records/"):
                for line in data.splitlines():
                    doc = json.loads(line)
                    del doc["customer"]  # ids are drawn anew in each vault
                    lines.append(json.dumps(doc, sort_keys=True, ensure_ascii=False))

        package_reader()(d.dir / "handover.age", identity=d.buyer.keys.age_identity,
                         on_file=keep)
        summary.pop("transfer_id")
        assert receive(d)["received"] == summary["customers"] > 50
        seen.append((notices, facts, summary, sorted(lines), stored_counts(d.buyer)))
    assert seen[0] == seen[1]
    assert seen[0][2]["record_files"] > 5 and len(seen[0][0]) > 50
