"""Bulk work (imports, receiving a package) without the cycle collector's pauses."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["cycle_collection_paused"]


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a bulk job runs.

    A bulk job holds hundreds of thousands of young objects (rows, tokens, sealed blobs) and
    makes no reference cycles of its own; the collector would walk all of them again and
    again (a third of the CPU time of an import, measured). Reference counting still frees
    everything as it goes, and the collector runs again as soon as the job ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
