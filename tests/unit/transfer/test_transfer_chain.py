from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custody.domain.transfer.chain import (
    Chain,
    Step,
    append_step,
    chain_from_dict,
    chain_to_dict,
    new_chain,
    verify_chain,
)
from custody.errors import Conflict, InputError

T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
FULL = [
    Step.CREATED,
    Step.AGREEMENT_SIGNED,
    Step.COUNTERSIGNED,
    Step.ACCEPTED,
    Step.NOTIFIED,
    Step.OBJECTION,
    Step.OBJECTION,
    Step.ASSESSED,
    Step.CHECKED,
    Step.PACKAGED,
    Step.RECEIVED,
    Step.RECEIPT,
    Step.COMPLETED,
    Step.DESTROYED,
]


def h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def full_chain() -> Chain:
    chain = new_chain("tr-0001")
    for i, step in enumerate(FULL):
        chain = append_step(
            chain, step, h(f"artifact {i}"), at=T0 + dt.timedelta(hours=i), actor="owner"
        )
    return chain


def test_full_transfer_chain_verifies() -> None:
    chain = full_chain()
    result = verify_chain(chain, expected_head=chain.head, expected_steps=len(FULL))
    assert result.ok and result.steps == len(FULL) and result.first_bad is None


@given(st.integers(min_value=0, max_value=len(FULL) - 1))
def test_altered_artifact_is_detected_at_that_step(i: int) -> None:
    chain = full_chain()
    steps = list(chain.steps)
    steps[i] = replace(steps[i], artifact_hash=h("forged"))
    result = verify_chain(Chain(chain.transfer_id, tuple(steps)))
    assert not result.ok and result.first_bad == i


@given(st.integers(min_value=0, max_value=len(FULL) - 2))
def test_removed_step_is_detected(i: int) -> None:
    chain = full_chain()
    steps = chain.steps[:i] + chain.steps[i + 1 :]
    assert not verify_chain(Chain(chain.transfer_id, steps)).ok


@given(st.integers(min_value=0, max_value=len(FULL) - 2))
def test_swapped_neighbours_are_detected(i: int) -> None:
    chain = full_chain()
    steps = list(chain.steps)
    steps[i], steps[i + 1] = steps[i + 1], steps[i]
    assert not verify_chain(Chain(chain.transfer_id, tuple(steps))).ok


def test_dropped_tail_is_caught_by_the_recorded_head() -> None:
    chain = full_chain()
    short = Chain(chain.transfer_id, chain.steps[:-1])
    assert verify_chain(short).ok  # a prefix is self-consistent ...
    assert not verify_chain(short, expected_head=chain.head).ok  # ... but not the record


def test_chain_is_bound_to_its_transfer() -> None:
    chain = full_chain()
    assert not verify_chain(Chain("tr-0002", chain.steps)).ok


def test_export_round_trips_and_still_verifies() -> None:
    chain = full_chain()
    doc = json.loads(json.dumps(chain_to_dict(chain)))
    assert doc["head"] == chain.head and doc["steps"][0]["step"] == "created"
    again = chain_from_dict(doc)
    assert again == chain and verify_chain(again).ok


def test_out_of_order_steps_are_refused() -> None:
    with pytest.raises(Conflict):
        append_step(new_chain("t"), Step.PACKAGED, h("x"), at=T0, actor="owner")
    chain = append_step(new_chain("t"), Step.CREATED, h("x"), at=T0, actor="owner")
    with pytest.raises(Conflict):
        append_step(chain, Step.CREATED, h("y"), at=T0, actor="owner")
    with pytest.raises(Conflict):
        append_step(chain, Step.OBJECTION, h("y"), at=T0, actor="owner")
    with pytest.raises(InputError):
        append_step(chain, Step.NOTIFIED, "not-a-hash", at=T0, actor="owner")


def test_malformed_export_is_an_input_error() -> None:
    doc = chain_to_dict(full_chain())
    doc["steps"][0]["step"] = "teleported"  # type: ignore[index]
    with pytest.raises(InputError):
        chain_from_dict(doc)
