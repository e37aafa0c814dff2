"""The free-text scanner: identifiers first, then addresses, organisations and names.

Each stage sees the spans the earlier stages claimed and never overlaps them, so the
result is sorted and non-overlapping by construction. Offsets are Python string indices
into the text as given (full-width characters are mapped one to one before matching).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

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


class Stage(Protocol):
    """A finder that runs after the identifiers: addresses, organisations, names."""

    def find(self, text: str, limits: list[tuple[int, int]]) -> list[RawSpan]: ...


def _resolve(spans: list[RawSpan]) -> list[RawSpan]:
    """Earliest, then longest, first; later overlapping spans are dropped."""
    chosen: list[RawSpan] = []
    end = -1
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if span[0] >= end:
            chosen.append(span)
            end = span[1]
    return chosen


def _identifiers(norm: str) -> list[RawSpan]:
    spans = find_identifiers(norm)
    return _resolve(spans) if len(spans) > 1 else spans


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
        self._stages: tuple[Stage, ...] = (addresses, orgs, names)
        self._cache: OrderedDict[str, list[Span]] = OrderedDict()
        self._lock = threading.Lock()  # the API may scan from several threads
        # Span is immutable, so equal spans can share one object (creating one is slow).
        self._spans: dict[RawSpan, Span] = {}

    def scan_raw(self, text: str) -> list[RawSpan]:
        """(start, end, label) tuples, sorted and non-overlapping."""
        norm = to_halfwidth_same_length(text)
        spans = _identifiers(norm)
        claimed = [(s[0], s[1]) for s in spans]
        for stage in self._stages:
            found = stage.find(norm, claimed)
            if found:
                spans += found
                claimed = _claimed(spans)
        if len(spans) > 1:
            spans.sort()
        return spans

    def scan_raw_many(self, texts: Sequence[str]) -> list[list[RawSpan]]:
        """`scan_raw` of each text, worked stage by stage over the whole batch.

        Each stage goes through every text before the next one starts, so its tables stay
        in the processor's caches: on short notes a batch of a few hundred texts is about a
        fifth faster than the same texts one by one. The texts are worked in sorted order,
        so that notes written from the same phrases follow one another and find the same
        table entries still cached (a few per cent more); the results come back in the
        order given, the same as one by one.
        """
        order = sorted(range(len(texts)), key=texts.__getitem__)
        norms = [to_halfwidth_same_length(texts[k]) for k in order]
        results: list[list[RawSpan]] = []
        claims: list[list[tuple[int, int]]] = []
        for norm in norms:
            spans = _identifiers(norm)
            results.append(spans)
            claims.append([(s[0], s[1]) for s in spans])
        for stage in self._stages:
            find = stage.find
            for k, norm in enumerate(norms):
                found = find(norm, claims[k])
                if found:
                    spans = results[k]
                    spans += found
                    claims[k] = _claimed(spans)
        given: list[list[RawSpan]] = [[] for _ in texts]
        for k, spans in zip(order, results, strict=True):
            if len(spans) > 1:
                spans.sort()
            given[k] = spans
        return given

    def clear_cache(self) -> None:
        """Forget cached results (benchmarks measure the scanner itself)."""
        with self._lock:
            self._cache.clear()
        self._names.clear_memo()

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
            cached = self._cached(text)
        if cached is not None:
            return cached
        result = [self._span(raw) for raw in self.scan_raw(text)]
        with self._lock:
            self._remember(text, result)
        return list(result)

    def scan_many(self, texts: Sequence[str]) -> list[list[Span]]:
        """`scan` of each text; give it batches of hundreds to thousands (see `scan_raw_many`).
        A text that repeats inside the batch is scanned once."""
        results: list[list[Span]] = [[] for _ in texts]
        todo: dict[str, list[int]] = {}
        with self._lock:
            for k, text in enumerate(texts):
                cached = self._cached(text) if len(text) <= _CACHE_MAX_TEXT else None
                if cached is None:
                    todo.setdefault(text, []).append(k)
                else:
                    results[k] = cached
        if not todo:
            return results
        fresh = list(todo)
        found = self.scan_raw_many(fresh)
        with self._lock:
            for text, raws in zip(fresh, found, strict=True):
                spans = [self._span(raw) for raw in raws]
                for k in todo[text]:
                    results[k] = list(spans)
                if len(text) <= _CACHE_MAX_TEXT:
                    self._remember(text, spans)
        return results

    def _cached(self, text: str) -> list[Span] | None:
        """A copy of the cached result for `text` (call with the lock held)."""
        cached = self._cache.get(text)
        if cached is None:
            return None
        self._cache.move_to_end(text)
        return list(cached)

    def _remember(self, text: str, spans: list[Span]) -> None:
        """Cache `spans` for `text` (call with the lock held)."""
        self._cache[text] = spans
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
