"""`custody scan`: personal information inside free text (no vault needed).

    custody scan TEXT --json                 -> {"spans": [{"start", "end", "label"}]}
    custody scan --input FILE.jsonl --json   -> one {"spans": [...]} per input line

Without `--json` the text is printed masked, with the spans listed after it. Input files
stream in batches of 2,048 lines (the scanner works a batch stage by stage, which is faster
than line by line), so memory stays bounded whatever their size; a summary line with the
throughput goes to stderr at the end.
"""

from __future__ import annotations

import codecs
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import orjson
import typer

from custody.cli.output import emit_json, info, out_console, progress_bar
from custody.cli.root import app
from custody.domain.classification import Span
from custody.domain.masking import mask, mask_generic
from custody.domain.taxonomy import COLUMN_LABELS
from custody.errors import InputError
from custody.services.ports import TextScanner

__all__ = ["masked_text", "scan"]

# Span label -> the column label whose display mask applies (first listed in taxonomy.md).
_MASK_LABEL: dict[str, str] = {}
for _info in COLUMN_LABELS.values():
    if _info.span_label is not None:
        _MASK_LABEL.setdefault(_info.span_label, _info.label)
# Texts per `scan_many` call (see TextScannerImpl.scan_raw_many), fewer when they are long.
_BATCH = 2048
_BATCH_CHARS = 1 << 20


def masked_text(text: str, spans: list[Span]) -> str:
    """`text` with every span replaced by its label's star mask (never its plaintext)."""
    parts: list[str] = []
    pos = 0
    for span in spans:
        parts.append(text[pos : span.start])
        value = text[span.start : span.end]
        shown = mask(_MASK_LABEL.get(span.label, "other"), value)
        parts.append(mask_generic(value) if shown == value else shown)
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def _document(spans: list[Span]) -> dict[str, object]:
    return {"spans": [{"start": s.start, "end": s.end, "label": s.label} for s in spans]}


def _json_line(spans: list[Span]) -> str:
    """`_document(spans)` as one line of JSON, written out directly: offsets are ints and
    labels are the taxonomy's ASCII identifiers, so nothing needs escaping (a file of
    short notes spends more time printing than scanning otherwise)."""
    if not spans:
        return _NO_SPANS
    inner = ", ".join(
        f'{{"start": {s.start}, "end": {s.end}, "label": "{s.label}"}}' for s in spans
    )
    return f'{{"spans": [{inner}]}}\n'


_NO_SPANS = '{"spans": []}\n'


def _read_batch(
    lines: Iterator[tuple[int, bytes]], name: str
) -> tuple[list[str], int, InputError | None]:
    """The "text" of up to `_BATCH` lines (or about `_BATCH_CHARS` characters), their
    characters, and the refusal of the line that stopped the batch early, if one did (raw
    bytes go straight to orjson, which checks UTF-8). An empty list: the end of the file."""
    texts: list[str] = []
    chars = 0
    for number, line in lines:
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            if not line.strip():
                continue  # blank lines are skipped (told apart only when parsing fails)
            return texts, chars, InputError(f"{name}, line {number}: not a JSON object in UTF-8")
        text = record.get("text") if isinstance(record, dict) else None
        if not isinstance(text, str):
            return texts, chars, InputError(f'{name}, line {number}: no "text" string')
        texts.append(text)
        chars += len(text)
        if len(texts) == _BATCH or chars >= _BATCH_CHARS:
            break
    return texts, chars, None


def _usage_error(message: str) -> None:
    """Exit 2 with a one-line reason (cli.md: usage errors exit 2)."""
    typer.echo(
        f"Usage: custody scan [TEXT] [--input FILE.jsonl] [--json]\nError: {message}", err=True
    )
    raise typer.Exit(2)


def _scanner() -> TextScanner:
    from custody.bootstrap import scanner

    return scanner()


def _show(text: str, spans: list[Span], prefix: str = "") -> None:
    out_console.print(prefix + masked_text(text, spans), highlight=False, markup=False)
    for s in spans:
        out_console.print(f"  {s.start}-{s.end} {s.label}", highlight=False, markup=False)


def _scan_file(scanner: TextScanner, path: Path, json_out: bool) -> None:
    """Scan the file's texts in batches (`TextScanner.scan_many`), printing results in
    order; the texts before a bad line are printed before it is refused."""
    try:
        handle = sys.stdin.buffer if str(path) == "-" else path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {path.name}: {exc.strerror}") from None
    done = chars = 0
    started = time.perf_counter()
    with handle, progress_bar(f"scanning {path.name}") as advance:
        lines = enumerate(handle, start=1)
        while True:
            texts, batch_chars, refusal = _read_batch(lines, path.name)
            found = scanner.scan_many(texts) if texts else []
            if json_out:
                sys.stdout.write("".join(map(_json_line, found)))
            else:
                for number, (text, spans) in enumerate(zip(texts, found, strict=True), done + 1):
                    _show(text, spans, f"{number}: ")
            done += len(texts)
            chars += batch_chars
            if refusal is not None:
                sys.stdout.flush()
                raise refusal
            if not texts:
                break
            advance(done, None)
    sys.stdout.flush()
    seconds = max(time.perf_counter() - started, 1e-9)
    info(
        f"scanned {done:,} texts ({chars:,} characters) in {seconds:.2f} s: "
        f"{chars / seconds:,.0f} characters/s / 已扫描 {done:,} 条"
    )


@app.command()
def scan(
    text: Annotated[str | None, typer.Argument(help="Text to scan.")] = None,
    input_file: Annotated[
        Path | None,
        typer.Option("--input", help="JSONL file of {\"text\": ...} objects ('-' for stdin)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON (one per line).")] = False,
) -> None:
    """Find personal information (names, phones, IDs, cards, addresses ...) in free text.

    With --input, a last line on stderr gives texts, characters and characters per second.

    Example: custody scan "联系张伟，电话13812345678" --json
    """
    if (text is None) == (input_file is None):
        _usage_error("give either TEXT or --input FILE.jsonl")
    scanner = _scanner()
    if input_file is not None:
        _scan_file(scanner, input_file, json_out)
        return
    assert text is not None
    spans = scanner.scan(text)
    if json_out:
        emit_json(_document(spans))
    else:
        _show(text, spans)
