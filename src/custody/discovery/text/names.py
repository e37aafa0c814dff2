"""Chinese personal names in running text: surname-anchored candidates, scored.

Each surname occurrence proposes a name of one or two given-name characters. A candidate
scores by how common its surname is, by how much more often its given-name characters
occur in names than in ordinary words (see `lexicon`), by whether it is itself a known
name, by words it would cut in two, and by the words around it (客户、家长、联系 before;
说、表示、的、先生 after). Only surname positions are looked at, which keeps the scan fast.
"""

from __future__ import annotations

import re
from functools import lru_cache

from custody.discovery.text.identifiers import RawSpan, to_halfwidth_same_length
from custody.discovery.text.lexicon import (
    COMPOUND_SURNAMES,
    Lexicon,
    lexicon_fingerprint,
    load_lexicon,
    words_of,
)
from custody.discovery.text.table_cache import load_or_build, source_fingerprint

__all__ = ["TRANSLIT", "NameFinder", "NameTables", "build_name_finder", "name_tables"]

_NOT_GIVEN = set(
    "的了是说要请把给我你他她它们吗呢吧啊哦呀嘛和与或及并而但却因为所以如这那些每该此么则亦乃皆仍便颇"
    "怎谁着过得被让很也就还没已不在有到从对向往于以将等个位名次年月日号元块岁时分先女士"
    "电话手机邮箱地址卡订单客户家联系备用号码微信总老奶爷叔姨哥姐嫂妈爸伯婶舅师氏某局处本"
    "部队省市县区乡镇村"
)
# Characters of transliterated foreign words (阿森纳, 莫斯科, 沃尔科特).
TRANSLIT = frozenset(
    "阿斯尔特克拉德纳尼亚里利罗莫卡布巴伊奥维丁索诺格多夫沃埃萨塔蒂菲佩兹弗普勒默莱基吉科曼姆森"
    "逊顿迪瓦贝福哈乌缪霍汉杰琼娜丽莎琳茨图费富夷威浮莉蒙欧舍泽瑞赫耶戈恩比"
)
_LEFT_CUES = words_of(
    "客户 家长 联系人 联系 学员 学生 孩子 老师 先生 记者 患者 收件人 收货人 姓名 名叫 叫 找 给 "
    "由 和 与 同 跟 让 请 向 对 经理 主任 总裁 董事长 教练 主席 队长 球员 演员 歌手 导演 作家 "
    "教授 博士 院士 市长 省长 局长 部长 总理 总统 校长 院长 会长 主持人 员工 同事 朋友 "
    "爸爸 妈妈 父亲 母亲 儿子 女儿 丈夫 妻子 本人 代表 委员 书记 厂长 店长 司机 师傅 介绍人 "
    "负责人 法人 业主 租户 房东 病人 学生家长 监护人 签收人 经办人 "
    "总工程师 工程师 设计师 总监 副总裁 董事 监事 秘书长 理事长 行长 处长 科长 所长 馆长 "
    "社长 常委 主编 编辑 画家 诗人 作者 球星 前锋 后卫 门将 主帅 主教练 选手 玩家 网友 "
    "嫌疑人 被告 原告 律师 法官 民警 主角 艺人 明星 影星 歌星 专家 学者 研究员 副主任 "
    "副局长 副部长 副市长 副总经理 总经理 创始人 执行官 发言人 分析师 评论员 编剧 制片人 "
    # who is who in a business's notes: account holders, senders, the person to tell
    "开户人 持卡人 户名 收款人 付款人 寄件人 发件人 取件人 领取人 对接人 申请人 委托人 "
    "代理人 担保人 推荐人 班主任 抄送 通知 提醒 转告 告知 "
    # players and officials in sports news
    "中卫 中场 边锋 边后卫 射手 外援 新援 名将 国脚 球王 助教 主力 替补 老将 小将 队员 "
    "守门员 主裁 裁判 车手 拳王 棋手"
)
_RIGHT_CUES = words_of(
    "说 表示 认为 指出 称 告诉 介绍 透露 强调 先生 女士 小姐 老师 同学 教授 医生 经理 总 "
    "主任 书记 的 要求 反映 已 来 去 到 和 与 等 同志 师傅 阿姨 家长 电话 手机 联系 回复 "
    "确认 签收 收 打 是 今天 明天 也 都 还 就 曾 将 被 带 在 于 出生 毕业 担任 任 现任 所 "
    "为 则 又 却 因 已经 正在 一直 本人 你好 您好 ， 。 、 ： , （ ） "
    # what a note writes right after a customer's name (cues are read two characters at
    # a time: 身份 for 身份证)
    "身份 证件 卡号 银行 账号 邮箱 地址 微信 护照 同学 负责 叔叔"
)
_STRONG_LEFT = frozenset(
    words_of(
        "客户 家长 联系人 联系 学员 学生 收件人 收货人 姓名 名叫 患者 记者 经办人 签收人 "
        "监护人 负责人 法人 业主 介绍人 教练 董事长 总经理 主任 老师 开户人 持卡人 户名 "
        "收款人 付款人 寄件人 发件人 取件人 领取人 对接人 申请人 委托人 代理人 担保人"
    )
)
# The scanner matches on half-width text (，→ ,), so cues with punctuation come in both forms.
_STRONG_RIGHT = frozenset(
    words_of("，男 ，女 ：男 ：女 ,男 ,女 :男 :女 先生 女士 同志 老师 教授 男士 小姐")
)
_LEFT_WEIGHTS = {cue: 2.5 if cue in _STRONG_LEFT else 1.0 for cue in {*_LEFT_CUES, *_STRONG_LEFT}}


