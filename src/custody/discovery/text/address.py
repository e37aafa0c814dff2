"""Whole-address spans: administrative divisions, roads, buildings and numbers, chained.

An address starts right after a cue (地址、寄到、住在 ...), at a known province or city
name, or at the start of a clause; from there it is parsed as a chain of components
(名称 + 省/市/区/县/镇/村/路/街/巷/号/栋/单元/室/小区/大厦 ...), and once the chain is
convincing it runs on to the end of the clause, since real addresses end in shop names,
room numbers and landmarks that no grammar lists. Province names are the 34 divisions;
city names come from Faker's zh_CN address provider (MIT).
"""

from __future__ import annotations

import importlib.metadata
import re
from functools import lru_cache

from custody.discovery.text.identifiers import RawSpan
from custody.discovery.text.lexicon import trie_pattern, words_of
from custody.discovery.text.table_cache import load_or_build, source_fingerprint

__all__ = ["AddressFinder", "build_address_finder"]

_PROVINCES = words_of(
    "北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 "
    "河南 湖北 湖南 广东 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门"
)
# Characters that never belong to a place name: they end a component or an address.
_STOP_CHARS = (
    "在的了是说要请把给我你他她它们吗呢啊哦呀嘛或及并而但却因虽这些每该此其么怎谁着得被让能很"
    "也就还没已不再又"
)
_HINT_CHARS = "省市区县旗盟镇乡村组屯庄路街道巷弄里栋幢座室层楼园苑城府湾庭阁厦场寓港站"
_ADMIN = "省|自治区|特别行政区|自治州|自治县|地区|盟|市|新区|区|县|旗|镇|乡|街道|社区|村|组|屯|庄"
_ROAD = "大道|大街|路|街|道|巷|弄|胡同|里"
_POI = (
    "小区|大厦|花园|广场|公寓|家园|新村|苑|园|城|中心|工业区|工业园|开发区|大楼|商城|市场|"
    "科技园|产业园|山庄|名都|府|湾|庭|阁|公馆|宿舍|大院|楼|村委|港|站"
)
_UNIT = "号楼|号院|号|栋|幢|座|单元|室|层|楼|F|户|房|铺|商铺|期|区|组|弄|排|门|栋楼"
_NUM = "[0-9A-Za-z一二三四五六七八九十百零〇]{1,8}(?:[-#_][0-9A-Za-z]{1,8})*"
_TAIL_STOP_WORDS = (
    "周末|白天|晚上|上午|下午|中午|明天|今天|后天|工作日|然后|以后|之前|之后|电话|联系|手机|"
    "谢谢|麻烦|收件|签收|快递员|送货|寄件|备注|客户|家长|邮箱|身份证|卡号|订单|"
    # news and résumé lines: a verb of saying or a title ends the place
    "表示|透露|指出|认为|近日|日前|担任|出任|现任|曾任|总工程师|总经理|副总经理|董事长|"
    "副董事长|监事|书记|局长|部长|处长"
)
_TRIGGERS = (
    "收货地址|送货地址|家庭地址|联系地址|通讯地址|邮寄地址|详细地址|地址|住址|居住在|住在|家住|"
    "现住|寄到|寄往|寄至|邮寄到|邮寄至|送到|送至|送往|发到|发往|发至|搬到|搬至|迁至|位于|"
    "改为|改成|更改为|变更为|改到"
)


def _name_class() -> str:
    """A character class: CJK ideographs minus the stop characters, as ranges."""
    stops = sorted({ord(c) for c in _STOP_CHARS})
    ranges: list[str] = []
    low = 0x4E00
    for cp in stops + [0xA000]:
        if cp > low:
            ranges.append(f"{chr(low)}-{chr(cp - 1)}" if cp - 1 > low else chr(low))
        low = cp + 1
    return "[" + "".join(ranges) + "]"


