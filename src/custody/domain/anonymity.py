"""k-anonymity, l-diversity and per-recipient fingerprints (TR-10, cli.md `export
--anonymised`).

`anonymise` generalises quasi-identifiers along ladders (age band → wider band → '*',
city → province → '*', item → category → '*', gender → '*'), searches every combination
of ladder levels, suppresses the remaining classes smaller than k (up to a cap) and keeps
the combination with the least information loss. It refuses (PolicyRefused) when no
combination reaches k. Values are strings throughout, so a CSV re-read works unchanged.

`fingerprint` gives each due-diligence recipient its own copy: a keyed (HMAC) choice of
which rows are sampled and of a few classes widened one more ladder step. Both keep
k-anonymity: a class keeps at least k rows, and widening a whole class only merges it.
`trace` names the recipient whose copy best explains a leaked sample.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from custody.domain.generalisation import (
    QuasiIdentifier,
    age_band,
    age_qi,
    city_qi,
    gender_qi,
    item_qi,
    province_of,
)
from custody.errors import InputError, PolicyRefused

__all__ = [
    "AnonymisedTable",
    "FingerprintedSample",
    "InformationLoss",
    "QuasiIdentifier",
    "TraceResult",
    "age_band",
    "age_qi",
    "anonymise",
    "city_qi",
    "fingerprint",
    "gender_qi",
    "item_qi",
    "k_of",
    "province_of",
    "trace",
]


@dataclass(frozen=True)
class InformationLoss:
    """How much the anonymisation cost.

    suppression_rate: rows removed / rows in. precision_loss: mean over quasi-identifiers
    of level / top level (0 = untouched, 1 = all '*'). discernibility: Σ|class|² plus
    suppressed × rows in. avg_class_ratio: (rows kept / classes) / k (1 is ideal)."""

    suppressed: int
    suppression_rate: float
    generalisation_height: int
    precision_loss: float
    discernibility: int
    avg_class_ratio: float

    @property
    def score(self) -> float:
        return self.precision_loss + self.suppression_rate


@dataclass(frozen=True)
class AnonymisedTable:
    """The k-anonymous table: quasi-identifiers, then the sensitive and kept columns."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    quasi: tuple[QuasiIdentifier, ...]
    levels: tuple[int, ...]
    k: int
    k_achieved: int
    l_achieved: int | None
    loss: InformationLoss
    sensitive: str | None = None

    def stats(self) -> dict[str, object]:
        return {
            "k": self.k,
            "k_achieved": self.k_achieved,
            "l_achieved": self.l_achieved,
            "rows": len(self.rows),
            "suppressed": self.loss.suppressed,
            "suppression_rate": round(self.loss.suppression_rate, 4),
            "precision_loss": round(self.loss.precision_loss, 4),
            "discernibility": self.loss.discernibility,
            "avg_class_ratio": round(self.loss.avg_class_ratio, 4),
            "levels": {q.name: lv for q, lv in zip(self.quasi, self.levels, strict=True)},
        }


def k_of(rows: Iterable[Sequence[str]], indices: Sequence[int]) -> int:
    """The k a table achieves over the columns at `indices` (0 for an empty table)."""
    counts = Counter(tuple(r[i] for i in indices) for r in rows)
    return min(counts.values(), default=0)


@dataclass(frozen=True)
class _Candidate:
    levels: tuple[int, ...]
    keep: frozenset[tuple[str, ...]]
    loss: InformationLoss
    k_achieved: int
    l_achieved: int | None


def _evaluate(
    keys: list[tuple[str, ...]],
    sens: list[str] | None,
    levels: tuple[int, ...],
    tops: tuple[int, ...],
    k: int,
    l_div: int,
) -> _Candidate:
    sizes = Counter(keys)
    diverse: dict[tuple[str, ...], set[str]] = defaultdict(set)
    if sens is not None:
        for key, s in zip(keys, sens, strict=True):
            diverse[key].add(s)
    keep = frozenset(
        key
        for key, size in sizes.items()
        if size >= k and (sens is None or len(diverse[key]) >= l_div)
    )
    n, kept = len(keys), sum(sizes[key] for key in keep)
    loss = InformationLoss(
        suppressed=n - kept,
        suppression_rate=(n - kept) / n,
        generalisation_height=sum(levels),
        precision_loss=sum(lv / t for lv, t in zip(levels, tops, strict=True)) / len(levels),
        discernibility=sum(sizes[key] ** 2 for key in keep) + (n - kept) * n,
        avg_class_ratio=(kept / len(keep)) / k if keep else 0.0,
    )
    return _Candidate(
        levels,
        keep,
        loss,
        k_achieved=min((sizes[key] for key in keep), default=0),
        l_achieved=None if sens is None else min((len(diverse[key]) for key in keep), default=0),
    )


