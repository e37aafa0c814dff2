"""Due diligence without exposure: aggregates and a fingerprinted k-anonymous sample (TR-10)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from custody.domain.access import Action
from custody.domain.anonymity import (
    FingerprintedSample,
    TraceResult,
    age_qi,
    anonymise,
    city_qi,
    fingerprint,
    gender_qi,
    item_qi,
    trace,
)
from custody.domain.customers import age_on
from custody.domain.valuation import ValuationBuilder
from custody.errors import Conflict, InputError, NotFound
from custody.services.ports import ValueRules
from custody.services.reveal import aggregate_text, birth_date_of
from custody.services.transfer.common import load
from custody.services.transfer.scope import ScopeCustomer, iter_scope
from custody.services.valuation import valuation_customer
from custody.services.vault import Vault
from custody.storage import transfer_store as ts

__all__ = ["QUASI", "build_dataroom", "trace_leak"]

QUASI = ("age", "gender", "city", "item")
_CITY = re.compile(r"^(?:.{1,8}?(?:省|自治区))?(.{1,8}?(?:市|自治州|地区|盟))")
_PROVINCE = re.compile(r"^(.{1,8}?(?:省|自治区|市))")


def _city(address: str) -> str:
    m = _CITY.match(address) or _PROVINCE.match(address)
    return m.group(1) if m else ""


def _first(sc: ScopeCustomer, label: str) -> str:
    for r in sc.plain.records:
        for _, lab, p in r.fields:
            if lab == label and lab in sc.decision.fields:
                return aggregate_text(p)
    return ""


def _amount_band(sc: ScopeCustomer) -> str:
    total = 0.0
    for r in sc.plain.records:
        for _, lab, p in r.fields:
            if lab == "transaction.amount":
                try:
                    total += float(aggregate_text(p).replace(",", "").strip("¥￥ ") or 0)
                except ValueError:
                    continue
    for bound in (1000, 5000, 20000, 50000):
        if total < bound:
            return f"<{bound}"
    return ">=50000"


def _row(sc: ScopeCustomer, rules: ValueRules, today: dt.date) -> dict[str, str]:
    moving = sc.decision.fields
    born = birth_date_of(((label, p) for r in sc.plain.records for _, label, p in r.fields
                          if label in moving), rules)
    return {"age": str(age_on(born, today)) if born else "", "gender": _first(sc, "person.gender"),
            "city": _city(_first(sc, "contact.address")), "item": _first(sc, "transaction.item"),
            "spend": _amount_band(sc)}


def build_dataroom(vault: Vault, transfer_id: str, recipient: str, out: Path, *,
                   rules: ValueRules, k: int = 5) -> dict[str, Any]:
    """Write aggregates and a fingerprinted k-anonymous sample for one recipient."""
    vault.require(Action.TRANSFER_MANAGE)
    if k < 2:
        raise InputError("k must be at least 2")
    if not recipient.strip():
        raise InputError("--recipient must name who receives the data room")
    if out.exists() and any(out.iterdir()):
        raise Conflict(f"{out.name} exists and is not empty")
    today = vault.clock().date()
    with vault.transaction("transfer dataroom") as conn:
        row = load(conn, transfer_id, "seller")
        if recipient in row.document.get("datarooms", {}):
            raise Conflict(f"a data room for {recipient} exists already")
        builder = ValuationBuilder(today)
        rows = []
        for sc in iter_scope(vault, conn, row, rules, purpose="due-diligence"):
            if sc.decision.moves:
                rows.append(_row(sc, rules, today))
                builder.add_customer(valuation_customer(sc.plain, (), rules, today, ()))
        table = anonymise(rows, [age_qi(), gender_qi(), city_qi(), item_qi()], k=k,
                          keep=("spend",))
        key = vault.keys.index.digest("dataroom-fingerprint", transfer_id).encode()
        sample = fingerprint(table, recipient, key=key)
        figures = {k_: v for k_, v in builder.result().to_dict().items()
                   if k_ not in ("cohorts",)}
        out.mkdir(parents=True, exist_ok=True)
        (out / "aggregates.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
        with (out / "sample.csv").open("w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f)
            w.writerow(sample.columns)
            w.writerows(sample.rows)
        stats = {"k": k, "k_achieved": table.k_achieved, "rows": len(sample.rows),
                 "suppression_rate": table.loss.suppression_rate,
                 "precision_loss": table.loss.precision_loss, "recipient": recipient,
                 "expires": (today + dt.timedelta(days=90)).isoformat()}
        (out / "README.txt").write_text(
            f"尽职调查资料室 / Due-diligence data room\n接收方 / recipient: {recipient}\n"
            f"k-匿名 / k-anonymity: k={table.k_achieved} (required {k})\n"
            f"仅用于评估交易，交易终止须删除 / for evaluating the deal only; destroy if it "
            f"fails. Expires {stats['expires']}.\n", encoding="utf-8")
        rooms = dict(row.document.get("datarooms", {}))
        rooms[recipient] = {"columns": list(sample.columns),
                            "sample": [list(r) for r in sample.rows], **stats}
        ts.save_document(conn, transfer_id, row.state, {**row.document, "datarooms": rooms},
                         vault.clock())
        vault.audit(conn, "transfer.step", purpose="due-diligence",
                    details={"transfer": transfer_id, "dataroom": recipient,
                             "k_achieved": table.k_achieved, "rows": len(sample.rows)})
    return stats


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            data = list(csv.reader(f))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path.name} as a UTF-8 CSV") from exc
    if not data:
        raise InputError(f"{path.name} is empty")
    return data[0], data[1:]


def trace_leak(vault: Vault, leaked: Path, *, transfer_ids: Sequence[str] = ()
               ) -> TraceResult:
    """Name the data-room recipient whose copy a leaked sample most likely came from."""
    vault.require(Action.TRANSFER_READ)
    header, rows = _read_csv(leaked)
    candidates: dict[str, FingerprintedSample] = {}
    with vault.transaction("transfer trace") as conn:
        for tid in _transfer_ids(conn, transfer_ids):
            row = ts.get_transfer(conn, tid)
            if row is None:
                raise NotFound(f"no transfer {tid}")
            for name, room in row.document.get("datarooms", {}).items():
                candidates[f"{tid}:{name}"] = FingerprintedSample(
                    name, tuple(room["columns"]), tuple(tuple(r) for r in room["sample"]), 0)
        if not candidates:
            raise NotFound("no data room was issued")
        result = trace(rows, candidates, columns=header)
        vault.audit(conn, "transfer.step", purpose="due-diligence",
                    details={"trace": leaked.name, "recipient": result.recipient or ""})
    return result


def _transfer_ids(conn: Any, given: Iterable[str]) -> list[str]:
    from sqlalchemy import select

    from custody.storage.tables import transfers

    ids = list(given)
    if ids:
        return ids
    return list(conn.execute(select(transfers.c.id).where(transfers.c.side == "seller")
                             ).scalars())
