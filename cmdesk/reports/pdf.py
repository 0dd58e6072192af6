"""The report as pages, written to a vector PDF or painted into images for the live preview.

Pages are a cover, contents for long reports, the sections, with headers and footers.
Imports QtGui only (QPdfWriter, QPainter, QImage): it runs headless (a QGuiApplication with the
offscreen platform) and off the GUI thread. Text is the bundled DejaVu Sans (see
:func:`cmdesk.reports.charts.report_font_family`), which QPdfWriter embeds as a
subset. Limits: A4 portrait only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from cmdesk import __version__
from cmdesk.reports import sections as fmt
from cmdesk.reports.charts import INK, MUTED, font
from cmdesk.reports.document import section_blocks
from cmdesk.reports.layout import (
    BODY_WIDTH,
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    Block,
    Page,
    PageBreak,
    paginate,
)
from cmdesk.reports.model import ReportFigures
from cmdesk.reports.sections import SECTIONS, ReportText

PDF_DPI = 1200
CONTENTS_FROM_PAGES = 4  # body pages from which a contents page is added


@dataclass
class LaidOutReport:
    """Pages ready to paint: the cover is page 1, contents (if any) page 2."""

    figures: ReportFigures
    text: ReportText
    sections: list[str]
    body: list[Page]
    starts: dict[str, int]  # section -> body page index
    with_contents: bool

    @property
    def page_count(self) -> int:
        return 1 + int(self.with_contents) + len(self.body)

    def page_of(self, section: str) -> int:
        """The 1-based page number a section starts on."""
        return 2 + int(self.with_contents) + self.starts.get(section, 0)


def lay_out(f: ReportFigures, sections: Sequence[str], text: ReportText) -> LaidOutReport:
    """Build and paginate the blocks of ``sections`` (keys of :data:`SECTIONS`, in order)."""
    blocks: list[Block] = []
    for n, key in enumerate(sections):
        if n and key in ("summary", "voice_of_customer", "suggestions"):
            blocks.append(PageBreak())
        blocks += section_blocks(key, f, text)
    body, starts = paginate(blocks)
    return LaidOutReport(f, text, list(sections), body, starts, len(body) >= CONTENTS_FROM_PAGES)


def paint_page(painter: QPainter, report: LaidOutReport, number: int) -> None:
    """Paint page ``number`` (1-based) in point coordinates."""
    painter.fillRect(QRectF(0, 0, PAGE_WIDTH, PAGE_HEIGHT), QColor("white"))
    if number == 1:
        _paint_cover(painter, report)
        return
    _paint_frame(painter, report, number)
    if report.with_contents and number == 2:
        _paint_contents(painter, report)
        return
    page = report.body[number - 2 - int(report.with_contents)]
    for block, rect in page.placed:
        painter.save()
        block.paint(painter, rect)
        painter.restore()


def write_pdf(report: LaidOutReport, path: Path) -> None:
    """Write every page to ``path`` as a vector PDF (fonts embedded)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setTitle(f"{report.text.title} – {report.figures.period.label()}")
    writer.setCreator(f"cmdesk {__version__}")
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                    QMarginsF(0, 0, 0, 0))
    )  # fmt: skip
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"Cannot write a PDF to {path}.")
    try:
        scale = PDF_DPI / 72
        for number in range(1, report.page_count + 1):
            if number > 1:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            paint_page(painter, report, number)
            painter.restore()
    finally:
        painter.end()


