"""Column twins of the per-value normalisers (custody.discovery.columns) give exactly the
per-value results, and the batched reading and counting of `custody classify` give
exactly what row-by-row reading and counting give."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custody.discovery import checksums
from custody.discovery.columns import column_failures, column_normaliser
from custody.discovery.quality import QualityCounter
from custody.discovery.rules import RuleValueRules
from custody.domain.classification import ColumnLabel
from custody.errors import InputError
from custody.importers import FileTableReader
from custody.importers.delimited import DelimitedSource
from custody.services.discovery import classify_file

TODAY = dt.date(2026, 11, 22)
FULLWIDTH = {ord(d): ord(d) + 0xFEE0 for d in "0123456789"}
# Characters the normalisers treat specially: digits, separators, full-width forms.
ALPHABET = "0123456789Xx+-. ()@_%abcEGZ\u3000\uff11\uff38\u2013\t\n\xa0中"


def spellings(rng: random.Random, make_id: Callable[..., str]) -> list[str]:
    """Valid and broken resident IDs, mobiles and e-mails in the spellings users write."""
    rid = make_id(TODAY - dt.timedelta(days=rng.randrange(90 * 365)), rng,
                  valid=rng.random() < 0.7)
    mobile = "1" + rng.choice("0123456789") + "".join(rng.choices("0123456789", k=9))
    return [
        rid, rid.lower(), f" {rid} ", rid.translate(FULLWIDTH), rid[:17], rid[:6] + "99" + rid[8:],
        mobile, f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}", f"86-{mobile}",
        f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}", f"+8613{mobile}", mobile.translate(FULLWIDTH),
        f"0086{mobile}", f"({mobile[:3]}){mobile[3:]}", mobile[:10], f"8{mobile}",
        "a.b@example.com", ".a@example.com", "a.@example.com", "a..b@example.com",
        "a@-example.com", "a@example-.com", "a@ex-ample.cn", " A@Example.COM ",
        "ａ@example.com", "a@example.c", "a@b@example.com", "", " ", "\u3000",
    ]


@pytest.mark.parametrize(
    "normalise",
    [checksums.normalize_resident_id, checksums.normalize_mobile, checksums.normalize_email,
     checksums.landline_normalize],
)
def test_column_twins_equal_the_per_value_normalisers(
    normalise: Callable[[str], str | None], make_id: Callable[..., str]
) -> None:
    rng = random.Random(7)
    column = [v for _ in range(300) for v in spellings(rng, make_id)]
    expected = [normalise(v) for v in column]
    assert column_normaliser(normalise)(column) == expected
    assert column_failures(normalise)(column) == [
        i for i, n in enumerate(expected) if n is None
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=22), max_size=20))
def test_column_twins_agree_on_arbitrary_text(column: list[str]) -> None:
    for normalise in (checksums.normalize_resident_id, checksums.normalize_mobile,
                      checksums.normalize_email):
        expected = [normalise(v) for v in column]
        assert column_normaliser(normalise)(column) == expected
        assert column_failures(normalise)(column) == [
            i for i, n in enumerate(expected) if n is None
        ]


def _counts(rows: list[list[str]], size: int) -> tuple[object, ...]:
    labels = ["person.name", "person.birth_date", "identity.resident_id", "contact.mobile",
              "contact.address", "contact.email", "person.birth_date", "contact.landline"]
    columns = [ColumnLabel(i, None, label, False, 1.0) for i, label in enumerate(labels)]
    meter = QualityCounter(columns, RuleValueRules(), TODAY)
    for start in range(0, len(rows), size):
        meter.add_rows(rows[start:start + size])
    return meter.rows, meter.duplicates, meter.minors, meter.invalid, meter.extra()


def test_counts_do_not_depend_on_batch_size(make_id: Callable[..., str]) -> None:
    rng = random.Random(11)
    names = ["张三", "李四", "王五", ""]
    pool: list[str] = []
    rows = []
    for _ in range(600):
        values = spellings(rng, make_id)
        pool.extend(rng.sample(values, 3))
        pick = [rng.choice(pool) if rng.random() < 0.3 else rng.choice(values) for _ in "abc"]
        born = (TODAY - dt.timedelta(days=rng.randrange(30 * 365))).isoformat()
        rows.append([rng.choice(names), rng.choice([born, "", "2012年3月4日", "abcd-ef-gh"]),
                     pick[0], pick[1], rng.choice(["北京1号", "", "上海2号"]), pick[2],
                     rng.choice(["", born]), rng.choice(["010-62751234", "", "12345"])])
    one_by_one = _counts(rows, 1)
    assert one_by_one[1] and one_by_one[2]  # duplicates and minors were found
    for size in (7, 512, 600):
        assert _counts(rows, size) == one_by_one


def _cells(path: Path, size: int) -> tuple[list[list[str]], list[list[str]]]:
    with FileTableReader().open(path) as source:
        assert isinstance(source, DelimitedSource)
        by_row = [cells for _, cells in source.rows()]
        by_batch = [cells for batch in source.row_batches(size) for cells in batch]
    return by_row, by_batch


@pytest.mark.parametrize("size", [1, 2, 512])
def test_row_batches_read_what_rows_reads(tmp_path: Path, size: int) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        '姓名,手机,备注\r\n张伟,13812345678,"多行\r\n备注"\r\n\r\n,,\r\n李娜\r\n'
        '"王,芳",139,"say ""hi"""\r\n  ,  \r\n赵六,,\r\n',
        encoding="utf-8",
    )
    by_row, by_batch = _cells(path, size)
    assert by_batch == by_row
    assert ["张伟", "13812345678", "多行\r\n备注"] in by_row and ["李娜", "", ""] in by_row


def test_row_batches_name_the_row_with_too_many_cells(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("姓名,手机\n" + "张伟,13812345678\n" * 700 + "李娜,139,多余\n",
                    encoding="utf-8")
    with FileTableReader().open(path) as source, pytest.raises(InputError, match="row 702"):
        list(source.row_batches(512))  # type: ignore[attr-defined]


def test_row_batches_name_the_record_the_csv_module_rejects(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long_note = '李娜,"' + "长" * 50 + '"\n'
    path.write_text("姓名,备注\n" + "张伟,短\n" * 600 + long_note + "王五,短\n" * 5,
                    encoding="utf-8")
    with FileTableReader().open(path) as source:
        limit = csv.field_size_limit(20)
        try:
            with pytest.raises(InputError, match="row 602: malformed"):
                list(source.row_batches(512))  # type: ignore[attr-defined]
        finally:
            csv.field_size_limit(limit)


def test_classify_restores_the_garbage_collector(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("姓名,手机\n张伟,13812345678\n李娜,139,多余\n", encoding="utf-8")
    from custody.bootstrap import discovery

    parts = discovery(TODAY)
    assert gc.isenabled()
    with pytest.raises(InputError):
        classify_file(path, reader=parts.reader, classifier=parts.classifier,
                      rules=parts.rules, as_of=TODAY, quality=parts.quality)
    assert gc.isenabled()
