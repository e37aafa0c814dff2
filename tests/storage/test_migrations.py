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




def _to(engine: object, revision: str, up: bool = True) -> None:
    cfg = _config()
    with engine.begin() as conn:  # type: ignore[attr-defined]
        cfg.attributes["connection"] = conn
        (command.upgrade if up else command.downgrade)(cfg, revision)


def test_tokens_and_digests_written_as_hex_text_survive_the_move_to_bytes(
        database_url: Callable[[], str | None], tmp_path: object) -> None:
    from sqlalchemy import text

    from custody.storage.customer_store import customers_by_token, existing_digests

    engine = _engine(database_url, tmp_path)
    _to(engine, "0002")
    token, digest = "ab" * 16, "cd" * 16
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(text("INSERT INTO customers (id, state, key_generation, created_at) "
                          "VALUES ('c1', 'active', 1, CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO datasets (id, name, purposes, legal_basis, responsible, "
                          "origin, columns, created_at) VALUES ('d1', 'd', '[]', 'consent', "
                          "'o', '{}', '[]', CURRENT_TIMESTAMP)"))
        conn.execute(text(f"INSERT INTO lookup (token, customer_id, label) "
                          f"VALUES ('{token}', 'c1', 'contact.mobile')"))
        conn.execute(text(f"INSERT INTO records (id, customer_id, dataset_id, row_no, digest, "
                          f"sealed, created_at) VALUES (1, 'c1', 'd1', 1, '{digest}', "
                          f"'x', CURRENT_TIMESTAMP)"))
    _to(engine, "head")
    with engine.connect() as conn:  # type: ignore[attr-defined]
        raw_token, raw_digest = bytes.fromhex(token), bytes.fromhex(digest)
        assert customers_by_token(conn, {raw_token, b"\xef" * 16}) == {raw_token: [("c1", None)]}
        assert existing_digests(conn, "d1", {raw_digest, bytes(16)}) == {raw_digest}
        assert conn.execute(text("SELECT length(token) FROM lookup")).scalar_one() == 16
    _to(engine, "0002", up=False)
    with engine.connect() as conn:  # type: ignore[attr-defined]
        assert conn.execute(text("SELECT token FROM lookup")).scalar_one() == token
        assert conn.execute(text("SELECT digest FROM records")).scalar_one() == digest
    engine.dispose()  # type: ignore[attr-defined]


def test_transfers_created_before_0006_read_as_stating_no_gate_flags(
        database_url: Callable[[], str | None], tmp_path: object) -> None:
    from sqlalchemy import text

    from custody.storage.transfer_store import get_transfer

    engine = _engine(database_url, tmp_path)
    _to(engine, "0005")
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(text("INSERT INTO transfers (id, side, state, deal_type, document, "
                          "created_at, updated_at) VALUES ('tr_1', 'seller', 'created', "
                          "'bankruptcy', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO transfer_steps (transfer_id, step, artifact_hash, link, "
                          "details, at) VALUES ('tr_1', 'created', 'a', 'l', '{}', "
                          "CURRENT_TIMESTAMP)"))
    _to(engine, "head")
    with engine.begin() as conn:  # type: ignore[attr-defined]
        row = get_transfer(conn, "tr_1")
        assert row is not None
        assert (row.important_data, row.gdpr_all, row.no_successor) == (False, False, False)
        conn.execute(text("UPDATE transfers SET no_successor = :t"), {"t": True})
        row = get_transfer(conn, "tr_1")
        assert row is not None and row.no_successor is True
    _to(engine, "0005", up=False)
    with engine.connect() as conn:  # type: ignore[attr-defined]
        cols = {c["name"] for c in inspect(conn).get_columns("transfers")}
        assert not cols & {"important_data", "gdpr_all", "no_successor"}
        assert conn.execute(text("SELECT count(*) FROM transfer_steps")).scalar_one() == 1
    engine.dispose()  # type: ignore[attr-defined]
