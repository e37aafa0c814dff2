"""The free-text scanner: identifiers first, then addresses, organisations and names.

Each stage sees the spans the earlier stages claimed and never overlaps them, so the
result is sorted and non-overlapping by construction. Offsets are Python string indices
into the text as given (full-width characters are mapped one to one before matching).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from custody.discovery.text.address import AddressFinder
from custody.discovery.text.identifiers import (
    RawSpan,
    find_identifiers,
    to_halfwidth_same_length,
)
from custody.discovery.text.names import NameFinder
from custody.discovery.text.orgs import OrgFinder
from custody.domain.classification import Span

__all__ = ["TextScannerImpl"]

_CACHE_SIZE = 65536
_SPANS_SIZE = 65536
_CACHE_MAX_TEXT = 200


def _resolve(spans: list[RawSpan]) -> list[RawSpan]:
    """Earliest, then longest, first; later overlapping spans are dropped."""
    chosen: list[RawSpan] = []
    end = -1
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if span[0] >= end:
            chosen.append(span)
            end = span[1]
    return chosen


def _claimed(spans: list[RawSpan]) -> list[tuple[int, int]]:
    return sorted((s[0], s[1]) for s in spans)


class TextScannerImpl:
    """Implements `custody.services.ports.TextScanner`; build it with `build_scanner()`.

    Short texts repeat a lot in business notes ("已续费", "周末上课"), so results for
    texts up to 200 characters are kept in an LRU cache (65,536 entries, spans only: a few
    tens of MiB at most; a file bigger than the cache does not turn every repeat into a miss).
    """

    def __init__(self, addresses: AddressFinder, orgs: OrgFinder, names: NameFinder) -> None:
        self._addresses = addresses
        self._orgs = orgs
        self._names = names
        self._cache: OrderedDict[str, list[Span]] = OrderedDict()
        self._lock = threading.Lock()  # the API may scan from several threads
        # Span is immutable, so equal spans can share one object (creating one is slow).
        self._spans: dict[RawSpan, Span] = {}

    def scan_raw(self, text: str) -> list[RawSpan]:
        """(start, end, label) tuples, sorted and non-overlapping."""
        norm = to_halfwidth_same_length(text)
        spans = find_identifiers(norm)
        if len(spans) > 1:
            spans = _resolve(spans)
        claimed = [(s[0], s[1]) for s in spans]
        for stage in (self._addresses, self._orgs, self._names):
            found = stage.find(norm, claimed)
            if found:
                spans += found
                claimed = _claimed(spans)
        if len(spans) > 1:
            spans.sort()
        return spans

    def clear_cache(self) -> None:
        """Forget cached results (benchmarks measure the scanner itself)."""
        with self._lock:
            self._cache.clear()

    def _span(self, raw: RawSpan) -> Span:
        span = self._spans.get(raw)
        if span is None:
            if len(self._spans) >= _SPANS_SIZE:
                self._spans.clear()
            span = self._spans[raw] = Span(*raw)
        return span

    def scan(self, text: str) -> list[Span]:
        """Spans of personal information inside `text`, sorted by start."""
        if len(text) > _CACHE_MAX_TEXT:
            return [self._span(raw) for raw in self.scan_raw(text)]
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return list(cached)
        result = [self._span(raw) for raw in self.scan_raw(text)]
        with self._lock:
            self._cache[text] = result
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return list(result)
