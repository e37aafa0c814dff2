"""Column classifier: header and value evidence, with and without headers (issue 3)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest

from custody.discovery.classifier import RuleColumnClassifier
from custody.discovery.headerprobe import HeaderProbe
from custody.discovery.vocabulary import header_hint

TODAY = dt.date(2026, 11, 22)


def labels(headers: list[str], rows: list[list[str]]) -> list[str]:
    return [c.label for c in RuleColumnClassifier(TODAY).classify(headers, rows)]


Spec = tuple[list[str], list[str]]


def test_labels_with_headers(make_rows: Callable[..., list[list[str]]], spec: Spec) -> None:
    assert labels(spec[0], make_rows(300)) == spec[1]


def test_labels_from_values_alone(make_rows: Callable[..., list[list[str]]], spec: Spec) -> None:
    assert labels([""] * len(spec[0]), make_rows(300)) == spec[1]


def test_confidence_is_high_when_header_and_values_agree(
    make_rows: Callable[..., list[list[str]]], spec: Spec
) -> None:
    columns = RuleColumnClassifier(TODAY).classify(spec[0], make_rows(200))
    assert all(0.0 <= c.confidence <= 1.0 for c in columns)
    assert columns[3].label == "identity.resident_id" and columns[3].sensitive
    assert columns[3].confidence >= 0.95


def test_eighteen_digit_member_numbers_are_not_resident_ids() -> None:
    rng = random.Random(5)
    rows = [["".join(rng.choices("0123456789", k=18))] for _ in range(300)]
    assert labels(["身份证号"], rows) == ["other"]
    assert labels([""], rows) == ["other"]


def test_order_and_tracking_numbers_are_other() -> None:
    rng = random.Random(6)
    rows = [[f"SF{rng.randrange(10**12, 10**13)}", f"2022{rng.randrange(10**10):010d}",
             f"{rng.randrange(1, 9)}-{rng.randrange(1, 6)}-{rng.randrange(1000, 9999)}",
             str(rng.randrange(1, 40)), rng.choice(["金卡", "银卡", "普通"])] for _ in range(200)]
    assert labels([""] * 5, rows) == ["other"] * 5
    assert labels(["单号", "订单号", "取件码", "包裹数", "会员等级"], rows) == ["other"] * 5


def test_org_name_employer_title_and_uscc() -> None:
    rng = random.Random(7)
    titles = [f"{x}{y}" for x in ("销售", "技术", "行政", "财务", "市场", "人事", "产品", "客服",
                                  "运营", "采购") for y in ("经理", "专员", "主管", "总监")]
    companies = [f"{w}科技有限公司" for w in "甲乙丙丁戊己庚辛壬癸"]
    b2b = [[rng.choice(companies), "91110000600037341L", rng.choice(titles)]
           for _ in range(200)]
    assert labels(["", "", ""], b2b) == ["org.name", "org.uscc", "employment.title"]
    b2c = [[rng.choice(["男", "女"]), rng.choice(companies), rng.choice(titles)]
           for _ in range(200)]
    assert labels(["", "", ""], b2c) == [
        "person.gender", "employment.employer", "employment.title"]
    assert labels(["性别", "工作单位", "职务"], b2c)[1:] == [
        "employment.employer", "employment.title"]


def test_header_that_contradicts_values_loses() -> None:
    rows = [[f"13{i:09d}"] for i in range(100)]
    assert labels(["备注"], rows) == ["contact.mobile"]


def test_email_addresses_under_an_address_header_are_emails() -> None:
    emails = [[f"user{i}@example.com"] for i in range(100)]
    assert labels(["Email Address"], emails) == ["contact.email"]
    assert labels(["Address"], emails) == ["contact.email"]
    places = [[f"北京市海淀区中关村大街{i}号"] for i in range(100)]
    assert labels(["Mailing Address"], places) == ["contact.address"]


def test_landline_and_bank_card_columns() -> None:
    rows = [["021-61953767", "6222021234567890128"], ["0755-88881234", "4111111111111111"]]
    assert labels(["", ""], rows * 50) == ["contact.landline", "financial.bank_card"]


def test_blank_column_is_other_with_low_confidence() -> None:
    columns = RuleColumnClassifier(TODAY).classify([""], [[""]] * 10)
    assert columns[0].label == "other" and columns[0].confidence < 0.5


@pytest.mark.parametrize(
    ("header", "label"),
    [("家长手机", "contact.mobile"), ("学员姓名", "name.*"), ("ID No.", "id.*"),
     ("Date of Birth", "person.birth_date"), ("最近上课", "transaction.date"),
     ("会员编号", "other"), ("取件码", "other"), ("跟进记录", "note.free_text"),
     ("已缴费用", "transaction.amount"), ("金额(元)", "transaction.amount"),
     ("收货地址", "contact.address"), ("微信号", "contact.im"), ("Remark", "note.free_text"),
     ("E-mail Address", "contact.email"), ("邮箱地址", "contact.email"),
     ("Mailing Address", "contact.address")],
)
def test_header_vocabulary(header: str, label: str) -> None:
    hint = header_hint(header)
    assert hint is not None and hint.label == label


def test_header_probe_tells_labels_from_values(
    make_rows: Callable[..., list[list[str]]], spec: Spec
) -> None:
    rows = make_rows(20)
    probe = HeaderProbe()
    assert probe(spec[0], rows)
    assert not probe(rows[0], rows[1:])
