"""The handover package's format: names, manifest entries and the Merkle root.

Layout of the plaintext tar (PAX format, members in this order, all regular files):

    <extra members>      e.g. agreement.json, in the order of the `extra_members` dict
    <record files>       in the order the `files` iterable yields them
    manifest.json        canonical JSON (UTF-8, sorted keys, no spaces), see below
    manifest.sig         base64 of the seller's Ed25519 signature over manifest.json's bytes

manifest.json holds `format` ("custody-handover"), `version` (1), `agreement_hash`,
`summary` (the caller's dict, as-is), `files` ([{path, sha256, bytes}] for every member
before the manifest, in order), `merkle_root`, `signer_public_key` (base64 of the raw
Ed25519 key) and `created_at`.

Merkle root (see `merkle_root`): leaves are H(0x00 ‖ d) for each file's raw 32-byte
SHA-256 digest d, in manifest order; an interior node is H(0x01 ‖ left ‖ right); at each
level an unpaired last node is promoted unchanged; the root is lower-case hex. For no
files it is H(b"") (the SHA-256 of nothing). H is SHA-256. The prefixes keep a leaf from
ever being taken for an interior node.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = [
    "DEFAULT_MAX_MEMBER_BYTES",
    "FORMAT",
    "MANIFEST_NAME",
    "RESERVED",
    "SIGNATURE_NAME",
    "VERSION",
    "PackageFile",
    "PackageInfo",
    "VerifiedPackage",
    "merkle_root",
    "safe_name",
]

FORMAT = "custody-handover"
VERSION = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
DEFAULT_MAX_MEMBER_BYTES = 512 * 1024 * 1024
RESERVED = frozenset({MANIFEST_NAME, SIGNATURE_NAME})


@dataclass(frozen=True)
class PackageFile:
    """One file listed in the manifest."""

    path: str
    sha256: str
    size: int

    def as_manifest(self) -> dict[str, object]:
        return {"path": self.path, "sha256": self.sha256, "bytes": self.size}


@dataclass(frozen=True)
class PackageInfo:
    """What `write_package` produced (for the audit event and the transfer record)."""

    path: Path
    ciphertext_bytes: int
    ciphertext_sha256: str
    manifest_sha256: str
    merkle_root: str
    files: tuple[PackageFile, ...]

    @property
    def plaintext_bytes(self) -> int:
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class VerifiedPackage:
    """A package whose every check passed; `manifest` is the parsed, signed manifest."""

    manifest: Mapping[str, Any]
    manifest_sha256: str
    files: tuple[PackageFile, ...]
    merkle_root: str
    agreement_hash: str
    summary: Mapping[str, Any]
    signer_public_key: str
    created_at: str


def merkle_root(sha256_hex: Sequence[str]) -> str:
    """Merkle root over file SHA-256 digests (hex) in order; the rule is in the docstring."""
    level = [hashlib.sha256(b"\x00" + bytes.fromhex(d)).digest() for d in sha256_hex]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        pairs = zip(level[::2], level[1::2], strict=False)
        nxt = [hashlib.sha256(b"\x01" + a + b).digest() for a, b in pairs]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def safe_name(name: str) -> bool:
    """True for a relative POSIX path without "..", ".", backslashes or NULs."""
    parts = PurePosixPath(name).parts
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and "\x00" not in name
        and all(p not in ("..", ".") for p in parts)
        and str(PurePosixPath(name)) == name
    )
