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
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import io
import itertools
import json
import os
import tarfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import pyrage
from pyrage import x25519

from custody.crypto.signing import parse_public_key, public_key_text, verify
from custody.domain.transfer.canonical import canonical_json
from custody.errors import CustodyError, InputError, StorageError, VerificationError

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

FORMAT = "custody-handover"
VERSION = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
DEFAULT_MAX_MEMBER_BYTES = 512 * 1024 * 1024
_HASH_CHUNK = 1024 * 1024
_RESERVED = frozenset({MANIFEST_NAME, SIGNATURE_NAME})


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


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and "\x00" not in name
        and all(p not in ("..", ".") for p in parts)
        and str(PurePosixPath(name)) == name
    )


# ----------------------------------------------------------------------------- writing


class _GeneratorReader(io.RawIOBase):
    """A readable raw stream whose bytes come lazily from a generator of chunks."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._view = memoryview(b"")
        self.error: BaseException | None = None
        self.exhausted = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._view:
            try:
                self._view = memoryview(next(self._chunks))
            except StopIteration:
                self.exhausted = True
                return 0
            except BaseException as exc:
                self.error = exc
                raise
        n = min(len(buffer), len(self._view))
        buffer[:n] = self._view[:n]
        self._view = self._view[n:]
        return n


class _HashingWriter(io.RawIOBase):
    """Writes through to a file while hashing and counting what passes."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self.sha256 = hashlib.sha256()
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._target.write(data)
        self.sha256.update(data)
        self.count += len(data)
        return len(data)


class _ChunkSink(io.RawIOBase):
    """The file object tarfile writes into; `drain()` hands the bytes on."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def drain(self) -> Iterator[bytes]:
        parts, self._parts = self._parts, []
        yield from parts


def _tar_info(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    return info


def _mtime(created_at: str) -> int:
    try:
        stamp = dt.datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return 0
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return max(0, int(stamp.timestamp()))


@dataclass
class _Writer:
    members: Iterable[tuple[str, bytes]]
    header: dict[str, object]
    sign: Callable[[bytes], bytes]
    signer: bytes
    mtime: int
    entries: list[PackageFile]
    manifest_sha256: str = ""

    def chunks(self) -> Iterator[bytes]:
        sink, seen = _ChunkSink(), set[str]()
        with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for name, data in self.members:
                if not _safe_name(name) or name in _RESERVED or name in seen:
                    raise InputError(f"package member name {name!r} is unsafe or repeated")
                seen.add(name)
                self.entries.append(PackageFile(name, hashlib.sha256(data).hexdigest(), len(data)))
                tar.addfile(_tar_info(name, len(data), self.mtime), io.BytesIO(data))
                yield from sink.drain()
            manifest, signature = self._manifest()
            for name, data in ((MANIFEST_NAME, manifest), (SIGNATURE_NAME, signature)):
                tar.addfile(_tar_info(name, len(data), self.mtime), io.BytesIO(data))
        yield from sink.drain()

    def _manifest(self) -> tuple[bytes, bytes]:
        body = dict(self.header)
        body["summary"] = dict(body["summary"])  # type: ignore[call-overload]  # a Mapping
        body["files"] = [e.as_manifest() for e in self.entries]
        body["merkle_root"] = merkle_root([e.sha256 for e in self.entries])
        manifest = canonical_json(body)
        signature = self.sign(manifest)
        if not verify(self.signer, manifest, signature):
            raise InputError("the signing function does not match signer_public_key")
        self.manifest_sha256 = hashlib.sha256(manifest).hexdigest()
        return manifest, base64.b64encode(signature) + b"\n"


def _recipient(recipient: str) -> x25519.Recipient:
    try:
        return x25519.Recipient.from_str(recipient.strip())
    except pyrage.RecipientError as exc:
        raise InputError("buyer recipient is not a valid age X25519 recipient (age1…)") from exc


def write_package(
    out_path: str | os.PathLike[str],
    *,
    recipient: str,
    files: Iterable[tuple[str, bytes]],
    extra_members: Mapping[str, bytes],
    summary: Mapping[str, Any],
    agreement_hash: str,
    sign: Callable[[bytes], bytes],
    signer_public_key: str,
    created_at: str,
) -> PackageInfo:
    """Stream-encrypt a handover package to `recipient` at `out_path` (see module doc).

    `files` is consumed lazily, one at a time. The ciphertext goes to `<out_path>.partial`
    and is renamed over `out_path` only when complete; on failure the partial file is
    removed. Raises InputError for bad arguments, StorageError when the file cannot be
    written; exceptions raised by `files` or `sign` propagate unchanged.
    """
    out = Path(out_path)
    partial = out.with_name(out.name + ".partial")
    signer = parse_public_key(signer_public_key)
    header: dict[str, object] = {
        "format": FORMAT,
        "version": VERSION,
        "agreement_hash": agreement_hash,
        "summary": summary,  # read again when the manifest is written (may fill while streaming)
        "signer_public_key": public_key_text(signer),
        "created_at": created_at,
    }
    canonical_json(header)  # fail early on a summary that cannot be serialised
    writer = _Writer(
        itertools.chain(extra_members.items(), files), header, sign, signer, _mtime(created_at), []
    )
    reader = _GeneratorReader(writer.chunks())
    target = _recipient(recipient)
    try:
        sink = _encrypt(reader, partial, target)
        _publish(partial, out)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return PackageInfo(
        out,
        sink.count,
        sink.sha256.hexdigest(),
        writer.manifest_sha256,
        merkle_root([e.sha256 for e in writer.entries]),
        tuple(writer.entries),
    )


def _publish(partial: Path, out: Path) -> None:
    """Rename the finished package into place and make the rename durable."""
    try:
        os.replace(partial, out)
        dir_fd = os.open(out.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        raise StorageError(f"cannot move package into place as {out.name}: {exc.strerror}") from exc


def _encrypt(reader: _GeneratorReader, partial: Path, target: x25519.Recipient) -> _HashingWriter:
    """Encrypt the reader's bytes into `partial`, fsynced; only errors of ours escape."""
    try:
        fh = open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")  # noqa: SIM115
    except OSError as exc:
        raise StorageError(f"cannot write package {partial.name}: {exc.strerror}") from exc
    with fh:
        sink = _HashingWriter(fh)
        try:
            pyrage.encrypt_io(reader, sink, [target])
            fh.flush()
            os.fsync(fh.fileno())
        except (pyrage.EncryptError, OSError) as exc:
            if reader.error is not None:  # raised by `files` or `sign`: theirs, unchanged
                raise reader.error from None
            raise StorageError(f"cannot write package {partial.name}: {exc}") from exc
    if not reader.exhausted:
        raise StorageError("package encryption stopped before the end of the archive")
    return sink


