"""Page layout for the PDF reports: fonts, paragraph styles, tables, page frame, output.

"STSong-Light" (reportlab.pdfbase.cidfonts.UnicodeCIDFont) is one of the standard Adobe
Asian fonts: PDF readers supply the glyphs, so nothing is downloaded or embedded. Chinese
reports set text in it with Latin runs in Helvetica; English reports use Helvetica and
switch to it for runs of Chinese inside data (purpose and organisation names).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from custody.errors import StorageError
from custody.reports import pdf_charts
from custody.reports.labels import Lang, label

__all__ = [
    "ACCENT",
    "CJK",
    "FRAME_WIDTH",
    "LINE",
    "MUTED",
    "SEVERITY_COLORS",
    "SHADE",
    "Styles",
    "build",
    "grid",
    "heading",
    "kv",
    "register_fonts",
    "table",
]

CJK = pdf_charts.CJK_FONT
ACCENT = colors.HexColor("#1f4e79")
MUTED = colors.HexColor("#5f6b7a")
LINE = colors.HexColor("#dfe3e8")
SHADE = colors.HexColor("#f3f5f8")
SEVERITY_COLORS = {"block": "#c0392b", "warn": "#d68910", "info": "#5f6b7a"}
_CJK_RUN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")
_ASCII_RUN = re.compile(r"[\x21-\x7e][\x20-\x7e]*")
_KEY_LIKE = re.compile(r"(age1[0-9a-z]{20,}|[A-Za-z0-9+/=_-]{40,}|[0-9a-f]{32,})")
FRAME_WIDTH = A4[0] - 36 * mm


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(CJK))


class Styles:
    """Paragraph styles for one language."""

    def __init__(self, lang: Lang) -> None:
        base = CJK if lang == "zh" else "Helvetica"
        bold = CJK if lang == "zh" else "Helvetica-Bold"
        self.lang, self.base = lang, base
        common: dict[str, Any] = {"fontName": base, "wordWrap": "CJK"}
        self.title = ParagraphStyle(
            "title",
            fontName=bold,
            fontSize=19,
            leading=24,
            textColor=ACCENT,
            wordWrap="CJK",
            spaceAfter=2,
        )
        self.meta = ParagraphStyle("meta", fontSize=9, leading=13, textColor=MUTED, **common)
        self.h2 = ParagraphStyle(
            "h2",
            fontName=bold,
            fontSize=12.5,
            leading=16,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
            wordWrap="CJK",
        )
        self.body = ParagraphStyle("body", fontSize=9.5, leading=14, **common)
        self.cell = ParagraphStyle("cell", fontSize=8.5, leading=11.5, **common)
        self.head = ParagraphStyle(
            "head",
            fontName=bold,
            fontSize=8.5,
            leading=11.5,
            textColor=colors.HexColor("#334"),
            wordWrap="CJK",
        )
        self.num = ParagraphStyle("num", parent=self.cell, alignment=TA_RIGHT)
        self.headnum = ParagraphStyle("headnum", parent=self.head, alignment=TA_RIGHT)
        self.mono = ParagraphStyle(
            "mono", fontName="Courier", fontSize=7.5, leading=10, wordWrap="CJK"
        )
        self.figure = ParagraphStyle(
            "figure", fontName=bold, fontSize=14, leading=18, textColor=ACCENT, wordWrap="CJK"
        )

    def t(self, key: str) -> str:
        return label(key, self.lang)

    def markup(self, text: str) -> str:
        """Escaped text; in English, runs of Chinese switch to the CJK font."""
        safe = escape(text)
        if self.base == CJK:  # Latin and digits look better, in any viewer, in Helvetica
            return _ASCII_RUN.sub(lambda m: f'<font name="Helvetica">{m.group(0)}</font>', safe)
        return _CJK_RUN.sub(lambda m: f'<font name="{CJK}">{m.group(0)}</font>', safe)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.markup(text), style or self.body)


def table(
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    *,
    header: bool = True,
    kv: bool = False,
) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
        ]
    if kv:
        style += [("TEXTCOLOR", (0, 0), (0, -1), MUTED)]
    table.setStyle(TableStyle(style))
    return table


def kv(s: Styles, rows: Sequence[tuple[str, str]], *, mono: bool = False) -> Table:
    def value(v: str) -> Paragraph:
        if mono or _KEY_LIKE.fullmatch(v):
            return Paragraph(escape(v), s.mono)
        return s.p(v, s.cell)

    data = [[s.p(k, s.cell), value(v)] for k, v in rows]
    return table(data, [FRAME_WIDTH * 0.34, FRAME_WIDTH * 0.66], header=False, kv=True)


def grid(
    s: Styles,
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    numeric: Sequence[int] = (),
) -> Table:
    data = [[s.p(h, s.headnum if i in numeric else s.head) for i, h in enumerate(head)]]
    data += [[s.p(c, s.num if i in numeric else s.cell) for i, c in enumerate(r)] for r in rows]
    return table(data, widths)


def page_decorator(s: Styles, title: str, footer: str) -> Callable[[Canvas, Any], None]:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        width, height = A4
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.8)
        canvas.line(18 * mm, height - 14 * mm, width - 18 * mm, height - 14 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(CJK, 8)  # header and footer may carry Chinese names in either language
        canvas.drawString(18 * mm, height - 12.5 * mm, title)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(
            width - 18 * mm, 10 * mm, label("page", s.lang).format(n=canvas.getPageNumber())
        )
        canvas.restoreState()

    return draw


def build(
    path: str | os.PathLike[str],
    story: list[Flowable],
    s: Styles,
    *,
    title: str,
    author: str,
    footer: str,
) -> Path:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        creator="Custody",
        lang=s.lang,
    )
    decorate = page_decorator(s, title, footer)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    out = Path(path)
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, out)
    except OSError as exc:
        raise StorageError(f"cannot write {out.name}: {exc.strerror}") from exc
    return out


def heading(s: Styles, title: str, meta: Sequence[tuple[str, str]]) -> list[Flowable]:
    sep, gap = ("：", "　|　") if s.lang == "zh" else (": ", "  |  ")
    line = gap.join(f"{k}{sep}{v}" for k, v in meta)
    return [s.p(title, s.title), s.p(line, s.meta), Spacer(1, 6)]