_CUE_ENDS = frozenset(cue[-1] for cue in _LEFT_WEIGHTS)
_OPENINGS = frozenset("(（")  # the scanner sees half-width text; both forms for callers
_CUE_TAILS = frozenset(cue[-2:] for cue in _LEFT_WEIGHTS if len(cue) > 1)


def _left_weight(text: str, start: int) -> float:
    """Weight of the cue word ending right before `start` (1.0 at the start of the text or
    of a bracket: 电话13812345678（王某）)."""
    if start == 0 or text[start - 1] in _OPENINGS:
        return 1.0
    if text[start - 1] in _COLONS and start > 1:
        start -= 1  # a labelled field: 家长：王某
    if text[start - 1] not in _CUE_ENDS:
        return 0.0
    for length in (4, 3, 2, 1):
        if length <= start:
            weight = _LEFT_WEIGHTS.get(text[start - length : start])
            if weight is not None:
                return weight
    return 0.0


_THRESHOLD = 3.0
_PLACE_WORD_TAGS = frozenset({"ns", "nz", "nt", "i", "l"})
_WHOLE_WORD_TAGS = frozenset({"ns", "nz", "n", "l", "i", "nt", "j", "v", "a", "d"})
# Tags of dictionary words that a given name is unlikely to be (王 + 适宜, 李 + 建立).
_GIVEN_WORD_TAGS = frozenset(words_of("ns nt nz n v vn s f t j a ad an d r c p z b"))
_BLOCK = 2.4
_SURE_CONTEXT = 3.5
_NAME_TAGS = frozenset({"nr", "nrfg"})
# Last characters of places and buildings that given names do not end in (山, 江, 海, 城 do).
_PLACE_ENDS = frozenset("河湖桥门宫庙寺塔楼村镇县省市岛院车")


