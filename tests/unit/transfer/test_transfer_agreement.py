from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custody.domain.transfer.agreement import (
    Agreement,
    agreement_bytes,
    agreement_from_dict,
    agreement_hash,
    agreement_to_dict,
    canonical_json,
    carry_purposes,
)
from custody.errors import InputError

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_canonical_json_round_trips(value: object) -> None:
    assert json.loads(canonical_json(value)) == value


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_canonical_json_ignores_key_order(value: dict[str, object]) -> None:
    reordered = dict(reversed(list(value.items())))
    assert canonical_json(reordered) == canonical_json(value)
    assert canonical_json(json.loads(canonical_json(value))) == canonical_json(value)


def test_canonical_json_is_compact_sorted_utf8() -> None:
    assert canonical_json({"b": 1, "a": ["张", None]}) == '{"a":["张",null],"b":1}'.encode()


@pytest.mark.parametrize("bad", [float("nan"), b"bytes", {1: "x"}, {"a": object()}])
def test_canonical_json_refuses_what_json_cannot_hold(bad: object) -> None:
    with pytest.raises(InputError):
        canonical_json(bad)


def test_agreement_round_trips_through_its_dictionary(
    agreement_factory: Callable[..., Agreement],
) -> None:
    a = agreement_factory()
    d = json.loads(agreement_bytes(a))
    assert agreement_from_dict(d) == a
    assert agreement_hash(a) == agreement_hash(d)
    assert len(agreement_hash(a)) == 64


def test_hash_changes_with_any_field(agreement_factory: Callable[..., Agreement]) -> None:
    a = agreement_factory()
    assert agreement_hash(a) != agreement_hash(replace(a, destination_country="US"))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(extra=1),
        lambda d: d.pop("scope"),
        lambda d: d.update(route="teleport"),
        lambda d: d["scope"].update(customer_count="many"),
        lambda d: d.update(created_at="yesterday"),
        lambda d: d.update(format="other/1"),
        lambda d: d["purposes"][0].update(needs_fresh_consent=True),
        lambda d: d.update(created_at="2026-11-22T09:00:00"),
    ],
)
def test_malformed_agreement_documents_are_input_errors(
    agreement_factory: Callable[..., Agreement], mutate: Callable[[dict[str, object]], object]
) -> None:
    d = json.loads(agreement_bytes(agreement_factory()))
    mutate(d)
    with pytest.raises(InputError):
        agreement_from_dict(d)


def test_purposes_outside_the_original_ones_need_fresh_consent() -> None:
    carried = carry_purposes({"education": ["teaching", "marketing"]}, {"education": ["teaching"]})
    assert [(p.purpose, p.needs_fresh_consent) for p in carried] == [
        ("marketing", True),
        ("teaching", False),
    ]


def test_naive_creation_time_is_refused(agreement_factory: Callable[..., Agreement]) -> None:
    a = agreement_factory()
    with pytest.raises(InputError):
        replace(a, created_at=a.created_at.replace(tzinfo=None))


def test_agreement_dict_lists_purposes_needing_consent(
    agreement_factory: Callable[..., Agreement],
) -> None:
    a = agreement_factory(
        purposes=carry_purposes({"education": ["ads"]}, {"education": ["teaching"]})
    )
    assert a.purposes_needing_consent[0].purpose == "ads"
    assert agreement_to_dict(a)["purposes"] == [
        {"dataset": "education", "purpose": "ads", "original": False, "needs_fresh_consent": True}
    ]
