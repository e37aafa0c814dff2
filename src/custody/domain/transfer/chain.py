"""The chain of custody of one transfer, as data (TR-14, cli.md `transfer log`).

Each step links the hash of its artifact (agreement, notices file, PIA record, gate
report, package manifest, receipt, certificate ...) to the previous step:

    link = sha256_hex(prev_link + step + artifact_hash)      (text, UTF-8)

The first step's `prev_link` is `genesis(transfer_id)`, which binds the chain to its
transfer. Altering, removing or reordering a step breaks every later link; dropping the
tail is caught by comparing the head with one recorded elsewhere (the audit log).
Times and actors are metadata; the artifact hash should commit to anything that matters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

from custody.domain.transfer.wire import as_list, as_mapping, only_keys, str_at
from custody.errors import Conflict, InputError

__all__ = [
    "CHAIN_FORMAT",
    "Chain",
    "ChainStep",
    "ChainVerification",
    "Step",
    "append_step",
    "chain_from_dict",
    "chain_to_dict",
    "genesis",
    "link_of",
    "new_chain",
    "verify_chain",
]

CHAIN_FORMAT = "custody.chain-of-custody/1"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class Step(StrEnum):
    """The steps of a transfer, in the order cli.md lists them."""

    CREATED = "created"
    AGREEMENT_SIGNED = "agreement_signed"
    COUNTERSIGNED = "countersigned"
    ACCEPTED = "accepted"
    NOTIFIED = "notified"
    OBJECTION = "objection"
    ASSESSED = "assessed"
    CHECKED = "checked"
    PACKAGED = "packaged"
    RECEIVED = "received"
    RECEIPT = "receipt"
    COMPLETED = "completed"
    DESTROYED = "destroyed"


# Steps of one rank may come in any order among themselves; ranks never go down.
_RANK: dict[Step, int] = {
    Step.CREATED: 0,
    Step.AGREEMENT_SIGNED: 1,
    Step.COUNTERSIGNED: 2,
    Step.ACCEPTED: 3,
    Step.NOTIFIED: 4,
    Step.OBJECTION: 4,
    Step.ASSESSED: 4,
    Step.CHECKED: 4,
    Step.PACKAGED: 5,
    Step.RECEIVED: 6,
    Step.RECEIPT: 7,
    Step.COMPLETED: 8,
    Step.DESTROYED: 8,
}
_REPEATABLE = frozenset({Step.NOTIFIED, Step.OBJECTION, Step.ASSESSED, Step.CHECKED})
_NEEDS: dict[Step, Step] = {Step.OBJECTION: Step.NOTIFIED, Step.PACKAGED: Step.CHECKED}


@dataclass(frozen=True)
class ChainStep:
    """One link of the chain."""

    step: Step
    artifact_hash: str
    at: dt.datetime
    actor: str
    link: str


@dataclass(frozen=True)
class Chain:
    """The ordered steps of one transfer."""

    transfer_id: str
    steps: tuple[ChainStep, ...] = ()

    @property
    def head(self) -> str:
        return self.steps[-1].link if self.steps else genesis(self.transfer_id)


@dataclass(frozen=True)
class ChainVerification:
    """Result of `verify_chain`: the first bad step (0-based) and why, if any."""

    ok: bool
    steps: int
    head: str
    first_bad: int | None = None
    problem: str | None = None


def genesis(transfer_id: str) -> str:
    """The link before the first step."""
    return hashlib.sha256(f"{CHAIN_FORMAT}:{transfer_id}".encode()).hexdigest()


def link_of(prev_link: str, step: Step, artifact_hash: str) -> str:
    """sha256(prev_link + step + artifact_hash), hex."""
    return hashlib.sha256(f"{prev_link}{step.value}{artifact_hash}".encode()).hexdigest()


def new_chain(transfer_id: str) -> Chain:
    """An empty chain; its first step must be `created`."""
    return Chain(transfer_id)


def _order_problem(previous: tuple[Step, ...], step: Step) -> str | None:
    if not previous:
        return None if step is Step.CREATED else "the first step must be 'created'"
    if _RANK[step] < _RANK[previous[-1]]:
        return f"'{step.value}' cannot follow '{previous[-1].value}'"
    if step not in _REPEATABLE and step in previous:
        return f"'{step.value}' occurs twice"
    needed = _NEEDS.get(step)
    if needed is not None and needed not in previous:
        return f"'{step.value}' needs an earlier '{needed.value}'"
    return None


def append_step(
    chain: Chain, step: Step, artifact_hash: str, *, at: dt.datetime, actor: str
) -> Chain:
    """A new chain with one more step; Conflict if the step is out of order."""
    if not _HEX64.match(artifact_hash):
        raise InputError("artifact hash must be 64 lower-case hex digits", step=step.value)
    problem = _order_problem(tuple(s.step for s in chain.steps), step)
    if problem is not None:
        raise Conflict(f"transfer {chain.transfer_id}: {problem}", step=step.value)
    link = link_of(chain.head, step, artifact_hash)
    return Chain(chain.transfer_id, (*chain.steps, ChainStep(step, artifact_hash, at, actor, link)))


def verify_chain(
    chain: Chain, *, expected_head: str | None = None, expected_steps: int | None = None
) -> ChainVerification:
    """Recompute every link and check the order of steps and, if given, the head."""
    prev = genesis(chain.transfer_id)
    seen: list[Step] = []
    for i, s in enumerate(chain.steps):
        problem = _order_problem(tuple(seen), s.step)
        if problem is None and link_of(prev, s.step, s.artifact_hash) != s.link:
            problem = f"step {i} ('{s.step.value}') does not link to the step before it"
        if problem is not None:
            return ChainVerification(False, len(chain.steps), chain.head, i, problem)
        seen.append(s.step)
        prev = s.link
    n = len(chain.steps)
    if expected_steps is not None and n != expected_steps:
        return ChainVerification(False, n, prev, n, f"{n} steps, expected {expected_steps}")
    if expected_head is not None and prev != expected_head:
        return ChainVerification(False, n, prev, n, "the head differs from the recorded head")
    return ChainVerification(True, n, prev)


def chain_to_dict(chain: Chain) -> dict[str, object]:
    """The export (`transfer log --json`), with each step's index and link."""
    return {
        "format": CHAIN_FORMAT,
        "transfer_id": chain.transfer_id,
        "head": chain.head,
        "steps": [
            {
                "index": i,
                "step": s.step.value,
                "artifact_hash": s.artifact_hash,
                "at": s.at.isoformat(),
                "actor": s.actor,
                "link": s.link,
            }
            for i, s in enumerate(chain.steps)
        ],
    }


def _step_from(obj: object, i: int) -> ChainStep:
    path = f"steps[{i}]"
    m = as_mapping(obj, path)
    only_keys(m, {"index", "step", "artifact_hash", "at", "actor", "link"}, path)
    try:
        step = Step(str_at(m, "step", path))
        at = dt.datetime.fromisoformat(str_at(m, "at", path))
    except ValueError:
        raise InputError(f"{path}: unknown step or bad time", path=path) from None
    return ChainStep(
        step,
        str_at(m, "artifact_hash", path),
        at,
        str_at(m, "actor", path),
        str_at(m, "link", path),
    )


def chain_from_dict(obj: object) -> Chain:
    """Read an exported chain (InputError if malformed); verify it with `verify_chain`."""
    m = as_mapping(obj, "chain")
    only_keys(m, {"format", "transfer_id", "head", "steps"}, "chain")
    if m.get("format") != CHAIN_FORMAT:
        raise InputError("chain: unknown or missing format", field="format")
    steps = tuple(_step_from(s, i) for i, s in enumerate(as_list(m.get("steps"), "steps")))
    return Chain(str_at(m, "transfer_id", "chain"), steps)
