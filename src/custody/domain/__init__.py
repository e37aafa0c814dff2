"""Functional core: pure rules and data, no I/O and no third-party imports (S1)."""
