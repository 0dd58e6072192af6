"""A small painted chart of a contact's mentions per month, each bar split by sentiment.

Bars are as tall as the month's mentions (the busiest month fills the height); each is stacked
negative, neutral, positive from the bottom, with mentions not rated yet on top in a pale tone.
The numbers behind it are in the tooltip and the accessible description, one line a month, so
nothing depends on telling the colours apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from cmdesk.core.services.contacts_influence import MonthFigures

# The inbox's sentiment colours, so a tone reads the same everywhere.
TONES = (
    ("negative", QColor("#c62828")),
    ("neutral", QColor("#9e9e9e")),
    ("positive", QColor("#2e7d32")),
)
BAR_HEIGHT = 44
LABEL_HEIGHT = 14


def month_title(key: str) -> str:
    """The month key 2026-11 as Nov 2026."""
    return date(int(key[:4]), int(key[5:7]), 1).strftime("%b %Y")


def month_line(month: MonthFigures) -> str:
    if not month.mentions:
        return f"{month_title(month.month)}: no mentions"
    noun = "mention" if month.mentions == 1 else "mentions"
    parts = [
        f"{count} {tone}"
        for tone, count in (
            ("positive", month.positive),
            ("neutral", month.neutral),
            ("negative", month.negative),
            ("not rated", month.unrated),
        )
        if count
    ]
    return f"{month_title(month.month)}: {month.mentions} {noun} — {', '.join(parts)}"


class SentimentBars(QWidget):
    """Mentions per month, split positive / neutral / negative; the figures in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sentimentBars")
        self.months: tuple[MonthFigures, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(96)
        self.setAccessibleName("Mentions per month by sentiment")

    def set_months(self, months: Sequence[MonthFigures]) -> None:
        self.months = tuple(months)
        lines = [month_line(m) for m in self.months]
        text = "Mentions per month (positive, neutral, negative)\n" + "\n".join(lines)
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self.update()

    def clear(self) -> None:
        self.set_months(())
        self.setToolTip("")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(240, BAR_HEIGHT + LABEL_HEIGHT)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(96, BAR_HEIGHT + LABEL_HEIGHT)

    def bar_rects(self) -> list[QRectF]:
        """Where each month's whole bar is drawn (empty months: a zero-height rect)."""
        if not self.months:
            return []
        top = max(m.mentions for m in self.months) or 1
        slot = self.width() / len(self.months)
        gap = max(1.0, slot * 0.2)
        rects = []
        for n, month in enumerate(self.months):
            height = BAR_HEIGHT * month.mentions / top
            rects.append(QRectF(n * slot + gap / 2, BAR_HEIGHT - height, slot - gap, height))
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self.months:
            return  # still reading, or no contact: no empty axis
        painter = QPainter(self)
        palette = self.palette()
        baseline = palette.color(QPalette.ColorRole.Mid)
        painter.setPen(baseline)
        painter.drawLine(0, BAR_HEIGHT, self.width(), BAR_HEIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        unrated = QColor(palette.color(QPalette.ColorRole.Mid))
        unrated.setAlpha(110)
        for month, rect in zip(self.months, self.bar_rects(), strict=True):
            if not month.mentions:
                continue
            bottom = rect.bottom()
            for count, color in (
                *((getattr(month, tone), color) for tone, color in TONES),
                (month.unrated, unrated),
            ):
                if not count:
                    continue
                height = rect.height() * count / month.mentions
                painter.fillRect(QRectF(rect.left(), bottom - height, rect.width(), height), color)
                bottom -= height
        self._paint_labels(painter, palette)

    def _paint_labels(self, painter: QPainter, palette: QPalette) -> None:
        """The first and last month under the bars, so the time axis reads without a tooltip."""
        if not self.months:
            return
        font = painter.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        band = QRectF(0, BAR_HEIGHT + 1, self.width(), LABEL_HEIGHT)
        painter.drawText(band, Qt.AlignmentFlag.AlignLeft, month_title(self.months[0].month))
        painter.drawText(band, Qt.AlignmentFlag.AlignRight, month_title(self.months[-1].month))
