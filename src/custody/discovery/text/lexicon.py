"""Word and name statistics drawn from dictionaries that ship inside installed packages.

- jieba's `dict.txt` (MIT): about 349,000 words with a frequency and a part-of-speech tag
  (nr person, ns place, nt organisation, ...). Used for word boundaries, for given-name
  characters (three-character `nr` words that start with a surname) and for the general
  frequency of each character.
- Faker's zh_CN person provider (MIT): surnames with their weights and common given names.

Nothing is downloaded; everything is read once per process (see `load_lexicon`).
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["COMPOUND_SURNAMES", "Lexicon", "load_lexicon", "words_of"]


def words_of(text: str) -> list[str]:
    """The blank-separated words of a literal table."""
    return text.split()


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
    import jieba

    return os.path.join(os.path.dirname(jieba.__file__), "dict.txt")


def _read_words() -> dict[str, tuple[int, str]]:
    words: dict[str, tuple[int, str]] = {}
    with open(_jieba_dict_path(), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and len(parts[0]) <= _MAX_WORD:
                words[parts[0]] = (int(parts[1]), parts[2])
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


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The process-wide lexicon, read on first use (about half a second)."""
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
        and freq <= (_COMMON_NR if len(w) == 2 else _COMMON_NR3)
    )
    given_names = frozenset(
        [w[1:] for w in name_words if len(w) == 3] + [g for g in given if len(g) == 2]
    )
    return Lexicon(
        words=words,
        given_names=given_names,
        surname_score=surnames,
        given_score=_given_scores(words, surnames, given),
        name_words=name_words,
    )
