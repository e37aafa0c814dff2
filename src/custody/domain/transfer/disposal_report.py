"""TR-19: a template of the report to the provincial-level authority (NDSMR Art. 28, 32).

Filled from what the vault knows (parties, deal, counts); everything else is a blank for
a person to fill. No official form is known to us, so the template says it is none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from custody.domain.transfer.route import DealType
from custody.domain.transfer.rules.important_data import INDIVIDUALS_THRESHOLD
from custody.errors import InputError

__all__ = ["DisposalReport", "render_disposal_report"]

_BLANK = "______"
_DEAL_ZH = {
    DealType.MERGER: "合并",
    DealType.DIVISION: "分立",
    DealType.DISSOLUTION: "解散",
    DealType.BANKRUPTCY: "破产",
    DealType.ASSET_SALE: "资产/业务转让",
    DealType.EQUITY: "股权转让",
    DealType.ENTRUSTED: "委托处理",
}


@dataclass(frozen=True, kw_only=True)
class DisposalReport:
    """What the vault knows for the report; the rest of the template is blanks."""

    transfer_id: str
    deal_type: DealType
    seller: str
    seller_contact: str
    recipient: str
    recipient_contact: str
    distinct_individuals: int
    important_data: bool
    datasets: tuple[str, ...]
    customers_in_scope: int
    no_successor: bool
    prepared_on: dt.date


def _zh(r: DisposalReport) -> str:
    recipient = (
        f"无承继方：数据将删除或匿名化，不予移交（{r.recipient}）"
        if r.no_successor
        else r.recipient
    )
    reached = "是" if r.distinct_individuals >= INDIVIDUALS_THRESHOLD else "否"
    return f"""# 数据处置方案报告（模板）

致：{_BLANK}省（自治区、直辖市）{_BLANK}（有关主管部门）
依据：《网络数据安全管理条例》第二十八条、第三十二条

> 本模板由 Custody 根据本库数据预填，并非官方格式。报送前请确认受理部门及其要求的格式和
> 内容，补全空白处，并经专业人员审核。

## 一、报告单位
- 名称：{r.seller}
- 联系方式：{r.seller_contact}
- 联系人及职务：{_BLANK}

## 二、事由
- 交易类型：{_DEAL_ZH[r.deal_type]}
- 转让编号：{r.transfer_id}
- 预计完成时间：{_BLANK}

## 三、数据情况
- 处理个人信息的个人数量（去重）：{r.distinct_individuals}（是否达到 1000 万人：{reached}）
- 是否处理重要数据：{"是" if r.important_data else "否"}（重要数据目录或认定依据：{_BLANK}）
- 拟处置的数据集：{"、".join(r.datasets) or _BLANK}
- 其中拟移交的客户数：{r.customers_in_scope}

## 四、数据处置方案
1. 移交、删除或匿名化的范围：{_BLANK}
2. 移交方式与安全措施（加密、完整性校验、访问控制、审计）：{_BLANK}
3. 时间安排：{_BLANK}
4. 接收方继续履行数据安全保护义务的安排：{_BLANK}
5. 告知个人的方式：{_BLANK}

## 五、接收方
- 名称或者姓名：{recipient}
- 联系方式：{r.recipient_contact}

报告日期：{r.prepared_on.isoformat()}　　（盖章）
"""


def _en(r: DisposalReport) -> str:
    recipient = (
        f"none - no successor: the data is deleted or anonymised, not handed over ({r.recipient})"
        if r.no_successor
        else r.recipient
    )
    reached = "yes" if r.distinct_individuals >= INDIVIDUALS_THRESHOLD else "no"
    return f"""# Data disposal plan report (template)

To: {_BLANK} (competent authority at provincial level or above), {_BLANK} province
Under: Network Data Security Management Regulations, Art. 28 and 32

> Custody filled in this template from the vault. It is not an official form. Before
> filing, confirm the authority and the form and content it requires, fill in the blanks
> and have the report reviewed by a professional.

## 1. Reporting organisation
- Name: {r.seller}
- Contact: {r.seller_contact}
- Contact person and position: {_BLANK}

## 2. Occasion
- Deal type: {r.deal_type.value}
- Transfer id: {r.transfer_id}
- Expected completion: {_BLANK}

## 3. The data
- Distinct individuals whose personal information is processed: {r.distinct_individuals}
  (10 million or more: {reached})
- Important data processed: {"yes" if r.important_data else "no"} (catalogue or grounds: {_BLANK})
- Datasets to be disposed of: {", ".join(r.datasets) or _BLANK}
- Customers in the transfer's scope: {r.customers_in_scope}

## 4. Disposal plan
1. What is handed over, deleted or anonymised: {_BLANK}
2. How it moves and its safeguards (encryption, integrity checks, access control, audit): {_BLANK}
3. Timetable: {_BLANK}
4. How the recipient keeps meeting its data-security duties: {_BLANK}
5. How the individuals are told: {_BLANK}

## 5. Recipient
- Name: {recipient}
- Contact: {r.recipient_contact}

Date: {r.prepared_on.isoformat()}    (seal)
"""


def render_disposal_report(report: DisposalReport, lang: str = "zh") -> str:
    """The report template as Markdown, in Chinese (`zh`) or English (`en`)."""
    if lang == "zh":
        return _zh(report)
    if lang == "en":
        return _en(report)
    raise InputError(f"unknown language {lang!r}; use zh or en", field="lang")
