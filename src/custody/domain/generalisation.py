"""Generalisation ladders for quasi-identifiers (used by `custody.domain.anonymity`).

Each ladder maps a raw value, or a value of a lower level, to level i; levels nest, so
applying a higher level to an already generalised value gives the same result as applying
it to the raw one. The last level is always '*'.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = [
    "SUPPRESSED",
    "QuasiIdentifier",
    "age_band",
    "age_qi",
    "city_qi",
    "gender_qi",
    "item_qi",
    "province_of",
]

SUPPRESSED = "*"
# Band lower bounds per level; every level is a coarsening of the one before (nested).
_AGE_BOUNDS: tuple[tuple[int, ...], ...] = (
    (0, 14, 18, 30, 40, 50, 60),
    (0, 14, 18, 40, 60),
    (0, 18, 60),
)
_AGE_TOP = 120


@dataclass(frozen=True)
class QuasiIdentifier:
    """A column and its generalisation ladder: ladder[i] maps a raw value, or a value of a
    lower level, to level i; the last level is '*'."""

    name: str
    ladder: tuple[Callable[[str], str], ...]

    @property
    def max_level(self) -> int:
        return len(self.ladder) - 1


def _lower_bound(value: str) -> int | None:
    m = re.match(r"^\s*(\d{1,3})(?:\s*[-~–]\s*\d{0,3}|\+)?\s*(?:岁)?\s*$", value)
    return int(m.group(1)) if m else None


def age_band(value: str, level: int = 0) -> str:
    """'35' or '30-39' → '30-39' at level 0, '18-39' at 1, '18-59' at 2, '*' at 3."""
    age = _lower_bound(value)
    if age is None or level >= len(_AGE_BOUNDS) or age > _AGE_TOP:
        return SUPPRESSED
    bounds = _AGE_BOUNDS[level]
    lo = max(b for b in bounds if b <= age)
    following = [b for b in bounds if b > lo]
    return f"{lo}-{following[0] - 1}" if following else f"{lo}+"


def age_qi(name: str = "age") -> QuasiIdentifier:
    """Age (years, or a band) as bands that widen level by level."""
    levels = [lambda v, i=i: age_band(v, i) for i in range(len(_AGE_BOUNDS))]
    return QuasiIdentifier(name, (*levels, lambda v: SUPPRESSED))


_GENDER = {"男": "男", "m": "男", "male": "男", "女": "女", "f": "女", "female": "女"}


def gender_qi(name: str = "gender") -> QuasiIdentifier:
    """Gender normalised to 男/女 (others kept as given), then '*'."""

    def level0(v: str) -> str:
        s = v.strip()
        return _GENDER.get(s.lower(), s) if s else SUPPRESSED

    return QuasiIdentifier(name, (level0, lambda v: SUPPRESSED))


_PROVINCE_OF_CITY = {
    "北京": "北京",
    "上海": "上海",
    "天津": "天津",
    "重庆": "重庆",
    "南京": "江苏省",
    "苏州": "江苏省",
    "无锡": "江苏省",
    "常州": "江苏省",
    "杭州": "浙江省",
    "宁波": "浙江省",
    "温州": "浙江省",
    "广州": "广东省",
    "深圳": "广东省",
    "东莞": "广东省",
    "佛山": "广东省",
    "成都": "四川省",
    "武汉": "湖北省",
    "西安": "陕西省",
    "郑州": "河南省",
    "长沙": "湖南省",
    "济南": "山东省",
    "青岛": "山东省",
    "合肥": "安徽省",
    "福州": "福建省",
    "厦门": "福建省",
    "沈阳": "辽宁省",
    "大连": "辽宁省",
    "哈尔滨": "黑龙江省",
    "长春": "吉林省",
    "石家庄": "河北省",
    "太原": "山西省",
    "南昌": "江西省",
    "昆明": "云南省",
    "贵阳": "贵州省",
    "南宁": "广西壮族自治区",
    "海口": "海南省",
    "兰州": "甘肃省",
    "呼和浩特": "内蒙古自治区",
    "乌鲁木齐": "新疆维吾尔自治区",
    "拉萨": "西藏自治区",
    "银川": "宁夏回族自治区",
    "西宁": "青海省",
}
_PROVINCES = frozenset(_PROVINCE_OF_CITY.values())


def province_of(city: str, table: Mapping[str, str] | None = None) -> str:
    """The province of a city name ('南京', '南京市', '江苏省南京市'), or '*' if unknown."""
    v = city.strip()
    m = re.match(r"^(.{2,8}?(?:省|自治区))", v)
    if m:
        return m.group(1)
    if v in _PROVINCES:
        return v
    key = v.removesuffix("市")
    lookup = _PROVINCE_OF_CITY if table is None else {**_PROVINCE_OF_CITY, **table}
    return lookup.get(key, lookup.get(v, SUPPRESSED))


def city_qi(name: str = "city", provinces: Mapping[str, str] | None = None) -> QuasiIdentifier:
    """City, then its province (built-in table plus `provinces`), then '*'."""

    def level0(v: str) -> str:
        return v.strip() or SUPPRESSED

    return QuasiIdentifier(name, (level0, lambda v: province_of(v, provinces), lambda v: "*"))


def item_qi(name: str = "item", categories: Mapping[str, str] | None = None) -> QuasiIdentifier:
    """Item, then its category when `categories` is given, then '*'."""

    def level0(v: str) -> str:
        return v.strip() or SUPPRESSED

    if not categories:
        return QuasiIdentifier(name, (level0, lambda v: SUPPRESSED))
    known = frozenset(categories.values())

    def level1(v: str) -> str:
        s = v.strip()
        return s if s in known else categories.get(s, SUPPRESSED)

    return QuasiIdentifier(name, (level0, level1, lambda v: SUPPRESSED))
