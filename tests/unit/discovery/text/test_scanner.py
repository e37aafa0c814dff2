"""The scanner as a whole: the port's contract, offsets, caching and regressions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from custody.discovery.text import TextScannerImpl, build_scanner
from custody.domain.classification import Span
from custody.services.ports import TextScanner


def test_build_scanner_is_built_once() -> None:
    assert build_scanner() is build_scanner()


def test_scanner_implements_the_port(scanner: TextScannerImpl) -> None:
    port: TextScanner = scanner
    assert port.scan("") == []


def test_full_width_digits_keep_their_offsets(scanner: TextScannerImpl) -> None:
    text = "电话：１３８１２３４５６７８"
    assert scanner.scan(text) == [Span(3, 14, "MOBILE")]


def test_a_note_with_everything(scanner: TextScannerImpl) -> None:
    text = (
        "家长曹梅说孩子周末有空，电话14736154497，邮箱caomei@example.com，"
        "寄到江苏省南京市玄武区中山路8号3栋"
    )
    labels = [(text[s.start : s.end], s.label) for s in scanner.scan(text)]
    assert labels == [
        ("曹梅", "PERSON"),
        ("14736154497", "MOBILE"),
        ("caomei@example.com", "EMAIL"),
        ("江苏省南京市玄武区中山路8号3栋", "ADDRESS"),
    ]


def test_cached_results_are_not_shared_lists(scanner: TextScannerImpl) -> None:
    first = scanner.scan("联系胡岩")
    first.clear()
    assert scanner.scan("联系胡岩") == [Span(2, 4, "PERSON")]


_BATCH = [
    "家长曹梅说孩子周末有空，电话14736154497",
    "周末上课",
    "订单20828884469342已发货，联系胡岩",
    "周末上课",
    "送货地址改为江苏省南京市玄武区中山路8号3栋" * 12,  # longer than the cache takes
    "",
    "客户满意，王总说下周再来",
]


def test_a_batch_gives_what_each_text_gives_alone(scanner: TextScannerImpl) -> None:
    alone = [scanner.scan(text) for text in _BATCH]
    scanner.clear_cache()
    assert scanner.scan_many(_BATCH) == alone
    assert scanner.scan_many(_BATCH) == alone  # from the cache this time
    assert scanner.scan_raw_many(_BATCH) == [scanner.scan_raw(text) for text in _BATCH]


def test_a_batch_does_not_share_result_lists(scanner: TextScannerImpl) -> None:
    first, second = scanner.scan_many(["联系胡岩", "联系胡岩"])
    first.clear()
    assert second == [Span(2, 4, "PERSON")]
    assert scanner.scan_many(["联系胡岩"]) == [[Span(2, 4, "PERSON")]]


_NOTE_CHARS = st.sampled_from(list("张王李胡岩周末家长说联系客户，。：:（1386 的"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=_NOTE_CHARS, max_size=30), max_size=8))
def test_remembered_name_verdicts_never_change_a_result(texts: list[str]) -> None:
    scanner = build_scanner()
    fresh = []
    for text in texts:
        scanner.clear_cache()  # forgets the name finder's verdicts too
        fresh.append(scanner.scan_raw(text))
    for text in texts:
        scanner.scan_raw(text)
    # every verdict is remembered now; scanning again, in reverse order, reads them
    assert [scanner.scan_raw(text) for text in reversed(texts)] == fresh[::-1]
    assert scanner.scan_raw_many(texts) == fresh


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("张王李周末号路市区1386 -@a.com小区栋联系说，")), max_size=60
    )
)
def test_spans_are_sorted_non_overlapping_and_inside_the_text(text: str) -> None:
    spans = build_scanner().scan(text)
    end = 0
    for span in spans:
        assert end <= span.start < span.end <= len(text)
        end = span.end
