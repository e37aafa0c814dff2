"""Alembic migrations create exactly the tables the code uses, and go down again (S20)."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from custody.storage.engine import _config, connect, migrate
from custody.storage.tables import metadata


def _engine(database_url: Callable[[], str | None], tmp_path: object) -> object:
    url = database_url() or f"sqlite:///{tmp_path}/m.db"  # type: ignore[operator]
    return connect(url)


def test_migrated_schema_matches_the_tables(database_url: Callable[[], str | None],
                                            tmp_path: object) -> None:
    engine = _engine(database_url, tmp_path)
    migrate(engine)  # type: ignore[arg-type]
    with engine.connect() as conn:  # type: ignore[attr-defined]
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()  # type: ignore[attr-defined]


def test_migrations_go_down_to_nothing(database_url: Callable[[], str | None],
                                       tmp_path: object) -> None:
    engine = _engine(database_url, tmp_path)
    migrate(engine)  # type: ignore[arg-type]
    cfg = _config()
    with engine.begin() as conn:  # type: ignore[attr-defined]
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}  # type: ignore[arg-type]
    assert names == set()
    engine.dispose()  # type: ignore[attr-defined]


