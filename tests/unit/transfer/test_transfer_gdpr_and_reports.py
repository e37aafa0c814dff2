"""TR-23's buyer-notice deadline and agreement clause; TR-19's report template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from custody.domain.transfer.agreement import Agreement, agreement_from_dict, agreement_to_dict
from custody.domain.transfer.clauses import legitimate_interest_clause, with_legitimate_interest
from custody.domain.transfer.disposal_report import DisposalReport, render_disposal_report
from custody.domain.transfer.route import DealType
from custody.domain.transfer.rules.gdpr import art14_notice_due
from custody.errors import InputError


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 11, 22), dt.date(2026, 12, 22)),
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
    ],
)
def test_buyer_notice_is_due_one_calendar_month_after_receipt(
    received: dt.date, due: dt.date
) -> None:
    assert art14_notice_due(received) == due


def test_legitimate_interest_clause_is_signed_with_the_agreement_and_replaceable(
    agreement_factory: Callable[..., Agreement],
) -> None:
    a = agreement_factory()
    first = with_legitimate_interest(a, "a" * 64)
    assert first.obligations == (*a.obligations, legitimate_interest_clause("a" * 64))
    assert agreement_from_dict(agreement_to_dict(first)) == first  # still canonical
    second = with_legitimate_interest(first, "b" * 64, replacing="a" * 64)
    assert second.obligations == (*a.obligations, legitimate_interest_clause("b" * 64))
    clause = legitimate_interest_clause("b" * 64)
    assert "b" * 64 in clause.en and "b" * 64 in clause.zh
    assert "Art. 14" in clause.en and "一个月" in clause.zh


def report(**changes: object) -> DisposalReport:
    fields: dict[str, object] = dict(
        transfer_id="tr_1",
        deal_type=DealType.MERGER,
        seller="示例培训学校",
        seller_contact="010-0000",
        recipient="乙公司",
        recipient_contact="021-0000",
        distinct_individuals=12_000_000,
        important_data=True,
        datasets=("学员",),
        customers_in_scope=80,
        no_successor=False,
        prepared_on=dt.date(2026, 11, 22),
    )
    fields.update(changes)
    return DisposalReport(**fields)  # type: ignore[arg-type]


def test_report_template_is_filled_from_the_vault_and_honest_about_itself() -> None:
    zh = render_disposal_report(report(), "zh")
    for expected in (
        "乙公司",
        "021-0000",
        "示例培训学校",
        "12000000",
        "是否达到 1000 万人：是",
        "合并",
        "第二十八条、第三十二条",
        "并非官方格式",
        "2026-11-22",
    ):
        assert expected in zh
    en = render_disposal_report(report(important_data=False, distinct_individuals=3), "en")
    for expected in (
        "Recipient",
        "乙公司",
        "021-0000",
        "(10 million or more: no)",
        "Important data processed: no",
        "not an official form",
    ):
        assert expected in en


def test_report_template_without_a_successor_names_no_recipient() -> None:
    text = render_disposal_report(report(deal_type=DealType.BANKRUPTCY, no_successor=True), "en")
    assert "no successor" in text and "deleted or anonymised" in text


def test_report_template_in_another_language_is_refused() -> None:
    with pytest.raises(InputError):
        render_disposal_report(report(), "fr")
