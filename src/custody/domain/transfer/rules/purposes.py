"""TR-03 and TR-09: the buyer keeps only the original purposes, and nothing beyond the
agreed scope moves (PIPL Art. 22, 5, 6)."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["PURPOSES", "SCOPE"]


def _purposes(f: GateFacts) -> Iterator[Finding]:
    for dataset in sorted(f.purposes_carried):
        new = sorted(f.purposes_carried[dataset] - f.purposes_original.get(dataset, frozenset()))
        if new:
            listed = ", ".join(new)
            yield PURPOSES.block(
                f"dataset {dataset}: purposes {listed} were not among its original purposes; "
                "they need fresh consent and cannot be carried over",
                f"数据集 {dataset}：目的 {listed} 不在原处理目的之内，"
                "须重新取得同意，不得随转让沿用",
            )


def _scope(f: GateFacts) -> Iterator[Finding]:
    extra = sorted(f.fields_to_move - f.fields_agreed)
    if extra:
        listed = ", ".join(extra)
        yield SCOPE.block(
            f"fields {listed} would move but are outside the agreed scope",
            f"字段 {listed} 超出协议约定的移交范围",
        )


PURPOSES = register(Rule("TR-03", "Original purposes only", "PIPL Art. 22", _purposes))
SCOPE = register(Rule("TR-09", "Nothing beyond the agreed scope", "PIPL Art. 5, 6", _scope))