class NameFinder:
    """Scores surname-anchored candidates; build once with `build_name_finder`."""

    def __init__(self, lexicon: Lexicon, tables: NameTables | None = None) -> None:
        self._lex = lexicon
        cut, cut3, long_bigrams, translit, nrt, verbs = tables or name_tables(lexicon)
        firsts = "".join(sorted({s[0] for s in lexicon.surname_score}))
        # A surname counts only when a plausible given-name character follows it (checked
        # inside the regular expression, so most surname characters cost nothing);
        # characters never seen in a name are plausible, rare ones are common in names.
        unlikely = "".join(
            sorted({c for c, v in lexicon.given_score.items() if v <= _GIVEN_FLOOR} | _NOT_GIVEN)
        )
        seconds: dict[str, str] = {}
        for s in sorted(s for s in lexicon.surname_score if len(s) == 2):
            seconds[s[0]] = seconds.get(s[0], "") + s[1]
        compounds = "|".join(f"(?<={a})[{b}]" for a, b in sorted(seconds.items()))
        # One character class first (the engine skips to it quickly), then which kind:
        # a single surname before a plausible given-name character, or a compound one.
        self._surname = re.compile(
            f"[{firsts}{''.join(seconds)}](?:(?<=[{firsts}])(?=[\u4e00-\u9fff])"
            f"(?![{re.escape(unlikely)}])|{compounds})"
        )
        self._right = frozenset(_RIGHT_CUES + [to_halfwidth_same_length(c) for c in _RIGHT_CUES])
        # Words that start right after a name (曾任, 表示): a name does not run into them.
        self._next_words = _NOT_NAME_STARTS | {c for c in self._right if len(c) == 2}
        self._surnames = lexicon.surname_score
        self._words = lexicon.words
        self._name_words = lexicon.name_words
        self._given_names = lexicon.given_names
        self._given = {c: max(min(v, 4.0), -4.0) for c, v in lexicon.given_score.items()}
        self._verbs_after_name = _VERB_AFTER_NAME | verbs
        self._cut = cut
        # Three-character common words a name's last character would cut (盖某博 + 物馆).
        self._cut3 = cut3
        # Common two-character words a surname inside them cannot start a name from.
        self._block = frozenset(
            w
            for w, p in self._cut.items()
            if p >= _BLOCK and w not in COMPOUND_SURNAMES and not self._famous_name(w)
        )
        self._edge_pairs = long_bigrams | _CUE_TAILS
        foreign = "".join(sorted(TRANSLIT | translit))
        self._foreign_run = re.compile(f"[{foreign}]{{2,7}}")
        # One character class first, so that the engine skips to a candidate quickly.
        self._foreign_hint = re.compile(f"[A-Z·•{foreign}](?:(?<=[A-Z·•])|[{foreign}])")
        self._nrt = nrt
        # Verdicts by window around a surname (see `find`); a plain dict is thread-safe
        # enough here: a lost entry is only computed again.
        self._memo: dict[str | tuple[int, str], tuple[tuple[float, int], ...]] = {}

    def _famous_name(self, word: str) -> bool:
        """A frequent two-character `nr` word of a common surname and a name-like given
        character (李娜, 赵云, 王平): jieba knows it as a famous person's name, and it is
        the name of many customers too. Scoring, not the block, judges it."""
        if (
            self._surnames.get(word[0], 0.0) < _COMMON_SURNAME
            or self._given.get(word[1], _UNSEEN_GIVEN) < _NAME_LIKE_GIVEN
        ):
            return False  # most words; asked first, as this runs over every cut word
        entry = self._words.get(word)
        return entry is not None and entry[1] == "nr"

    def _context(self, text: str, start: int, end: int) -> float:
        """Evidence from the words around text[start:end]."""
        return _left_weight(text, start) + self._right_weight(text, end)

    def _right_weight(self, text: str, end: int) -> float:
        """Evidence from what follows a candidate ending at `end`."""
        if end >= len(text):
            return 1.0
        after = text[end : end + 2]
        if after in _STRONG_RIGHT:
            return 3.0
        if after[0] in self._right or after in self._right:
            return 1.5
        return 0.0

    def _best(self, text: str, start: int, surname: str, left: float) -> tuple[float, int] | None:
        """The better of the one- and two-character given names after `surname`, scored by
        the surname, the given-name characters, whether the candidate is a known name or a
        common word, the common words its edges would cut, and the words around it.

        A candidate that cannot be a name (a transliterated word, 曾任..., a title) is left
        out: its score could never reach the threshold.
        """
        pos = start + len(surname)
        size = len(text)
        if pos >= size or text[start : start + 2] in _NOT_NAME_STARTS:
            return None
        cut = self._cut
        cut3 = self._cut3
        head_cut = cut.get(text[start : start + 2], 0.0)
        before_cut = 0.0
        if (
            start
            and text[start - 1 : start + 1] not in COMPOUND_SURNAMES
            and (start < 2 or text[start - 2 : start] not in cut)
        ):
            before_cut = cut.get(text[start - 1 : start + 1], 0.0)
        surname_score = self._surnames.get(surname, 0.0)
        best: tuple[float, int] | None = None
        for end in (pos + 1, pos + 2):
            if end > size:
                break
            char = text[end - 1]
            if char in _NOT_GIVEN or not ("\u4e00" <= char <= "\u9fff"):
                break
            two = end > pos + 1
            if two and text[end - 1 : end + 1] in self._next_words:
                break  # the next word starts here: 王晶 + 曾任, not 王晶曾
            if (
                text[end : end + 1] in _PLACE_ENDS
                and text[start : end + 1] in self._words
                and text[start : end + 1] not in self._name_words
            ):
                break  # the start of a place or a building: 某鹤 + 楼
            given = text[pos:end]
            known_given = two and given in self._given_names
            if given in _TITLES or (
                not TRANSLIT.isdisjoint(text[start - 1 if start else 0 : end + 1])
                and _foreign(text, start, end, known_given, text[end : end + 2] in self._right)
            ):
                continue
            context = left + self._right_weight(text, end)
            candidate = text[start:end]
            if candidate in self._name_words:
                score = surname_score + 3.0 + context
            else:
                entry = self._words.get(candidate)
                if (
                    entry is not None
                    and (entry[1] not in _NAME_TAGS or (two and char in _PLACE_ENDS))
                    and context < (_SURE_CONTEXT if entry[0] >= _RARE_WORD else _STRONG)
                ):
                    # a common word, unless the words around it are sure; so is a
                    # three-character `nr` word that the lexicon does not take for a name
                    # and that ends like a place (某某宫, 某某桥: see `lexicon._is_name`)
                    continue
                base = self._given_part(surname_score, given, two, known_given)
                # the words its last character would form with what follows, unless a
                # cue word follows (赵想 + 要求, not 赵 + 想要) or another name does
                # (邱平 + 和 + 周某, not 邱 + 平和)
                tail_cut = (
                    0.0
                    if text[end : end + 2] in self._right
                    or (text[end : end + 1] in _AND and text[end + 1 : end + 2] in self._surnames)
                    else max(
                        cut.get(text[end - 1 : end + 1], 0.0),
                        cut3.get(text[end - 1 : end + 2], 0.0),
                    )
                )
                cuts = head_cut + tail_cut + before_cut
                score = base + context - (cuts * 0.4 if context >= _SURE_CONTEXT else cuts)
            if best is None or score > best[0]:
                best = (score, end)
        return best

    def _given_part(self, score: float, given: str, two: bool, known_given: bool) -> float:
        """`score` (the surname's) plus the evidence of the given name."""
        given_score = self._given
        score += given_score.get(given[0], _UNSEEN_GIVEN)
        if two:
            score += given_score.get(given[1], _UNSEEN_GIVEN)
            if given[1] in self._verbs_after_name:
                # 张明 + 来取, 李华 + 说: the verb after a name, not its last character
                score -= _VERB_AFTER_NAME_PENALTY
            if known_given:
                score += 2.3
            else:
                score += 0.8
                entry = self._words.get(given)
                if entry is not None and entry[1] in _GIVEN_WORD_TAGS:
                    # a rare dictionary word (培修, 领国) is weak evidence against a given name
                    rare = entry[0] < _RARE_WORD
                    if entry[1] == "ns":
                        score -= 3.0 if rare else 6.0
                    else:
                        score -= 1.0 if rare else 3.0
        return score

    def _inside_word(self, text: str, start: int, end: int) -> bool:
        """True when a longer place or common word runs across the candidate's start
        (乌鲁木齐 -> not 鲁木齐, 雅鲁藏布 -> not 鲁藏布), or its surname character ends a
        title cue (总工程师 + 康帆 -> not 师康帆)."""
        if text[start - 1 : start + 1] in _CUE_TAILS and any(
            text[max(start - n, 0) : start + 1] in _LEFT_WEIGHTS for n in (1, 2, 3)
        ):
            return True
        words = self._lex.words
        for back in (1, 2):
            if start < back:
                break
            for length in range(back + 2, back + 5):
                entry = words.get(text[start - back : start - back + length])
                if entry is not None and entry[1] in _WHOLE_WORD_TAGS and entry[0] >= 5:
                    return True
        for length in (end - start + 1, end - start + 2):
            entry = words.get(text[start : start + length]) if start + length <= len(text) else None
            if entry is not None and entry[1] in _PLACE_WORD_TAGS and entry[0] >= 5:
                return True
        return False

    def _blocked(self, text: str, i: int) -> bool:
        """Cheap rejection: the surname character sits inside a common word (周末, 订单)."""
        pair = text[i : i + 2]
        if pair in self._block and text[i : i + 3] not in self._lex.name_words:
            return True
        return bool(i) and text[i - 1 : i + 1] in self._block and text[i - 2 : i] not in self._cut

    def find(self, text: str, limits: list[tuple[int, int]]) -> list[RawSpan]:
        """Name spans not overlapping the claimed `limits`.

        Surnames are found by one regular expression that also requires a plausible
        given-name character after them, so most characters cost nothing.
        """
        scored: list[tuple[float, int, int]] = []
        claimed = iter(limits)
        lo, hi = next(claimed, _NO_LIMIT)
        memo = self._memo
        for m in self._surname.finditer(text):
            i = m.start()
            while i >= hi:
                lo, hi = next(claimed, _NO_LIMIT)
            if i >= lo:
                continue  # inside a claimed span: every candidate here would overlap it
            # A candidate's verdict depends only on the characters around it (see
            # `_WINDOW_BEFORE`), and notes repeat their phrases: remember verdicts.
            back = _WINDOW_BEFORE + 1 if text[i - 1 : i] in _COLONS else _WINDOW_BEFORE
            key: str | tuple[int, str] = (
                text[i - back : i + _WINDOW_AFTER] if i >= back else (i, text[: i + _WINDOW_AFTER])
            )
            verdict = memo.get(key)
            if verdict is None:
                verdict = self._candidates(text, i)
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[key] = verdict
            for score, length in verdict:
                scored.append((score, i, i + length))
        if "男" in text or "女" in text:
            scored += self._headed_names(text)
        if self._foreign_hint.search(text):
            scored += self._foreign_names(text)
        if not scored:
            return []
        return _pick(scored, limits, "PERSON")

    def clear_memo(self) -> None:
        """Forget remembered verdicts (benchmarks measure the finder itself)."""
        self._memo.clear()

    def _candidates(self, text: str, i: int) -> tuple[tuple[float, int], ...]:
        """(score, length) of the names that start at the surname at `i` and reach the
        threshold. Reads only text[i - _WINDOW_BEFORE : i + _WINDOW_AFTER] (one character
        more after a colon) and whether the text starts or ends inside that window."""
        left = _left_weight(text, i)
        # Only cues around the candidate (客户…说, 联系…。) can overturn a block.
        if (
            self._blocked(text, i)
            and left + max(self._right_weight(text, i + 2), self._right_weight(text, i + 3))
            < _STRONG
        ):
            return ()
        found: list[tuple[float, int]] = []
        for sur in (text[i : i + 2], text[i]):
            if sur in self._surnames:
                best = self._best(text, i, sur, left)
                if best is None or best[0] < _THRESHOLD:
                    continue
                end = best[1]
                # `_inside_word` only when a telling pair of characters is there
                if (
                    text[i - 1 : i + 1] in self._edge_pairs
                    or text[end - 1 : end + 1] in self._edge_pairs
                ) and self._inside_word(text, i, end):
                    continue
                found.append((best[0], end - i))
        return tuple(found)

    def _headed_names(self, text: str) -> list[tuple[float, int, int]]:
        """A name heading a résumé line or a clause, then its sex: 王某某，男，..."""
        found: list[tuple[float, int, int]] = []
        for m in _HEADED_NAME.finditer(text):
            name = m.group(1)
            known = (name[:2] in self._surnames and len(name) >= 3) or name[0] in self._surnames
            if known or (len(name) == 3 and self._lex.tag(name) in (None, "nr", "nrfg")):
                found.append((9.0, m.start(1), m.end(1)))
        return found

    def _person_cue(self, text: str, start: int, end: int) -> bool:
        """A title before (教练, 导演) or a verb of saying after (说, 表示): the words
        around a transliterated run that make it a person rather than a place."""
        if text[end : end + 2] in _SAYS or text[end : end + 1] == "说":
            return True
        if text[end : end + 1] in _ADVERBS and text[end + 1 : end + 2] == "说":
            return True  # 某某都说, 某某也说
        if text[start - 1 : start] in "老小":
            start -= 1  # 教练老某某: the title, then 老 or 小 before the name
        return any(text[start - n : start] in _LEFT_WEIGHTS for n in (4, 3, 2) if start >= n)

    def _dotted_any(self, text: str) -> list[tuple[int, int]]:
        """Names of any characters joined by a middle dot (阿依·古丽): a dot between two
        runs of ideographs is how Chinese writes a foreign or a minority full name.

        The run is cut after a title, a common word or a function word on the left (导演,
        主演, 的), and before a verb or a function word on the right; a run whose part is
        a place or an organisation (中国·杭州) is no name.
        """
        found: list[tuple[int, int]] = []
        for m in _DOTTED_RUN.finditer(text):
            dots = [m.start() + k for k, char in enumerate(m.group()) if char in "·•"]
            first_dot, last_dot = dots[0], dots[-1]
            start = m.start()
            for pos in range(m.start() + 1, first_dot):
                word = text[pos - 2 : pos] if pos - 2 >= m.start() else ""
                if (
                    text[pos - 1] in _DOTTED_STOPS
                    or (word in self._cut and self._lex.tag(word) not in _NAME_LIKE_TAGS)
                    or any(
                        text[pos - n : pos] in _LEFT_WEIGHTS
                        for n in (2, 3, 4)
                        if pos - n >= m.start()
                    )
                ):
                    start = pos
            end = m.end()
            for pos in range(last_dot + 2, m.end()):
                pair = text[pos : pos + 2]
                if (
                    text[pos] in _DOTTED_STOPS
                    or pair in _SAYS
                    or (pair in self._cut and self._lex.tag(pair) in _VERB_TAGS)
                ):
                    end = pos
                    break
            parts = _DOT.split(text[start:end])
            if (
                len(parts[0]) <= _DOTTED_MAX
                and len(parts[-1]) <= _DOTTED_MAX + 1
                and all(parts)
                and not any(self._lex.tag(part) in _PLACE_OR_ORG for part in parts)
            ):
                found.append((start, end))
        return found

    def _foreign_names(self, text: str) -> list[tuple[float, int, int]]:
        """Dotted transliterated names (哈维尔·巴尔顿) and capitalised Latin names in context."""
        found: list[tuple[float, int, int]] = []
        if "·" in text or "•" in text:
            found += [(9.0, m.start(), m.end()) for m in _DOTTED_NAME.finditer(text)]
            found += [(8.5, start, end) for start, end in self._dotted_any(text)]
        for m in _TRANSLIT_RUN.finditer(text):
            if m.group() in self._nrt:
                context = self._context(text, m.start(), m.end())
                if context >= 1.5 or m.end() - m.start() >= 3:
                    found.append((2.0 + context, m.start(), m.end()))
        for m in self._foreign_run.finditer(text):
            start, end = m.span()
            if self._lex.tag(m.group()) not in _NOT_PERSON_TAGS and self._person_cue(
                text, start, end
            ):
                found.append((3.5, start, end))
        if _LATIN_HINT.search(text):
            for m in _LATIN_NAME.finditer(text):
                if self._context(text, m.start(), m.end()) >= 1.5:
                    found.append((2.5, m.start(), m.end()))
        return found


