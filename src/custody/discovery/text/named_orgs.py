"""Organisations named without a suffix: institutions, armed forces and news outlets.

- Short names of kinds of national institutions (央行 is any country's central bank,
  证监会 any securities regulator) and football leagues by their country (英超, 意甲).
- Armed forces: a country's one-character short form + 军 (美军), named armies (八路军),
  and the services (海军、空军、陆军), grown over the country before them (美国海军).
- A news dateline opens with the outlet: 某某网9月12日讯, 某某房产讯（编辑…）.
- Banks by their usual short names (工行, 建行, 招行; 汇丰, 花旗), unless the characters
  belong to a word around them (集中行动, 施工行业); with 中国 before or after (中国银联,
  汇丰中国: a foreign bank's arm in China).

Every pattern is a prefix tree or starts with a literal, so a text without any of
`NAMED_CUES` costs one search in `OrgFinder`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from custody.discovery.text.lexicon import trie_pattern, words_of

__all__ = ["BANK_SHORT_NAMES", "INSTITUTION_WORDS", "NAMED_CUES", "named_orgs"]

# Armed forces: a country's one-character short form + 军 (美军、日军), named armies
# (八路军), and the services (海军、空军、陆军), grown over a country before them.
_ARMS = frozenset(words_of("海军 空军 陆军"))
_MILITARY = re.compile(
    "[美日德英法俄苏印韩朝意盟敌联越]军(?![区事人官舰机费营团港训工用备民队衔械火])"
    "|(?:八路|新四|志愿|解放|红)军(?![区事人官舰机费营团港训工用备民队衔械火])"
    "|(?:海|空|陆)军(?![区事人官舰机费营团港训工用备民衔械火基])"
)
# Short names of kinds of national institutions and of football leagues by their country
# (央行 is any country's central bank; 英超, 意甲: a country's first or premier division).
_LEAGUE_COUNTRIES = "英意西德法荷葡苏俄中日韩"
INSTITUTION_WORDS = frozenset(
    words_of(
        "央行 央视 银保监会 银监会 证监会 保监会 发改委 国资委 最高法 最高检 中纪委 "
        "全国人大常委会 全国人大 全国政协 国务院"
    )
    + [c + "甲" for c in _LEAGUE_COUNTRIES]
    + [c + k + t for c in _LEAGUE_COUNTRIES + "欧" for k in "超冠" for t in ("", "联赛", "杯")]
)
_INSTITUTIONS = re.compile(trie_pattern(INSTITUTION_WORDS))
# What may not follow a league's short name (甲级, 超过, 冠军 ...).
_NOT_AFTER_LEAGUE = frozenset("级等越过出军")
# A news dateline opens with the outlet: 某某网9月12日讯, 某某房产讯（编辑…）, 某某社北京1月25日电.
_DATELINE_CUES = ("日讯", "日电", "讯(", "讯（")
_DATELINE = re.compile(
    r"(?:^|(?<=[。！？!?\s]))([\u4e00-\u9fffA-Za-z]{2,6}?(?:网|社|报|台)?)"
    r"(?:[\u4e00-\u9fff]{2,3}?)?\d{1,2}月\d{1,2}日(?:讯|电)"
    r"|(?:^|(?<=[。！？!?\s]))([\u4e00-\u9fffA-Za-z]{2,6}?)讯[（(]"
)
# Banks by their usual short names: the state and joint-stock banks (工行 is the Industrial
# and Commercial Bank, 招行 China Merchants Bank), the card network and the foreign banks
# that Chinese news names in short.
BANK_SHORT_NAMES = frozenset(
    words_of("工行 农行 中行 建行 交行 招行 浦发 邮储 银联 汇丰 花旗 渣打 德银 瑞银")
)
_BANKS = re.compile(trie_pattern(BANK_SHORT_NAMES))
# A bank's short name is no bank when a word runs across its edge (集中 + 行动, 施工 + 行业)
# whose frequency in jieba's dictionary reaches this; 行长 after it is its president.
_EDGE_WORD = 20
_BANK_AFTER_OK = frozenset(words_of("行长"))
_CHINA = "中国"
NAMED_CUES = frozenset([*INSTITUTION_WORDS, *BANK_SHORT_NAMES, *_DATELINE_CUES, "军"])


def named_orgs(
    text: str, grow_left: Callable[[int], int], freq: Callable[[str], int]
) -> list[tuple[int, int]]:
    """(start, end) of organisations named without a suffix; `grow_left(pos)` is where a
    name ending at `pos` starts (for 美国 + 海军); `freq(word)` is a word's frequency in
    the dictionary (0 when absent)."""
    found = [m.span() for m in _INSTITUTIONS.finditer(text) if not _inside_word(text, m)]
    for m in _BANKS.finditer(text):
        start, end = m.span()
        before = text[start - 1 : start + 1] if start else ""
        after = text[end - 1 : end + 1] if end < len(text) else ""
        if text.startswith(_CHINA, end):
            end += len(_CHINA)  # 汇丰中国: a foreign bank's arm in China
        elif text.endswith(_CHINA, 0, start):
            start -= len(_CHINA)  # 中国银联
        elif (before and freq(before) >= _EDGE_WORD) or (
            after and after not in _BANK_AFTER_OK and freq(after) >= _EDGE_WORD
        ):
            continue
        found.append((start, end))
    if "军" in text:
        for m in _MILITARY.finditer(text):
            start = grow_left(m.start()) if m.group()[-2:] in _ARMS else m.start()
            found.append((start, m.end()))
    if any(cue in text for cue in _DATELINE_CUES):
        for m in _DATELINE.finditer(text):
            group = 1 if m.group(1) else 2
            if not m.group(group).startswith("本"):  # 本报讯: the paper itself
                found.append(m.span(group))
    return found


def _inside_word(text: str, m: re.Match[str]) -> bool:
    """A league's short name inside a longer word (甲级, 超过, 冠军) is no league."""
    return m.group()[1:2] in ("甲", "超", "冠") and text[m.end() : m.end() + 1] in _NOT_AFTER_LEAGUE
