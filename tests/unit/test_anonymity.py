from __future__ import annotations

import csv
import io
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custody.domain.anonymity import (
    age_band,
    age_qi,
    anonymise,
    city_qi,
    fingerprint,
    gender_qi,
    item_qi,
    k_of,
    province_of,
    trace,
)
from custody.errors import InputError, PolicyRefused

CITIES = ["南京", "苏州", "杭州", "宁波", "广州", "深圳", "成都", "武汉"]
ITEMS = ["奥数", "英语", "编程", "钢琴"]
QUASI = [age_qi(), gender_qi(), city_qi()]


def table(n: int, seed: int = 7) -> list[dict[str, str]]:
    rnd = random.Random(seed)
    return [
        {
            "age": str(rnd.randint(6, 70)),
            "gender": rnd.choice(["男", "女"]),
            "city": rnd.choice(CITIES),
            "item": rnd.choice(ITEMS),
            "grade": rnd.choice(["A", "B", "C", "D"]),
        }
        for _ in range(n)
    ]


@pytest.mark.parametrize(
    ("value", "level", "band"),
    [
        ("35", 0, "30-39"),
        ("13", 0, "0-13"),
        ("14", 0, "14-17"),
        ("65", 0, "60+"),
        ("30-39", 1, "18-39"),
        ("35", 2, "18-59"),
        ("35", 3, "*"),
        ("abc", 0, "*"),
        ("35岁", 0, "30-39"),
    ],
)
def test_age_bands_nest_level_by_level(value: str, level: int, band: str) -> None:
    assert age_band(value, level) == band


def test_city_generalises_to_its_province() -> None:
    assert province_of("南京市") == "江苏省"
    assert province_of("江苏省南京市玄武区") == "江苏省"
    assert province_of("上海") == "上海"
    assert province_of("Atlantis") == "*"
    assert province_of("Atlantis", {"Atlantis": "海底省"}) == "海底省"


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=120),
    k=st.integers(min_value=2, max_value=12),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_output_is_k_anonymous_or_refused(n: int, k: int, seed: int) -> None:
    try:
        result = anonymise(table(n, seed), QUASI, k=k, keep=("item",))
    except PolicyRefused:
        assert n < k  # all-"*" always reaches k once there are k rows
        return
    assert result.k_achieved >= k
    assert k_of(result.rows, range(3)) >= k
    assert result.loss.suppressed == n - len(result.rows)
    assert result.loss.suppression_rate <= 0.05


def test_too_few_rows_is_refused() -> None:
    with pytest.raises(PolicyRefused):
        anonymise(table(3), QUASI, k=5)


def test_fine_data_keeps_fine_levels_and_reports_loss() -> None:
    rows = [{"age": "35", "gender": "男", "city": "南京"}] * 6 + [
        {"age": "45", "gender": "女", "city": "杭州"}
    ] * 5
    result = anonymise(rows, QUASI, k=5)
    assert result.levels == (0, 0, 0)
    assert set(result.rows) == {("30-39", "男", "南京"), ("40-49", "女", "杭州")}
    assert result.loss.precision_loss == 0 and result.loss.discernibility == 36 + 25
    assert result.stats()["levels"] == {"age": 0, "gender": 0, "city": 0}


def test_l_diversity_is_enforced_on_the_sensitive_column() -> None:
    rows = table(400)
    result = anonymise(rows, QUASI, k=5, sensitive="grade", l_diversity=3)
    assert result.l_achieved is not None and result.l_achieved >= 3
    groups: dict[tuple[str, ...], set[str]] = {}
    for r in result.rows:
        groups.setdefault(r[:3], set()).add(r[3])
    assert min(len(v) for v in groups.values()) >= 3


def test_item_ladder_uses_categories_when_given() -> None:
    qi = item_qi(categories={"奥数": "学科", "英语": "学科", "钢琴": "艺术"})
    assert [step("奥数") for step in qi.ladder] == ["奥数", "学科", "*"]
    assert qi.ladder[1]("学科") == "学科"


def test_bad_arguments_are_input_errors() -> None:
    with pytest.raises(InputError):
        anonymise(table(10), QUASI, k=0)
    with pytest.raises(InputError):
        anonymise(table(10), [age_qi("years")], k=2)
    with pytest.raises(InputError):
        anonymise(table(10), QUASI, k=2, l_diversity=2)


RECIPIENTS = ["buyer-a", "buyer-b", "buyer-c", "buyer-d", "buyer-e"]
KEY = b"k" * 32


def _csv_round_trip(rows: tuple[tuple[str, ...], ...]) -> list[list[str]]:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return list(csv.reader(io.StringIO(buf.getvalue())))


def test_fingerprinted_copies_stay_k_anonymous_and_differ() -> None:
    base = anonymise(table(600), QUASI, k=5, keep=("item",))
    copies = {r: fingerprint(base, r, key=KEY) for r in RECIPIENTS}
    for copy in copies.values():
        assert k_of(copy.rows, range(3)) >= 5
        assert len(copy.rows) < len(base.rows)
    assert len({c.rows for c in copies.values()}) == len(RECIPIENTS)
    assert fingerprint(base, "buyer-a", key=KEY) == copies["buyer-a"]


@pytest.mark.parametrize("leaker", RECIPIENTS)
def test_trace_names_the_recipient_of_a_leaked_csv(leaker: str) -> None:
    base = anonymise(table(600), QUASI, k=5, keep=("item",))
    copies = {r: fingerprint(base, r, key=KEY) for r in RECIPIENTS}
    leaked = _csv_round_trip(copies[leaker].rows)
    result = trace(leaked, copies)
    assert result.recipient == leaker and result.confident
    assert result.scores[leaker] == 1.0


def test_trace_works_on_a_partial_leak_of_some_columns() -> None:
    base = anonymise(table(600), QUASI, k=5, keep=("item",))
    copies = {r: fingerprint(base, r, key=KEY) for r in RECIPIENTS}
    rnd = random.Random(1)
    part = rnd.sample(list(copies["buyer-c"].rows), 120)
    leaked = [[row[1], row[0], row[2]] for row in part]  # gender, age, city only
    result = trace(leaked, copies, columns=["gender", "age", "city"])
    assert result.recipient == "buyer-c"


def test_trace_of_unrelated_rows_names_nobody() -> None:
    base = anonymise(table(100), QUASI, k=5)
    copies = {r: fingerprint(base, r, key=KEY) for r in RECIPIENTS}
    assert trace([["x", "y", "z"]], copies).recipient is None


def test_fingerprint_keeps_l_diversity_of_an_l_diverse_table() -> None:
    base = anonymise(table(400), QUASI, k=5, sensitive="grade", l_diversity=3)
    for r in RECIPIENTS:
        groups: dict[tuple[str, ...], set[str]] = {}
        for row in fingerprint(base, r, key=KEY, sample_rate=0.3).rows:
            groups.setdefault(row[:3], set()).add(row[3])
        assert min(len(v) for v in groups.values()) >= 3


def test_trace_refuses_columns_the_copies_lack() -> None:
    base = anonymise(table(50), QUASI, k=5)
    copies = {"a": fingerprint(base, "a", key=KEY)}
    with pytest.raises(InputError):
        trace([["x"]], copies, columns=["salary"])
