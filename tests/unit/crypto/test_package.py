"""The handover package: round trip, tamper evidence, interoperability with `age` (issue 4)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyrage
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from custody.crypto import signing
from custody.crypto.package import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    PackageInfo,
    canonical_json,
    merkle_root,
    read_package,
    verify_package,
    write_package,
)
from custody.errors import InputError, StorageError, VerificationError

SELLER = signing.generate_keypair()
BUYER = x25519.Identity.generate()
CREATED = "2026-11-23T06:00:00+00:00"
AGREEMENT = b'{"transfer_id":"T-1","parties":"example.com"}'


def _records(n: int = 4, size: int = 3000) -> list[tuple[str, bytes]]:
    return [
        (f"records/part-{i:04d}.jsonl", (f'{{"row":{i},"name":"测试客户"}}\n' * size).encode())
        for i in range(n)
    ]


def _write(
    path: Path,
    files: list[tuple[str, bytes]],
    *,
    key: signing.SigningKeyPair = SELLER,
    recipient: str | None = None,
) -> PackageInfo:
    return write_package(
        path,
        recipient=recipient or str(BUYER.to_public()),
        files=iter(files),
        extra_members={"agreement.json": AGREEMENT},
        summary={"customers": len(files), "consent": {"marketing": 0.5}},
        agreement_hash=hashlib.sha256(AGREEMENT).hexdigest(),
        sign=lambda data: signing.sign(key.private_key, data),
        signer_public_key=key.public_key_text,
        created_at=CREATED,
    )


def _read(path: Path, identity: x25519.Identity = BUYER) -> list[tuple[str, bytes]]:
    got: list[tuple[str, bytes]] = []
    read_package(
        path,
        identity=str(identity),
        on_file=lambda p, d: got.append((p, d)),
        expected_signer_public_key=SELLER.public_key_text,
    )
    return got


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, bytes]]]:
    files = _records(n=3, size=2500)  # > 64 KiB in all, so several age chunks
    path = tmp_path_factory.mktemp("pkg") / "handover.age"
    _write(path, files)
    return path, files


def _plain_members(path: Path) -> list[tuple[str, bytes]]:
    """What the buyer (or anyone holding the buyer identity) sees inside the package."""
    plain = pyrage.decrypt(path.read_bytes(), [BUYER])
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as tar:
        return [(m.name, _member_bytes(tar, m)) for m in tar]


def _member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    fh = tar.extractfile(member)
    assert fh is not None
    return fh.read()


def _craft(path: Path, members: list[tuple[str, bytes]]) -> None:
    """An attacker's package: any members, tarred and encrypted to the buyer."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(pyrage.encrypt(buf.getvalue(), [BUYER.to_public()]))


