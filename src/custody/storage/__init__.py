"""Adapter: SQLAlchemy 2 Core over SQLite (default) or PostgreSQL (S5, S20)."""
