"""Whole-address spans, with and without province and city, inside note sentences."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from faker import Faker

Found = Callable[[str], list[tuple[str, str]]]

# Fictional addresses in the shapes real notes carry (no province, no city, odd numbering).
ADDRESSES = [
    "江苏省南京市玄武区中山路8号3栋",
    "浙江省杭州市西湖区文二路100号5幢2单元301室",
    "上海市浦东新区张杨路500号华润时代广场12楼",
    "广东省深圳市南山区科技园南区高新南七道18号",
    "湖南长沙岳麓区麓山南路2号",
    "朝阳区建国路88号现代城5号楼1203",
    "海淀区中关村大街27号",
    "城关镇幸福村3组12号",
    "和平路126弄7号601室",
    "滨江花园7栋2单元1102",
    "新华小区B座1902",
    "四川省成都市武侯区人民南路四段9号",
    "翠苑新城8号楼302室",
    "明珠建材市场20315",
    "浙江-台州-椒江区东海大道88号金桥商厦3楼",
    "育才路18弄5号201室",
]


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize(
    "template",
    ["客户要求寄到{}，周末不在家", "送货地址改为{}", "收货地址：{}，请电话联系", "家住{}。"],
)
def test_whole_address_is_one_span(found: Found, address: str, template: str) -> None:
    assert found(template.format(address)) == [(address, "ADDRESS")]


def test_generated_addresses_are_found_whole(found: Found) -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(11)
    for _ in range(50):
        address = fake.address().split(" ")[0]
        assert found(f"送货地址改为{address}") == [(address, "ADDRESS")]


def test_words_with_address_suffixes_are_not_addresses(found: Found) -> None:
    for text in ["周末上课", "我知道了", "去超市买菜", "一路上很顺利", "要求开具发票", "逛街很累"]:
        assert all(label != "ADDRESS" for _, label in found(text)), text


def test_address_stops_before_a_phone_number(found: Found) -> None:
    assert found("寄到北京市海淀区中关村大街27号13812345678") == [
        ("北京市海淀区中关村大街27号", "ADDRESS"),
        ("13812345678", "MOBILE"),
    ]


def test_a_note_that_is_only_an_address_is_one_span(found: Found) -> None:
    note = "柳镇工业区花溪村七组28号宏达五金店"
    assert found(note) == [(note, "ADDRESS")]


def test_place_name_in_running_text_without_a_street_is_not_an_address(found: Found) -> None:
    assert all(label != "ADDRESS" for _, label in found("我们在杭州开会，明天回来"))


def test_a_street_address_led_by_its_province_runs_to_the_end_of_its_clause(
    found: Found,
) -> None:
    text = "他们地址都在河北省太原市江北王街152号小区南门，周末在家"
    assert ("河北省太原市江北王街152号小区南门", "ADDRESS") in found(text)
