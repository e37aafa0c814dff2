"""The handover package: a POSIX tar, encrypted on the fly to the buyer's age recipient.

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

The whole package is one age file (X25519 recipient): `age -d -i buyer.key handover.age |
tar x` opens it with standard tools. Neither the writer nor the reader puts plaintext on
disk, and memory stays bounded by the largest member, whatever the package size:

* `write_package` pulls tar bytes from a generator through `_GeneratorReader` into
  `pyrage.encrypt_io` and writes ciphertext to `<out>.partial`, renamed at the end.
* `verify_package` / `read_package` run `pyrage.decrypt_io` in a helper thread into an
  `os.pipe`, read by `tarfile` in stream mode ("r|") in the caller's thread.

Contract of `read_package`: `on_file(path, data)` is called, in the caller's thread, for
each file as soon as it has been decrypted and hashed, BEFORE the manifest at the end of
the stream has been checked. The caller must therefore stage what it receives (for
example in one uncommitted database transaction) and roll it back if `read_package`
raises; only a normal return means every check passed.

This module is the one import for both sides; the work is split by job: names, manifest
entries and the Merkle rule in `package_format`, the writer in `package_write`, the reader
in `package_read`.
"""

from __future__ import annotations

from custody.crypto.package_format import (
    FORMAT,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    VERSION,
    PackageFile,
    PackageInfo,
    VerifiedPackage,
    merkle_root,
)
from custody.crypto.package_read import read_package, verify_package
from custody.crypto.package_write import write_package
from custody.domain.transfer.canonical import canonical_json

__all__ = [
    "FORMAT",
    "MANIFEST_NAME",
    "SIGNATURE_NAME",
    "VERSION",
    "PackageFile",
    "PackageInfo",
    "VerifiedPackage",
    "canonical_json",
    "merkle_root",
    "read_package",
    "verify_package",
    "write_package",
]
