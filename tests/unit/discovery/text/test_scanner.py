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
