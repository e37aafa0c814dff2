"""Dictionary tables derived once and kept on disk, so that a process starts in a blink.

Building the name and word tables from jieba's and Faker's dictionaries takes seconds;
reading them back from a `marshal` file takes a fraction of that. The files hold only
dictionary statistics (never personal information) and live in the user's cache
directory: `$CUSTODY_CACHE_DIR`, else `$XDG_CACHE_HOME/custody`, else `~/.cache/custody`.

A file is named after a hash of everything its tables come from (the sources' bytes, the
dictionaries' versions, this Python's `marshal` format), so any change builds it anew;
it carries the SHA-256 of its payload, so a damaged file is rebuilt, never trusted. When
no cache directory can be written, the tables are built in memory every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "file_fingerprint", "load_or_build", "source_fingerprint"]

_FORMAT = b"custody-tables-1"
_DIGEST = 32


def cache_dir() -> Path:
    """Where derived tables are kept (the directory need not exist yet)."""
    configured = os.environ.get("CUSTODY_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "custody"


def file_fingerprint(path: str | Path) -> str:
    """Path, size and modification time of a file the tables are read from."""
    st = os.stat(path)
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def source_fingerprint(*modules: str) -> str:
    """SHA-256 of the source files of `modules` (the code that derives the tables)."""
    h = hashlib.sha256()
    for name in modules:
        origin = getattr(sys.modules[name], "__file__", None)
        h.update(Path(origin).read_bytes() if origin else name.encode())
    return h.hexdigest()


def _key(name: str, parts: Iterable[str]) -> str:
    h = hashlib.sha256(_FORMAT)
    h.update(f"{name}\0{sys.version_info[:2]}\0{marshal.version}".encode())
    for part in parts:
        h.update(b"\0" + part.encode())
    return h.hexdigest()[:24]


def _read(path: Path) -> Any:
    blob = path.read_bytes()
    digest, payload = blob[:_DIGEST], blob[_DIGEST:]
    if len(digest) != _DIGEST or hashlib.sha256(payload).digest() != digest:
        raise ValueError("damaged table cache")
    return marshal.loads(payload)


def _write(folder: Path, name: str, path: Path, tables: Any) -> None:
    payload = marshal.dumps(tables)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in folder.glob(f"{name}-*.marshal"):
        if old != path:  # tables of earlier versions of the sources
            old.unlink(missing_ok=True)


def load_or_build(name: str, parts: Iterable[str], build: Callable[[], Any]) -> Any:
    """The tables `build()` returns (built from what `parts` fingerprint), read from the
    cache when a sound copy is there; `build()` must return marshal-able values only."""
    try:
        folder = cache_dir()
    except RuntimeError:  # no home directory to keep a cache in
        return build()
    path = folder / f"{name}-{_key(name, parts)}.marshal"
    try:
        return _read(path)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # missing, damaged or unreadable: build anew
    tables = build()
    with contextlib.suppress(OSError):  # a read-only home: built again next time
        _write(folder, name, path, tables)
    return tables
