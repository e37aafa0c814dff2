"""Organisation names: a suffix and the name words before it, not the verbs before those."""

from __future__ import annotations

from collections.abc import Callable

from faker import Faker

Found = Callable[[str], list[tuple[str, str]]]


def test_generated_company_names_are_found(found: Found) -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(5)
    companies = [fake.company() for _ in range(40)]
    hits = sum((c, "ORG") in found(f"他现在在{c}上班") for c in companies)
    assert hits >= 0.9 * len(companies)


def test_verb_before_the_name_is_not_part_of_it(found: Found) -> None:
    assert ("中国人民银行", "ORG") in found("他毕业后现任中国人民银行副行长")


def test_a_verb_opening_the_note_is_not_part_of_the_name(found: Found) -> None:
    assert ("海创信息有限公司", "ORG") in found("拜访海创信息有限公司，对接人刘霞")
    assert ("盟新网络有限公司", "ORG") in found("致电盟新网络有限公司的采购")


def test_university_and_hospital_names(found: Found) -> None:
    assert ("北京大学", "ORG") in found("毕业于北京大学，")
    assert ("浙江省人民医院", "ORG") in found("在浙江省人民医院工作")


def test_single_character_suffix_needs_a_proper_name(found: Found) -> None:
    assert all(label != "ORG" for _, label in found("统一社会信用代码"))
    assert all(label != "ORG" for _, label in found("客户王军要求开发票"))