def render_page_image(report: LaidOutReport, number: int, width_px: int) -> QImage:
    """Page ``number`` as an image ``width_px`` wide (for the live preview)."""
    scale = width_px / PAGE_WIDTH
    image = QImage(width_px, round(PAGE_HEIGHT * scale), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    paint_page(painter, report, number)
    painter.end()
    return image


def render_images(
    report: LaidOutReport, width_px: int, should_stop: Callable[[], bool] | None = None
) -> list[QImage]:
    images = []
    for number in range(1, report.page_count + 1):
        if should_stop is not None and should_stop():
            break
        images.append(render_page_image(report, number, width_px))
    return images


# -- page furniture --------------------------------------------------------------------------


def _paint_frame(painter: QPainter, report: LaidOutReport, number: int) -> None:
    f = report.figures
    painter.setFont(font(7))
    painter.setPen(MUTED)
    top = QRectF(MARGIN_X, 26, BODY_WIDTH, 12)
    painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft), f.brand_name)
    painter.drawText(
        top, int(Qt.AlignmentFlag.AlignRight), f"{report.text.title} · {f.period.label()}"
    )
    painter.setPen(QPen(RULE, 0.5))
    painter.drawLine(QPointF(MARGIN_X, 40), QPointF(MARGIN_X + BODY_WIDTH, 40))
    bottom = QRectF(MARGIN_X, PAGE_HEIGHT - 36, BODY_WIDTH, 12)
    painter.drawLine(
        QPointF(MARGIN_X, bottom.top() - 4), QPointF(MARGIN_X + BODY_WIDTH, bottom.top() - 4)
    )
    painter.setPen(MUTED)
    painter.drawText(bottom, int(Qt.AlignmentFlag.AlignLeft),
                     f"{f.brand_name} · {f.period.label()} · {f.scope_label}")  # fmt: skip
    painter.drawText(
        bottom, int(Qt.AlignmentFlag.AlignRight), f"Page {number} of {report.page_count}"
    )


def _paint_cover(painter: QPainter, report: LaidOutReport) -> None:
    f, text = report.figures, report.text
    band = QRectF(0, 0, PAGE_WIDTH, 300)
    painter.fillRect(band, QColor("#1f2933"))
    painter.setPen(QColor("white"))
    painter.setFont(font(12, bold=True))
    painter.drawText(QRectF(MARGIN_X, 70, BODY_WIDTH, 20), 0, (f.brand_name or "").upper())
    painter.setFont(font(30, bold=True))
    painter.drawText(
        QRectF(MARGIN_X, 100, BODY_WIDTH, 80), int(Qt.TextFlag.TextWordWrap), text.title
    )
    painter.setFont(font(16))
    painter.drawText(QRectF(MARGIN_X, 190, BODY_WIDTH, 24), 0, f.period.label())
    painter.setFont(font(10))
    comparison = f.period.comparison()
    painter.drawText(QRectF(MARGIN_X, 220, BODY_WIDTH, 16), 0,
                     comparison[0].upper() + comparison[1:])  # fmt: skip
    painter.setPen(INK)
    painter.setFont(font(10))
    lines = [
        f.scope_label,
        f"{fmt.count(f.totals.mentions)} mentions · {fmt.percent(f.totals.share('positive'))} "
        f"positive · median first response {fmt.minutes(f.responsiveness.overall.median_minutes)}",
        "Sections: " + ", ".join(SECTIONS[key] for key in report.sections),
    ]
    y = 340.0
    for line in lines:
        rect = QRectF(MARGIN_X, y, BODY_WIDTH, 200)
        painter.drawText(rect, int(Qt.TextFlag.TextWordWrap), line)
        y += painter.boundingRect(rect, int(Qt.TextFlag.TextWordWrap), line).height() + 10
    painter.setPen(MUTED)
    painter.setFont(font(8))
    made = datetime.fromtimestamp(f.generated_at, report.text.tz)
    prepared = f"Prepared {made.day} {made:%B %Y} with cmdesk · {report.page_count} pages"
    painter.drawText(QRectF(MARGIN_X, PAGE_HEIGHT - 60, BODY_WIDTH, 14), 0, prepared)


def _paint_contents(painter: QPainter, report: LaidOutReport) -> None:
    painter.setFont(font(16, bold=True))
    painter.setPen(INK)
    painter.drawText(QRectF(MARGIN_X, 62, BODY_WIDTH, 24), 0, "Contents")
    painter.setFont(font(10))
    y = 100.0
    for key in report.sections:
        number = str(report.page_of(key))
        painter.drawText(QRectF(MARGIN_X, y, BODY_WIDTH - 30, 14), 0, SECTIONS[key])
        painter.drawText(
            QRectF(MARGIN_X, y, BODY_WIDTH, 14), int(Qt.AlignmentFlag.AlignRight), number
        )
        title_width = painter.fontMetrics().horizontalAdvance(SECTIONS[key])
        painter.setPen(QPen(RULE, 0.6, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(MARGIN_X + title_width + 6, y + 10),
                         QPointF(MARGIN_X + BODY_WIDTH - 24, y + 10))  # fmt: skip
        painter.setPen(INK)
        y += 22


def page_size_points() -> QSizeF:
    return QSizeF(PAGE_WIDTH, PAGE_HEIGHT)
