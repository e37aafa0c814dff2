"""Adapter over `cryptography`, argon2-cffi and pyrage; their errors become ours (S7)."""
