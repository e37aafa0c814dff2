"""Organisation names: a suffix that says "organisation", and the name words before it.

A suffix (有限公司、银行、大学、委员会、局 ...) anchors each candidate; the name is grown
leftwards one dictionary word at a time (backward longest match over jieba's dictionary)
while the words are nouns, place or proper names, and stops at verbs, prepositions,
pronouns, numbers and punctuation. jieba's `nt` words (organisations) count as well.

Résumé lines name long companies whose words include verbs (某某投资发展股份有限公司):
when the word-by-word growth stops inside a run of characters, the run back to a clear
boundary (任、现任、于、punctuation, a date) is taken whole. A company may also be named by
itself (本公司, 任公司董事); an office led by a place (北京市消防局) is an organisation; a
department right after its company (有限公司财务部) is not part of it. Names without a
suffix come from `named_orgs` (institutions, armed forces, datelines) and `teams`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from custody.discovery.text.identifiers import RawSpan
from custody.discovery.text.lexicon import (
    COMPOUND_SURNAMES,
    Lexicon,
    load_lexicon,
    trie_pattern,
    words_of,
)
from custody.discovery.text.named_orgs import NAMED_CUES, named_orgs
from custody.discovery.text.teams import CUE_WORDS, TeamFinder

__all__ = ["OrgFinder", "build_org_finder"]

_SUFFIXES = words_of(
    "股份有限公司 有限责任公司 有限公司 集团公司 分公司 总公司 公司 研究会 办事处 总队 "
    "集团 银行 分行 支行 大学 研究生院 学院 中学 "
    "小学 学校 幼儿园 医院 卫生院 研究院 研究所 研究中心 委员会 管理局 公安局 派出所 局 厅 部 署 "
    "法院 检察院 政府 协会 学会 基金会 联合会 商会 工会 俱乐部 事务所 工作室 出版社 报社 杂志社 "
    "电视台 电台 网 报 社 中心 队 党 厂 酒店 商行 超市 联盟 组织 集团 办 处 所 院 馆 站 "
    "合作社 实验室 科技 传媒 航空 地产 证券 保险 基金 控股 制药 医疗 部门 机构 委员会 "
    "常委会 委 军 战队 "
    "军团 珠宝 置业 总行 营业部 工厂 企业 俱乐部 监会 政府"
)
# Words that end an organisation name on its left (jieba tags them inconsistently).
_LEFT_STOPS = frozenset(
    words_of(
        "现任 曾任 担任 历任 兼任 出任 加入 进入 就职 毕业 位于 来自 成立 创办 是否 推出 "
        "发布 宣布 表示 认为 据悉 获得 通过 其他 其它 大部分 部分 各 该 "
        "这家 一家 多家 国内 国外 内地 全国 各地 所有 有关 相关 客户 客服 工作 服务 "
        "学生 记者 我们 他们 旗下 前往 联系 致电 收购 起诉 赞助 签约 合作 投资 开发 "
        "作为 成为 包括 其中 以及 还有 和 与 及 或 在 于 对 向 从 由 被 把 将 为 给 到 是 的 "
        "了 等 这 那 其 之 也 都 就 还 没 不 很 说 让 使 令 称 据 跟 同 由于 因为 所以 但是 如果 "
        "先后 收到 来源 委派 报道 讯 期内 特别 受 到 是由 引进 通过 前往 打造 一家 该"
    )
)
_STOP_TAGS = frozenset(
    {
        "v",
        "p",
        "c",
        "u",
        "d",
        "r",
        "m",
        "q",
        "y",
        "e",
        "o",
        "f",
        "t",
        "ul",
        "uj",
        "ad",
        "vd",
        "zg",
        "ug",
        "uz",
        "uv",
        "ud",
        "mq",
        "a",
    }
)
_STOP_CHARS = set(
    "的了是在和与或及并而但为对向从于以将把被给让等个这那其之也都就还没不很说年月日号时届第任"
    "获经因讯后据两"
)
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_MAX_NAME = 14
_RARE = 100  # dictionary words rarer than this are more likely names than common words
_PROPER = frozenset({"ns", "nt", "nz", "nrt", "j", "eng"})
_NEEDS_LONG = frozenset(
    words_of(
        "党 军 办 厅 国 处 委 局 所 报 社 站 网 署 部 队 院 馆 中心 企业 传媒 保险 军团 "
        "制药 医疗 地产 基金 工厂 战队 控股 机构 珠宝 监会 科技 置业 航空 证券 部门"
    )
)
_FUNCTION_TAGS = frozenset({"p", "c", "u", "uj", "ul", "r", "d", "q", "y", "e", "o", "f"})
_WORD_TAGS_AT_SUFFIX = frozenset({"v", "vn", "a", "an", "l"})
# A name before a suffix that is one common word of another kind describes the organisation
# (国内银行, 贷款公司, 新公司) rather than names it.
_NAMING_TAGS = frozenset({"ns", "nt", "nz", "nr", "nrt", "nrfg", "j", "eng", "x", "t"})
_SUFFIX_TUPLE = tuple(_SUFFIXES)
_GENERIC_WORD = 300
_GENERIC_CHAR = 5000


# Left extension: when the word-by-word growth stops inside a run of characters, the run
# back to a clear boundary (punctuation, 任/现任/于/在 ..., the start) is taken whole,
# provided it holds no function character (résumé lines: 任天津某某投资集团有限公司董事).
_BOUNDARY_WORDS = frozenset(
    words_of(
        "任 现任 曾任 历任 兼任 出任 担任 转任 调任 升任 改任 于 在 加入 进入 及 和 与 兼 至今 "
        "后任 先后任 就职 毕业 供职 受聘 聘为 创办 创立"
    )
)
_BOUNDARY_CHARS = frozenset("，。、；：,.;:!?！？（(）)“”\"'《》 \t\n0123456789")
_COMMON_PAIR = 500
_TRADES = frozenset(words_of("地产 珠宝 传媒 科技 证券 保险 基金 控股 置业 航空 制药 医疗"))
_RARE_BRAND = 300
# A Latin abbreviation in brackets right after a name belongs to it: 某某委员会(SEC).
_ABBREVIATION = re.compile(r"[(（][A-Za-z][A-Za-z&.\-]{1,11}[)）]")
_JOINERS = frozenset("与和及")
_LEARNED = frozenset(words_of("学会 协会 研究会 委员会 研究所 研究院 实验室 学院 联合会"))
_GROW_BOUNDARIES = _BOUNDARY_WORDS - frozenset(words_of("和 与 及 在 于"))
_HARD_STOPS = frozenset(
    "的了是说因对把被将也都就还没不很这那其我你他她它们吗呢吧啊着过得让请等为向从以但而却"
    "如若所则又已曾该此每各某些家只两几个据除收讯获后年由到"
)
_MAX_LONG = 18
_VERB_TAGS = frozenset({"v", "vn"})
# Time words that end a name on its left (昨天某某银行宣布 ...).
_TIME_WORDS = frozenset(
    words_of(
        "昨天 今天 明天 前天 昨日 今日 明日 当天 当日 目前 近日 日前 此前 随后 同时 最近 "
        "当时 今年 去年 明年 前年 本周 上周 下周 本月 上月 下月 近期 日后 如今 现在 此后"
    )
)
_SOFT_BLOCK_TAGS = frozenset({"p", "c", "u", "uj", "ul", "r", "m", "q", "mq", "f", "y"})
_EXTENDABLE = frozenset(
    words_of(
        "股份有限公司 有限责任公司 有限公司 集团公司 分公司 总公司 公司 研究会 办事处 "
        "总队 集团 银行 分行 支行 大学 学院 医院 研究院 研究所 研究中心 实验室 委员会 "
        "事务所 出版社 厂 总厂 工厂 协会 学会 商会 联合会 "
        "基金会 中心 管理局 局 合作社"
    )
)

_EXTENDABLE_TUPLE = tuple(_EXTENDABLE)
_WORD_WITH_SUFFIX_TAGS = frozenset({"f", "v"})
# Suffixes that are also words for a kind of organisation: after a whole name they are a
# word of their own (某某集团公司组织, 某某委员会企业科), not another name.
_KINDS = frozenset(words_of("企业 组织 机构 部门"))

# Venues (museums, libraries, theatres) are places people visit in news text; they name an
# organisation when their head or a post in them follows (某某图书馆馆长).
_VENUES = tuple(
    words_of(
        "博物馆 美术馆 图书馆 资料馆 纪念馆 展览馆 体育馆 科技馆 艺术馆 博物院 剧院 "
        "博览中心 会展中心 展览中心 体育中心"
    )
)
_VENUE_HEADS = tuple(words_of("馆长 副馆长 院长 副院长 主任 副主任 党委 书记 研究员 工作"))

# A department of a company (某某有限公司技术部) is not a place-led office (北京市消防局).
_UNIT_HOSTS = tuple(words_of("公司 集团 大学 学院 银行 医院 厂 中心 研究院 研究所"))
_ADMIN_PREFIX = frozenset("市区县省州镇乡")
_DEPARTMENT_ENDS = ("部", "处", "科", "室", "办", "工会", "党委")
_SELF_SUFFIXES = frozenset(words_of("公司 集团"))
# What follows a company named by itself on a résumé line (任公司董事、公司人力资源部经理).
_TITLES_AFTER = tuple(
    words_of(
        "董事 监事 副 总 党 纪 工会 第 独立 首席 财务 人力 办公室 行政 技术 市场 销售 研发 "
        "生产 采购 审计 证券 法务 战略 投资 董事会 监事会 高级 执行 CEO 职工 常务"
    )
)


# Officers' titles after a company's short name on a résumé line (某某制药总经理).
_OFFICERS = words_of(
    "董事长 总经理 总裁 独立董事 首席执行官 首席运营官 首席财务官 董事会主席 监事会主席"
)
_OFFICER_CUE = re.compile(trie_pattern(set(_OFFICERS)))
# Résumé words right before the company (现任, 2008年任); all two characters long.
_OFFICER_AFTER = words_of("现任 曾任 历任 原任 兼任 出任 担任 后任 先任 均任 月任 年任 起任 今任")
_OFFICER_PREFIXES = tuple(words_of("副 常务 执行 首席 独立 公司 集团 董事 监事"))
_BEFORE_OFFICER = re.compile(
    r"(?:^|(?<=[,，。；;：:、\s])|"
    + "|".join(f"(?<={w})" for w in _OFFICER_AFTER)
    + r")([\u4e00-\u9fffA-Za-z]{2,8}?)"
    r"(?:常务|执行)?副?(?:" + trie_pattern(set(_OFFICERS)) + ")"
)


class OrgFinder:
    """Finds organisation names; build once with `build_org_finder`."""

    def __init__(self, lexicon: Lexicon, teams: TeamFinder | None = None) -> None:
        self._lex = lexicon
        self._teams = teams
        suffixes = trie_pattern(set(_SUFFIXES))
        # One search says whether any of the patterns below can match at all.
        self._gate = re.compile(
            trie_pattern(
                {
                    *_SUFFIXES,
                    *NAMED_CUES,
                    *(CUE_WORDS if teams else ()),
                    *_OFFICERS,
                }
            )
        )
        self._suffix = re.compile(suffixes)

    def _word_before(self, text: str, pos: int, floor: int) -> str:
        for length in (4, 3, 2):
            if pos - length >= floor and text[pos - length : pos] in self._lex.words:
                return text[pos - length : pos]
        return text[pos - 1 : pos]

    def _grow_left(self, text: str, suffix_start: int, floor: int) -> int:
        pos = suffix_start
        while pos > floor and suffix_start - pos < _MAX_NAME:
            word = self._word_before(text, pos, floor)
            if (
                text[pos - 2 : pos].lower() == "vs"
                or self._boundary_at(text, pos, floor)
                or self._time_before(text, pos, floor)
            ):
                break
            if (
                not _NAME_CHAR.match(word[0])
                or word in _LEFT_STOPS
                or (len(word) == 1 and word in _STOP_CHARS)
                or (word[0] in _STOP_CHARS and self._lex.freq(word) < _RARE)
            ):
                break  # the last: a rare word opened by a function character (因公)
            inside = [k for k in range(1, len(word)) if self._time_before(text, pos - k, floor)]
            if inside:
                pos -= inside[0]  # a time word ends inside the word: 昨天|青 (天青)
                break
            tag = self._lex.tag(word)
            if len(word) == 1:
                if tag in _FUNCTION_TAGS:
                    break
            elif (
                tag in _STOP_TAGS
                and self._lex.freq(word) >= _RARE
                and not (pos == suffix_start and tag in _WORD_TAGS_AT_SUFFIX)
            ):
                break
            pos -= len(word)
        return pos

    def _brand_start(self, text: str, suffix_start: int, floor: int) -> int:
        """Start of a two-character brand right after a boundary (“某家地产”, 任某普医疗)."""
        start = suffix_start - 2
        if start < floor or not all("\u4e00" <= c <= "\u9fff" for c in text[start:suffix_start]):
            return suffix_start
        if (
            start == floor
            or text[start - 1] in _BOUNDARY_CHARS
            or self._boundary_at(text, start, floor)
        ):
            return start
        return suffix_start

    def _boundary_at(self, text: str, pos: int, floor: int) -> bool:
        """True when a résumé boundary word (任, 现任, 毕业于 ...) ends at `pos`."""
        return any(pos - n >= floor and text[pos - n : pos] in _GROW_BOUNDARIES for n in (1, 2, 3))

    def _extend_left(self, text: str, start: int, suffix_start: int, floor: int) -> int:
        """`start`, or further left up to a clear boundary (see `_BOUNDARY_WORDS`)."""
        if start <= floor or text[start - 1] in _BOUNDARY_CHARS:
            return start
        word = self._word_before(text, start, floor)
        if (
            word in _STOP_CHARS
            or word in _BOUNDARY_WORDS
            or any(c in _HARD_STOPS for c in word)
            or (len(word) > 1 and self._lex.tag(word) in _SOFT_BLOCK_TAGS)
        ):
            return start
        lowest = max(floor, suffix_start - _MAX_LONG)
        pos = start
        while pos > lowest:
            char = text[pos - 1]
            if char in _BOUNDARY_CHARS:
                return pos
            if any(text[pos - n : pos] in _BOUNDARY_WORDS for n in (1, 2, 3)):
                return pos
            if self._time_before(text, pos, lowest):
                return pos  # 昨天 + 某某银行
            if char in "年月日" and text[pos - 2 : pos - 1].isdigit():
                return pos  # a date before the name: 1989年8月北京某某大学
            if char in _HARD_STOPS or not _NAME_CHAR.match(char):
                return start
            pos -= 1
        return floor + self._opening_verb(text, floor, start) if pos == floor else start

    def _opening_verb(self, text: str, floor: int, start: int) -> int:
        """Length of a common verb opening the clause at `floor` before `start` (拜访, 致电,
        走访 + the organisation), else 0."""
        for n in (3, 2):
            word = text[floor : floor + n]
            tag = self._lex.tag(word)
            if floor + n <= start and tag in _VERB_TAGS and self._lex.freq(word) >= _RARE:
                return n
        return 0

    def _time_before(self, text: str, pos: int, floor: int) -> bool:
        """True when a time word (昨天, 目前) ends at `pos`."""
        return any(pos - n >= floor and text[pos - n : pos] in _TIME_WORDS for n in (2, 3))

    def _known(self, text: str, floor: int, end: int) -> int | None:
        """Start of the longest dictionary organisation (nt) ending at `end`, if any."""
        for length in range(min(8, end - floor), 1, -1):
            if self._lex.tag(text[end - length : end]) == "nt":
                return end - length
        return None

    def _plausible(self, text: str, start: int, suffix: str, suffix_start: int) -> bool:
        name_len = suffix_start - start
        if name_len < 2 and not (name_len == 1 and len(suffix) >= 2):
            return False
        whole = text[start : suffix_start + len(suffix)]
        if self._lex.tag(whole) in ("nt", "nz", "ns") and len(whole) > 2:
            return True
        if self._generic(text[start:suffix_start]):
            return False
        if suffix in _NEEDS_LONG:
            before = self._word_before(text, suffix_start, start)
            proper = len(before) > 1 and (
                self._lex.tag(before) in _PROPER or before not in self._lex.words
            )
            if name_len >= 2 and self._lex.tag(whole) is None and proper:
                return True
            brand = text[start:suffix_start]  # the name before the suffix
            if (
                suffix in _TRADES
                and name_len == 2
                and self._lex.freq(brand) < _RARE_BRAND
                and self._lex.tag(brand) not in _STOP_TAGS
            ):
                return True  # a brand and its trade: 某家地产, 某灵珠宝
            return (
                name_len >= 2
                and self._place_led(whole)
                and not any(w in brand for w in _UNIT_HOSTS)
            )
        return True

    def _generic(self, name: str) -> bool:
        """True when the name before a suffix is one common word that describes rather
        than names (国内 + 银行, 贷款 + 公司, 新 + 公司, 维护 + 银行)."""
        entry = self._lex.words.get(name)
        if entry is None or entry[1] in _NAMING_TAGS or name.endswith(_SUFFIX_TUPLE):
            return False  # the last: an organisation's own committee (市委 + 常委会)
        return entry[0] >= (_GENERIC_CHAR if len(name) == 1 else _GENERIC_WORD)

    def _before_officers(self, text: str) -> list[tuple[int, int]]:
        """A company named by its short name on a résumé line, right before one of its
        officers' titles: 现任某某制药总经理, ，男，某某科技独立董事."""
        found: list[tuple[int, int]] = []
        for m in _BEFORE_OFFICER.finditer(text):
            name = m.group(1)
            if (
                any(c in _HARD_STOPS or c in _STOP_CHARS for c in name)
                or self._generic(name)
                or name.endswith(_OFFICER_PREFIXES)
                or name.endswith(_DEPARTMENT_ENDS)  # 某某部总经理: a department's head
                or (len(name) <= 3 and (name[:1] in self._lex.surname_score))
                or (len(name) == 4 and name[:2] in COMPOUND_SURNAMES)  # 欧阳某某总经理
                or self._lex.tag(name) in ("nr", "nrfg", "ns")
            ):
                continue
            found.append(m.span(1))
        return found

    def _place_led(self, name: str) -> bool:
        """True when `name` opens with a place (北京市消防局, 美国教育部, 市住建委)."""
        if name[0] in _ADMIN_PREFIX and len(name) >= 3:
            return True
        return any(self._lex.tag(name[:n]) == "ns" and len(name) > n + 1 for n in (4, 3, 2))

    def find(self, text: str, limits: list[tuple[int, int]]) -> list[RawSpan]:
        """Organisation spans not overlapping the claimed `limits`."""
        if self._gate.search(text) is None:
            return []
        spans = self._suffixed(text, limits)
        taken = limits + spans
        free = named_orgs(text, lambda pos: self._grow_left(text, pos, 0), self._lex.freq)
        if self._teams is not None:
            free += self._teams.find(text)
        if _OFFICER_CUE.search(text):
            free += self._before_officers(text)
        for a, b in free:
            if not any(a < hi and lo < b for lo, hi in taken):
                spans.append((a, b))
                taken.append((a, b))
        return _merge(spans, text)

    def _no_suffix(self, text: str, start: int, end: int, floor: int) -> bool:
        """True when the suffix match text[start:end] ends no organisation here."""
        suffix = text[start:end]
        if text.endswith(_VENUES, floor, end) and not text.startswith(_VENUE_HEADS, end):
            return True  # a venue visited, not an employer: 某某博物馆 (but 某某图书馆馆长)
        if len(suffix) == 1:
            return (
                text[end : end + 1] == "长"  # the head of an office (局长)
                or self._lex.freq(text[start : end + 1]) >= _COMMON_PAIR  # 报道, 社会, 网站
                # a direction or a verb: 北部, 内部; 举办, 上网, 排队
                or self._lex.tag(text[start - 1 : end]) in _WORD_WITH_SUFFIX_TAGS
            )
        if self._lex.freq(text[start : end + 1]) >= _RARE:
            return True  # a longer word: 银行卡, 大学生, 公司法
        # a kind word after a whole name: 某某集团公司 + 组织, 某某委员会 + 企业科
        return suffix in _KINDS and text.endswith(_EXTENDABLE_TUPLE, floor, start)

    def _suffixed(self, text: str, limits: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Names ending in an organisation suffix (有限公司, 大学, 局 ...)."""
        spans: list[tuple[int, int]] = []
        for m in self._suffix.finditer(text):
            floor = max((hi for lo, hi in limits if hi <= m.start()), default=0)
            if any(lo < m.end() and m.start() < hi for lo, hi in limits):
                continue
            if self._no_suffix(text, m.start(), m.end(), floor):
                continue
            start = self._grow_left(text, m.start(), floor)
            if (
                m.group() in _LEARNED
                and text[start - 1 : start] in _JOINERS
                and start > floor
                and not text.endswith(_EXTENDABLE_TUPLE, floor, start - 1)
            ):
                # 腐蚀与防护学会, 石油和化工协会: two subjects joined in one name
                joined = self._grow_left(text, start - 1, floor)
                start = joined if joined < start - 1 else start
            if m.group() in _EXTENDABLE:
                start = self._extend_left(text, start, m.start(), floor)
            elif start == m.start() and m.group() in _TRADES:
                start = self._brand_start(text, m.start(), floor)
            known = self._known(text, floor, m.end())
            if known is not None and known <= start:
                spans.append((known, m.end()))
            elif self._plausible(text, start, m.group(), m.start()):
                spans.append((start, m.end()))
            elif m.group() in _SELF_SUFFIXES:
                bare = _bare(text, m.start(), m.end(), floor)
                if bare is not None:
                    spans.append((bare, m.end()))
        return spans


def _bare(text: str, start: int, end: int, floor: int) -> int | None:
    """Start of a company named by itself (本公司, or 公司 as the subject of a résumé
    line: 现任公司董事), or None."""
    if start > floor and text[start - 1] == "本":
        return start - 1
    before_ok = start == floor or text[start - 1] in _BOUNDARY_CHARS
    before_ok = before_ok or any(
        start - n >= floor and text[start - n : start] in _BOUNDARY_WORDS for n in (1, 2, 3)
    )
    if before_ok and any(text.startswith(w, end) for w in _TITLES_AFTER):
        return start
    return None


def _merge(spans: list[tuple[int, int]], text: str = "") -> list[RawSpan]:
    """Overlapping spans, and touching ones (大学 + 学院), become one; a department
    touching its company (有限公司 + 财务部) stays apart and is dropped."""
    merged: list[RawSpan] = []
    for start, end0 in sorted(spans):
        paren = _ABBREVIATION.match(text, end0)
        end = paren.end() if paren else end0  # 美国证券交易委员会(SEC)
        if merged and start <= merged[-1][1] < end and text.endswith(_DEPARTMENT_ENDS, start, end):
            continue
        if merged and merged[-1][0] <= start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), "ORG")
            continue
        merged.append((start, end, "ORG"))
    return merged


@lru_cache(maxsize=1)
def build_org_finder() -> OrgFinder:
    """The process-wide organisation finder."""
    lexicon = load_lexicon()
    return OrgFinder(lexicon, TeamFinder(lexicon))
