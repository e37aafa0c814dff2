"""Notice lists for SMS gateways, as CSV that both gateways and Excel open correctly.

The file is UTF-8 with a byte-order mark (so Excel shows Chinese instead of mojibake),
comma-separated, CRLF line ends, a header row of the caller's column names. Rows stream:
the list is never held in memory. The file is written beside `out_path` as
`<name>.partial` with owner-only permissions and renamed when complete.

Cells that a spreadsheet would run as a formula (starting with `=`, `@`, tab or CR, or `+`
or `-` followed by something other than a phone-number shape) are prefixed with `'`;
phone numbers such as `+86 138 0013 8000` are left as they are for the gateway.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from custody.errors import InputError, StorageError

__all__ = ["notices_csv"]

_PHONE_SHAPE = re.compile(r"[+-][\d\s().-]*")


def _safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text and (text[0] in "=@\t\r" or (text[0] in "+-" and not _PHONE_SHAPE.fullmatch(text))):
        return "'" + text
    return text


def notices_csv(
    rows: Iterable[Mapping[str, object]],
    out_path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
) -> int:
    """Write one CSV line per row under `columns` (default: the first row's keys, in order).

    A key missing from a row gives an empty cell; a key not among the columns is an
    InputError (nothing is left behind). Returns the number of rows written.
    """
    out = Path(out_path)
    partial = out.with_name(out.name + ".partial")
    try:
        count = _write(rows, partial, columns)
        os.replace(partial, out)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return count


def _write(
    rows: Iterable[Mapping[str, object]], partial: Path, columns: Sequence[str] | None
) -> int:
    count = 0
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer: csv.DictWriter[str] | None = None
            for row in rows:
                if writer is None:
                    writer = csv.DictWriter(
                        fh, fieldnames=list(columns or row.keys()), restval="", extrasaction="raise"
                    )
                    writer.writeheader()
                writer.writerow({k: _safe_cell(v) for k, v in row.items()})
                count += 1
            if writer is None and columns:
                csv.writer(fh).writerow(list(columns))
    except ValueError as exc:
        raise InputError(f"notice row {count + 1} has a field outside the columns") from exc
    except OSError as exc:
        raise StorageError(f"cannot write {partial.name}: {exc.strerror}") from exc
    return count
