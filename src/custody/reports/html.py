"""HTML renderers: Jinja2 templates in `reports/templates/` with inline SVG charts."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from custody.reports import svg
from custody.reports.labels import Lang, check_lang, fmt_pct, label
from custody.reports.views import agreement_view, certificate_view, valuation_view

__all__ = ["render_agreement_html", "render_certificate_html", "render_valuation_html"]


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("custody.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(template: str, lang: Lang, **context: Any) -> str:
    return (
        _environment()
        .get_template(template)
        .render(
            lang=lang,
            t=lambda key: label(key, lang),
            sep="：" if lang == "zh" else ": ",
            pct=fmt_pct,
            **context,
        )
    )


def render_valuation_html(data: Mapping[str, Any], lang: str = "zh") -> str:
    """The valuation report as one self-contained HTML page (charts as inline SVG)."""
    code = check_lang(lang)
    view = valuation_view(data, code)
    charts = {
        "revenue": Markup(
            svg.bar_chart(view.revenue_by_month, title=label("revenue_by_month", code), lang=code)
        ),
        "cohorts": Markup(
            svg.line_chart(
                view.cohorts,
                title=label("cohorts", code),
                x_label=label("offset", code),
                mean_label="平均" if code == "zh" else "Average",
            )
        ),
        "consent": Markup(svg.hbar_chart(view.consent, title=label("consent_coverage", code))),
    }
    return _render("valuation.html.j2", code, v=view, charts=charts)


def render_agreement_html(agreement: Mapping[str, Any], lang: str = "zh") -> str:
    """The transfer agreement as an HTML page (for reading and printing; JSON is signed)."""
    code = check_lang(lang)
    return _render("agreement.html.j2", code, v=agreement_view(agreement, code))


def render_certificate_html(certificate: Mapping[str, Any], lang: str = "zh") -> str:
    """A destruction certificate as an HTML page."""
    code = check_lang(lang)
    return _render("certificate.html.j2", code, v=certificate_view(certificate, code))
