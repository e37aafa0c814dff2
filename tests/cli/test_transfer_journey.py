"""The whole transfer through the command line, as cli.md specifies it (issue 4)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from custody.sampledata import write_customers_csv


def test_journey_through_the_cli(tmp_path: Path, cli: Callable[..., object],
                                 new_vault: Callable[[str, str], Path]) -> None:
    run = cli
    seller, buyer = new_vault("seller", "甲学校"), new_vault("buyer", "乙公司")
    src = write_customers_csv(tmp_path / "学员.csv", 60, seed=8, encoding="gb18030")
    S, B = ["--vault", str(seller)], ["--vault", str(buyer)]
    r = run(*S, "import", str(src), "--dataset", "学员", "--purpose", "教学服务",
            "--consent-evidence", "报名表", "--guardian-consent",
            "--separate-consent", "identity.resident_id", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    for key in ("dataset", "rows", "imported", "customers_new", "customers_merged", "rejected"):
        assert key in doc
    keys = run(*B, "keys", "show", "--json").json()
    assert keys["age_recipient"].startswith("age1") and keys["signing_public_key"]
    r = run(*S, "transfer", "create", "--deal-type", "merger", "--buyer-name", "乙公司",
            "--buyer-contact", "021-1", "--buyer-recipient", keys["age_recipient"],
            "--buyer-signing-key", keys["signing_public_key"], "--json")
    assert r.code == 0, r.err
    tid = r.json()["transfer_id"]
    agreement, counter = tmp_path / "agreement.json", tmp_path / "countersigned.json"
    assert run(*S, "transfer", "agreement", tid, "--out", str(agreement),
               "--html", str(tmp_path / "a.html")).code == 0
    assert run(*B, "transfer", "countersign", str(agreement), "--out", str(counter)).code == 0
    assert run(*S, "transfer", "accept", tid, str(counter)).code == 0
    assert run(*S, "transfer", "notify", tid, "--out", str(tmp_path / "notices.csv"),
               "--objection-days", "0").code == 0
    r = run(*S, "transfer", "check", tid, "--json")
    assert r.code == 1 and r.json()["ok"] is False
    assert {f["severity"] for f in r.json()["findings"]} <= {"block", "warn"}
    answers = tmp_path / "pia.json"
    answers.write_text(json.dumps({"lawfulness_necessity": "合并", "impact_risk": "低",
                                   "safeguards": "加密"}))
    assert run(*S, "transfer", "assess", tid, "--answers", str(answers)).code == 0
    r = run(*S, "transfer", "check", tid, "--json")
    assert r.code == 0 and r.json()["ok"] is True, r.out
    pkg = tmp_path / "handover.age"
    assert run(*S, "transfer", "package", tid, "--out", str(pkg)).code == 0
    r = run(*B, "transfer", "verify", str(pkg), "--json")
    assert r.code == 0 and r.json()["ok"] is True
    receipt = tmp_path / "receipt.json"
    r = run(*B, "transfer", "receive", str(pkg), "--out", str(receipt), "--json")
    assert r.code == 0 and r.json()["received"] > 0
    received = r.json()["received"]
    r = run(*B, "transfer", "receive", str(pkg), "--out", str(tmp_path / "r2.json"), "--json")
    assert r.code == 1 and "already received" in r.err and r.out == ""
    cert = tmp_path / "certificate.json"
    assert run(*S, "transfer", "complete", tid, "--receipt", str(receipt),
               "--out", str(cert)).code == 0
    log = run(*S, "transfer", "log", tid, "--json").json()
    assert log["ok"] and log["steps"][0]["step"] == "created"
    for vault in (S, B):
        verified = run(*vault, "audit", "verify", "--json").json()
        assert verified["ok"] is True and verified["events"] > 5
    v = run(*B, "valuation", "--json").json()
    assert v["distinct_customers"] == received
    assert run(*S, "valuation", "--json").json()["distinct_customers"] == 0


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed")
def test_package_opens_with_the_age_tool_and_sha256sum(tmp_path: Path, cli: Callable[..., object],
                                                        new_vault: Callable[[str, str], Path]
                                                        ) -> None:
    run = cli
    seller, buyer = new_vault("s", "甲"), new_vault("b", "乙")
    S, B = ["--vault", str(seller)], ["--vault", str(buyer)]
    run(*S, "import", str(write_customers_csv(tmp_path / "x.csv", 20, seed=2)), "--dataset",
        "d", "--purpose", "p", "--consent-evidence", "e", "--guardian-consent",
        "--separate-consent", "identity.resident_id")
    keys = run(*B, "keys", "show", "--json").json()
    tid = run(*S, "transfer", "create", "--deal-type", "merger", "--buyer-name", "乙",
              "--buyer-contact", "1", "--buyer-recipient", keys["age_recipient"],
              "--buyer-signing-key", keys["signing_public_key"], "--json").json()["transfer_id"]
    run(*S, "transfer", "agreement", tid, "--out", str(tmp_path / "a.json"))
    run(*B, "transfer", "countersign", str(tmp_path / "a.json"), "--out", str(tmp_path / "c.json"))
    run(*S, "transfer", "accept", tid, str(tmp_path / "c.json"))
    run(*S, "transfer", "notify", tid, "--out", str(tmp_path / "n.csv"), "--objection-days", "0")
    answers = tmp_path / "pia.json"
    answers.write_text('{"lawfulness_necessity": "a", "impact_risk": "b", "safeguards": "c"}')
    run(*S, "transfer", "assess", tid, "--answers", str(answers))
    r = run(*S, "transfer", "package", tid, "--out", str(tmp_path / "h.age"))
    assert r.code == 0, r.err
    identity = tmp_path / "buyer.key"
    assert run(*B, "keys", "export-identity", "--out", str(identity)).code == 0
    plain = subprocess.run(["age", "-d", "-i", str(identity), str(tmp_path / "h.age")],
                           check=True, capture_output=True).stdout
    out = tmp_path / "opened"
    out.mkdir()
    (tmp_path / "h.tar").write_bytes(plain)
    with tarfile.open(tmp_path / "h.tar") as tar:
        tar.extractall(out, filter="data")
    manifest = json.loads((out / "manifest.json").read_text())
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["files"])
    (out / "SHA256SUMS").write_text(sums)
    subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=out, check=True,
                   capture_output=True)
    assert all(hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"]
               for f in manifest["files"])