def anonymise(
    rows: Iterable[Mapping[str, str]],
    quasi: Sequence[QuasiIdentifier],
    *,
    k: int,
    sensitive: str | None = None,
    l_diversity: int | None = None,
    keep: Sequence[str] = (),
    max_suppression: float = 0.05,
) -> AnonymisedTable:
    """A k-anonymous (and, with `sensitive` and `l_diversity`, l-diverse) table.

    Refuses with PolicyRefused when no combination of ladder levels reaches k while
    suppressing at most `max_suppression` of the rows."""
    if k < 1 or not quasi or (l_diversity is not None and sensitive is None):
        raise InputError("anonymise needs k ≥ 1, quasi-identifiers, and l only with a column")
    data = list(rows)
    if not data:
        raise PolicyRefused("nothing to anonymise: the table is empty", k=k)
    names = [q.name for q in quasi]
    missing = [c for c in (*names, *keep, *([sensitive] if sensitive else [])) if c not in data[0]]
    if missing:
        raise InputError(f"column {missing[0]!r} is missing", column=missing[0])
    gen = [[[step(r[q.name]) for r in data] for step in q.ladder] for q in quasi]
    sens = [r[sensitive] for r in data] if sensitive else None
    tops = tuple(max(q.max_level, 1) for q in quasi)
    best: _Candidate | None = None
    for levels in itertools.product(*(range(len(q.ladder)) for q in quasi)):
        keys = list(zip(*(gen[i][lv] for i, lv in enumerate(levels)), strict=True))
        cand = _evaluate(keys, sens, levels, tops, k, l_diversity or 1)
        if not cand.keep or cand.loss.suppression_rate > max_suppression:
            continue
        rank = (cand.loss.score, cand.loss.discernibility, levels)
        if best is None or rank < (best.loss.score, best.loss.discernibility, best.levels):
            best = cand
    if best is None:
        raise PolicyRefused(
            f"no generalisation reaches k={k} within {max_suppression:.0%} suppression",
            k=k,
            source="PIPL Art. 73(4)",
        )
    extra = [*([sensitive] if sensitive else []), *keep]
    out = []
    for j, r in enumerate(data):
        key = tuple(gen[i][lv][j] for i, lv in enumerate(best.levels))
        if key in best.keep:
            out.append((*key, *(r[c] for c in extra)))
    return AnonymisedTable(
        columns=(*names, *extra),
        rows=tuple(sorted(out)),
        quasi=tuple(quasi),
        levels=best.levels,
        k=k,
        k_achieved=best.k_achieved,
        l_achieved=best.l_achieved,
        loss=best.loss,
        sensitive=sensitive,
    )


# --- fingerprints ----------------------------------------------------------------------


@dataclass(frozen=True)
class FingerprintedSample:
    """The copy one recipient receives (same columns as the table)."""

    recipient: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widened_classes: int


def _mac(key: bytes, *parts: str) -> int:
    digest = hmac.new(key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


_SCALE = float(2**64)


def _widen(table: AnonymisedTable, cls: tuple[str, ...], h: int) -> tuple[str, ...]:
    width = len(table.quasi)
    for offset in range(width):
        i = (h + offset) % width
        q, lv = table.quasi[i], table.levels[i]
        if lv < q.max_level:
            wider = q.ladder[lv + 1](cls[i])
            if wider != cls[i]:
                return (*cls[:i], wider, *cls[i + 1 :])
    return cls


def _choose(
    scores: list[tuple[int, int]],
    members: list[tuple[str, ...]],
    sample_rate: float,
    table: AnonymisedTable,
    width: int,
) -> list[int]:
    """Rows sampled from one class: the keyed sample, topped up in key order until the
    class keeps k rows and, for an l-diverse table, l distinct sensitive values."""
    chosen = [j for s, j in scores if s / _SCALE < sample_rate]
    need_l = table.l_achieved if table.sensitive is not None else None
    for _, j in scores:
        distinct = len({members[i][width] for i in chosen}) if need_l else 0
        if len(chosen) >= table.k and (need_l is None or distinct >= need_l):
            break
        if j not in chosen:
            chosen.append(j)
    return chosen


def fingerprint(
    table: AnonymisedTable,
    recipient: str,
    *,
    key: bytes,
    sample_rate: float = 0.8,
    widen_rate: float = 0.35,
) -> FingerprintedSample:
    """The recipient's copy: keyed row sample (≥k rows per class) and widened classes."""
    width = len(table.quasi)
    classes: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for row in table.rows:
        classes[row[:width]].append(row)
    out: list[tuple[str, ...]] = []
    widened = 0
    for cls, members in classes.items():
        tag = "\x1e".join(cls)
        scores = sorted((_mac(key, recipient, "row", tag, str(j)), j) for j in range(len(members)))
        chosen = _choose(scores, members, sample_rate, table, width)
        new_cls = cls
        h = _mac(key, recipient, "widen", tag)
        if (h % 10_000) / 10_000 < widen_rate:
            new_cls = _widen(table, cls, h >> 16)
            widened += new_cls != cls
        out.extend((*new_cls, *members[j][width:]) for j in sorted(chosen))
    return FingerprintedSample(recipient, table.columns, tuple(sorted(out)), widened)


@dataclass(frozen=True)
class TraceResult:
    """Which recipient's copy best explains a leaked sample, with every score (0..1)."""

    recipient: str | None
    scores: dict[str, float]
    margin: float

    @property
    def confident(self) -> bool:
        return self.recipient is not None and self.margin >= 0.05


def _norm(row: Sequence[str]) -> tuple[str, ...]:
    return tuple(str(c).strip() for c in row)


def trace(
    sample_rows: Iterable[Sequence[str]],
    candidates: Mapping[str, FingerprintedSample],
    *,
    columns: Sequence[str] | None = None,
) -> TraceResult:
    """Score each candidate by the share of leaked rows its copy contains (as multisets).

    `columns` names the leaked sample's columns when they are a subset or another order."""
    leaked = Counter(_norm(r) for r in sample_rows)
    total = sum(leaked.values())
    scores: dict[str, float] = {}
    for name, copy in candidates.items():
        try:
            idx = [copy.columns.index(c) for c in columns] if columns else None
        except ValueError:
            raise InputError("leaked sample names a column the copies lack") from None
        issued = Counter(_norm([r[i] for i in idx] if idx else r) for r in copy.rows)
        hit = sum(min(n, issued[row]) for row, n in leaked.items())
        scores[name] = hit / total if total else 0.0
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] == 0.0:
        return TraceResult(None, scores, 0.0)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return TraceResult(ranked[0][0], scores, ranked[0][1] - second)
