"""reportlab.graphics drawings of the valuation charts (the PDF twins of `svg.py`)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from custody.reports.labels import Lang
from custody.reports.svg import PALETTE, compact_number, nice_ticks

__all__ = ["consent_drawing", "retention_drawing", "revenue_drawing"]

CJK_FONT = "STSong-Light"
_AXIS = colors.HexColor("#8a8f98")
_GRID = colors.HexColor("#e3e6ea")


def _color(i: int) -> colors.Color:
    return colors.HexColor(PALETTE[i % len(PALETTE)])


def revenue_drawing(items: Sequence[tuple[str, float]], lang: Lang, width: float) -> Drawing:
    """Vertical bars of revenue by month."""
    drawing = Drawing(width, 190)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 52, 34, width - 64, 146
    chart.data = [[v for _, v in items] or [0.0]]
    chart.categoryAxis.categoryNames = [m for m, _ in items] or [""]
    every = max(1, -(-len(items) // 12))
    chart.categoryAxis.categoryNames = [
        m if i % every == 0 else "" for i, m in enumerate(chart.categoryAxis.categoryNames)
    ]
    ticks = nice_ticks(max((v for _, v in items), default=0.0))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, ticks[-1]
    chart.valueAxis.valueStep = ticks[1] - ticks[0]
    chart.valueAxis.labelTextFormat = lambda v: compact_number(v, lang)
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, _GRID
    chart.valueAxis.labels.fontName = chart.categoryAxis.labels.fontName = CJK_FONT
    chart.valueAxis.labels.fontSize = chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = chart.categoryAxis.strokeColor = _AXIS
    chart.categoryAxis.labels.angle = 0 if len(items) <= 12 else 30
    chart.categoryAxis.labels.dy = -4
    chart.bars[0].fillColor, chart.bars[0].strokeColor = _color(0), None
    chart.barSpacing, chart.groupSpacing = 0, 4
    drawing.add(chart)
    return drawing


def retention_drawing(
    series: Sequence[tuple[str, Sequence[float]]], mean_label: str, width: float
) -> Drawing:
    """Retention curves by cohort, with their mean as a thick dark line and a legend."""
    points = max((len(v) for _, v in series), default=1)
    rows = max(len(series) + 1, 1)
    height = max(190.0, 40.0 + 11 * rows)
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 30, width - 150, height - 44
    data = [[(i, v * 100) for i, v in enumerate(values)] for _, values in series]
    mean = [
        (
            i,
            100
            * sum(v[i] for _, v in series if len(v) > i)
            / max(1, sum(len(v) > i for _, v in series)),
        )
        for i in range(points)
    ]
    plot.data = [*data, mean] if series else [[(0, 0)]]
    for i in range(len(data)):
        plot.lines[i].strokeColor, plot.lines[i].strokeWidth = _color(i), 1
    if series:
        plot.lines[len(data)].strokeColor = colors.HexColor("#222222")
        plot.lines[len(data)].strokeWidth = 2.5
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, max(points - 1, 1)
    plot.xValueAxis.valueStep = max(1, -(-points // 12))
    plot.xValueAxis.labelTextFormat = "M%d"
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 100, 25
    plot.yValueAxis.labelTextFormat = "%d%%"
    plot.yValueAxis.visibleGrid, plot.yValueAxis.gridStrokeColor = True, _GRID
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize, axis.strokeColor = CJK_FONT, 7, _AXIS
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y, legend.alignment = width - 100, height - 8, "right"
    legend.fontName, legend.fontSize, legend.deltay, legend.columnMaximum = CJK_FONT, 7, 11, 40
    names = [name for name, _ in series] + ([mean_label] if series else [])
    legend.colorNamePairs = [
        (colors.HexColor("#222222") if i == len(series) else _color(i), n)
        for i, n in enumerate(names)
    ]
    drawing.add(legend)
    return drawing


def consent_drawing(items: Sequence[tuple[str, float]], width: float) -> Drawing:
    """Horizontal bars of consent coverage per purpose, 0–100 %."""
    height = 30 + 20 * max(len(items), 1)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 110, 20, width - 160, height - 26
    chart.data = [[v * 100 for _, v in reversed(items)] or [0.0]]
    chart.categoryAxis.categoryNames = [n for n, _ in reversed(items)] or [""]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, _GRID
    for axis in (chart.valueAxis, chart.categoryAxis):
        axis.labels.fontName, axis.labels.fontSize, axis.strokeColor = CJK_FONT, 8, _AXIS
    chart.bars[0].fillColor, chart.bars[0].strokeColor = _color(1), None
    chart.barLabelFormat = "%.1f%%"
    chart.barLabels.fontName, chart.barLabels.fontSize = CJK_FONT, 7
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    drawing.add(chart)
    if not items:
        drawing.add(String(width / 2, height / 2, "—", fontName=CJK_FONT, fontSize=9))
    return drawing
