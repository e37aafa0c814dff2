"""Sports teams named by the match they play: 甲队vs乙队, 主场击败某某, 某某客场0比0.

Sports news names clubs and national teams by a bare place or a transliterated word
(a city, a country, a club's short name). Such a word is an organisation when a match cue
stands right next to it: `vs` between two teams, a result verb before one (战胜、击败、负于、
逼平、输给、做客), or 主场/客场 after one. The team word itself comes from jieba's
dictionary (place, proper or transliterated name) or is a run of transliteration
characters. Texts without a cue cost one regular-expression search.
"""

from __future__ import annotations

import re

from custody.discovery.text.lexicon import Lexicon, trie_pattern, words_of
from custody.discovery.text.names import TRANSLIT

__all__ = ["CUE_WORDS", "TeamFinder"]

_BEFORE_TEAM = words_of(
    "战胜 击败 负于 逼平 战平 输给 做客 迎战 对阵 力克 完胜 不敌 胜过 平过 客平 主胜 客胜 "
    "憾负 惨败给 败给 淘汰 绝杀 险胜 横扫 拿下 客场挑战 主场迎战 主场对"
)
_AFTER_TEAM = words_of("主场 客场 主队 客队 队长 主帅 球迷")
CUE_WORDS = frozenset([*_BEFORE_TEAM, *_AFTER_TEAM, "vs", "VS", "Vs"])
_CUE = re.compile(trie_pattern(CUE_WORDS))
_NOT_TEAM_CHARS = frozenset("季年轮场届")
_TEAM_TAGS = frozenset({"ns", "nr", "nrt", "nz", "j"})
_RUN = re.compile("[" + "".join(sorted(TRANSLIT)) + "]{2,6}")
_VS_TAIL = tuple(words_of("推荐 推介 两队 之战 一战 比赛"))
_MAX_SIDE = 7
_MAX_TEAM = 6


class TeamFinder:
    """Teams next to match cues; one per process, built from the shared lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lex = lexicon

    def _team_after(self, text: str, pos: int) -> int | None:
        """End of a team word starting at `pos`: the longer of a dictionary word and a
        run of transliteration characters, with a following 队."""
        end = pos
        for length in range(_MAX_TEAM, 1, -1):
            if self._is_team_word(text[pos : pos + length], length):
                end = pos + length
                # a dictionary word that opens a longer transliteration (奥林匹亚 + 科斯)
                while end < len(text) and end - pos < _MAX_TEAM + 2 and text[end] in TRANSLIT:
                    end += 1
                break
        m = _RUN.match(text, pos)
        if m and m.end() > end:
            end = m.end()
        if end == pos:
            return None
        return end + 1 if text.startswith("队", end) else end

    def _is_team_word(self, word: str, length: int) -> bool:
        return (
            len(word) == length
            and self._lex.tag(word) in _TEAM_TAGS
            and not any(c in _NOT_TEAM_CHARS for c in word)
        )

    def _team_before(self, text: str, pos: int, floor: int) -> int | None:
        """Start of a team word ending at `pos`, if there is one (longest wins)."""
        start = pos
        for length in range(_MAX_TEAM, 1, -1):
            if pos - length >= floor and self._is_team_word(text[pos - length : pos], length):
                start = pos - length
                break
        run = pos
        while run > floor and pos - run < _MAX_TEAM and text[run - 1] in TRANSLIT:
            run -= 1
        if pos - run >= 2 and run < start:
            start = run
        return start if start < pos else None

    def find(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of team names; empty for texts without a match cue."""
        found: list[tuple[int, int]] = []
        for m in _CUE.finditer(text):
            cue = m.group()
            if cue.lower() == "vs":
                if _real_vs(text, m.start(), m.end()):
                    found += self._around_vs(text, m.start(), m.end())
            elif cue in _AFTER_TEAM:
                start = self._team_before(text, m.start(), 0)
                if start is not None:
                    found.append((start, m.start()))
            else:
                end = self._team_after(text, m.end())
                if end is not None:
                    found.append((m.end(), end))
        return found

    def _around_vs(self, text: str, cue_start: int, cue_end: int) -> list[tuple[int, int]]:
        """The teams on both sides of `vs`: the whole short run, else one team word."""
        lo = cue_start
        while lo > 0 and _SIDE_CHAR.match(text[lo - 1]):
            lo -= 1
        hi = cue_end
        while hi < len(text) and _SIDE_CHAR.match(text[hi]):
            hi += 1
        out: list[tuple[int, int]] = []
        if cue_start - lo <= _MAX_SIDE:
            left: int | None = lo if cue_start - lo >= 2 else None
        else:
            left = self._team_before(text, cue_start, lo)
        if left is not None:
            out.append((left, cue_start))
        for tail in _VS_TAIL:
            if text.endswith(tail, cue_end, hi) and hi - cue_end > len(tail) + 1:
                hi -= len(tail)
                break
        if hi - cue_end <= _MAX_SIDE:
            right: int | None = hi if hi - cue_end >= 2 else None
        else:
            right = self._team_after(text, cue_end)
        if right is not None:
            out.append((cue_end, right))
        return out


def _real_vs(text: str, start: int, end: int) -> bool:
    """`vs` standing alone, not inside a Latin word or an e-mail address (vshen@...)."""
    if start and text[start - 1].isascii() and text[start - 1].isalpha():
        return False
    return _LATIN_TAIL.match(text, end) is None


_LATIN_TAIL = re.compile(r"[A-Za-z0-9]*[@.]")
_SIDE_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
