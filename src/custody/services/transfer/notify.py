"""Tell every customer in scope who will hold their data, and how to object (TR-02, TR-16)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection

from custody.domain.access import Action
from custody.domain.taxonomy import label_info
from custody.domain.transfer.chain import Step
from custody.errors import Conflict, InputError
from custody.services.ports import Mailer, NoticeWriter, ValueRules
from custody.services.reveal import export_values
from custody.services.transfer.common import load, record_step
from custody.services.transfer.scope import ScopeCustomer, map_scope
from custody.services.vault import Vault
from custody.storage import transfer_store as ts

__all__ = ["NOTICE_COLUMNS", "NotifyResult", "notify_customers", "notice_text"]

NOTICE_COLUMNS = ("customer_id", "channel", "to", "message")
_DEAL_ZH = {"merger": "公司合并", "division": "公司分立", "dissolution": "公司解散",
            "bankruptcy": "破产", "asset-sale": "业务转让", "equity": "股权转让",
            "entrusted": "委托经营"}


class _Notice(NamedTuple):
    """One customer's notice and where it goes."""

    customer_id: str
    text: str
    mobile: str | None
    email: str | None


@dataclass
class NotifyResult:
    """What `transfer notify` did."""

    notified: int = 0
    sms: int = 0
    emails_delivered: int = 0
    emails_failed: int = 0
    without_contact: int = 0
    window_ends: str = ""
    warnings: list[str] = field(default_factory=list)


def notice_text(agreement: dict[str, Any], labels: list[str], deadline: dt.date) -> str:
    """The notice every customer receives (Chinese, as sent by SMS and e-mail)."""
    seller, buyer = agreement["seller"], agreement["buyer"]
    what = "、".join(label_info(lab).zh for lab in labels) or "客户资料"
    purposes = "、".join(sorted({p["purpose"] for p in agreement["purposes"]}))
    deal = _DEAL_ZH.get(agreement["deal_type"], "业务转让")
    return (f"【{seller['name']}】尊敬的客户：因{deal}，您的个人信息（{what}）将转移给"
            f"{buyer['name']}（联系方式：{buyer['contact']}），接收方将继续按原处理目的"
            f"（{purposes}）处理。如您反对转移或要求删除，请于{deadline.isoformat()}前联系"
            f"{seller['contact']}。")


def _contacts(values: list[dict[str, object]]) -> tuple[str | None, str | None]:
    mobile = email = None
    for rec in values:
        for _, label, value in rec["fields"]:  # type: ignore[attr-defined]  # JSON list
            if label == "contact.mobile" and mobile is None:
                mobile = str(value)
            elif label == "contact.email" and email is None:
                email = str(value)
    return mobile, email


class _Notifier:
    """Writes each customer's notice (`notices`, in a worker process where cores are
    free), then sends or lists it and records its delivery (`rows`, here)."""

    def __init__(self, conn: Connection, transfer_id: str, agreement: dict[str, Any],
                 now: dt.datetime, deadline: dt.date, mailer: Mailer | None,
                 result: NotifyResult) -> None:
        self.conn, self.transfer_id, self.agreement = conn, transfer_id, agreement
        self.now, self.deadline, self.mailer, self.result = now, deadline, mailer, result
        self.subject = ("关于您个人信息转移的告知 / Notice of transfer "
                        f"({agreement['seller']['name']})")
        self._texts: dict[tuple[str, ...], str] = {}  # customers moving the same labels
        self._pending: list[dict[str, object]] = []

    def notices(self, customers: list[ScopeCustomer]) -> list[_Notice]:
        out = []
        for sc in customers:
            labels = tuple(sorted(sc.facts.fields))
            text = self._texts.get(labels)
            if text is None:
                text = self._texts[labels] = notice_text(self.agreement, list(labels),
                                                         self.deadline)
            mobile, email = _contacts(export_values(
                sc.plain, labels={"contact.mobile", "contact.email"},
                purpose="transfer-notice"))
            out.append(_Notice(sc.plain.id, text, mobile, email))
        return out

    def rows(self, batches: Iterator[list[_Notice]]) -> Iterator[dict[str, object]]:
        """The SMS list's rows; e-mails sent and every delivery recorded on the way."""
        result = self.result
        for batch in batches:
            for customer_id, text, mobile, email in batch:
                status, channel = "prepared", "sms"
                if self.mailer is not None and email:
                    delivery = self.mailer.send(email, self.subject, text)
                    status, channel = delivery.status, "email"
                    result.emails_delivered += delivery.status == "delivered"
                    result.emails_failed += delivery.status != "delivered"
                if mobile:
                    result.sms += 1
                    yield {"customer_id": customer_id, "channel": "sms", "to": mobile,
                           "message": text}
                elif channel == "sms":
                    result.without_contact += 1
                    status = "failed"
                self._pending.append({
                    "transfer_id": self.transfer_id, "customer_id": customer_id,
                    "channel": channel,
                    "status": status if channel == "email" or not mobile else "prepared",
                    "message_hash": hashlib.sha256(text.encode()).hexdigest(),
                    "notified_at": self.now})
                result.notified += 1
            if len(self._pending) >= 1000:
                self.flush()

    def flush(self) -> None:
        ts.add_notices(self.conn, self._pending)
        self._pending.clear()


def notify_customers(
    vault: Vault, transfer_id: str, out: Path, *, objection_days: int, rules: ValueRules,
    write_csv: NoticeWriter, mailer: Mailer | None = None,
) -> NotifyResult:
    """One notice per customer in scope: SMS list (CSV), e-mail when a mailer is given."""
    vault.require(Action.TRANSFER_MANAGE)
    if objection_days < 0:
        raise InputError("--objection-days cannot be negative")
    result = NotifyResult()
    with vault.transaction("transfer notify") as conn:
        row = load(conn, transfer_id, "seller")
        if "countersigned" not in row.document:
            raise Conflict("the agreement is not countersigned and accepted yet")
        if "notice" in row.document:
            raise Conflict(f"transfer {transfer_id} was already notified")
        now = vault.clock()
        ends = now + dt.timedelta(days=objection_days)
        notifier = _Notifier(conn, transfer_id, row.document["agreement"], now, ends.date(),
                             mailer, result)
        write_csv(notifier.rows(map_scope(vault, conn, row, rules, purpose="transfer-notice",
                                          work=notifier.notices)),
                  out, columns=NOTICE_COLUMNS)
        notifier.flush()
        if objection_days == 0:
            result.warnings.append("objection window of 0 days (demo/test only)")
        result.window_ends = ends.isoformat()
        doc = {**row.document, "notice": {"objection_days": objection_days,
                                          "window_ends": ends.isoformat(),
                                          "notified_at": now.isoformat(),
                                          "count": result.notified}}
        ts.save_document(conn, transfer_id, "notified", doc, now)
        record_step(vault, conn, transfer_id, Step.NOTIFIED,
                    hashlib.sha256(out.read_bytes()).hexdigest(),
                    {"notified": result.notified, "objection_days": objection_days})
    return result
