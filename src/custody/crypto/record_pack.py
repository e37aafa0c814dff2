"""One record's fields as a single stored blob.

Personal fields are sealed one by one (AES-256-GCM, AAD = vault|customer|field|generation
with field = "<record key>/<column>/<label>"). Fields that are not personal information
(`other`, organisation data) travel together in one sealed bundle per record.

Framing of each entry: u16 column index, u8 label length, label, u32 blob length, blob.
The framing holds no personal data.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable

import orjson

from custody.crypto.envelope import FieldCipher
from custody.domain.taxonomy import PERSONAL_LABELS
from custody.errors import VerificationError

__all__ = ["BUNDLE", "open_record", "pack_fields", "seal_record", "unpack_fields"]

_HEAD = struct.Struct(">HB")
_LEN = struct.Struct(">I")
BUNDLE = "*bundle*"
_BUNDLE_INDEX = 0xFFFF


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


def seal_record(cipher: FieldCipher, key: str, values: Iterable[tuple[int, str, str]]
                ) -> bytes:
    """Seal one record's (column, label, value) triples under its customer's data key."""
    entries: list[tuple[int, str, bytes]] = []
    plain: list[tuple[int, str, str]] = []
    for i, label, v in values:
        if label in PERSONAL_LABELS:
            entries.append((i, label, cipher.seal(f"{key}/{i}/{label}", v)))
        else:
            plain.append((i, label, v))
    if plain:
        body = json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
        entries.append((_BUNDLE_INDEX, BUNDLE, cipher.seal(f"{key}/{BUNDLE}", body)))
    return pack_fields(entries)


def open_record(cipher: FieldCipher, key: str, sealed: bytes) -> list[tuple[int, str, str]]:
    """Inverse of seal_record, in column order."""
    out: list[tuple[int, str, str]] = []
    for i, label, blob in unpack_fields(sealed):
        if label == BUNDLE:  # orjson: the bundle is read per record on every bulk pass
            out.extend((int(j), str(lab), str(v))
                       for j, lab, v in orjson.loads(cipher.open(f"{key}/{BUNDLE}", blob)))
        else:
            out.append((i, label, cipher.open(f"{key}/{i}/{label}", blob)))
    out.sort(key=lambda f: f[0])
    return out
