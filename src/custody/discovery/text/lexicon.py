"""Word and name statistics drawn from dictionaries that ship inside installed packages.

- jieba's `dict.txt` (MIT): about 349,000 words with a frequency and a part-of-speech tag
  (nr person, ns place, nt organisation, ...). Used for word boundaries, for given-name
  characters (three-character `nr` words that start with a surname) and for the general
  frequency of each character.
- Faker's zh_CN person provider (MIT): surnames with their weights and common given names.

Nothing is downloaded; the derived tables are built once and kept in the table cache
(see `table_cache`), and read once per process (see `load_lexicon`).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import math
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from custody.discovery.text.table_cache import file_fingerprint, load_or_build, source_fingerprint

__all__ = [
    "COMPOUND_SURNAMES",
    "Lexicon",
    "lexicon_fingerprint",
    "load_lexicon",
    "trie_pattern",
    "words_of",
]


def words_of(text: str) -> list[str]:
    """The blank-separated words of a literal table."""
    return text.split()


_Trie = dict[str, "_Trie"]


def trie_pattern(words: list[str] | set[str] | frozenset[str]) -> str:
    """A regular expression matching any of `words`, longest first, written as a prefix
    tree (战胜|战平 -> 战(?:胜|平)) so that the engine tries one branch per character."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(tree)


def _trie_regex(node: _Trie) -> str:
    ends = "" in node
    branches = [re.escape(c) + _trie_regex(child) for c, child in sorted(node.items()) if c]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


COMPOUND_SURNAMES = frozenset(
    words_of(
        "欧阳 司马 诸葛 上官 东方 皇甫 慕容 令狐 夏侯 尉迟 公孙 长孙 宇文 司徒 端木 独孤 "
        "南宫 西门 百里 呼延 轩辕 澹台 公冶 太史 申屠 闻人 赫连 万俟 钟离 拓跋 左丘"
    )
)
# Single characters that are surnames but far more often ordinary words.
_WEAK_SURNAMES = frozenset(
    words_of(
        "和 过 从 把 被 时 向 可 能 都 也 就 要 将 以 及 与 是 有 不 但 由 来 连 居 谈 区 元 满"
    )
)
_MAX_WORD = 8
_COMMON_NR = 40
_COMMON_NR3 = 50
_COMMON_NRFG = 400


@dataclass
class Lexicon:
    """Read-only tables used by the name, organisation and address recognisers."""

    words: dict[str, tuple[int, str]] = field(default_factory=dict)
    surname_score: dict[str, float] = field(default_factory=dict)
    given_score: dict[str, float] = field(default_factory=dict)
    name_words: frozenset[str] = frozenset()
    given_names: frozenset[str] = frozenset()

    def freq(self, word: str) -> int:
        """Frequency of a dictionary word, 0 when absent."""
        entry = self.words.get(word)
        return entry[0] if entry else 0

    def tag(self, word: str) -> str | None:
        """jieba part-of-speech tag of a dictionary word."""
        entry = self.words.get(word)
        return entry[1] if entry else None


def _jieba_dict_path() -> str:
    # Located without importing jieba (its import pulls in pkg_resources).
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise RuntimeError("the jieba package is missing: pip install jieba")
    return os.path.join(os.path.dirname(spec.origin), "dict.txt")


