"""Small trend charts, one per lab test, drawn with QPainter (no QtCharts needed).

The reference range is a shaded band; a result outside it is drawn as a triangle
pointing the way it is out (up for high, down for low), never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from mdt_app import domain as d
from mdt_app.lab_display import lab_value
from ui import theme
from ui.models.case_tables import flag_text, reference_range


@dataclass(frozen=True)
class Trend:
    test: str
    unit: str
    results: tuple[d.LabResult, ...]  # oldest first

    @property
    def latest(self) -> d.LabResult:
        return self.results[-1]


def trends(labs: list[d.LabResult]) -> list[Trend]:
    """One trend per test, results oldest first, tests in alphabetical order."""
    by_test: dict[str, list[d.LabResult]] = {}
    for lab in labs:
        by_test.setdefault(lab.test, []).append(lab)
    out = []
    for test in sorted(by_test, key=str.lower):
        results = tuple(sorted(by_test[test], key=lambda x: x.date))
        out.append(Trend(test, results[-1].unit or "", results))
    return out


class LabTrendChart(QWidget):
    def __init__(self, trend: Trend, parent=None):
        super().__init__(parent)
        self.setMinimumSize(120, self.fontMetrics().height() * 6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_trend(trend)

    def set_trend(self, trend: Trend) -> None:
        """Draw ``trend`` (charts are reused from case to case: only the data changes)."""
        self.trend = trend
        self.setObjectName(f"labTrend_{trend.test}")
        self.setAccessibleName(self.tr("{test} trend").format(test=trend.test))
        self.setAccessibleDescription(self.describe())
        self.setToolTip(self.describe())
        self.update()

    def describe(self) -> str:
        values = ", ".join(
            " ".join(
                x
                for x in (
                    f"{r.date.isoformat()}:",
                    lab_value(r.test, r.value, r.unit),
                    flag_text(r.flag),
                )
                if x
            )  # fmt: skip
            for r in self.trend.results
        )
        ref = reference_range(self.trend.latest)
        return f"{self.trend.test} ({self.trend.unit}; ref {ref or '—'}): {values}"

    def sizeHint(self) -> QSize:
        return QSize(220, self.fontMetrics().height() * 7)

    def title_text(self, metrics: QFontMetrics, width: float) -> str:
        """The test's name, elided only if even a line of its own cannot hold it."""
        return metrics.elidedText(self.trend.test, Qt.TextElideMode.ElideRight, int(width))

    def latest_text(self) -> str:
        """'latest 2.41 mmol/L ▲' (rounded as the lab reports it)."""
        latest = self.trend.latest
        symbol = {"high": " ▲", "low": " ▼"}.get(latest.flag, "")
        value = lab_value(self.trend.test, latest.value, latest.unit)
        return self.tr("latest {value} {unit}{symbol}").format(
            value=value, unit=self.trend.unit, symbol=symbol
        )

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, p: QPainter) -> None:
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        p.setPen(QPen(QColor(theme.LINE), 1))
        p.setBrush(QColor(theme.PAPER))
        p.drawRoundedRect(rect, 4, 4)
        line_h = self.fontMetrics().height()
        # The test's name has a line of its own (a long name such as "Calcium (adjusted)"
        # is not cut to make room); the latest value and unit go on the line below.
        title = QRectF(rect.left() + 6, rect.top() + 2, rect.width() - 12, line_h)
        latest = self.trend.latest
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(theme.INK))
        p.drawText(
            title, Qt.AlignmentFlag.AlignLeft, self.title_text(QFontMetrics(font), title.width())
        )
        value_line = QRectF(title.left(), title.bottom(), title.width(), line_h)
        p.setPen(QColor(theme.AGAINST if latest.flag else theme.INK))
        p.drawText(value_line, Qt.AlignmentFlag.AlignLeft, self.latest_text())
        title = value_line
        p.setFont(self.font())
        plot = QRectF(rect.left() + 8, title.bottom() + 6, rect.width() - 16, 0)
        plot.setBottom(rect.bottom() - line_h - 4)
        self._plot(p, plot)
        p.setPen(QColor(theme.MUTED))
        axis = QRectF(plot.left(), plot.bottom() + 2, plot.width(), line_h)
        first, final = self.trend.results[0].date, latest.date
        p.drawText(axis, Qt.AlignmentFlag.AlignLeft, _short(first))
        if final != first:
            p.drawText(axis, Qt.AlignmentFlag.AlignRight, _short(final))

    def _plot(self, p: QPainter, plot: QRectF) -> None:
        results = self.trend.results
        latest = self.trend.latest
        ends = [v for v in (latest.low, latest.high) if v is not None]
        values = [r.value for r in results] + ends
        lo, hi = min(values), max(values)
        pad = (hi - lo) * 0.12 or abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad

        def y(v: float) -> float:
            return plot.bottom() - (v - lo) / (hi - lo) * plot.height()

        days = [(r.date - results[0].date).days for r in results]
        span = max(days[-1], 1)

        def x(i: int) -> float:
            if len(results) == 1:
                return plot.center().x()
            return plot.left() + days[i] / span * plot.width()

        if latest.low is not None or latest.high is not None:
            top = y(latest.high) if latest.high is not None else plot.top()
            bottom = y(latest.low) if latest.low is not None else plot.bottom()
            p.fillRect(QRectF(plot.left(), top, plot.width(), bottom - top), QColor("#e3efe6"))
            p.setPen(QPen(QColor(theme.GOOD), 1, Qt.PenStyle.DashLine))
            for edge in (latest.low, latest.high):
                if edge is not None:
                    p.drawLine(QPointF(plot.left(), y(edge)), QPointF(plot.right(), y(edge)))
        path = QPainterPath()
        for i, r in enumerate(results):
            point = QPointF(x(i), y(r.value))
            path.moveTo(point) if i == 0 else path.lineTo(point)
        p.setPen(QPen(QColor(theme.ACCENT), 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        for i, r in enumerate(results):
            _marker(p, QPointF(x(i), y(r.value)), r.flag, line_h=self.fontMetrics().height())


def _marker(p: QPainter, at: QPointF, flag: str, line_h: int) -> None:
    size = max(4.0, line_h * 0.33)
    if not flag:
        p.setPen(QPen(QColor(theme.ACCENT), 1.5))
        p.setBrush(QColor(theme.PAPER))
        p.drawEllipse(at, size * 0.7, size * 0.7)
        return
    sign = -1 if flag == "high" else 1  # screen y grows downwards
    triangle = QPolygonF(
        [
            QPointF(at.x(), at.y() + sign * size),
            QPointF(at.x() - size, at.y() - sign * size * 0.7),
            QPointF(at.x() + size, at.y() - sign * size * 0.7),
        ]
    )
    p.setPen(QPen(QColor(theme.AGAINST), 1))
    p.setBrush(QColor(theme.AGAINST))
    p.drawPolygon(triangle)


def _short(day: date) -> str:
    return day.strftime("%d %b")


class LabTrends(QWidget):
    """A grid of trend charts for a case's labs."""

    COLUMNS = 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("labTrends")
        self.setAccessibleName(self.tr("Lab trends"))
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.charts: list[LabTrendChart] = []  # the charts shown, one per test
        self.pool: list[LabTrendChart] = []  # every chart built, placed in grid order

    def set_labs(self, labs: list[d.LabResult]) -> None:
        """One chart per test; the charts already there are redrawn with the new data and
        only the ones beyond are built or hidden (a case switch builds no widget)."""
        wanted = trends(labs)
        for i, trend in enumerate(wanted):
            if i < len(self.pool):
                self.pool[i].set_trend(trend)
            else:
                chart = LabTrendChart(trend, self)
                self.grid.addWidget(chart, i // self.COLUMNS, i % self.COLUMNS)
                self.pool.append(chart)
            if self.pool[i].isHidden():
                self.pool[i].show()
        for chart in self.pool[len(wanted) :]:
            if not chart.isHidden():
                chart.hide()
            chart.setObjectName("")  # found by name only while it shows a test
        self.charts = self.pool[: len(wanted)]
