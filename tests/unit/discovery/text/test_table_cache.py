"""The table cache: derived dictionary tables read back from disk, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from custody.discovery.text import table_cache
from custody.discovery.text.lexicon import _build_tables, lexicon_fingerprint
from custody.discovery.text.names import NameFinder, build_name_finder, name_tables


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CUSTODY_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return value

    return calls, build


def test_tables_are_built_once_then_read_back_equal(cache: Path) -> None:
    tables = ({"张伟": (3, "nr")}, frozenset({"王"}), {"李": 1.5})
    calls, build = _counting(tables)
    first = table_cache.load_or_build("t", ["a"], build)
    again = table_cache.load_or_build("t", ["a"], build)
    assert first == again == tables
    assert calls == [1]
    assert [p.name.startswith("t-") for p in cache.iterdir()] == [True]


def test_a_change_in_what_tables_come_from_builds_them_anew_and_drops_the_old(
    cache: Path,
) -> None:
    calls, build = _counting({"x": 1})
    table_cache.load_or_build("t", ["source v1"], build)
    table_cache.load_or_build("t", ["source v2"], build)
    assert calls == [1, 1]
    assert len(list(cache.glob("t-*.marshal"))) == 1


def test_a_damaged_cache_file_is_rebuilt_not_trusted(cache: Path) -> None:
    calls, build = _counting({"x": 1})
    table_cache.load_or_build("t", ["a"], build)
    (path,) = cache.glob("t-*.marshal")
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0xFF
    path.write_bytes(bytes(blob))
    assert table_cache.load_or_build("t", ["a"], build) == {"x": 1}
    assert calls == [1, 1]
    path.write_bytes(b"")
    assert table_cache.load_or_build("t", ["a"], build) == {"x": 1}
    assert calls == [1, 1, 1]


def test_an_unwritable_cache_directory_still_gives_the_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CUSTODY_CACHE_DIR", str(blocker / "cache"))
    calls, build = _counting({"x": 1})
    assert table_cache.load_or_build("t", ["a"], build) == {"x": 1}
    assert table_cache.load_or_build("t", ["a"], build) == {"x": 1}
    assert calls == [1, 1]


def test_cache_files_are_private_to_their_owner(cache: Path) -> None:
    table_cache.load_or_build("t", ["a"], lambda: {"x": 1})
    (path,) = cache.glob("t-*.marshal")
    assert path.stat().st_mode & 0o077 == 0


def test_the_lexicon_fingerprint_covers_the_dictionary_and_the_code() -> None:
    parts = lexicon_fingerprint()
    assert any("dict.txt" in p for p in parts)
    assert len(parts) == 3


def test_cached_lexicon_and_name_tables_equal_freshly_built_ones(cache: Path) -> None:
    fresh = _build_tables()
    cached = table_cache.load_or_build("lexicon", lexicon_fingerprint(), _build_tables)
    reread = table_cache.load_or_build("lexicon", lexicon_fingerprint(), _build_tables)
    assert cached == fresh == reread
    finder = build_name_finder()
    rebuilt = NameFinder(finder._lex, name_tables(finder._lex))
    text = "联系王小明，他说周末上课"
    assert rebuilt.find(text, []) == finder.find(text, [])