def _resigned(
    original: list[tuple[str, bytes]],
    files: list[tuple[str, bytes]],
    key: signing.SigningKeyPair,
    *,
    claim: str | None = None,
) -> list[tuple[str, bytes]]:
    """`files` with a manifest recomputed from `original`'s, signed with `key`."""
    manifest = json.loads(dict(original)[MANIFEST_NAME])
    entries: list[dict[str, Any]] = [
        {"path": n, "sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)} for n, d in files
    ]
    manifest["files"] = entries
    manifest["merkle_root"] = merkle_root([e["sha256"] for e in entries])
    manifest["signer_public_key"] = claim or key.public_key_text
    raw = canonical_json(manifest)
    sig = base64.b64encode(signing.sign(key.private_key, raw))
    return [*files, (MANIFEST_NAME, raw), (SIGNATURE_NAME, sig)]


@pytest.fixture(scope="module")
def members(sealed: tuple[Path, list[tuple[str, bytes]]]) -> list[tuple[str, bytes]]:
    return _plain_members(sealed[0])


# ----------------------------------------------------------------------------- round trip


def test_round_trip_delivers_every_file_in_order(
    sealed: tuple[Path, list[tuple[str, bytes]]],
) -> None:
    path, files = sealed
    assert _read(path) == [("agreement.json", AGREEMENT), *files]


def test_verify_returns_the_signed_manifest(sealed: tuple[Path, list[tuple[str, bytes]]]) -> None:
    path, files = sealed
    result = verify_package(
        path, identity=str(BUYER), expected_signer_public_key=SELLER.public_key_text
    )
    assert [f.path for f in result.files] == ["agreement.json", *[n for n, _ in files]]
    assert result.summary == {"customers": 3, "consent": {"marketing": 0.5}}
    assert result.agreement_hash == hashlib.sha256(AGREEMENT).hexdigest()
    assert result.created_at == CREATED
    assert result.merkle_root == merkle_root([f.sha256 for f in result.files])


def test_writer_reports_what_it_sealed(tmp_path: Path) -> None:
    files = _records(n=2, size=10)
    info = _write(tmp_path / "h.age", files)
    data = (tmp_path / "h.age").read_bytes()
    assert info.ciphertext_bytes == len(data)
    assert info.ciphertext_sha256 == hashlib.sha256(data).hexdigest()
    assert info.plaintext_bytes == len(AGREEMENT) + sum(len(d) for _, d in files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.age"]  # no .partial left


def test_manifest_is_last_but_the_signature_and_canonical(
    members: list[tuple[str, bytes]],
) -> None:
    names = [n for n, _ in members]
    assert names[-2:] == [MANIFEST_NAME, SIGNATURE_NAME]
    raw = dict(members)[MANIFEST_NAME]
    assert canonical_json(json.loads(raw)) == raw
    sig = base64.b64decode(dict(members)[SIGNATURE_NAME])
    assert signing.verify(SELLER.public_key_text, raw, sig)


def test_ciphertext_holds_no_plaintext(sealed: tuple[Path, list[tuple[str, bytes]]]) -> None:
    assert "测试客户".encode() not in sealed[0].read_bytes()
    assert b"manifest.json" not in sealed[0].read_bytes()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contents=st.lists(st.binary(max_size=5000), max_size=6))
def test_any_contents_round_trip(tmp_path: Path, contents: list[bytes]) -> None:
    files = [(f"f/{i}.bin", c) for i, c in enumerate(contents)]
    _write(tmp_path / "h.age", files)
    assert _read(tmp_path / "h.age")[1:] == files


def test_merkle_root_rule() -> None:
    h = [hashlib.sha256(bytes([i])).hexdigest() for i in range(3)]

    def leaf(x: str) -> bytes:
        return hashlib.sha256(b"\x00" + bytes.fromhex(x)).digest()

    def node(a: bytes, b: bytes) -> bytes:
        return hashlib.sha256(b"\x01" + a + b).digest()

    assert merkle_root([]) == hashlib.sha256(b"").hexdigest()
    assert merkle_root(h[:1]) == leaf(h[0]).hex()
    assert merkle_root(h) == node(node(leaf(h[0]), leaf(h[1])), leaf(h[2])).hex()


# ----------------------------------------------------------------------------- refusals


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_flipped_byte_anywhere_is_refused(data: st.DataObject) -> None:
    path = _shared_sealed()
    blob = bytearray(path.read_bytes())
    pos = data.draw(st.integers(0, len(blob) - 1), label="position")
    blob[pos] ^= data.draw(st.integers(1, 255), label="mask")
    tampered = path.with_name(f"flip-{pos}.age")
    tampered.write_bytes(bytes(blob))
    try:
        with pytest.raises(VerificationError):
            verify_package(
                tampered, identity=str(BUYER), expected_signer_public_key=SELLER.public_key_text
            )
    finally:
        tampered.unlink()


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_truncation_anywhere_is_refused(data: st.DataObject) -> None:
    path = _shared_sealed()
    blob = path.read_bytes()
    header = blob.index(b"\n", blob.index(b"\n---")) + 1 + 16  # + payload nonce
    chunk_ends = [header + k * (65536 + 16) for k in range(1, 4) if header + k * 65552 < len(blob)]
    cut = data.draw(st.integers(0, len(blob) - 1) | st.sampled_from([header, *chunk_ends]))
    tampered = path.with_name(f"cut-{cut}.age")
    tampered.write_bytes(blob[:cut])
    try:
        with pytest.raises(VerificationError):
            verify_package(tampered, identity=str(BUYER))
    finally:
        tampered.unlink()


_SHARED: list[Path] = []


def _shared_sealed() -> Path:
    """One package for the hypothesis tests (fixtures are not reset between examples)."""
    if not _SHARED:
        import tempfile

        path = Path(tempfile.mkdtemp(prefix="custody-pkg-")) / "handover.age"
        _write(path, _records(n=3, size=2500))
        _SHARED.append(path)
    return _SHARED[0]


@pytest.fixture(scope="module", autouse=True)
def _cleanup_shared() -> Iterator[None]:
    yield
    for path in _SHARED:
        shutil.rmtree(path.parent, ignore_errors=True)


def test_another_recipients_identity_is_refused(
    sealed: tuple[Path, list[tuple[str, bytes]]],
) -> None:
    with pytest.raises(VerificationError, match="not encrypted to this identity"):
        verify_package(sealed[0], identity=str(x25519.Identity.generate()))


def test_replaced_file_under_original_manifest_is_refused(
    tmp_path: Path, members: list[tuple[str, bytes]]
) -> None:
    forged = [(n, b"forged" if n.endswith("0001.jsonl") else d) for n, d in members]
    _craft(tmp_path / "x.age", forged)
    with pytest.raises(VerificationError, match="part-0001.jsonl.*(SHA-256|size)"):
        _read(tmp_path / "x.age")


def test_replaced_file_with_rewritten_manifest_keeps_a_bad_signature(
    tmp_path: Path, members: list[tuple[str, bytes]]
) -> None:
    files = [(n, b"forged" if n.endswith("0001.jsonl") else d) for n, d in members[:-2]]
    attacker = signing.generate_keypair()
    forged = _resigned(
        members, files, attacker, claim=SELLER.public_key_text
    )  # claims the seller's key
    _craft(tmp_path / "x.age", forged)
    with pytest.raises(VerificationError, match="signature is not valid"):
        verify_package(tmp_path / "x.age", identity=str(BUYER))


def test_package_resigned_by_another_key_is_refused(
    tmp_path: Path, members: list[tuple[str, bytes]]
) -> None:
    files = [(n, b"forged" if n.endswith("0001.jsonl") else d) for n, d in members[:-2]]
    _craft(tmp_path / "x.age", _resigned(members, files, signing.generate_keypair()))
    with pytest.raises(VerificationError, match="unexpected key"):
        _read(tmp_path / "x.age")
    # Without the seller's key only integrity holds: the caller must pass the key.
    verify_package(tmp_path / "x.age", identity=str(BUYER))


def test_member_not_in_manifest_is_refused(
    tmp_path: Path, members: list[tuple[str, bytes]]
) -> None:
    files = members[:-2]
    listed = _resigned(members, files, SELLER)
    forged = [*files, ("extra.csv", b"smuggled"), *listed[-2:]]
    _craft(tmp_path / "x.age", forged)
    with pytest.raises(VerificationError, match="extra.csv.*not in the manifest"):
        _read(tmp_path / "x.age")


def test_listed_file_missing_is_refused(tmp_path: Path, members: list[tuple[str, bytes]]) -> None:
    listed = _resigned(members, members[:-2], SELLER)
    _craft(tmp_path / "x.age", [*members[:1], *members[2:-2], *listed[-2:]])
    with pytest.raises(VerificationError, match="is missing"):
        _read(tmp_path / "x.age")


def test_duplicate_member_is_refused_before_delivery(
    tmp_path: Path, members: list[tuple[str, bytes]]
) -> None:
    files = members[:-2]
    _craft(tmp_path / "x.age", [*files, files[1], *_resigned(members, files, SELLER)[-2:]])
    delivered: list[str] = []
    with pytest.raises(VerificationError, match="appears twice"):
        read_package(
            tmp_path / "x.age", identity=str(BUYER), on_file=lambda p, _d: delivered.append(p)
        )
    assert delivered == [n for n, _ in files]


def test_reordered_members_are_refused(tmp_path: Path, members: list[tuple[str, bytes]]) -> None:
    files = members[:-2]
    _craft(tmp_path / "x.age", [*reversed(files), *_resigned(members, files, SELLER)[-2:]])
    with pytest.raises(VerificationError, match="order"):
        _read(tmp_path / "x.age")


def test_missing_manifest_or_signature_is_refused(
    tmp_path: Path, members: list[tuple[str, bytes]]
) -> None:
    _craft(tmp_path / "a.age", members[:-2])
    with pytest.raises(VerificationError, match="no manifest"):
        _read(tmp_path / "a.age")
    _craft(tmp_path / "b.age", members[:-1])
    with pytest.raises(VerificationError, match="no manifest signature"):
        _read(tmp_path / "b.age")


def test_member_after_signature_is_refused(
    tmp_path: Path, members: list[tuple[str, bytes]]
) -> None:
    _craft(tmp_path / "x.age", [*members, ("late.csv", b"x")])
    with pytest.raises(VerificationError, match="after the manifest"):
        _read(tmp_path / "x.age")


def test_unsafe_member_name_is_refused(tmp_path: Path, members: list[tuple[str, bytes]]) -> None:
    _craft(tmp_path / "x.age", [("../escape.csv", b"x"), *members])
    with pytest.raises(VerificationError, match="not a plain file"):
        _read(tmp_path / "x.age")


def test_not_an_age_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.age").write_bytes(b"PK\x03\x04 not age")
    with pytest.raises(VerificationError, match="not an age file|damaged"):
        _read(tmp_path / "x.age")


def test_oversized_member_is_refused_when_reading(
    sealed: tuple[Path, list[tuple[str, bytes]]],
) -> None:
    with pytest.raises(VerificationError, match="exceeds"):
        read_package(
            sealed[0], identity=str(BUYER), on_file=lambda p, d: None, max_member_bytes=1000
        )


def test_on_file_failure_propagates_unchanged(sealed: tuple[Path, list[tuple[str, bytes]]]) -> None:
    class Stop(Exception):
        pass

    def refuse(path: str, data: bytes) -> None:
        raise Stop(path)

    with pytest.raises(Stop):
        read_package(sealed[0], identity=str(BUYER), on_file=refuse)


# ----------------------------------------------------------------------------- writer inputs


def test_bad_recipient_identity_and_names_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="recipient"):
        _write(tmp_path / "a.age", [], recipient="age1notakey")
    with pytest.raises(InputError, match="unsafe or repeated"):
        _write(tmp_path / "b.age", [("../x", b"")])
    with pytest.raises(InputError, match="unsafe or repeated"):
        _write(tmp_path / "c.age", [("a", b""), ("a", b"")])
    with pytest.raises(InputError, match="unsafe or repeated"):
        _write(tmp_path / "d.age", [("manifest.json", b"")])
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match="identity"):
        verify_package(tmp_path / "a.age", identity="AGE-SECRET-KEY-nonsense")


