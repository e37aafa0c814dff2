"""The handover package: a POSIX tar, encrypted on the fly to the buyer's age recipient.

The tar's layout, the manifest and the Merkle rule are documented in `package_format`.

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
