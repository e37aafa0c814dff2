"""Database URL → Engine, with SQLite used its way (WAL, one writer) and migrations."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, LargeBinary, Table, create_engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from custody.errors import StorageError
from custody.storage.tables import HexBytes

__all__ = ["begin", "bulk_insert", "connect", "is_current", "map_db_errors", "migrate",
           "sqlite_url"]

_MIGRATIONS = Path(__file__).parent / "migrations"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below take effect
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # 384 MiB of pages at most, allocated as used: index inserts of a large import stay
    # in memory (peak memory of a 1M-row import stays well under 1 GiB).
    cur.execute("PRAGMA cache_size=-393216")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # One writer: take the write lock at BEGIN so two writers never interleave.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def begin(engine: Engine, *, bulk_load: bool = False) -> Iterator[Connection]:
    """One transaction, committed on success and rolled back on any error.

    `bulk_load` is for jobs that only insert rows whose parents they create or have just
    read in the same transaction (import, receive): on SQLite the per-row foreign-key
    probes are switched off for that transaction alone (the pragma cannot change inside a
    transaction, so it is set on the connection before BEGIN and restored after).
    PostgreSQL keeps its constraints."""
    if not bulk_load or engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def connect(url: str) -> Engine:
    """An Engine for a SQLite or PostgreSQL URL."""
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StorageError(f"cannot use database URL ({type(exc).__name__})") from exc
    return engine


@contextmanager
def map_db_errors(what: str) -> Iterator[None]:
    """Translate SQLAlchemy errors into StorageError at the storage seam (S7)."""
    try:
        yield
    except DBAPIError as exc:
        kind = type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__
        raise StorageError(f"database error during {what} ({kind})") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"database error during {what} ({type(exc).__name__})") from exc


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision."""
    cfg = _config()
    with map_db_errors("migration"), engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def is_current(engine: Engine) -> bool:
    """True when the database is at the newest revision."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    with map_db_errors("schema check"), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head


def _processor(conn: Connection, column: Any) -> Callable[[Any], Any] | None:
    """The column type's bind processor, memoised per value (timestamps repeat), or None
    where the driver takes the value as it is (bytes on SQLite)."""
    # The dialect's own type (SQLite's DATETIME formats timestamps itself): the same
    # stored form as statements compiled by SQLAlchemy.
    proc = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    if proc is None or (conn.dialect.name == "sqlite" and isinstance(column.type, LargeBinary)):
        return None
    if isinstance(column.type, HexBytes):  # unique values: a memo would only grow
        return _unhex_text if conn.dialect.name == "sqlite" else proc
    memo: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            memo[value] = out = proc(value)
            return out
        except TypeError:  # unhashable
            return proc(value)

    return cached


def _unhex_text(value: Any) -> Any:
    return bytes.fromhex(value) if isinstance(value, str) else value


def bulk_insert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], *,
                ignore_existing: bool = False) -> None:
    """executemany straight on the driver for hot paths (imports): one statement, the
    column types' bind processors applied, no per-row statement compilation.
    `ignore_existing` skips rows whose key is already stored (ON CONFLICT DO NOTHING,
    which SQLite and PostgreSQL both speak)."""
    if not rows:
        return
    cols = list(rows[0])
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(cols)}) "
           f"VALUES ({', '.join([mark] * len(cols))})")
    if ignore_existing:
        sql += " ON CONFLICT DO NOTHING"
    # Column by column, so that the loops over rows run in C (map, itemgetter, zip).
    columns = []
    for c in cols:
        values = map(itemgetter(c), rows)
        proc = _processor(conn, table.c[c])
        columns.append(list(values if proc is None else map(proc, values)))
    conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))
