"""Fixture factories for the free-text scanner tests: fictional values, made here."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from custody.discovery.text import TextScannerImpl, build_scanner

_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))


def resident_id(region: str = "110101", born: str = "19900307", seq: str = "123") -> str:
    """An 18-character resident ID with a correct check character."""
    body = region + born + seq
    total = sum(w * int(c) for w, c in zip(_ID_WEIGHTS, body, strict=True))
    return body + "10X98765432"[total % 11]


def luhn_complete(prefix_and_body: str) -> str:
    """Append the Luhn check digit."""
    total = 0
    for position, char in enumerate(reversed(prefix_and_body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return prefix_and_body + str((10 - total % 10) % 10)


def bad_check(value: str) -> str:
    """The same value with its last digit changed (so its check fails)."""
    last = value[-1]
    return value[:-1] + ("0" if last != "0" else "1")


class Values:
    """Factories of fictional identifiers, handed to tests by the `values` fixture."""

    resident_id = staticmethod(resident_id)
    luhn_complete = staticmethod(luhn_complete)
    bad_check = staticmethod(bad_check)


@pytest.fixture
def values() -> type[Values]:
    return Values


@pytest.fixture(scope="session")
def scanner() -> TextScannerImpl:
    return build_scanner()


@pytest.fixture
def found(scanner: TextScannerImpl) -> Callable[[str], list[tuple[str, str]]]:
    """(covered text, label) pairs the scanner reports for a text."""

    def run(text: str) -> list[tuple[str, str]]:
        return [(text[s.start : s.end], s.label) for s in scanner.scan(text)]

    return run


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20261123)