def _verbs_after_names(lexicon: Lexicon) -> frozenset[str]:
    """Frequent one-character verbs that given names seldom use (寄, 询, 送): seen after a
    name (给王军寄了), hardly ever at the end of one (fewer than ten of jieba's
    three-character person names end in them, against 36 for 开 and 421 for 华)."""
    name_ends: dict[str, int] = {}
    for word, (_, tag) in lexicon.words.items():
        if tag in _NAME_TAGS and len(word) == 3:
            name_ends[word[2]] = name_ends.get(word[2], 0) + 1
    return frozenset(
        w
        for w, (freq, tag) in lexicon.words.items()
        if len(w) == 1
        and tag == "v"
        and freq > _FREQUENT_VERB
        and name_ends.get(w, 0) < _NAME_END_VERB
        and lexicon.given_score.get(w, _UNSEEN_GIVEN) < _NAME_LIKE_VERB
    )


def _transliteration_chars(lexicon: Lexicon) -> frozenset[str]:
    """Characters typical of transliterated names: frequent in jieba's `nrt` words
    (transliterated names) and rare elsewhere in its dictionary."""
    in_nrt: dict[str, int] = {}
    anywhere: dict[str, int] = {}
    for word, (_, tag) in lexicon.words.items():
        for char in set(word):
            anywhere[char] = anywhere.get(char, 0) + 1
            if tag == "nrt":
                in_nrt[char] = in_nrt.get(char, 0) + 1
    return frozenset(
        c
        for c, n in in_nrt.items()
        if n >= _NRT_MIN and n / anywhere[c] >= _NRT_SHARE and "\u4e00" <= c <= "\u9fff"
    )