def _read_words() -> dict[str, tuple[int, str]]:
    """Word -> (frequency, tag). Equal entries share one tuple: there are about 17,000
    distinct ones for 350,000 words, and `marshal` writes a shared object once, so the
    table cache reads back a third faster."""
    words: dict[str, tuple[int, str]] = {}
    shared: dict[tuple[int, str], tuple[int, str]] = {}
    with open(_jieba_dict_path(), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and len(parts[0]) <= _MAX_WORD:
                entry = (int(parts[1]), sys.intern(parts[2]))
                words[parts[0]] = shared.setdefault(entry, entry)
    return words


def _faker_names() -> tuple[dict[str, float], list[str]]:
    from faker.providers.person.zh_CN import Provider

    last = Provider.last_names
    surnames = dict(last) if isinstance(last, dict) else {s: 1.0 for s in last}
    return {str(k): float(v) for k, v in surnames.items()}, [str(g) for g in Provider.first_names]


def _surname_scores(
    faker_weights: dict[str, float], words: dict[str, tuple[int, str]]
) -> dict[str, float]:
    """Prior evidence of each surname, about -1.5 (来, 区) to 3 (王, 李).

    Half from Faker's surname weights, half from how often the character starts a
    three-character name in jieba compared with how often it occurs at all.
    """
    starts: defaultdict[str, float] = defaultdict(float)
    anywhere: defaultdict[str, float] = defaultdict(float)
    for word, (freq, tag) in words.items():
        weight = math.log1p(freq)
        for char in word:
            anywhere[char] += weight
        if tag == "nr" and len(word) == 3:
            starts[word[0]] += 1
    scores = {}
    for s, w in faker_weights.items():
        prior = 0.4 * math.log(max(w, 0.006) / 0.006)
        if len(s) == 1:
            ratio = math.log((starts[s] + 1) / (anywhere[s] + 50)) + 4.0
            prior = (prior + max(min(ratio, 3.0), -2.0)) / 2 + 0.6
        scores[s] = prior
    for s in COMPOUND_SURNAMES:
        scores[s] = max(scores.get(s, 0.0), 3.0)
    for s in _WEAK_SURNAMES:
        if s in scores:
            scores[s] = min(scores[s], -2.5)
    return scores


def _given_scores(
    words: dict[str, tuple[int, str]], surnames: dict[str, float], given: list[str]
) -> dict[str, float]:
    """log(P(char | given name) / P(char | any word)), smoothed, per character."""
    in_names: defaultdict[str, float] = defaultdict(float)
    in_words: defaultdict[str, float] = defaultdict(float)
    for word, (freq, tag) in words.items():
        weight = math.log1p(freq)
        for char in word:
            in_words[char] += weight
        if tag == "nr" and len(word) == 3 and word[0] in surnames:
            in_names[word[1]] += 1.0
            in_names[word[2]] += 1.0
    for name in given:
        for char in name:
            in_names[char] += 20.0
    n_names, n_words = sum(in_names.values()), sum(in_words.values())
    scores: dict[str, float] = {}
    for char, count in in_names.items():
        p_name = (count + 0.5) / n_names
        p_word = (in_words.get(char, 0.0) + 5.0) / n_words
        scores[char] = math.log(p_name / p_word)
    return scores


# Last characters of jieba `nr` words that are places or things (金水河, 卢沟桥, 白皮书).
_THING_ENDS = frozenset("河湖山桥门车书江海岛宫会城庙寺塔堂院楼村镇县州省市家母氏王妃们子")


def _is_name(word: str, freq: int, tag: str) -> bool:
    """Whether a jieba `nr`/`nrfg` word is taken for a person's name: rare two-character
    words only (many frequent ones are common words: 荣幸, 黄牛); three-character words at
    any frequency (famous people) unless they end like a place or a thing."""
    if len(word) == 2:
        return freq <= (_COMMON_NRFG if tag == "nrfg" else _COMMON_NR)
    if word[-1] in _THING_ENDS:
        return freq <= _COMMON_NR3
    return True


def lexicon_fingerprint() -> list[str]:
    """What the lexicon is derived from: jieba's dictionary file, Faker's version and the
    code of this module (see `table_cache`)."""
    return [
        file_fingerprint(_jieba_dict_path()),
        importlib.metadata.version("faker"),
        source_fingerprint(__name__),
    ]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The process-wide lexicon: read from the table cache, built on first use (seconds)."""
    words, given_names, surnames, given, name_words = load_or_build(
        "lexicon", lexicon_fingerprint(), _build_tables
    )
    return Lexicon(
        words=words,
        given_names=given_names,
        surname_score=surnames,
        given_score=given,
        name_words=name_words,
    )


def _build_tables() -> tuple[
    dict[str, tuple[int, str]], frozenset[str], dict[str, float], dict[str, float], frozenset[str]
]:
    words = _read_words()
    faker_weights, given = _faker_names()
    surnames = _surname_scores(faker_weights, words)
    # jieba tags many common words nr (明白, 谢谢, 文明); a frequent two-character word is
    # taken for a word, not a name.
    name_words = frozenset(
        w
        for w, (freq, tag) in words.items()
        if tag in ("nr", "nrfg")
        and 2 <= len(w) <= 4
        and w[:1] in surnames
        and _is_name(w, freq, tag)
    )
    given_names = frozenset(
        # Given names only from rare names: 阿森纳 and 阿富汗 are not 阿 + 森纳 / 富汗.
        [w[1:] for w in name_words if len(w) == 3 and words[w][0] <= _COMMON_NR3]
        + [g for g in given if len(g) == 2]
    )
    return words, given_names, surnames, _given_scores(words, surnames, given), name_words