def test_signer_key_must_match_the_signing_function(tmp_path: Path) -> None:
    other = signing.generate_keypair()
    with pytest.raises(InputError, match="does not match"):
        write_package(
            tmp_path / "h.age",
            recipient=str(BUYER.to_public()),
            files=[],
            extra_members={},
            summary={},
            agreement_hash="",
            created_at=CREATED,
            sign=lambda d: signing.sign(other.private_key, d),
            signer_public_key=SELLER.public_key_text,
        )
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_leaves_nothing_and_a_rerun_rebuilds(tmp_path: Path) -> None:
    class Crash(Exception):
        pass

    def failing() -> Iterator[tuple[str, bytes]]:
        yield "records/a.jsonl", b"a" * 100_000
        raise Crash

    with pytest.raises(Crash):
        write_package(
            tmp_path / "h.age",
            recipient=str(BUYER.to_public()),
            files=failing(),
            extra_members={},
            summary={},
            agreement_hash="",
            created_at=CREATED,
            sign=lambda d: signing.sign(SELLER.private_key, d),
            signer_public_key=SELLER.public_key_text,
        )
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "h.age.partial").write_bytes(b"left over by a killed run")
    _write(tmp_path / "h.age", _records(n=1, size=5))
    assert [p.name for p in tmp_path.iterdir()] == ["h.age"]
    assert len(_read(tmp_path / "h.age")) == 2


