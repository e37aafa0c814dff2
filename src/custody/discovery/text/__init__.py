"""Personal information inside free text (issue 3): `build_scanner()` returns the scanner.

>>> from custody.discovery.text import build_scanner
>>> [(s.start, s.end, s.label) for s in build_scanner().scan("联系胡岩，电话13812345678")]
[(2, 4, 'PERSON'), (7, 18, 'MOBILE')]
"""

from __future__ import annotations

from functools import lru_cache

from custody.discovery.text.address import build_address_finder
from custody.discovery.text.names import build_name_finder
from custody.discovery.text.orgs import build_org_finder
from custody.discovery.text.scanner import TextScannerImpl

__all__ = ["TextScannerImpl", "build_scanner"]


@lru_cache(maxsize=1)
def build_scanner() -> TextScannerImpl:
    """The ready scanner: dictionaries and patterns are loaded once per process."""
    return TextScannerImpl(build_address_finder(), build_org_finder(), build_name_finder())
