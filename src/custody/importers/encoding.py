"""Guess the text encoding of a delimited file from a sample of its head."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from custody.importers.seam import fail

__all__ = ["SAMPLE_BYTES", "detect_encoding", "read_sample"]

SAMPLE_BYTES = 1 << 20
_CHUNK = 1 << 20
_ASCII = bytes(range(128))
_ESCAPED = re.compile("[\udc80-\udcff]")
_PYTHON_NAMES = {"gb2312": "gb18030", "gbk": "gb18030", "ascii": "utf-8"}


def read_sample(stream: BinaryIO) -> bytes:
    """The head of the file; if it is pure ASCII, also the first non-ASCII region."""
    head = stream.read(SAMPLE_BYTES)
    if not head.isascii():
        return head
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return head
        if not chunk.isascii():
            cut = next(i for i, b in enumerate(chunk) if b >= 0x80)
            return head + b"\n" + chunk[max(0, cut - 4096) :]


def _decodes(sample: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(sample: bytes) -> bool:
    """Most non-ASCII bytes form valid UTF-8: a UTF-8 file with some foreign bytes."""
    non_ascii = len(sample) - len(sample.translate(None, _ASCII))
    if not non_ascii:
        return True
    text = sample.decode("utf-8", errors="surrogateescape")
    invalid = len(_ESCAPED.findall(text))
    return invalid / non_ascii < 0.1


def _mixed_row(sample: bytes) -> int | None:
    """The first line that is not UTF-8 in a sample where other lines hold real UTF-8
    text (non-ASCII characters), or None. Lines of a GB18030 file almost never decode as
    UTF-8 with Chinese characters, so such a mixture means two encodings in one file."""
    utf8_text = non_ascii = 0
    first_bad: int | None = None
    for number, line in enumerate(sample.split(b"\n")[:-1] or [sample], start=1):
        if line.isascii():
            continue
        non_ascii += 1
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_bad = first_bad or number
        else:
            utf8_text += 1
    if first_bad is not None and utf8_text >= max(2, 0.05 * non_ascii):
        return first_bad
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    even = sample[0:2000:2].count(0)
    odd = sample[1:2000:2].count(0)
    size = max(1, min(len(sample), 2000) // 2)
    if odd > size * 0.3 and even < size * 0.05:
        return "utf-16-le"
    if even > size * 0.3 and odd < size * 0.05:
        return "utf-16-be"
    return None


def detect_encoding(path: Path, sample: bytes) -> str:
    """A Python codec name for the sample: BOMs first, then UTF-8, GB18030, others."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    wide = _utf16_without_bom(sample)
    if wide is not None:
        return wide
    if b"\x00" in sample:
        raise fail(path, "binary content, not a text table")
    if _decodes(sample, "utf-8") or _mostly_utf8(sample):
        return "utf-8"  # a mostly-UTF-8 file fails later, naming the first bad row
    mixed = _mixed_row(sample)
    if mixed is not None:
        raise fail(path, "mixed text encodings: UTF-8 and another encoding in one file", mixed)
    if _decodes(sample, "gb18030"):
        return "gb18030"
    best = from_bytes(sample[:65536]).best()
    if best is None:
        raise fail(path, "cannot tell the text encoding")
    name = str(best.encoding).lower()
    return _PYTHON_NAMES.get(name, name)