def test_summary_must_be_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="JSON"):
        write_package(
            tmp_path / "h.age",
            recipient=str(BUYER.to_public()),
            files=[],
            extra_members={},
            summary={"when": object()},
            agreement_hash="",
            created_at=CREATED,
            sign=lambda d: signing.sign(SELLER.private_key, d),
            signer_public_key=SELLER.public_key_text,
        )


# ----------------------------------------------------------------------------- signing


def test_signing_helpers() -> None:
    pair = signing.generate_keypair()
    sig = signing.sign(pair.private_key, b"data")
    assert len(pair.public_key_text) == 44
    assert signing.public_key_bytes(pair.private_key) == pair.public_key
    assert signing.verify(pair.public_key_text, b"data", sig)
    assert signing.verify(pair.public_key, b"data", sig)
    assert not signing.verify(pair.public_key_text, b"datA", sig)
    assert not signing.verify("not base64!", b"data", sig)
    assert not signing.verify(pair.public_key, b"data", sig[:10])
    assert "private_key" not in repr(pair)
    with pytest.raises(VerificationError, match="agreement"):
        signing.check_signature(pair.public_key, b"x", sig, what="agreement")
    with pytest.raises(InputError):
        signing.sign(b"short", b"x")
    with pytest.raises(InputError):
        signing.parse_public_key("AAAA")


