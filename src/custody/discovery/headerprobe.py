"""HeaderProbe: is the first row a header? Header words and value recognisers vote."""

from __future__ import annotations

import re
from collections.abc import Sequence

from custody.discovery.checksums import to_halfwidth
from custody.discovery.recognisers import RECOGNISERS
from custody.discovery.vocabulary import header_hint

__all__ = ["HeaderProbe", "cell_is_value"]

_VALUE_KINDS = ("mobile", "email", "date", "id_shape", "decimal", "bank_card", "landline",
                "uscc", "address")
_DIGITS = re.compile(r"\d")
_MAX_LABEL = 24


def cell_is_value(cell: str) -> bool:
    """A cell that reads as data: a recognised value, many digits, or long text."""
    text = to_halfwidth(cell).strip()
    if len(text) > _MAX_LABEL or len(_DIGITS.findall(text)) >= 3:
        return True
    return any(RECOGNISERS[kind](text) for kind in _VALUE_KINDS)


class HeaderProbe:
    """Callable used by the importers: True when the first row holds column labels."""

    def __call__(self, first: Sequence[str], following: Sequence[Sequence[str]]) -> bool:
        header_votes = data_votes = 0
        for index, cell in enumerate(first):
            if not cell.strip():
                continue
            if cell_is_value(cell):
                data_votes += 1
            elif header_hint(cell) is not None or self._column_of_values(index, following):
                header_votes += 1
        if header_votes or data_votes:
            return header_votes > data_votes
        cells = [c.strip() for c in first]
        return all(cells) and len(set(cells)) == len(cells)

    @staticmethod
    def _column_of_values(index: int, following: Sequence[Sequence[str]]) -> bool:
        column = [row[index] for row in following[:50] if index < len(row) and row[index].strip()]
        return bool(column) and sum(map(cell_is_value, column)) * 2 > len(column)