class AddressFinder:
    """Finds whole addresses in running text; build it once with `build_address_finder`."""

    def __init__(self, cities: list[str]) -> None:
        name = _name_class()
        # A prefix tree tries one branch per character (longest names first, as before).
        places = trie_pattern(set(_PROVINCES) | set(cities))
        self._component = re.compile(
            rf"(?:(?P<place>{places})(?:省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区)?"
            rf"|{name}{{0,10}}?(?:(?P<admin>{_ADMIN})|(?P<road>{_ROAD})|(?P<poi>{_POI}))"
            rf"|(?P<num>{_NUM}(?:{_UNIT})?))[\-_ ]?"
        )
        # Where an address may start: a known place name, or a clause start followed soon
        # by an administrative or road suffix. Two expressions that each open with a
        # character class (a place's first character, a clause end) let the engine skip
        # quickly to a candidate; `_soon_suffix` at the text's start covers the rest.
        self._place = re.compile(places)
        soon_suffix = f"(?={name}{{1,8}}?[省市区县镇乡村路街道巷弄])"
        self._clause_start = re.compile(rf"[，,。；;！!？?\s:：、（(）)]{soon_suffix}")
        self._soon_suffix = re.compile(soon_suffix)
        # A hint character, or 号 after a digit; one character class first, so that the
        # engine skips to a candidate quickly.
        self._hint = re.compile(f"[{_HINT_CHARS}号](?:(?<=号)(?<=\\d.)|(?<!号))")
        # After a cue, a name with no suffix may open the address if a number follows it
        # (四季桃源6号楼, 立达建材市场401047).
        self._free = re.compile(rf"{name}{{2,12}}?(?={_NUM}(?:{_UNIT}))")
        self._trigger = re.compile(rf"(?:(?:{_TRIGGERS})[是为在:：\s]*)+")
        self._tail = re.compile(rf"(?:(?!{_TAIL_STOP_WORDS}){name}|[0-9A-Za-z\-#_()（）])+")

    def _parse(self, text: str, start: int, limit: int) -> tuple[int, set[str], int]:
        """Parse components from `start`: (end, kinds seen, number of components)."""
        pos, kinds, count = start, set(), 0
        while pos < limit:
            m = self._component.match(text, pos, limit)
            if m is None or m.end() == pos:
                break
            kind = m.lastgroup or "num"
            if kind == "num" and count == 0:
                break
            kinds.add(kind)
            count += 1
            pos = m.end()
        while pos > start and text[pos - 1] in "-_ ":
            pos -= 1
        return pos, kinds, count

    def _extend(self, text: str, pos: int, limit: int) -> int:
        m = self._tail.match(text, pos, limit)
        end = m.end() if m else pos
        while end > pos and text[end - 1] in "-_(（":
            end -= 1
        return end

    def _accept(self, kinds: set[str], count: int, cued: bool) -> bool:
        strong = kinds & {"place", "admin", "road", "poi"}
        if cued:
            return bool(strong)
        if count < 2 or not strong:
            return False
        return bool(kinds & {"road", "poi", "num"}) or count >= 3

    def find(self, text: str, limits: list[tuple[int, int]]) -> list[RawSpan]:
        """Address spans that do not overlap the already claimed `limits` (sorted)."""
        if self._hint.search(text) is None:
            return []
        triggers = [m.span() for m in self._trigger.finditer(text)]
        starts = {end: _CUED for _, end in triggers}
        for begin in self._starts(text):
            clause = begin == 0 or text[begin - 1] in _CLAUSE_ENDS
            starts.setdefault(begin, _CLAUSE if clause else _PLACE)
        if not starts:
            return []
        found: list[RawSpan] = []
        covered = 0
        for start in sorted(starts):
            if start < covered or start >= len(text):
                continue
            if starts[start] != _CUED and any(lo <= start < hi for lo, hi in triggers):
                continue
            limit = _next_limit(limits, start, len(text))
            limit = min([lo for lo, _ in triggers if lo > start] + [limit])
            end = self._span_end(text, start, limit, starts[start])
            if end - start >= 3:
                found.append((start, end, "ADDRESS"))
                covered = end
        return found

    def _starts(self, text: str) -> list[int]:
        """Positions where an address may start: known place names (not inside one
        another) and clause starts followed soon by a division or road suffix."""
        begins = [m.start() for m in self._place.finditer(text)]
        if self._soon_suffix.match(text) is not None:
            begins.append(0)
        begins += [m.end() for m in self._clause_start.finditer(text)]
        return begins

    def _span_end(self, text: str, start: int, limit: int, how: int) -> int:
        """End of the address starting at `start`, or `start` when there is none."""
        if limit <= start:
            return start
        end, kinds, count = self._parse(text, start, limit)
        if count == 0 and how == _CUED:
            free = self._free.match(text, start, limit)
            if free is not None:
                end, kinds, count = self._parse(text, free.end(), limit)
                kinds.add("poi")
        if not self._accept(kinds, count, how == _CUED):
            return start
        if how != _PLACE or {"road", "num"} <= kinds:
            # a cue, a clause start or a whole street address: landmarks and rooms follow
            end = self._extend(text, end, limit)
        if how != _CUED and "num" not in kinds:
            clause = _CLAUSE_END.search(text, end)
            if _ORGISH.search(text, start, clause.start() if clause else len(text)):
                return start  # an office or a company named by its place (北京市政府)
        return end


_CUED, _CLAUSE, _PLACE = 2, 1, 0
_CLAUSE_END = re.compile("[，,。；;！!？?、：:（(）)\\s]")
_ORGISH = re.compile(
    "政府|法院|检察院|局|委员会|公司|集团|银行|大学|学院|医院|酒店|军区|开发中心|发行中心|研究中心|总站|"
    "学会|协会|商会|研究会|研究所|实验室|部|厅|报社|出版社|通讯社|杂志社|电视台|电台"
)
_CLAUSE_ENDS = frozenset("，,。；;！!？?:：、（(）) \t\n")


def _next_limit(limits: list[tuple[int, int]], start: int, default: int) -> int:
    for lo, hi in limits:
        if lo <= start < hi:
            return start
        if lo >= start:
            return lo
    return default


def _faker_cities() -> list[str]:
    from faker.providers.address.zh_CN import Provider

    return [str(c) for c in Provider.cities]


@lru_cache(maxsize=1)
def build_address_finder() -> AddressFinder:
    """The process-wide address finder (regular expressions compiled once). The city
    names are kept in the table cache: importing Faker costs more than reading them."""
    parts = [importlib.metadata.version("faker"), source_fingerprint(__name__)]
    cities: list[str] = load_or_build("cities", parts, _faker_cities)
    return AddressFinder(cities)