# ----------------------------------------------------------------------------- age tool


@pytest.mark.skipif(
    shutil.which("age") is None, reason="the `age` command-line tool is not installed"
)
@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum is not installed")
def test_standard_age_and_tar_open_the_package(
    tmp_path: Path, sealed: tuple[Path, list[tuple[str, bytes]]]
) -> None:
    key = tmp_path / "buyer.key"
    key.write_text(f"# buyer identity\n{BUYER}\n")
    key.chmod(0o600)
    out = tmp_path / "out"
    out.mkdir()
    age = subprocess.run(
        ["age", "-d", "-i", str(key), str(sealed[0])], check=True, capture_output=True
    )
    subprocess.run(["tar", "x", "-C", str(out)], input=age.stdout, check=True)
    manifest = json.loads((out / MANIFEST_NAME).read_bytes())
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["files"])
    check = subprocess.run(
        ["sha256sum", "-c", "--strict", "-"],
        cwd=out,
        input=sums.encode(),
        capture_output=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert (out / "agreement.json").read_bytes() == AGREEMENT
    sig = base64.b64decode((out / SIGNATURE_NAME).read_bytes())
    assert signing.verify(SELLER.public_key_text, (out / MANIFEST_NAME).read_bytes(), sig)


def test_partial_file_holds_only_ciphertext_while_writing(tmp_path: Path) -> None:
    marker = "测试客户-PLAINTEXT-MARKER".encode()
    seen: list[bytes] = []

    def files() -> Iterator[tuple[str, bytes]]:
        for i in range(40):  # ~2.5 MiB, so age has flushed chunks by the later files
            if i in (20, 39):
                seen.append((tmp_path / "h.age.partial").read_bytes())
            yield f"records/{i}.jsonl", marker * 4000

    write_package(
        tmp_path / "h.age",
        recipient=str(BUYER.to_public()),
        files=files(),
        extra_members={},
        summary={},
        agreement_hash="",
        created_at=CREATED,
        sign=lambda d: signing.sign(SELLER.private_key, d),
        signer_public_key=SELLER.public_key_text,
    )
    assert all(s.startswith(b"age-encryption.org/v1\n") for s in seen)
    assert len(seen[1]) > 1_000_000  # the package grew on disk as it streamed
    assert not any(marker in s for s in seen)
    assert [p.name for p in tmp_path.iterdir()] == ["h.age"]


def test_unwritable_destination_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot write package"):
        _write(tmp_path / "missing-dir" / "h.age", [])
