"""Inline SVG charts for the HTML reports: plain strings, no JavaScript, no external files."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from custody.reports.labels import Lang

__all__ = ["PALETTE", "bar_chart", "compact_number", "hbar_chart", "line_chart", "nice_ticks"]

PALETTE = (
    "#1f4e79",
    "#2e86ab",
    "#59a14f",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#b07aa1",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#4e79a7",
    "#86bcb6",
)
_FONT = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"
_AXIS, _GRID, _TEXT = "#8a8f98", "#e3e6ea", "#333"


def nice_ticks(vmax: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `vmax` (steps of 1, 2, 2.5 or 5 × 10^k)."""
    if vmax <= 0 or not math.isfinite(vmax):
        vmax = 1.0
    raw = vmax / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    top = math.ceil(vmax / step - 1e-9) * step
    return [i * step for i in range(round(top / step) + 1)]


def compact_number(value: float, lang: Lang) -> str:
    """Short axis label: 12万 / 1.5亿 in Chinese, 120k / 1.5M in English."""
    units = ((1e8, "亿"), (1e4, "万")) if lang == "zh" else ((1e9, "B"), (1e6, "M"), (1e3, "k"))
    for size, unit in units:
        if abs(value) >= size:
            return f"{value / size:.4g}{unit}"
    return f"{value:.4g}"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        f'font-family="{escape(_FONT)}" font-size="12" class="chart">'
        f"<title>{escape(title)}</title>"
    )
    return head + "".join(body) + "</svg>"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "middle",
    size: int = 12,
    fill: str = _TEXT,
    extra: str = "",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{extra}>{escape(text)}</text>'
    )


def _y_axis(
    ticks: Sequence[float],
    x0: float,
    x1: float,
    y_of: Callable[[float], float],
    fmt: Callable[[float], str],
) -> list[str]:
    out = []
    for tick in ticks:
        y = y_of(tick)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="{_GRID}"/>')
        out.append(_text(x0 - 6, y + 4, fmt(tick), anchor="end", size=11, fill=_AXIS))
    return out


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    lang: Lang,
    width: int = 720,
    height: int = 260,
) -> str:
    """Vertical bars, one per (label, value), e.g. revenue by month."""
    left, right, top, bottom = 64, 12, 14, 44
    ticks = nice_ticks(max((v for _, v in items), default=0.0))
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / ticks[-1])

    body = _y_axis(ticks, left, width - right, y_of, lambda v: compact_number(v, lang))
    n = max(len(items), 1)
    slot = plot_w / n
    every = max(1, math.ceil(n / 12))  # at most ~12 axis labels
    for i, (name, value) in enumerate(items):
        x, y = left + i * slot + slot * 0.15, y_of(max(value, 0.0))
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{top + plot_h - y:.1f}" fill="{PALETTE[0]}" rx="2">'
            f"<title>{escape(name)}: {value:,.2f}</title></rect>"
        )
        if i % every == 0:
            body.append(_text(left + (i + 0.5) * slot, height - bottom + 16, name, size=11))
    body.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
        f'y2="{top + plot_h}" stroke="{_AXIS}"/>'
    )
    return _svg(width, height, title, body)


def line_chart(
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    x_label: str,
    mean_label: str,
    width: int = 720,
    height: int = 280,
) -> str:
    """Retention curves: one line per (name, fractions by month offset) plus their mean."""
    left, top, bottom, legend_w = 52, 14, 44, 120
    height = max(height, top + 18 * (len(series) + 2))
    plot_w, plot_h = width - left - legend_w - 12, height - top - bottom
    points = max((len(v) for _, v in series), default=1)
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]

    def xy(i: int, v: float) -> str:
        x = left + plot_w * (i / max(points - 1, 1))
        return f"{x:.1f},{top + plot_h * (1 - min(max(v, 0.0), 1.0)):.1f}"

    body = _y_axis(
        ticks, left, left + plot_w, lambda v: top + plot_h * (1 - v), lambda v: f"{v * 100:.0f}%"
    )
    every = max(1, math.ceil(points / 12))
    for i in range(0, points, every):
        body.append(_text(float(xy(i, 0).split(",")[0]), height - bottom + 16, f"M{i}", size=11))
    body.append(_text(left + plot_w / 2, height - 8, x_label, size=11, fill=_AXIS))
    mean = [
        sum(v[i] for _, v in series if len(v) > i) / max(1, sum(len(v) > i for _, v in series))
        for i in range(points)
    ]
    lines = [
        (name, values, PALETTE[k % len(PALETTE)], 1.5) for k, (name, values) in enumerate(series)
    ]
    if series:
        lines.append((mean_label, mean, "#222", 3.0))
    for k, (name, values, color, stroke) in enumerate(lines):
        pts = " ".join(xy(i, v) for i, v in enumerate(values))
        body.append(
            f'<polyline points="{pts}" fill="none" stroke="{color}" '
            f'stroke-width="{stroke}" stroke-linejoin="round">'
            f"<title>{escape(name)}</title></polyline>"
        )
        ly = top + 10 + 18 * k
        lx = width - legend_w + 4
        body.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 18}" y2="{ly - 4}" '
            f'stroke="{color}" stroke-width="{stroke}"/>'
        )
        body.append(_text(lx + 24, ly, name, anchor="start", size=11))
    return _svg(width, height, title, body)


def hbar_chart(items: Sequence[tuple[str, float]], *, title: str, width: int = 720) -> str:
    """Horizontal bars of fractions 0..1 with their percentage, e.g. consent coverage."""
    left, right, row = 170, 60, 26
    height = 20 + row * max(len(items), 1)
    plot_w = width - left - right
    body = []
    for i, (name, value) in enumerate(items):
        y = 10 + i * row
        frac = min(max(value, 0.0), 1.0)
        color = PALETTE[2] if frac >= 0.8 else PALETTE[3] if frac >= 0.5 else PALETTE[4]
        body.append(_text(left - 8, y + 15, name, anchor="end"))
        body.append(
            f'<rect x="{left}" y="{y + 3}" width="{plot_w}" height="16" fill="{_GRID}" rx="3"/>'
        )
        body.append(
            f'<rect x="{left}" y="{y + 3}" width="{plot_w * frac:.1f}" height="16" '
            f'fill="{color}" rx="3"/>'
        )
        body.append(_text(left + plot_w + 6, y + 15, f"{value * 100:.1f}%", anchor="start"))
    return _svg(width, height, title, body)
