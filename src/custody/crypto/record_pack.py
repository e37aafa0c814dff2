"""Framing of one record's sealed fields into a single stored blob.

Each field: u16 column index, u8 label length, label, u32 blob length, blob. The blobs
are AES-GCM ciphertexts; the framing itself holds no personal data.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from custody.errors import VerificationError

__all__ = ["pack_fields", "unpack_fields"]

_HEAD = struct.Struct(">HB")
_LEN = struct.Struct(">I")


def pack_fields(fields: Iterable[tuple[int, str, bytes]]) -> bytes:
    out = bytearray()
    for index, label, blob in fields:
        lab = label.encode()
        out += _HEAD.pack(index, len(lab)) + lab + _LEN.pack(len(blob)) + blob
    return bytes(out)


def unpack_fields(data: bytes) -> list[tuple[int, str, bytes]]:
    fields: list[tuple[int, str, bytes]] = []
    pos, end = 0, len(data)
    try:
        while pos < end:
            index, n = _HEAD.unpack_from(data, pos)
            pos += _HEAD.size
            label = data[pos:pos + n].decode()
            pos += n
            (m,) = _LEN.unpack_from(data, pos)
            pos += _LEN.size
            if pos + m > end:
                raise VerificationError("stored record is truncated")
            fields.append((index, label, data[pos:pos + m]))
            pos += m
    except (struct.error, UnicodeDecodeError) as exc:
        raise VerificationError("stored record is damaged") from exc
    return fields
