"""Table readers (custody.importers): encodings, delimiters, headers, broken files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from custody.errors import InputError
from custody.importers import FileTableReader

ROWS = [["张伟", "13812345678", "北京市朝阳区建国路8号"], ["李娜", "", "上海市徐汇区漕溪北路1号"]]
HEADER = ["姓名", "手机", "地址"]


Read = tuple[object, list[str], bool, list[tuple[int, list[str]]]]


def read(path: Path, **options: object) -> Read:
    with FileTableReader().open(path, **options) as source:  # type: ignore[arg-type]
        return source.encoding, source.headers, source.has_header, list(source.rows())


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"),
     ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_every_encoding_reads_the_same_cells(
    write_csv: Callable[..., Path], encoding: str, reported: str
) -> None:
    path = write_csv(ROWS, header=HEADER, encoding=encoding)
    got_encoding, headers, has_header, rows = read(path)
    assert got_encoding == reported
    assert headers == HEADER and has_header
    assert rows == [(2, ROWS[0]), (3, ROWS[1])]


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiter_is_detected(write_csv: Callable[..., Path], delimiter: str) -> None:
    path = write_csv(ROWS, header=HEADER, delimiter=delimiter, name="t.txt")
    assert read(path)[3][0][1] == ROWS[0]


def test_quoted_newlines_stay_inside_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('姓名,备注\n张伟,"第一行\n第二行"\n李娜,好\n', encoding="utf-8")
    rows = read(path)[3]
    assert rows == [(2, ["张伟", "第一行\n第二行"]), (3, ["李娜", "好"])]


def test_file_without_header_is_detected(write_csv: Callable[..., Path]) -> None:
    path = write_csv(ROWS, header=None)
    _, headers, has_header, rows = read(path)
    assert not has_header and headers == ["", "", ""]
    assert rows[0] == (1, ROWS[0])


def test_has_header_false_forces_data(write_csv: Callable[..., Path]) -> None:
    path = write_csv(ROWS, header=HEADER)
    assert read(path, has_header=False)[3][0] == (1, HEADER)


def test_short_rows_are_padded_and_blank_lines_skipped(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("a,b,c\n1,2\n\n4,5,6\n", encoding="utf-8")
    assert read(path, has_header=True)[3] == [(2, ["1", "2", ""]), (4, ["4", "5", "6"])]


def test_row_with_more_cells_than_the_header_is_named(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("姓名,手机\n张伟,13812345678\n李娜,13912345678,多余\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read(path)
    message = str(caught.value)
    assert "wide.csv" in message and "row 3" in message and "\n" not in message
    assert "李娜" not in message  # no personal data in messages


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv: empty file"):
        read(path)


def test_gbk_bytes_inside_a_utf8_file_are_an_error_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    good = "姓名,手机\n" + "张伟,13812345678\n" * 70000
    path.write_bytes(good.encode("utf-8") + "李娜,13912345678\n".encode("gbk"))
    with pytest.raises(InputError) as caught:
        read(path)
    assert "mixed.csv" in str(caught.value) and "row 70002" in str(caught.value)


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="not a file"):
        read(tmp_path)


def test_xlsx_every_sheet_and_sheet_selection(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    first = book.active
    first.title = "空白"
    second = book.create_sheet("客户")
    second.append(HEADER)
    second.append([ROWS[0][0], 13812345678, ROWS[0][2]])
    third = book.create_sheet("其他")
    third.append(["编号"])
    third.append([1])
    path = tmp_path / "book.xlsx"
    book.save(path)
    encoding, headers, has_header, rows = read(path)
    assert encoding == "xlsx" and headers == HEADER and has_header
    assert rows == [(2, ROWS[0])]
    assert read(path, sheet="其他")[3] == [(2, ["1"])]
    with pytest.raises(InputError, match="no sheet"):
        read(path, sheet="missing")


def test_truncated_xlsx_is_an_input_error(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    path = tmp_path / "cut.xlsx"
    book.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cut.xlsx: .*corrupt"):
        read(path)


def test_xlsx_suffix_on_text_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(InputError, match="fake.xlsx"):
        read(path)


def test_json_array_and_jsonl(tmp_path: Path) -> None:
    objects = [{"name": "张伟", "mobile": "13812345678"}, {"name": "李娜", "age": 9}]
    array = tmp_path / "c.json"
    array.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    lines = tmp_path / "c.jsonl"
    lines.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n",
                     encoding="utf-8")
    for path in (array, lines):
        _, headers, has_header, rows = read(path)
        assert headers == ["name", "mobile", "age"] and has_header
        assert [cells for _, cells in rows] == [["张伟", "13812345678", ""], ["李娜", "", "9"]]


def test_broken_jsonl_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl: row 2"):
        read(path)


def test_title_row_and_blank_lines_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text("\n2026年学员名单,,\n\n姓名,手机,地址\n张伟,13812345678,北京市朝阳区建国路8号\n",
                    encoding="utf-8")
    _, headers, has_header, rows = read(path)
    assert headers == HEADER and has_header
    assert rows == [(5, ROWS[0])]


def test_title_row_in_a_workbook_is_skipped(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户名单"])
    sheet.append(HEADER)
    sheet.append(ROWS[0])
    path = tmp_path / "titled.xlsx"
    book.save(path)
    _, headers, has_header, rows = read(path)
    assert headers == HEADER and has_header and rows == [(3, ROWS[0])]


def test_gbk_rows_early_in_a_utf8_file_are_not_read_as_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "early.csv"
    good = "姓名,手机,地址\n" + "张伟,13812345678,北京市朝阳区建国路8号\n" * 50
    path.write_bytes(good.encode("utf-8") + "李娜,13912345678,上海\n".encode("gbk")
                     + good.encode("utf-8"))
    with pytest.raises(InputError, match="early.csv: row 52: .*not valid utf-8"):
        read(path)


def test_utf16_without_bom_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes("姓名,手机,地址\n张伟,13812345678,北京市朝阳区建国路8号\n".encode("utf-16-le"))
    encoding, headers, _, rows = read(path)
    assert encoding == "utf-16-le" and headers == HEADER and rows[0][1] == ROWS[0]
