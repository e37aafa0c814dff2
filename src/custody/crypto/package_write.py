"""Writing a handover package: a tar streamed through age encryption to a file.

`write_package` pulls tar bytes from a generator through `_GeneratorReader` into
`pyrage.encrypt_io` and writes ciphertext to `<out>.partial`, renamed at the end. No
plaintext touches the disk; memory stays bounded by the largest member. The format is
described in `custody.crypto.package_format`.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import itertools
import os
import tarfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyrage
from pyrage import x25519

from custody.crypto.package_format import (
    FORMAT,
    MANIFEST_NAME,
    RESERVED,
    SIGNATURE_NAME,
    VERSION,
    PackageFile,
    PackageInfo,
    merkle_root,
    safe_name,
)
from custody.crypto.signing import parse_public_key, public_key_text, verify
from custody.domain.transfer.canonical import canonical_json
from custody.errors import InputError, StorageError

__all__ = ["write_package"]


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
                if not safe_name(name) or name in RESERVED or name in seen:
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