def _foreign(
    text: str, start: int, end: int, known_given: bool = False, cue_after: bool = False
) -> bool:
    """True when text[start:end] is part of a transliterated word (阿森纳, 梅塔利斯特);
    a name whose given part is a known given name (罗丽丽) is only judged by its edges,
    and a cue word right after it (邹丽丽 + 阿姨) is no continuation."""
    after = "" if cue_after else text[end : end + 1]
    if text[end - 1] in TRANSLIT and after in TRANSLIT:
        return True
    if start and text[start] in TRANSLIT and text[start - 1] in TRANSLIT:
        return True
    # A fragment of a longer transliterated word (朴茨茅斯, 马略卡): a strong
    # transliteration character right outside and a transliteration character inside.
    if (
        text[start - 1 : start] in _TRANSLIT_STRONG or after in _TRANSLIT_STRONG
    ) and not TRANSLIT.isdisjoint(text[start:end]):
        return True
    strong = 0
    every = True
    for char in text[start:end]:
        strong += char in _TRANSLIT_STRONG
        every = every and char in TRANSLIT
    return strong >= 2 or (end - start >= 3 and every and not known_given)


_TRANSLIT_STRONG = frozenset(
    "斯尔特克纳尼亚莫卡布巴伊奥索诺夫沃埃萨塔蒂菲佩兹弗普勒默莱科曼姆逊顿迪瓦贝哈乌缪霍茨图夷威蒙舍赫耶戈恩比"
)
# Titles and forms of address after a surname (王主任, 李经理): a reference, not a name.
_TITLES = frozenset(
    words_of(
        "主任 经理 先生 女士 小姐 医生 护士 同学 教授 博士 律师 会计 总监 董事 主席 队长 "
        "教练 记者 编辑 市长 省长 县长 区长 镇长 村长 厂长 店长 班长 组长 行长 秘书 助理 "
        "司机 警官 老板 总裁 副总 主管 专员 工程师 顾问 大夫 科长 院长 校长 所长 社长 "
        "部长 局长 处长 书记 委员 主编 导演 团长 营长 连长 排长 干事 站长 馆长 经纪 "
        "大爷 大妈 大叔 大姐 大哥 阿姨 叔叔 伯伯 奶奶 爷爷 姥姥 舅舅 婶婶"
    )
)
# Two-character starts that are words, not a surname and a given name.
_NOT_NAME_STARTS = frozenset(
    words_of(
        "曾任 曾经 曾在 曾于 曾是 曾获 曾担 曾就 任职 任教 任命 历任 现任 兼任 连任 "
        "但是 但又 但也 但最 由于 来自 连续 周末 周一 周二 周三 周四 周五 周六 周日"
    )
    # Parts of a week or a season (周中, 季初): time words like 周末, not 周/季 + a name.
    + [unit + part for unit in "周季" for part in "初中末底"]
)


