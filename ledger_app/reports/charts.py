"""Bar charts drawn with reportlab's own graphics, in the embedded font.

Every String a chart can draw (axis labels, bar labels, legend, title) names an embedded
font explicitly: the graphics defaults are Helvetica.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor

from .fonts import SANS, SERIF
from .styles import FRAME_W

BAR_RED = HexColor("#c0392b")
BAR_GREY = HexColor("#b9b0ae")
AXIS = HexColor("#555555")


def _nice_step(top: int, ticks: int = 5, unit: int = 1) -> int:
    """A round step (1, 2, 5 × 10^n, in ``unit``s) so that ``ticks`` steps cover ``top``."""
    raw = max(top / ticks / unit, 1)
    mag = 1
    while mag * 10 <= raw:
        mag *= 10
    for f in (1, 2, 5, 10):
        if f * mag >= raw:
            return f * mag * unit
    return 10 * mag * unit  # pragma: no cover


def _frame(title: str, height: float) -> Drawing:
    d = Drawing(FRAME_W, height)
    # the renderer starts every drawing with these; the default is Helvetica
    d.initialFontName = SANS
    d.initialFontSize = 10
    # the title in the serif: Micro Hei centres its brackets ("出席率（ % ）")
    d.add(String(0, height - 12, title, fontName=SERIF, fontSize=10, fillColor=AXIS))
    return d


def _chart(d: Drawing, data: list[list[int]], labels: list[str], height: float) -> VerticalBarChart:
    c = VerticalBarChart()
    c.x, c.y = 42, 28
    c.width, c.height = FRAME_W - 60, height - 62
    c.data = data
    c.categoryAxis.categoryNames = labels
    for axis in (c.categoryAxis, c.valueAxis):
        axis.labels.fontName = SANS
        axis.labels.fontSize = 7.5
        axis.labels.fillColor = AXIS
        axis.strokeColor = AXIS
    c.barLabels.fontName = SANS
    c.barLabels.fontSize = 6.5
    c.valueAxis.gridStrokeColor = HexColor("#dddddd")
    c.valueAxis.visibleGrid = True
    c.valueAxis.valueMin = 0
    c.barSpacing = 1
    c.groupSpacing = 6
    d.add(c)
    return c


def attendance_chart(months: list[int], rates_permille: list[int | None]) -> Drawing:
    """出席率 per month, in percent (a month without records has no bar)."""
    height = 170
    d = _frame("各月出席率（%）", height)
    values = [(r or 0) for r in rates_permille]  # ‰; labels show %
    c = _chart(d, [values], [f"{m}月" for m in months], height)
    c.valueAxis.valueMax = 1000
    c.valueAxis.valueStep = 200
    c.valueAxis.labelTextFormat = lambda v: f"{int(v) // 10}"
    c.bars[0].fillColor = BAR_RED
    c.bars[0].strokeColor = None
    c.barLabelFormat = lambda v: f"{(int(v) + 5) // 10}" if v else ""
    c.barLabels.nudge = 6
    return d


def dues_chart(months: list[int], due_fen: list[int], paid_fen: list[int]) -> Drawing:
    """应缴 and 实缴 per month (元): bars are plotted in 分, labelled in whole 元."""
    height = 180
    d = _frame("各月党费应缴与实缴（元）", height)
    c = _chart(d, [due_fen, paid_fen], [f"{m}月" for m in months], height)
    top = max([1, *due_fen, *paid_fen])
    step = _nice_step(top, 5, 100)
    c.valueAxis.valueMax = step * ((top + step - 1) // step)
    c.valueAxis.valueStep = step
    c.valueAxis.labelTextFormat = lambda v: f"{int(v) // 100:,}"
    c.bars[0].fillColor = BAR_GREY
    c.bars[1].fillColor = BAR_RED
    c.bars[0].strokeColor = c.bars[1].strokeColor = None
    legend = Legend()
    legend.fontName = SANS
    legend.fontSize = 8
    legend.x, legend.y = FRAME_W - 110, height - 6
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 50
    legend.dxTextSpace = 4
    legend.colorNamePairs = [(BAR_GREY, "应缴"), (BAR_RED, "实缴")]
    d.add(legend)
    return d