# ----------------------------------------------------------------------------- reading


def _identity(identity: str) -> x25519.Identity:
    lines = [ln.strip() for ln in identity.splitlines() if ln.strip().startswith("AGE-SECRET-KEY-")]
    try:
        return x25519.Identity.from_str(lines[0] if lines else identity.strip())
    except pyrage.IdentityError as exc:
        raise InputError("identity is not a valid age X25519 identity (AGE-SECRET-KEY-…)") from exc


class _Decryption:
    """pyrage.decrypt_io in a helper thread, writing into a pipe the caller reads."""

    def __init__(self, source: IO[bytes], identity: x25519.Identity) -> None:
        read_fd, write_fd = os.pipe()
        with contextlib.suppress(AttributeError, OSError):
            import fcntl

            fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, 1024 * 1024)
        self.stream: IO[bytes] = open(read_fd, "rb", buffering=_HASH_CHUNK)  # noqa: SIM115
        self.error: BaseException | None = None
        self.after_abort = False
        self._aborted = threading.Event()
        self._thread = threading.Thread(
            target=self._run,
            args=(source, write_fd, identity),
            name="package-decrypt",
            daemon=True,
        )
        self._thread.start()

    def _run(self, source: IO[bytes], write_fd: int, identity: x25519.Identity) -> None:
        sink = open(write_fd, "wb")  # noqa: SIM115 - closed below, after the error is recorded
        try:
            pyrage.decrypt_io(source, sink, [identity])
            sink.flush()
        except BaseException as exc:  # reported by finish(), in the caller's thread
            # Recorded before the pipe closes, so the reader's EOF never outruns it.
            self.error, self.after_abort = exc, self._aborted.is_set()
        finally:
            with contextlib.suppress(OSError):
                sink.close()

    def finish(self, *, abort: bool = False) -> None:
        """Close the pipe, wait for the thread, and raise its decryption error if any.

        With `abort`, the reader stopped early; an error the thread meets only because the
        pipe closed under it is a consequence, not a cause, and is not reported.
        """
        if abort:
            self._aborted.set()
        self.stream.close()
        self._thread.join()
        if self.error is not None and not self.after_abort:
            raise _decrypt_error(self.error) from self.error