_NRT_MIN = 15
_NRT_SHARE = 0.12
_NOT_PERSON_TAGS = frozenset({"ns", "nt", "nz", "n", "v", "vn", "a", "d"})
# Verbs of saying and thinking right after a person.
_SAYS = frozenset(
    words_of("表示 认为 指出 透露 告诉 强调 介绍 称赞 坦言 承认 回忆 解释 宣布 先生 女士")
)
_LATIN_HINT = re.compile("[A-Z][a-z]")
_HEADED_NAME = re.compile(
    r"(?:^|(?<=[。；;！!？?\s]))([\u4e00-\u9fff]{2,4}?)(?:先生|女士)?[，,：:]\s*[男女]"
    r"(?=[，,。；;、：:\s]|$)"
)
_TRANSLIT_RUN = re.compile("[" + "".join(sorted(TRANSLIT)) + "]{2,6}")
_RARE_WORD = 10
# Verbs and adverbs that follow a name (张明来取, 李华说过) and rarely end a given name.
_VERB_AFTER_NAME = frozenset("来去到说打收带在是也都还就将被于已曾任所为则又却因称")
_VERB_AFTER_NAME_PENALTY = 1.5
_FREQUENT_VERB = 1000
_NAME_LIKE_VERB = 0.5  # given-name evidence from which a verb is common in names (建, 立)
_NAME_END_VERB = 10
_AND = frozenset("和与及跟同")
_ADVERBS = frozenset("都也还曾又就便却亦")
_COMMON_SURNAME = 3.0  # surname evidence of the most common surnames (王 3.5, 李 3.5, 赵 3.3)
_NAME_LIKE_GIVEN = 0.8
_NO_LIMIT = (1 << 62, 1 << 62)
# What a surname candidate's verdict reads: from 4 characters before it (the longest left
# cue; one more after a colon: 联系人：) to 6 after it (a two-character surname, a
# two-character given name, then a two-character right cue or the character after a
# three-character cut word). A key read past a colon has the colon where any other key has
# its surname, so the two kinds never collide.
_WINDOW_BEFORE = 4
_COLONS = frozenset(":：")
_WINDOW_AFTER = 6
_MEMO_SIZE = 1 << 16
_UNSEEN_GIVEN = -0.5  # a character never seen in a name (rare characters are common in names)
_GIVEN_FLOOR = -2.5
_STRONG = 2.5
_DOTTED_PART = (
    "[" + "".join(sorted(TRANSLIT)) + "茱丝妮琪露黛薇珊娅雅安约翰汤玛芭伦斐蕾兰丹迈西瑟南"
    "多梅加马洛廉凯杰弗罗林鲁迈休汉]{1,4}"
)
_DOTTED_CHARS = _DOTTED_PART[: _DOTTED_PART.index("]") + 1]
_DOTTED_NAME = re.compile(
    f"(?<![·•])(?:{_DOTTED_PART}[·•]){{1,3}}"
    f"(?:[\u4e00-\u9fff]{{2,5}}?(?=[的说在等和与，。、（(》”·•,]|$)|{_DOTTED_CHARS}{{2,6}})"
)
_DOT = re.compile("[·•]")
_DOTTED_RUN = re.compile("[\u4e00-\u9fff]{1,10}(?:[·•][\u4e00-\u9fff]{1,10}){1,3}")
# Characters that end a dotted name's run: function words and verbs of saying.
_DOTTED_STOPS = frozenset("的了是在和与及或等将被把对向从给为说称也都就还又于由")
_DOTTED_MAX = 4
_PLACE_OR_ORG = frozenset({"ns", "nt"})
_VERB_TAGS = frozenset({"v", "vn", "vd", "d", "p", "c"})
_NAME_LIKE_TAGS = frozenset({"nr", "nrt", "nrfg", "nz"})
_LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9@.])[A-Z][a-z]{2,15}(?:[ ·][A-Z][a-z]{2,15})?"
    r"(?=说|表示|认为|称|在|发现|透露|指出|告诉|，)"
)


