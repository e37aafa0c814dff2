"""TR-19: on a merger, division, dissolution or bankruptcy, holders of important data and
processors of the personal information of 10 million or more people report the disposal
plan and the recipient's name and contact to the provincial-level authority (NDSMR
Art. 28, 32). A warning: Custody cannot tell whether the report was made."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.route import DealType, LegalRoute
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["INDIVIDUALS_THRESHOLD", "REPORTING_DEALS", "RULE"]

INDIVIDUALS_THRESHOLD = 10_000_000
REPORTING_DEALS = frozenset(
    {DealType.MERGER, DealType.DIVISION, DealType.DISSOLUTION, DealType.BANKRUPTCY}
)


def _reasons(f: GateFacts) -> tuple[list[str], list[str]]:
    en: list[str] = []
    zh: list[str] = []
    if f.distinct_individuals >= INDIVIDUALS_THRESHOLD:
        en.append(
            f"the vault holds personal information of {f.distinct_individuals:,} distinct "
            f"individuals (threshold {INDIVIDUALS_THRESHOLD:,})"
        )
        zh.append(f"本库处理 {f.distinct_individuals} 名个人的个人信息（达到 1000 万人）")
    if f.important_data:
        en.append("the transfer is marked as carrying important data")
        zh.append("本次转让已标注含重要数据")
    return en, zh


def _check(f: GateFacts) -> Iterator[Finding]:
    if f.deal_type not in REPORTING_DEALS:
        return
    en, zh = _reasons(f)
    if en:
        yield RULE.warn(
            f"{'; '.join(en)}: report the disposal plan and the recipient's name and contact "
            "to the competent provincial-level authority; a report template: "
            "`custody transfer disposal-report ID --out report.md`",
            f"{'；'.join(zh)}：应当向省级以上有关主管部门报告数据处置方案及接收方的名称"
            "或者姓名和联系方式；报告模板：custody transfer disposal-report ID --out report.md",
        )


RULE = register(
    Rule(
        "TR-19",
        "Report to the provincial-level authority",
        "NDSMR Art. 28, 32",
        _check,
        routes=frozenset(LegalRoute),
    )
)
