"""Personal information inside free text (issue 3): `build_scanner()` returns the scanner.

>>> from custody.discovery.text import build_scanner
>>> [(s.start, s.end, s.label) for s in build_scanner().scan("联系胡岩，电话13812345678")]
[(2, 4, 'PERSON'), (7, 18, 'MOBILE')]
"""

from __future__ import annotations

import gc
from functools import lru_cache

from custody.discovery.text.address import build_address_finder
from custody.discovery.text.names import build_name_finder
from custody.discovery.text.orgs import build_org_finder
from custody.discovery.text.scanner import TextScannerImpl

__all__ = ["TextScannerImpl", "build_scanner"]


@lru_cache(maxsize=1)
def build_scanner() -> TextScannerImpl:
    """The ready scanner: dictionaries and patterns are loaded once per process.

    Its tables (hundreds of thousands of entries) live as long as the process, yet every
    full collection of the garbage collector walks through them: tens of milliseconds each
    time, a fifth of a first pass over a file of notes. `gc.freeze()` moves everything alive
    now out of the collector's sight, as the standard library intends for such data.
    """
    scanner = TextScannerImpl(build_address_finder(), build_org_finder(), build_name_finder())
    gc.freeze()
    return scanner