def _cut_penalties(lexicon: Lexicon, length: int = 2) -> dict[str, float]:
    """Common words of `length` characters that a name boundary would cut: word -> penalty."""
    cut: dict[str, float] = {}
    for word, (freq, _) in lexicon.words.items():
        if len(word) == length and freq > 50 and word not in lexicon.name_words:
            cut[word] = min(len(str(freq)) * 0.8, 4.0)
    return cut


def _pick(
    scored: list[tuple[float, int, int]], limits: list[tuple[int, int]], label: str
) -> list[RawSpan]:
    """Best-first choice of non-overlapping spans that avoid the claimed ones."""
    if len(scored) == 1:
        _, start, end = scored[0]
        for lo, hi in limits:
            if start < hi and lo < end:
                return []
        return [(start, end, label)]
    taken = list(limits)
    chosen: list[RawSpan] = []
    for _, start, end in sorted(scored, reverse=True):
        for lo, hi in taken:
            if start < hi and lo < end:
                break
        else:
            taken.append((start, end))
            chosen.append((start, end, label))
    return chosen


# (cut, cut3, long_bigrams, transliteration characters, nrt, verbs after names): see
# `name_tables`.
NameTables = tuple[
    dict[str, float],
    dict[str, float],
    frozenset[str],
    frozenset[str],
    frozenset[str],
    frozenset[str],
]


