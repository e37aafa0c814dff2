"""Reading a handover package: age decryption in a helper thread, the tar read as a
stream, every member hashed, then the manifest, signature and Merkle root checked.

`verify_package` / `read_package` run `pyrage.decrypt_io` in a helper thread into a
bounded in-memory channel, read by `tarfile` in stream mode ("r|") in the caller's
thread. No plaintext touches the disk; memory stays bounded by the largest member.

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
import hashlib
import io
import json
import os
import queue
import tarfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyrage
from pyrage import x25519

from custody.crypto.package_format import (
    DEFAULT_MAX_MEMBER_BYTES,
    FORMAT,
    MANIFEST_NAME,
    RESERVED,
    SIGNATURE_NAME,
    VERSION,
    PackageFile,
    VerifiedPackage,
    merkle_root,
    safe_name,
)
from custody.crypto.signing import parse_public_key, verify
from custody.errors import CustodyError, InputError, VerificationError

__all__ = ["read_package", "verify_package"]

_HASH_CHUNK = 1024 * 1024


def _identity(identity: str) -> x25519.Identity:
    lines = [ln.strip() for ln in identity.splitlines() if ln.strip().startswith("AGE-SECRET-KEY-")]
    try:
        return x25519.Identity.from_str(lines[0] if lines else identity.strip())
    except pyrage.IdentityError as exc:
        raise InputError("identity is not a valid age X25519 identity (AGE-SECRET-KEY-…)") from exc


class _Channel(io.RawIOBase):
    """A bounded in-memory byte channel from the decryption thread to the reader.

    Not an os.pipe: a worker process forked while a package is read (custody.parallel)
    would inherit the pipe's write end, and the reader would never see the stream end."""

    def __init__(self, max_chunks: int = 16) -> None:
        self._chunks: queue.Queue[bytes | None] = queue.Queue(max_chunks)
        self._view = memoryview(b"")
        self._ended = False
        self._reader_gone = threading.Event()

    # -- the writer's side (the decryption thread) -----------------------------------
    def put(self, data: bytes | None) -> None:
        """Queue a chunk, or None for the end; BrokenPipeError once the reader is gone."""
        while True:
            if self._reader_gone.is_set():
                raise BrokenPipeError("the package reader stopped")
            try:
                self._chunks.put(data, timeout=0.1)
                return
            except queue.Full:
                continue

    # -- the reader's side ------------------------------------------------------------
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._view:
            if self._ended:
                return 0
            chunk = self._chunks.get()
            if chunk is None:
                self._ended = True
                return 0
            self._view = memoryview(chunk)
        n = min(len(buffer), len(self._view))
        buffer[:n] = self._view[:n]
        self._view = self._view[n:]
        return n

    def close(self) -> None:
        self._reader_gone.set()
        super().close()


class _ChannelSink:
    """The file object pyrage.decrypt_io writes into."""

    def __init__(self, channel: _Channel) -> None:
        self._channel = channel

    def write(self, data: bytes) -> int:
        self._channel.put(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


class _Decryption:
    """pyrage.decrypt_io in a helper thread, writing into a channel the caller reads."""

    def __init__(self, source: IO[bytes], identity: x25519.Identity) -> None:
        self._channel = _Channel()
        self.stream: IO[bytes] = io.BufferedReader(self._channel, buffer_size=_HASH_CHUNK)
        self.error: BaseException | None = None
        self.after_abort = False
        self._aborted = threading.Event()
        self._thread = threading.Thread(
            target=self._run,
            args=(source, identity),
            name="package-decrypt",
            daemon=True,
        )
        self._thread.start()

    def _run(self, source: IO[bytes], identity: x25519.Identity) -> None:
        try:
            pyrage.decrypt_io(source, _ChannelSink(self._channel), [identity])
        except BaseException as exc:  # reported by finish(), in the caller's thread
            # Recorded before the stream ends, so the reader's EOF never outruns it.
            self.error, self.after_abort = exc, self._aborted.is_set()
        finally:
            with contextlib.suppress(BrokenPipeError):
                self._channel.put(None)

    def finish(self, *, abort: bool = False) -> None:
        """Close the channel, wait for the thread, and raise its decryption error if any.

        With `abort`, the reader stopped early; an error the thread meets only because the
        channel closed under it is a consequence, not a cause, and is not reported.
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
            if not member.isreg() or not safe_name(name):
                raise VerificationError(f"package member {name!r} is not a plain file")
            if scan.signature is not None or (scan.manifest is not None and name != SIGNATURE_NAME):
                raise VerificationError(f"unexpected member {name!r} after the manifest")
            if name in seen:
                raise VerificationError(f"package member {name!r} appears twice")
            seen.add(name)
            keep = on_file is not None or name in RESERVED
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
