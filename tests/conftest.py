"""Shared test set-up: fast key derivation and a vault factory over SQLite or PostgreSQL.

Set CUSTODY_TEST_BACKEND=postgresql and CUSTODY_TEST_PG_URL=postgresql+psycopg://… to run
the vault tests against PostgreSQL (each vault gets its own throwaway database).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("CUSTODY_FAST_KDF", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PASSPHRASE = "correct horse battery staple"


def backend() -> str:
    return os.environ.get("CUSTODY_TEST_BACKEND", "sqlite")


@pytest.fixture
def database_url() -> Iterator[Callable[[], str | None]]:
    """Makes a fresh database URL for each vault (None means SQLite in the vault dir)."""
    made: list[str] = []
    if backend() != "postgresql":
        yield lambda: None
        return
    from sqlalchemy import create_engine, make_url, text

    admin_url = os.environ["CUSTODY_TEST_PG_URL"]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def make() -> str:
        name = "custody_t_" + uuid.uuid4().hex[:12]
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("needs ../shared beside the project (development data)")
    return SHARED