def name_tables(lexicon: Lexicon) -> NameTables:
    """The finder's tables derived from the whole dictionary (a second or two to build):
    common two- and three-character words a name boundary would cut; character pairs
    inside longer place and common words (to skip `_inside_word`); characters typical of
    transliterated names; transliterated person names jieba knows (tag nrt: 沃尔科特,
    米勒) as runs of transliteration characters; and verbs seen after names (寄, 送)."""
    long_bigrams = frozenset(
        w[k : k + 2]
        for w, (freq, tag) in lexicon.words.items()
        if 3 <= len(w) <= 6 and freq >= 5 and tag in _WHOLE_WORD_TAGS | _PLACE_WORD_TAGS
        for k in range(len(w) - 1)
    )
    nrt = frozenset(
        w
        for w, (freq, tag) in lexicon.words.items()
        if tag == "nrt" and 2 <= len(w) <= 6 and freq <= 3000 and all(c in TRANSLIT for c in w)
    )
    return (
        _cut_penalties(lexicon),
        _cut_penalties(lexicon, 3),
        long_bigrams,
        _transliteration_chars(lexicon),
        nrt,
        _verbs_after_names(lexicon),
    )


@lru_cache(maxsize=1)
def build_name_finder() -> NameFinder:
    """The process-wide name finder; its tables come from the table cache."""
    lexicon = load_lexicon()
    parts = [*lexicon_fingerprint(), source_fingerprint(__name__)]
    tables: NameTables = load_or_build("names", parts, lambda: name_tables(lexicon))
    return NameFinder(lexicon, tables)
