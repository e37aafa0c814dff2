"""Translate decoding and file-system errors into InputError at the importer seam (S7)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from custody.errors import InputError

__all__ = ["RowCursor", "fail", "map_read_errors"]


class RowCursor:
    """The row number reached so far, so an error can say where it happened."""

    def __init__(self) -> None:
        self.row = 0


def fail(path: Path, problem: str, row: int | None = None) -> InputError:
    """A one-line InputError naming the file (name only), the row and the problem."""
    where = f"{path.name}: row {row}: " if row else f"{path.name}: "
    return InputError(where + problem, file=path.name, row=row)


@contextmanager
def map_read_errors(
    path: Path,
    encoding: str = "",
    cursor: RowCursor | None = None,
    locate: Callable[[], int | None] | None = None,
) -> Iterator[None]:
    """Turn UnicodeDecodeError, csv.Error, JSON and OS errors into InputError.

    `locate` finds the exact row of an undecodable byte (decoders read ahead of rows).
    """
    try:
        yield
    except InputError:
        raise
    except UnicodeDecodeError as exc:
        row = locate() if locate else (cursor.row + 1 if cursor else None)
        problem = f"bytes that are not valid {encoding or 'text'} (mixed or wrong encoding)"
        raise fail(path, problem, row) from exc
    except csv.Error as exc:
        row = cursor.row + 1 if cursor else None
        raise fail(path, f"malformed delimited text ({_first_line(exc)})", row) from exc
    except json.JSONDecodeError as exc:
        row = cursor.row + 1 if cursor else None
        raise fail(path, f"malformed JSON at column {exc.colno}", row) from exc
    except (IsADirectoryError, PermissionError, FileNotFoundError) as exc:
        raise fail(path, f"cannot read the file ({type(exc).__name__})") from exc
    except OSError as exc:
        raise fail(path, f"cannot read the file ({exc.strerror or type(exc).__name__})") from exc


def _first_line(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:80]
