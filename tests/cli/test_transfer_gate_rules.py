"""`transfer check --json` for TR-18, TR-19 and TR-23, with the new optional flags of
`transfer create` and the `legitimate-interest` and `disposal-report` commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from custody.sampledata import write_customers_csv


def _ready_transfer(
    tmp_path: Path,
    run: Callable[..., Any],
    new_vault: Callable[[str, str], Path],
    name: str,
    *create: str,
) -> tuple[list[str], str]:
    """A seller vault with customers, and a transfer signed, notified and assessed."""
    seller, buyer = new_vault(f"{name}-s", "甲学校"), new_vault(f"{name}-b", "乙公司")
    S, B = ["--vault", str(seller)], ["--vault", str(buyer)]
    src = write_customers_csv(tmp_path / f"{name}.csv", 20, seed=5)
    assert (
        run(
            *S,
            "import",
            str(src),
            "--dataset",
            "学员",
            "--purpose",
            "教学服务",
            "--consent-evidence",
            "报名表",
            "--guardian-consent",
            "--separate-consent",
            "identity.resident_id",
        ).code
        == 0
    )
    keys = run(*B, "keys", "show", "--json").json()
    r = run(
        *S,
        "transfer",
        "create",
        "--buyer-name",
        "乙公司",
        "--buyer-contact",
        "021-1",
        "--buyer-recipient",
        keys["age_recipient"],
        "--buyer-signing-key",
        keys["signing_public_key"],
        *create,
        "--json",
    )
    assert r.code == 0, r.err
    tid = r.json()["transfer_id"]
    a, c = tmp_path / f"{name}-a.json", tmp_path / f"{name}-c.json"
    assert run(*S, "transfer", "agreement", tid, "--out", str(a)).code == 0
    assert run(*B, "transfer", "countersign", str(a), "--out", str(c)).code == 0
    assert run(*S, "transfer", "accept", tid, str(c)).code == 0
    assert (
        run(
            *S,
            "transfer",
            "notify",
            tid,
            "--out",
            str(tmp_path / f"{name}-n.csv"),
            "--objection-days",
            "0",
        ).code
        == 0
    )
    answers = tmp_path / "pia.json"
    answers.write_text(
        json.dumps({"lawfulness_necessity": "合并", "impact_risk": "低", "safeguards": "加密"})
    )
    assert run(*S, "transfer", "assess", tid, "--answers", str(answers)).code == 0
    return S, tid


def _findings(doc: dict[str, Any], rule: str) -> list[dict[str, str]]:
    return [f for f in doc["findings"] if f["rule"] == rule]


def test_check_json_blocks_bankruptcy_without_successor(
    tmp_path: Path, cli: Callable[..., Any], new_vault: Callable[[str, str], Path]
) -> None:
    S, tid = _ready_transfer(
        tmp_path, cli, new_vault, "nosucc", "--deal-type", "bankruptcy", "--no-successor"
    )
    r = cli(*S, "transfer", "check", tid, "--json")
    assert r.code == 1 and r.json()["ok"] is False
    [f] = _findings(r.json(), "TR-18")
    assert f["severity"] == "block" and f["source"] == "PIPL Art. 47 ¶1(2); GB/T 35273 9.3"
    assert "wind-down" in f["message"] and "删除或匿名化" in f["message_zh"]
    r = cli(*S, "transfer", "package", tid, "--out", str(tmp_path / "h.age"))
    assert r.code == 1 and "TR-18" in r.err and not (tmp_path / "h.age").exists()


def test_no_successor_on_a_merger_is_a_refused_input(
    tmp_path: Path, cli: Callable[..., Any], new_vault: Callable[[str, str], Path]
) -> None:
    seller = new_vault("m", "甲")
    r = cli(
        "--vault",
        str(seller),
        "transfer",
        "create",
        "--deal-type",
        "merger",
        "--buyer-name",
        "乙",
        "--buyer-contact",
        "1",
        "--buyer-recipient",
        "age1x",
        "--buyer-signing-key",
        "k",
        "--no-successor",
        "--json",
    )
    assert r.code == 1 and r.out == ""


def test_check_json_warns_on_important_data_and_the_template_is_written(
    tmp_path: Path, cli: Callable[..., Any], new_vault: Callable[[str, str], Path]
) -> None:
    S, tid = _ready_transfer(
        tmp_path, cli, new_vault, "imp", "--deal-type", "division", "--important-data"
    )
    r = cli(*S, "transfer", "check", tid, "--json")
    assert r.code == 0 and r.json()["ok"] is True, r.out
    [f] = _findings(r.json(), "TR-19")
    assert f["severity"] == "warn" and f["source"] == "NDSMR Art. 28, 32"
    assert "distinct_individuals" in r.json()["summary"]
    out = tmp_path / "report.md"
    assert cli(*S, "transfer", "disposal-report", tid, "--out", str(out)).code == 0
    assert "乙公司" in out.read_text(encoding="utf-8")
    r = cli(*S, "transfer", "disposal-report", tid, "--lang", "en")
    assert r.code == 0 and r.out.startswith("# Data disposal plan report (template)")


def test_check_json_gdpr_flag_blocks_until_legitimate_interest_is_attached(
    tmp_path: Path, cli: Callable[..., Any], new_vault: Callable[[str, str], Path]
) -> None:
    S, tid = _ready_transfer(tmp_path, cli, new_vault, "gdpr", "--deal-type", "merger", "--gdpr")
    r = cli(*S, "transfer", "check", tid, "--json")
    assert r.code == 1 and r.json()["ok"] is False
    [f] = _findings(r.json(), "TR-23")
    assert f["severity"] == "block" and f["source"] == "GDPR Art. 6(1)(f), 14(3)"
    assert r.json()["summary"]["gdpr_customers"] == r.json()["summary"]["customers_moving"]
    record = tmp_path / "balancing-test.md"
    record.write_text("利益平衡测试：目的正当、必要、对个人影响小。\n", encoding="utf-8")
    r = cli(*S, "transfer", "legitimate-interest", tid, str(record), "--json")
    assert r.code == 0 and r.json()["bound_to_agreement"] is False  # agreement already signed
    r = cli(*S, "transfer", "check", tid, "--json")
    assert r.code == 0 and r.json()["ok"] is True
    assert {f["severity"] for f in _findings(r.json(), "TR-23")} == {"warn"}


def test_check_json_has_no_new_findings_for_a_plain_merger(
    tmp_path: Path, cli: Callable[..., Any], new_vault: Callable[[str, str], Path]
) -> None:
    S, tid = _ready_transfer(tmp_path, cli, new_vault, "plain", "--deal-type", "merger")
    doc = cli(*S, "transfer", "check", tid, "--json").json()
    assert doc["ok"] is True
    assert not {f["rule"] for f in doc["findings"]} & {"TR-18", "TR-19", "TR-23"}
