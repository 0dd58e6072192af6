"""Vector charts drawn with QPainter, readable when printed in black and white.

Imports QtGui only (no widgets), so it works off the GUI thread and headless. Text is set in the
bundled DejaVu Sans (resources/fonts), registered on first use. Coordinates are
points (1/72 inch); the caller scales the painter to its device. Series differ by line style and
marker, areas by hatching drawn as real lines (not Qt's pixel-sized brush patterns, which come out
microscopic in a 1200-dpi PDF); every series is labelled directly, so no colour legend is needed.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files

from PySide6.QtCore import QByteArray, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPen,
)

log = logging.getLogger(__name__)

INK = QColor("#1f2933")
GRID = QColor("#d5dbe1")
MUTED = QColor("#52606d")
# Colour accents for screens; line style, marker and fill pattern carry the meaning on paper.
ACCENTS = ("#1d4e89", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#2c7a7b", "#9b2c2c")
DASHES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
)
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
FILLS = {  # pattern name -> (accent, pattern)
    "positive": ("#2f855a", "solid"),
    "neutral": ("#a0aec0", "dots"),
    "negative": ("#c53030", "hatch"),
    "unrated": ("#e2e8f0", "blank"),
}


BUNDLED_FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")  # resources/fonts, with the licence
FALLBACK_FAMILY = "DejaVu Sans"
# Filled once per process, as Qt's font database is process-wide; previews paint off the GUI
# thread, hence the lock.
_families: dict[str, str] = {}
_registering = threading.Lock()


def report_font_family() -> str:
    """The family the report is set in: the bundled DejaVu Sans, registered on first use.

    Bundled so a PDF looks the same and embeds the same font on every system (macOS has no
    DejaVu). Needs a QGuiApplication; if the files cannot be loaded, an installed DejaVu Sans or
    else the system's general font is used (and logged), never a silent substitution by name.
    """
    if "family" in _families:
        return _families["family"]
    if QGuiApplication.instance() is None:
        return FALLBACK_FAMILY  # nothing can be drawn yet; ask again once there is an app
    with _registering:
        if "family" not in _families:
            _families["family"] = _register_bundled_fonts()
    return _families["family"]


def _register_bundled_fonts() -> str:
    family = ""
    for name in BUNDLED_FONTS:
        try:
            data = (files("cmdesk.resources") / "fonts" / name).read_bytes()
        except OSError:
            log.warning("The report font %s is missing", name)
            continue
        font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
        loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = family or (loaded[0] if loaded else "")
    if not family:
        family = (
            FALLBACK_FAMILY
            if FALLBACK_FAMILY in QFontDatabase.families()
            else QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
        )
        log.warning("Reports use the installed font %r: the bundled one did not load", family)
    return family


def font(size: int, bold: bool = False) -> QFont:
    """The report font at ``size`` points (pixel size in the painter's point space), unhinted."""
    result = QFont(report_font_family())
    result.setPixelSize(size)
    result.setBold(bold)
    result.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # No "fi"/"fl" ligatures: a reader searching the PDF for "influencers" must find it.
    result.setFeature(QFont.Tag("liga"), 0)
    return result


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round axis ticks from 0 past ``maximum`` (1, 2, 2.5 or 5 times a power of ten)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < maximum:
        ticks.append(ticks[-1] + step)
    return ticks


def short_count(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value:g}"


def fill_pattern(painter: QPainter, rect: QRectF, name: str) -> None:
    """Fill ``rect`` with a named fill: solid, dots, hatch (diagonal lines) or blank."""
    accent, pattern = FILLS.get(name, (ACCENTS[0], "solid"))
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    if pattern == "solid":
        painter.fillRect(rect, QColor(accent))
    elif pattern in ("hatch", "dots"):
        painter.fillRect(rect, QColor("white"))
        painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
        if pattern == "hatch":
            painter.setPen(QPen(QColor(accent), 1.1))
            x = rect.left() - rect.height()
            while x < rect.right():
                painter.drawLine(QPointF(x, rect.bottom()), QPointF(x + rect.height(), rect.top()))
                x += 3.2
        else:
            painter.setBrush(QColor(accent).darker(140))
            y = rect.top() + 1.2
            row = 0
            while y < rect.bottom():
                x = rect.left() + (1.2 if row % 2 == 0 else 2.8)
                while x < rect.right():
                    painter.drawEllipse(QPointF(x, y), 0.6, 0.6)
                    x += 3.2
                y += 2.4
                row += 1
    else:
        painter.fillRect(rect, QColor("white"))
    painter.restore()
    painter.save()
    painter.setPen(QPen(INK, 0.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    painter.restore()


def _marker(painter: QPainter, kind: str, at: QPointF, size: float = 2.6) -> None:
    if kind == "circle":
        painter.drawEllipse(at, size, size)
    elif kind == "square":
        painter.drawRect(QRectF(at.x() - size, at.y() - size, 2 * size, 2 * size))
    elif kind == "triangle":
        path = QPainterPath(QPointF(at.x(), at.y() - size * 1.2))
        path.lineTo(at.x() + size * 1.1, at.y() + size)
        path.lineTo(at.x() - size * 1.1, at.y() + size)
        path.closeSubpath()
        painter.drawPath(path)
    elif kind == "diamond":
        path = QPainterPath(QPointF(at.x(), at.y() - size * 1.3))
        for dx, dy in ((size * 1.3, 0), (0, size * 1.3), (-size * 1.3, 0)):
            path.lineTo(at.x() + dx, at.y() + dy)
        path.closeSubpath()
        painter.drawPath(path)
    else:
        painter.drawLine(
            QPointF(at.x() - size, at.y() - size), QPointF(at.x() + size, at.y() + size)
        )
        painter.drawLine(
            QPointF(at.x() - size, at.y() + size), QPointF(at.x() + size, at.y() - size)
        )


def _axes(painter: QPainter, plot: QRectF, ticks: list[float], labels: Sequence[str]) -> None:
    """Horizontal grid with value labels on the left, category labels along the bottom."""
    painter.setFont(font(7))
    top = ticks[-1] or 1.0
    for tick in ticks:
        y = plot.bottom() - plot.height() * tick / top
        painter.setPen(QPen(GRID, 0.5))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(MUTED)
        painter.drawText(
            QRectF(plot.left() - 40, y - 6, 36, 12),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            short_count(tick),
        )
    painter.setPen(QPen(INK, 0.8))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    if not labels:
        return
    step = plot.width() / len(labels)
    every = max(1, math.ceil(len(labels) / max(1, plot.width() // 46)))
    painter.setPen(MUTED)
    for n, label in enumerate(labels):
        if n % every:
            continue
        x = plot.left() + step * (n + 0.5)
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 2.5))
        painter.drawText(
            QRectF(x - 30, plot.bottom() + 3, 60, 11), int(Qt.AlignmentFlag.AlignHCenter), label
        )


def line_chart(
    painter: QPainter, rect: QRectF, labels: Sequence[str], series: Sequence[Series]
) -> None:
    """Lines over categories, each with its own dash and marker, labelled at its right end."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    label_width = 92.0
    plot = QRectF(
        rect.left() + 42, rect.top() + 6, rect.width() - 42 - label_width, rect.height() - 24
    )
    peak = max((max(s.values, default=0) for s in series), default=0)
    ticks = nice_ticks(peak)
    _axes(painter, plot, ticks, labels)
    step = plot.width() / max(1, len(labels))
    ends: list[tuple[float, str, int]] = []
    for index, item in enumerate(series):
        pen = QPen(QColor(ACCENTS[index % len(ACCENTS)]), 1.4, DASHES[index % len(DASHES)])
        points = [
            QPointF(plot.left() + step * (n + 0.5), plot.bottom() - plot.height() * v / ticks[-1])
            for n, v in enumerate(item.values)
        ]
        painter.setPen(pen)
        if len(points) > 1:
            path = QPainterPath(points[0])
            for point in points[1:]:
                path.lineTo(point)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        painter.setPen(QPen(pen.color(), 0.9))
        painter.setBrush(QColor("white"))
        marker_every = max(1, len(points) // 14)
        for n, point in enumerate(points):
            if n % marker_every == 0 or n == len(points) - 1:
                _marker(painter, MARKERS[index % len(MARKERS)], point)
        if points:
            ends.append((points[-1].y(), item.name, index))
    _end_labels(painter, plot, ends)
    painter.restore()


def _end_labels(painter: QPainter, plot: QRectF, ends: list[tuple[float, str, int]]) -> None:
    """Names beside the last points, pushed apart so they never overlap."""
    painter.setFont(font(7))
    metrics = QFontMetricsF(painter.font())
    gap = metrics.height() + 1
    placed: list[float] = []
    for y, _name, _index in sorted(ends):
        y = max(y, placed[-1] + gap) if placed else y
        placed.append(y)
    overflow = (placed[-1] - plot.bottom()) if placed else 0
    if overflow > 0:
        placed = [y - overflow for y in placed]
    for y, (_old, name, index) in zip(placed, sorted(ends), strict=True):
        painter.setPen(QPen(QColor(ACCENTS[index % len(ACCENTS)]), 0.9))
        painter.setBrush(QColor("white"))
        _marker(painter, MARKERS[index % len(MARKERS)], QPointF(plot.right() + 8, y), 2.2)
        painter.setPen(INK)
        text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, 76)
        painter.drawText(QPointF(plot.right() + 14, y + metrics.ascent() / 2 - 1), text)


def stacked_bars(
    painter: QPainter, rect: QRectF, labels: Sequence[str], stacks: Sequence[Series]
) -> None:
    """Stacked bars per category; ``stacks`` names are fill names (positive, neutral...)."""
    painter.save()
    legend_height = 14.0
    plot = QRectF(rect.left() + 42, rect.top() + legend_height + 6, rect.width() - 50,
                  rect.height() - legend_height - 26)  # fmt: skip
    totals = [sum(s.values[n] for s in stacks) for n in range(len(labels))]
    ticks = nice_ticks(max(totals, default=0))
    _axes(painter, plot, ticks, labels)
    step = plot.width() / max(1, len(labels))
    width = max(1.5, step * 0.72)
    for n in range(len(labels)):
        bottom = plot.bottom()
        for item in stacks:
            value = item.values[n]
            if value <= 0:
                continue
            height = plot.height() * value / ticks[-1]
            fill_pattern(painter, QRectF(plot.left() + step * n + (step - width) / 2,
                                         bottom - height, width, height), item.name)  # fmt: skip
            bottom -= height
    _legend(painter, QPointF(plot.left(), rect.top() + 2), [s.name for s in stacks])
    painter.restore()


def _legend(painter: QPainter, at: QPointF, names: Sequence[str]) -> None:
    painter.setFont(font(7))
    metrics = QFontMetricsF(painter.font())
    x = at.x()
    for name in names:
        fill_pattern(painter, QRectF(x, at.y() + 1, 10, 8), name)
        painter.setPen(INK)
        painter.drawText(QPointF(x + 13, at.y() + 8.5), name.capitalize())
        x += 22 + metrics.horizontalAdvance(name.capitalize())


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # written at the bar's end: "43.4% · 12,345"
    fill: str = "solid"
    emphasis: bool = False


def bar_rows(
    painter: QPainter, rect: QRectF, bars: Sequence[Bar], label_width: float = 120
) -> None:
    """Horizontal bars, one row each, with the label on the left and the figure at the end."""
    if not bars:
        return
    painter.save()
    row = rect.height() / len(bars)
    peak = max((b.value for b in bars), default=0) or 1.0
    painter.setFont(font(8))
    metrics = QFontMetricsF(painter.font())
    text_room = 100.0
    track = rect.width() - label_width - text_room
    for n, bar in enumerate(bars):
        y = rect.top() + row * n
        painter.setFont(font(8, bold=bar.emphasis))
        painter.setPen(INK)
        name = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 8)
        painter.drawText(
            QRectF(rect.left(), y, label_width - 8, row),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            name,
        )
        length = track * bar.value / peak
        bar_rect = QRectF(rect.left() + label_width, y + row * 0.2, max(length, 0.5), row * 0.6)
        fill_pattern(painter, bar_rect, bar.fill)
        painter.setPen(INK)
        painter.drawText(
            QRectF(bar_rect.right() + 5, y, text_room, row),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            bar.text,
        )
    painter.restore()
