"""Hash-chain arithmetic: any alteration, removal, insertion or reordering is found."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from custody.domain.audit import GENESIS, AuditEvent, ChainedEvent, chain_hash, find_break


def build(n: int) -> list[ChainedEvent]:
    out, prev = [], GENESIS
    for seq in range(1, n + 1):
        ev = AuditEvent(actor="owner", role="owner", action="customers.show",
                        customers=(f"c{seq}",), labels=("contact.mobile",))
        at = f"2026-11-22T09:00:{seq:02d}+00:00"
        h = chain_hash(seq, at, ev, prev)
        out.append(ChainedEvent(seq, at, ev, prev, h))
        prev = h
    return out


def test_intact_chain_verifies() -> None:
    count, broken, _ = find_break(build(10))
    assert count == 10 and broken is None


@given(st.integers(0, 9))
def test_altered_event_is_found(i: int) -> None:
    chain = build(10)
    ev = dataclasses.replace(chain[i].event, result="denied")
    chain[i] = dataclasses.replace(chain[i], event=ev)
    _, broken, _ = find_break(chain)
    assert broken is not None and broken.seq == i + 1


@given(st.integers(0, 8))
def test_removed_event_is_found(i: int) -> None:
    chain = build(10)
    del chain[i]
    assert find_break(chain)[1] is not None


@given(st.integers(0, 8))
def test_swapped_events_are_found(i: int) -> None:
    chain = build(10)
    chain[i], chain[i + 1] = chain[i + 1], chain[i]
    assert find_break(chain)[1] is not None


def test_inserted_event_is_found() -> None:
    chain = build(10)
    chain.insert(4, chain[3])
    assert find_break(chain)[1] is not None
