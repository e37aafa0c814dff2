"""TR-23: customers covered by the GDPR (an EU/EEA phone number or address, or all of them
when the user says so) may be disclosed to the buyer only on a lawful basis, usually
legitimate interests backed by a balancing test (GDPR Art. 6(1)(f)); the buyer then
informs them within one month of receiving the data at the latest, or earlier at first
contact or before any further disclosure (Art. 14(3))."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.route import LegalRoute
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE", "art14_notice_due"]


def art14_notice_due(received: dt.date) -> dt.date:
    """The latest day for the buyer's Art. 14 information: one month after receipt, the
    same day of the next month or that month's last day when it is shorter (months counted
    as Regulation 1182/71 Art. 3(2)(c) counts them; not re-read for this rule)."""
    year, month0 = divmod(received.year * 12 + received.month, 12)  # next month, 0-based
    month = month0 + 1
    return dt.date(year, month, min(received.day, calendar.monthrange(year, month)[1]))


def _who(f: GateFacts) -> tuple[str, str]:
    if f.gdpr_declared:
        return (
            f"all {f.gdpr_customers} in-scope customers are treated as covered by the GDPR",
            f"全部 {f.gdpr_customers} 名待移交客户按适用 GDPR 处理",
        )
    return (
        f"{f.gdpr_customers} in-scope customers have an EU/EEA phone number or address "
        "(GDPR applies)",
        f"{f.gdpr_customers} 名待移交客户的电话或地址位于欧盟/欧洲经济区（适用 GDPR）",
    )


def _check(f: GateFacts) -> Iterator[Finding]:
    if f.gdpr_customers <= 0:
        return
    en, zh = _who(f)
    if not f.legitimate_interest_attached:
        yield RULE.block(
            f"{en}: their disclosure to the buyer needs a lawful basis; attach a "
            "legitimate-interest record (balancing test) with "
            "`custody transfer legitimate-interest ID FILE`",
            f"{zh}：向接收方披露须有合法依据；请以 custody transfer legitimate-interest ID FILE "
            "附上正当利益评估记录（利益平衡测试）",
        )
        return
    if not f.legitimate_interest_bound:
        yield RULE.warn(
            "the legitimate-interest record was attached after the agreement was signed and "
            "is not bound into it",
            "正当利益评估记录在协议签署后附上，未纳入已签署的协议",
        )
    yield RULE.warn(
        f"{en}: the buyer must give them the information of GDPR Art. 14 within one month "
        "of receipt at the latest (earlier at first contact or before any further "
        "disclosure); the buyer's receipt records the date",
        f"{zh}：接收方最迟应在收到数据后一个月内（首次联系或进一步披露前更早）向其提供 "
        "GDPR 第 14 条规定的信息；接收方回执记载该期限",
    )


RULE = register(
    Rule(
        "TR-23",
        "GDPR: legitimate interests and the buyer's notice",
        "GDPR Art. 6(1)(f), 14(3)",
        _check,
        routes=frozenset({LegalRoute.ART22_NOTICE, LegalRoute.ART23_SEPARATE_CONSENT}),
    )
)
