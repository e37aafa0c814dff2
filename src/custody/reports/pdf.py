"""PDF renderers over reportlab (A4, platypus): the valuation report, the transfer
agreement and the destruction certificate. Layout and fonts live in `pdf_layout`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from custody.reports import pdf_charts
from custody.reports.labels import check_lang, fmt_pct, label
from custody.reports.pdf_layout import (
    FRAME_WIDTH,
    LINE,
    SEVERITY_COLORS,
    SHADE,
    Styles,
    build,
    grid,
    heading,
    kv,
    register_fonts,
)
from custody.reports.views import (
    AgreementView,
    CertificateView,
    ValuationView,
    agreement_view,
    certificate_view,
    valuation_view,
)

__all__ = ["render_agreement_pdf", "render_certificate_pdf", "render_valuation_pdf"]


# ----------------------------------------------------------------------------- valuation


def _figures(s: Styles, view: ValuationView, cols: int = 3) -> Table:
    cells: list[Flowable | str] = [
        Table([[s.p(v, s.figure)], [s.p(k, s.meta)]], hAlign="LEFT") for k, v in view.key_figures
    ]
    cells += [""] * (-len(cells) % cols)
    rows = [cells[i : i + cols] for i in range(0, len(cells), cols)]
    table = Table(rows, colWidths=[FRAME_WIDTH / cols] * cols, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.4, LINE),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, LINE),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
            ]
        )
    )
    return table


def _valuation_story(view: ValuationView, s: Styles) -> list[Flowable]:
    t = s.t
    meta = [(t("org"), view.org), (t("as_of"), view.as_of)]
    if view.prepared_for:
        meta.append((t("prepared_for"), view.prepared_for))
    w = FRAME_WIDTH
    story = [
        *heading(s, t("valuation_title"), meta),
        s.p(t("key_figures"), s.h2),
        _figures(s, view),
        Spacer(1, 6),
        s.p(
            f"{t('projection_method')}{'：' if s.lang == 'zh' else ': '}{view.projection_method}",
            s.body,
        ),
    ]
    story += [
        s.p(t("revenue_by_month"), s.h2),
        pdf_charts.revenue_drawing(view.revenue_by_month, s.lang, w),
        grid(s, [t("month"), t("revenue")], view.revenue_rows, [w * 0.5, w * 0.5], (1,)),
    ]
    offsets = list(range(min(view.max_offset, 13)))
    cohort_rows = [
        [name] + [fmt_pct(v[i], 0) if i < len(v) else "" for i in offsets]
        for name, v in view.cohorts
    ]
    first = w * 0.16
    story += [
        KeepTogether(
            [
                s.p(t("cohorts"), s.h2),
                pdf_charts.retention_drawing(
                    view.cohorts, "平均" if s.lang == "zh" else "Average", w
                ),
            ]
        ),
        grid(
            s,
            [t("cohort"), *[f"M{i}" for i in offsets]],
            cohort_rows,
            [first] + [(w - first) / max(len(offsets), 1)] * len(offsets),
            tuple(range(1, len(offsets) + 1)),
        ),
    ]
    story += [
        KeepTogether(
            [s.p(t("consent_coverage"), s.h2), pdf_charts.consent_drawing(view.consent, w)]
        ),
        grid(
            s,
            [t("purpose"), t("coverage")],
            [(n, fmt_pct(v)) for n, v in view.consent],
            [w * 0.5, w * 0.5],
            (1,),
        ),
        KeepTogether([s.p(t("quality"), s.h2), kv(s, view.quality)]),
        s.p(t("findings"), s.h2),
    ]
    if view.findings:
        rows = [[f["rule"], f["severity_label"], f["message"]] for f in view.findings]
        table = grid(
            s, [t("rule"), t("severity"), t("message")], rows, [w * 0.16, w * 0.12, w * 0.72]
        )
        for i, f in enumerate(view.findings, start=1):
            color = SEVERITY_COLORS.get(f["severity"])
            if color:
                table.setStyle(
                    TableStyle([("LINEBEFORE", (0, i), (0, i), 3, colors.HexColor(color))])
                )
        story.append(table)
    else:
        story.append(s.p(t("no_findings")))
    return story


def render_valuation_pdf(
    data: Mapping[str, Any], path: str | os.PathLike[str], lang: str = "zh"
) -> Path:
    """Write the valuation report as an A4 PDF at `path` (renamed into place when done)."""
    code = check_lang(lang)
    register_fonts()
    view, s = valuation_view(data, code), Styles(code)
    footer = f"{view.org} | {label('as_of', code)} {view.as_of} | {label('generated_by', code)}"
    if view.prepared_for:
        footer += f" | {label('prepared_for', code)} {view.prepared_for}"
    return build(
        path,
        _valuation_story(view, s),
        s,
        title=label("valuation_title", code),
        author=view.org,
        footer=footer,
    )


# ----------------------------------------------------------------------------- agreement


def _agreement_story(view: AgreementView, s: Styles) -> list[Flowable]:
    t = s.t
    w = FRAME_WIDTH
    story = [
        *heading(s, t("agreement_title"), [(t("transfer_id"), view.transfer_id)]),
        kv(s, view.header),
    ]
    story.append(s.p(t("parties"), s.h2))
    for role, rows in view.parties:
        story += [s.p(role, s.head), kv(s, rows), Spacer(1, 4)]
    story += [s.p(t("scope"), s.h2), kv(s, view.scope)]
    for key, items in (("purposes", view.purposes), ("obligations", view.obligations)):
        if items:
            story.append(s.p(t(key), s.h2))
            story += [s.p(f"{i}. {item}") for i, item in enumerate(items, start=1)]
    for key, text in (("confidentiality", view.confidentiality), ("transition", view.transition)):
        if text:
            story += [s.p(t(key), s.h2), s.p(text)]
    sig_rows = [[role, signed, sig] for role, signed, sig in view.signatures]
    story += [
        s.p(t("signatures"), s.h2),
        grid(s, ["", t("signed_at"), t("signature")], sig_rows, [w * 0.14, w * 0.26, w * 0.6]),
    ]
    if view.agreement_hash:
        story += [Spacer(1, 6), kv(s, [(t("agreement_hash"), view.agreement_hash)], mono=True)]
    return story


def render_agreement_pdf(
    agreement: Mapping[str, Any], path: str | os.PathLike[str], lang: str = "zh"
) -> Path:
    """Write the transfer agreement as an A4 PDF at `path`."""
    code = check_lang(lang)
    register_fonts()
    view, s = agreement_view(agreement, code), Styles(code)
    footer = f"{label('transfer_id', code)} {view.transfer_id} | {label('generated_by', code)}"
    return build(
        path,
        _agreement_story(view, s),
        s,
        title=label("agreement_title", code),
        author="Custody",
        footer=footer,
    )


# ----------------------------------------------------------------------------- certificate


def _certificate_story(view: CertificateView, s: Styles) -> list[Flowable]:
    t = s.t
    w = FRAME_WIDTH
    story = [
        *heading(s, t("certificate_title"), [(t("certificate_id"), view.certificate_id)]),
        kv(s, view.header),
        s.p(t("counts"), s.h2),
        grid(s, [t("item"), t("count")], view.counts, [w * 0.6, w * 0.4], (1,)),
    ]
    if view.key_ids:
        story += [s.p(t("key_ids"), s.h2), Paragraph(escape(", ".join(view.key_ids)), s.mono)]
    if view.legal_holds:
        story += [
            s.p(t("legal_holds"), s.h2),
            grid(
                s,
                [t("category"), t("basis"), t("expires")],
                view.legal_holds,
                [w * 0.3, w * 0.5, w * 0.2],
            ),
        ]
    if view.statement:
        story += [s.p(t("statement"), s.h2), s.p(view.statement)]
    if view.digests:
        story += [Spacer(1, 8), kv(s, view.digests, mono=True)]
    return story


def render_certificate_pdf(
    certificate: Mapping[str, Any], path: str | os.PathLike[str], lang: str = "zh"
) -> Path:
    """Write a destruction certificate as an A4 PDF at `path`."""
    code = check_lang(lang)
    register_fonts()
    view, s = certificate_view(certificate, code), Styles(code)
    footer = (
        f"{label('certificate_id', code)} {view.certificate_id} | {label('generated_by', code)}"
    )
    return build(
        path,
        _certificate_story(view, s),
        s,
        title=label("certificate_title", code),
        author="Custody",
        footer=footer,
    )
