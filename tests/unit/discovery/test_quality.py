"""Quality counts and the classify_file use case (custody.discovery.quality, services)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from custody.bootstrap import discovery
from custody.discovery.purposes import canonical_purpose, unneeded_columns
from custody.discovery.quality import QualityCounter
from custody.discovery.rules import RuleValueRules
from custody.domain.classification import ColumnLabel
from custody.services.discovery import classify_file

TODAY = dt.date(2026, 11, 22)
COLUMNS = [
    ColumnLabel(0, "姓名", "person.name", False, 1.0),
    ColumnLabel(1, "生日", "person.birth_date", False, 1.0),
    ColumnLabel(2, "身份证", "identity.resident_id", True, 1.0),
    ColumnLabel(3, "手机", "contact.mobile", False, 1.0),
    ColumnLabel(4, "地址", "contact.address", False, 1.0),
]


def counter(rows: list[list[str]]) -> QualityCounter:
    meter = QualityCounter(COLUMNS, RuleValueRules(), TODAY)
    meter.add_rows(rows)
    return meter


def test_minors_come_from_birth_dates_or_resident_ids(make_id: Callable[..., str]) -> None:
    rng = random.Random(1)
    child = make_id(dt.date(2016, 1, 2), rng)
    rows = [
        ["甲", "2015-05-05", "", "13800000001", ""],  # minor by birth date
        ["乙", "", child, "13800000002", ""],  # minor by resident ID
        ["丙", "1990-01-01", "", "13800000003", ""],
        ["丁", "2012/11/23", "", "13800000004", ""],  # one day under 14
        ["戊", "2012-11-22", "", "13800000005", ""],  # 14 today
        ["甲", "2015-05-05", "", "138-0000-0001", ""],  # same customer again
    ]
    meter = counter(rows)
    assert meter.minors == 3
    assert meter.duplicates == 1


def test_duplicates_by_id_mobile_or_name_with_address(make_id: Callable[..., str]) -> None:
    rng = random.Random(2)
    rid = make_id(dt.date(1990, 3, 7), rng)
    rows = [
        ["张三", "", rid, "13800000001", "北京市朝阳区1号"],
        ["张三", "", rid.lower(), "", ""],  # same resident ID
        ["李四", "", "", "+86 138 0000 0002", "上海市徐汇区2号"],
        ["李四", "", "", "13800000002", ""],  # same mobile, other spelling
        ["王五", "", "", "", "广州市天河区3号"],
        ["王五", "", "", "13800000009", "广州市天河区3号"],  # name+address, no conflict
        ["张三", "", "", "13800000007", "北京市朝阳区1号"],  # conflicting mobile: new
    ]
    meter = counter(rows)
    assert meter.duplicates == 3
    assert meter.customers == 4


def test_invalid_counts_only_non_blank_failing_values(make_id: Callable[..., str]) -> None:
    rng = random.Random(3)
    rows = [
        ["a", "", make_id(dt.date(1990, 1, 1), rng, valid=False), "12345", ""],
        ["b", "", "468145384019161461", "13800000001", ""],
        ["c", "", "", "  ", ""],
        ["d", "", make_id(dt.date(1990, 1, 1), rng), "", ""],
    ]
    meter = counter(rows)
    assert meter.invalid == {"identity.resident_id": 2, "contact.mobile": 1}
    extra = meter.extra()
    assert extra["sensitive_columns"] == [2]
    assert extra["blank_share"]["1"] == 1.0  # type: ignore[index]


def test_unneeded_columns_for_declared_purposes() -> None:
    assert canonical_purpose("教学服务") == "service"
    assert unneeded_columns(COLUMNS, ["delivery"]) == [1, 2]
    assert unneeded_columns(COLUMNS, ["unknown"]) == []


def test_classify_file_end_to_end(
    write_csv: Callable[..., Path], make_rows: Callable[..., list[list[str]]]
) -> None:
    rows = make_rows(400)
    rows.append(list(rows[0]))  # one repeated customer
    path = write_csv(rows, encoding="gb18030")
    parts = discovery(TODAY)
    calls: list[int] = []
    report = classify_file(
        path, reader=parts.reader, classifier=parts.classifier, rules=parts.rules,
        as_of=TODAY, quality=parts.quality, progress=lambda done, total: calls.append(done),
    )
    assert report.file == "customers.csv" and report.encoding == "gb18030"
    assert report.header_row and report.rows == 401
    assert report.duplicates == 1
    assert report.invalid.get("identity.resident_id") == 0
    assert 0 < report.minors <= 400
    assert calls and calls[-1] == 401


def test_classify_file_without_quality_counts_rows_only(
    write_csv: Callable[..., Path], make_rows: Callable[..., list[list[str]]]
) -> None:
    path = write_csv(make_rows(30), header=None)
    parts = discovery(TODAY)
    report = classify_file(path, reader=parts.reader, classifier=parts.classifier,
                           rules=parts.rules, as_of=TODAY)
    assert report.rows == 30 and not report.header_row and report.duplicates == 0
