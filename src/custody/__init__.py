"""Custody: keeps a small business's customer information safe for its whole life and
carries it intact, lawfully and provably, through a sale or transfer of the business."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
