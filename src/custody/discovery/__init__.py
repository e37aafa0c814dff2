"""Discovery: what a customer file holds (column labels, quality counts) and, in
`custody.discovery.text`, the personal information inside free text."""

from __future__ import annotations

__all__: list[str] = []
