"""Gate rules TR-18 (no successor), TR-19 (report to the authority) and TR-23 (GDPR) on the
service layer: stored flags, counts computed from the vault, blocks and warnings."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from custody.bootstrap import notice_writer, package_reader, package_writer
from custody.errors import Conflict, InputError, PolicyRefused
from custody.sampledata import write_customers_csv
from custody.services.keys import show_keys
from custody.services.transfer import (
    buyer,
    disposal,
    gate,
    legitimate_interest,
    notify,
    packaging,
    seller,
)
from custody.services.vault import Vault
from custody.storage import transfer_store as ts
from custody.storage.tables import customers as customers_t
from custody.storage.tables import transfers as transfers_t

ANSWERS = {"lawfulness_necessity": "合并", "impact_risk": "低", "safeguards": "加密"}
# Fictional customers: two of the five are in the EU/EEA (a +49 mobile; a French address
# in Chinese), one has a UK number (not EEA), two are mainland customers.
CONTACTS = (
    "姓名,手机,地址\n"
    "赵一鸣,13900000001,北京市朝阳区建国路1号\n"
    '钱二丽,+49 151 23456789,"Hauptstraße 5, 10115 Berlin"\n'
    "孙三强,13900000003,法国巴黎市第十五区\n"
    "李四海,+44 7700 900123,上海市徐汇区衡山路2号\n"
    "周五洋,13900000005,广州市天河区体育西路3号\n"
)
BALANCING_TEST = (
    "# 利益平衡测试 / Legitimate-interest assessment\n"
    "Purpose: continuity of lessons after the merger. Necessity: the buyer teaches them.\n"
    "Balance: reasonable expectation, notice and objection window; no sensitive data.\n"
).encode()


@dataclass
class Deal:
    seller: Vault
    buyer: Vault
    tid: str
    dir: Path
    rules: object


@pytest.fixture
def make_deal(
    make_vault: Callable[..., Vault],
    tmp_path: Path,
    do_import: Callable[..., object],
    engine_parts: object,
) -> Callable[..., Deal]:
    """A seller vault holding `csv_text` (or generated customers), a buyer, a transfer."""

    def make(
        name: str, *, csv_text: str | None = None, deal_type: str = "merger", **flags: bool
    ) -> Deal:
        s, b = make_vault(f"{name}-s", "甲学校"), make_vault(f"{name}-b", "乙公司")
        if csv_text is None:
            src = write_customers_csv(tmp_path / f"{name}.csv", 30, seed=11)
            do_import(
                s,
                src,
                consent_evidence="报名表",
                guardian_consent=True,
                separate_consent=("identity.resident_id",),
            )
        else:
            src = tmp_path / f"{name}.csv"
            src.write_text(csv_text, encoding="utf-8")
            do_import(s, src, consent_evidence="报名表")
        k = show_keys(b)
        tid = seller.create_transfer(
            s,
            seller.CreateRequest(
                deal_type, "乙公司", "021-0000", k.age_recipient, k.signing_public_key, **flags
            ),
        )
        return Deal(s, b, tid, tmp_path, engine_parts.rules)  # type: ignore[attr-defined]

    return make


def sign_all(d: Deal) -> None:
    env = seller.sign_agreement_for(d.seller, d.tid)
    counter = buyer.countersign_agreement(d.buyer, json.dumps(env).encode())
    seller.accept_agreement(d.seller, d.tid, json.dumps(counter).encode())


def notify_and_assess(d: Deal) -> None:
    notify.notify_customers(
        d.seller,
        d.tid,
        d.dir / f"{d.tid}.csv",
        objection_days=0,
        rules=d.rules,
        write_csv=notice_writer(),
    )  # type: ignore[arg-type]
    gate.assess_transfer(d.seller, d.tid, ANSWERS, rules=d.rules)  # type: ignore[arg-type]


def check(d: Deal) -> gate.GateResult:
    return gate.check_transfer(d.seller, d.tid, rules=d.rules)  # type: ignore[arg-type]


def package(d: Deal) -> dict[str, object]:
    return packaging.package_transfer(
        d.seller,
        d.tid,
        d.dir / f"{d.tid}.age",  # type: ignore[arg-type]
        rules=d.rules,
        write=package_writer(),
    )


def of(result: gate.GateResult, rule: str) -> list[tuple[str, str]]:
    return [(f.severity.value, f.message) for f in result.findings if f.rule == rule]


def row_of(v: Vault, tid: str) -> ts.TransferRow:
    with v.engine.connect() as c:
        row = ts.get_transfer(c, tid)
    assert row is not None
    return row


def active(v: Vault) -> int:
    with v.engine.connect() as c:
        return int(
            c.execute(
                select(func.count()).select_from(customers_t).where(customers_t.c.state == "active")
            ).scalar_one()
        )


# --- TR-18 -------------------------------------------------------------------------------


@pytest.mark.parametrize("deal_type", ["bankruptcy", "dissolution"])
def test_wind_down_without_successor_blocks_packaging(
    make_deal: Callable[..., Deal], deal_type: str
) -> None:
    d = make_deal("w1", deal_type=deal_type, no_successor=True)
    assert row_of(d.seller, d.tid).no_successor is True
    sign_all(d)
    notify_and_assess(d)
    r = check(d)
    assert not r.ok
    [(severity, message)] = of(r, "TR-18")
    assert severity == "block" and "deleted or anonymised" in message
    assert {f.rule for f in r.findings if f.severity == "block"} == {"TR-18"}
    with pytest.raises(PolicyRefused, match="TR-18"):
        package(d)
    assert "package" not in row_of(d.seller, d.tid).document


def test_bankruptcy_with_a_successor_packages(make_deal: Callable[..., Deal]) -> None:
    d = make_deal("w2", deal_type="bankruptcy")
    assert row_of(d.seller, d.tid).no_successor is False
    sign_all(d)
    notify_and_assess(d)
    r = check(d)
    assert r.ok and of(r, "TR-18") == []
    assert package(d)["summary"]["customers"] > 0  # type: ignore[index]


def test_no_successor_is_refused_for_a_deal_that_always_has_one(
    make_deal: Callable[..., Deal], make_vault: Callable[..., Vault]
) -> None:
    d = make_deal("w3")
    k = show_keys(d.buyer)
    with pytest.raises(InputError, match="--no-successor"):
        seller.create_transfer(
            d.seller,
            seller.CreateRequest(
                "merger",
                "乙公司",
                "021-0000",
                k.age_recipient,
                k.signing_public_key,
                no_successor=True,
            ),
        )
    with d.seller.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(transfers_t)).scalar_one() == 1


# --- TR-19 -------------------------------------------------------------------------------


def test_important_data_warns_and_offers_the_report_template(
    make_deal: Callable[..., Deal],
) -> None:
    d = make_deal("i1", important_data=True)
    assert row_of(d.seller, d.tid).important_data is True
    sign_all(d)
    notify_and_assess(d)
    r = check(d)
    assert r.ok  # a warning: the gate cannot know whether the report was filed
    [(severity, message)] = of(r, "TR-19")
    assert severity == "warn" and "important data" in message and "disposal-report" in message
    text = disposal.disposal_report(d.seller, d.tid, lang="en")
    assert "乙公司" in text and "021-0000" in text and "Important data processed: yes" in text
    assert f"processed: {active(d.seller)}" in text
    assert "一、报告单位" in disposal.disposal_report(d.seller, d.tid)


def test_distinct_individuals_count_the_whole_vault_not_the_scope(
    make_deal: Callable[..., Deal], do_import: Callable[..., object], tmp_path: Path
) -> None:
    d = make_deal("i2")
    do_import(
        d.seller,
        write_customers_csv(tmp_path / "more.csv", 25, seed=99),
        dataset="其他",
        consent_evidence="报名表",
    )
    k = show_keys(d.buyer)
    tid = seller.create_transfer(
        d.seller,
        seller.CreateRequest(
            "merger",
            "乙公司",
            "021-0000",
            k.age_recipient,
            k.signing_public_key,
            datasets=("学员",),
        ),
    )
    r = gate.check_transfer(d.seller, tid, rules=d.rules)  # type: ignore[arg-type]
    assert r.facts["distinct_individuals"] == active(d.seller)
    assert r.facts["distinct_individuals"] > r.facts["customers_moving"]
    assert of(r, "TR-19") == []  # far below ten million, no important data


def test_important_data_on_an_asset_sale_is_no_report_case(make_deal: Callable[..., Deal]) -> None:
    d = make_deal("i3", deal_type="asset-sale", important_data=True)
    assert of(check(d), "TR-19") == []


# --- TR-23 -------------------------------------------------------------------------------


def test_eea_customers_block_until_a_legitimate_interest_record_is_attached(
    make_deal: Callable[..., Deal],
) -> None:
    d = make_deal("g1", csv_text=CONTACTS)
    sign_all(d)
    notify_and_assess(d)
    r = check(d)
    assert not r.ok and r.facts["gdpr_customers"] == 2  # the +49 mobile and 法国 address
    [(severity, message)] = of(r, "TR-23")
    assert severity == "block" and "2 in-scope customers" in message
    with pytest.raises(PolicyRefused, match="TR-23"):
        package(d)
    legitimate_interest.attach_legitimate_interest(d.seller, d.tid, BALANCING_TEST)
    r = check(d)
    assert r.ok and r.facts["gdpr_customers"] == 2
    assert {s for s, _ in of(r, "TR-23")} == {"warn"}


def test_legitimate_interest_is_kept_and_bound_into_the_signed_agreement(
    make_deal: Callable[..., Deal],
) -> None:
    import hashlib

    d = make_deal("g2", csv_text=CONTACTS)
    digest = hashlib.sha256(BALANCING_TEST).hexdigest()
    legitimate_interest.attach_legitimate_interest(d.seller, d.tid, BALANCING_TEST)
    stored = row_of(d.seller, d.tid).document["legitimate_interest"]
    assert stored["sha256"] == digest and stored["text"] == BALANCING_TEST.decode()
    env = seller.sign_agreement_for(d.seller, d.tid)
    assert any(digest in o["en"] and digest in o["zh"] for o in env["agreement"]["obligations"])
    with pytest.raises(Conflict):  # the signed agreement binds this record, not another
        legitimate_interest.attach_legitimate_interest(d.seller, d.tid, b"another text")


def test_record_attached_after_signing_is_kept_but_not_bound(
    make_deal: Callable[..., Deal],
) -> None:
    d = make_deal("g3", csv_text=CONTACTS)
    sign_all(d)
    before = row_of(d.seller, d.tid).document["agreement"]
    out = legitimate_interest.attach_legitimate_interest(d.seller, d.tid, BALANCING_TEST)
    assert out["bound_to_agreement"] is False
    assert row_of(d.seller, d.tid).document["agreement"] == before
    notify_and_assess(d)
    r = check(d)
    assert r.ok and any("not bound" in m for _, m in of(r, "TR-23"))


def test_empty_or_binary_record_is_refused(make_deal: Callable[..., Deal]) -> None:
    d = make_deal("g4", csv_text=CONTACTS)
    for bad in (b"  \n", b"\xff\xfe\x00bad"):
        with pytest.raises(InputError):
            legitimate_interest.attach_legitimate_interest(d.seller, d.tid, bad)
    assert "legitimate_interest" not in row_of(d.seller, d.tid).document


def test_gdpr_flag_covers_every_customer(make_deal: Callable[..., Deal]) -> None:
    d = make_deal("g5", gdpr_all=True)  # generated mainland customers only
    assert row_of(d.seller, d.tid).gdpr_all is True
    r = check(d)
    assert r.facts["gdpr_customers"] == r.facts["customers_moving"] > 0
    [(severity, message)] = of(r, "TR-23")
    assert severity == "block" and "treated as covered" in message


def test_mainland_customers_without_the_flag_raise_no_gdpr_finding(
    make_deal: Callable[..., Deal],
) -> None:
    d = make_deal("g6")
    r = check(d)
    assert r.facts["gdpr_customers"] == 0 and of(r, "TR-23") == []


def test_buyer_receipt_records_the_art14_notice_deadline(make_deal: Callable[..., Deal]) -> None:
    d = make_deal("g7", csv_text=CONTACTS)
    legitimate_interest.attach_legitimate_interest(d.seller, d.tid, BALANCING_TEST)
    sign_all(d)
    notify_and_assess(d)
    pkg = package(d)
    assert pkg["summary"]["gdpr_customers"] == 2  # type: ignore[index]
    got = buyer.receive_package(
        d.buyer, d.dir / f"{d.tid}.age", read=package_reader(), rules=d.rules
    )  # type: ignore[arg-type]
    notice = got["receipt"]["document"]["gdpr"]
    assert notice == {
        "gdpr_customers": 2,
        "art14_notice_due": "2026-12-22",  # NOW + 1 month
        "rule": "TR-23",
        "source": "GDPR Art. 14(3)",
    }
    assert got["gdpr"] == notice
    assert row_of(d.buyer, d.tid).document["received"]["gdpr"] == notice


def test_receipt_without_gdpr_customers_sets_no_deadline(make_deal: Callable[..., Deal]) -> None:
    d = make_deal("g8")
    sign_all(d)
    notify_and_assess(d)
    assert package(d)["summary"]["gdpr_customers"] == 0  # type: ignore[index]
    got = buyer.receive_package(
        d.buyer, d.dir / f"{d.tid}.age", read=package_reader(), rules=d.rules
    )  # type: ignore[arg-type]
    assert "gdpr" not in got and "gdpr" not in got["receipt"]["document"]