def _decrypt_error(exc: BaseException) -> VerificationError:
    text = str(exc)
    if "No matching keys" in text:
        return VerificationError(
            "package is not encrypted to this identity (wrong recipient or altered header)"
        )
    if isinstance(exc, pyrage.DecryptError) and "fill whole buffer" not in text:
        return VerificationError(f"package header is damaged or not an age file ({text})")
    return VerificationError("package ciphertext is damaged or truncated (age check failed)")


@dataclass
class _Scan:
    """What the tar stream held: file entries, then manifest and signature bytes."""

    entries: list[PackageFile]
    manifest: bytes | None = None
    signature: bytes | None = None


def _read_member(
    tar: tarfile.TarFile, member: tarfile.TarInfo, keep: bool, limit: int
) -> tuple[str, bytes | None]:
    fh = tar.extractfile(member)
    if fh is None:
        raise VerificationError(f"package member {member.name!r} is not a regular file")
    if keep:
        if member.size > limit:
            raise VerificationError(f"package member {member.name!r} exceeds {limit} bytes")
        data = fh.read()
        return hashlib.sha256(data).hexdigest(), data
    digest = hashlib.sha256()
    while chunk := fh.read(_HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest(), None


def _scan_tar(stream: IO[bytes], on_file: Callable[[str, bytes], None] | None, limit: int) -> _Scan:
    scan, seen = _Scan([]), set[str]()
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            name = member.name
            if not member.isreg() or not _safe_name(name):
                raise VerificationError(f"package member {name!r} is not a plain file")
            if scan.signature is not None or (scan.manifest is not None and name != SIGNATURE_NAME):
                raise VerificationError(f"unexpected member {name!r} after the manifest")
            if name in seen:
                raise VerificationError(f"package member {name!r} appears twice")
            seen.add(name)
            keep = on_file is not None or name in _RESERVED
            digest, data = _read_member(tar, member, keep, limit)
            if name == MANIFEST_NAME:
                scan.manifest = data
            elif name == SIGNATURE_NAME:
                if scan.manifest is None:
                    raise VerificationError("manifest signature comes before the manifest")
                scan.signature = data
            else:
                scan.entries.append(PackageFile(name, digest, member.size))
                if on_file is not None and data is not None:
                    on_file(name, data)
    while chunk := stream.read(_HASH_CHUNK):
        if chunk.count(0) != len(chunk):
            raise VerificationError("unexpected data after the end of the archive")
    return scan


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise VerificationError("manifest repeats a key")
    return dict(pairs)


def _parse_manifest(raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerificationError("manifest is not valid JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise VerificationError("not a Custody handover package (manifest format)")
    if manifest.get("version") != VERSION:
        raise VerificationError(f"unsupported package version {manifest.get('version')!r}")
    return manifest


def _check_signature(
    manifest: Mapping[str, Any], raw: bytes, signature: bytes, expected: str | None
) -> None:
    signer = manifest.get("signer_public_key")
    if not isinstance(signer, str):
        raise VerificationError("manifest names no signer key")
    if expected is not None:
        try:
            same = parse_public_key(signer) == parse_public_key(expected)
        except InputError as exc:
            raise VerificationError("manifest signer key is malformed") from exc
        if not same:
            raise VerificationError("package is signed by an unexpected key (not the seller's)")
    try:
        sig = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VerificationError("manifest signature is not valid base64") from exc
    if not verify(signer, raw, sig):
        raise VerificationError("manifest signature is not valid")


def _listed(manifest: Mapping[str, Any]) -> list[PackageFile]:
    try:
        return [
            PackageFile(str(f["path"]), str(f["sha256"]), int(f["bytes"]))
            for f in manifest["files"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise VerificationError("manifest file list is malformed") from exc


def _check_files(listed: list[PackageFile], found: list[PackageFile]) -> None:
    found_by_name = {f.path: f for f in found}
    listed_names = {f.path for f in listed}
    for entry in listed:
        got = found_by_name.get(entry.path)
        if got is None:
            raise VerificationError(f"file {entry.path!r} listed in the manifest is missing")
        if got.size != entry.size:
            raise VerificationError(f"file {entry.path!r}: size does not match the manifest")
        if got.sha256 != entry.sha256:
            raise VerificationError(f"file {entry.path!r}: SHA-256 does not match the manifest")
    for entry in found:
        if entry.path not in listed_names:
            raise VerificationError(f"unexpected member {entry.path!r} not in the manifest")
    if [f.path for f in listed] != [f.path for f in found] or len(listed) != len(found):
        raise VerificationError("package members are not in manifest order")


def _verified(scan: _Scan, expected_signer: str | None) -> VerifiedPackage:
    if scan.manifest is None:
        raise VerificationError("package has no manifest (truncated or not a Custody package)")
    if scan.signature is None:
        raise VerificationError("package has no manifest signature (truncated?)")
    manifest = _parse_manifest(scan.manifest)
    _check_signature(manifest, scan.manifest, scan.signature, expected_signer)
    listed = _listed(manifest)
    _check_files(listed, scan.entries)
    root = merkle_root([f.sha256 for f in listed])
    if manifest.get("merkle_root") != root:
        raise VerificationError("manifest Merkle root does not match its file hashes")
    summary = manifest.get("summary")
    return VerifiedPackage(
        manifest=manifest,
        manifest_sha256=hashlib.sha256(scan.manifest).hexdigest(),
        files=tuple(listed),
        merkle_root=root,
        agreement_hash=str(manifest.get("agreement_hash")),
        summary=summary if isinstance(summary, dict) else {},
        signer_public_key=str(manifest["signer_public_key"]),
        created_at=str(manifest.get("created_at")),
    )


def _open_source(path: str | os.PathLike[str]) -> IO[bytes]:
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by _process
    except OSError as exc:
        raise InputError(f"cannot read package {Path(path).name}: {exc.strerror}") from exc


def _process(
    path: str | os.PathLike[str],
    identity: str,
    on_file: Callable[[str, bytes], None] | None,
    expected_signer: str | None,
    limit: int,
) -> VerifiedPackage:
    ident = _identity(identity)
    with _open_source(path) as source:
        decryption = _Decryption(source, ident)
        try:
            scan = _scan_tar(decryption.stream, on_file, limit)
        except (tarfile.TarError, OSError, CustodyError) as exc:
            decryption.finish(abort=True)  # a decryption failure explains a broken archive
            if isinstance(exc, CustodyError):
                raise
            raise VerificationError(f"package archive is malformed or truncated ({exc})") from exc
        except BaseException:
            decryption.finish(abort=True)
            raise
        decryption.finish()
    return _verified(scan, expected_signer)


def verify_package(
    path: str | os.PathLike[str],
    *,
    identity: str,
    expected_signer_public_key: str | None = None,
) -> VerifiedPackage:
    """Decrypt and check a package completely without keeping any file (constant memory).

    With `expected_signer_public_key` None only integrity and self-consistency are
    established (the signer is whoever the manifest names); pass the seller's key to
    establish authenticity. Raises VerificationError with a one-line reason on any
    failure, InputError for a bad identity or an unreadable file.
    """
    return _process(path, identity, None, expected_signer_public_key, DEFAULT_MAX_MEMBER_BYTES)


def read_package(
    path: str | os.PathLike[str],
    *,
    identity: str,
    on_file: Callable[[str, bytes], None],
    expected_signer_public_key: str | None = None,
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES,
) -> VerifiedPackage:
    """Decrypt a package, handing each file to `on_file(path, data)` as it is hashed.

    on_file is called BEFORE the manifest is checked (it comes last in the stream): the
    caller must stage what it receives and roll back if this function raises. Members
    larger than `max_member_bytes` are refused. Errors as for `verify_package`; an
    exception raised by `on_file` propagates unchanged after decryption is stopped.
    """
    return _process(path, identity, on_file, expected_signer_public_key, max_member_bytes)
