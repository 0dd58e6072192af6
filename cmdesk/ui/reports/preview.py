"""The live preview: the report's real pages, drawn by the PDF's own painter, in a scrolling column.

Each change waits 300 ms for the next one, then one background task (``latest_wins``: a newer
change cancels it) computes the figures (SQL), lays out the pages and paints them into images in
a worker thread; QImage painting is allowed off the GUI thread. Figures are kept while only the
sections or the words change, and the layout while only the zoom or width changes, so toggling a
section re-paints without re-reading the database. The UI thread only draws finished images.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.progress import Progress
from cmdesk.reports.layout import PAGE_HEIGHT, PAGE_WIDTH
from cmdesk.reports.model import ReportFigures
from cmdesk.reports.pdf import LaidOutReport, render_images
from cmdesk.reports.produce import ReportRequest, figures_for, pages_for
from cmdesk.ui.pane import PaneContext

DEBOUNCE_MS = 300
TASK_NAME = "reports.preview"
MARGIN, GAP = 18, 16
WIDTH_STEP = 100  # render widths are rounded up to this, so small resizes reuse the images


def figures_key(request: ReportRequest) -> tuple[Any, ...]:
    return (request.period, request.config.query_ids, request.config.source_ids, request.text.tz)


def layout_key(request: ReportRequest) -> tuple[Any, ...]:
    return (figures_key(request), tuple(request.config.enabled), request.text)


@dataclass
class PreviewResult:
    request: ReportRequest
    figures: ReportFigures
    report: LaidOutReport
    images: list[QImage]
    width_px: int


def compute_preview(
    ws: Any,
    request: ReportRequest,
    width_px: int,
    figures: ReportFigures | None,
    report: LaidOutReport | None,
    progress: Progress,
) -> PreviewResult:
    """In a worker thread: what is not cached, then every page as an image ``width_px`` wide."""
    if figures is None:
        figures = figures_for(ws, request, progress)
    progress.update(text="Laying out pages")
    if report is None:
        report = pages_for(figures, request)
    progress.update(0, report.page_count, "Drawing pages")
    images = render_images(report, width_px, should_stop=lambda: progress.cancelled)
    progress.check()
    return PreviewResult(request, figures, report, images, width_px)


class PageColumn(QWidget):
    """Pages one under the other, each fitted to ``page_width`` logical pixels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: list[QImage] = []
        self.page_width = 400
        self.viewport_width = 400
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def page_height(self) -> int:
        return round(self.page_width * PAGE_HEIGHT / PAGE_WIDTH)

    def set_geometry_for(self, page_width: int, viewport_width: int) -> None:
        self.page_width, self.viewport_width = page_width, viewport_width
        self._resize()

    def set_images(self, images: list[QImage]) -> None:
        self.images = images
        self._resize()
        self.update()

    def page_rect(self, index: int) -> QRectF:
        x = max(MARGIN, (self.width() - self.page_width) / 2)
        return QRectF(
            x, MARGIN + index * (self.page_height() + GAP), self.page_width, self.page_height()
        )

    def _resize(self) -> None:
        count = len(self.images)
        height = MARGIN * 2 + count * self.page_height() + max(0, count - 1) * GAP
        self.setFixedSize(QSize(max(self.viewport_width, self.page_width + 2 * MARGIN), height))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Mid))  # the desk
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        visible = QRectF(event.rect())
        for index, image in enumerate(self.images):
            rect = self.page_rect(index)
            if not rect.adjusted(0, 0, 4, 4).intersects(visible):
                continue
            painter.fillRect(rect.translated(2, 3), QColor(0, 0, 0, 60))  # a soft shadow
            painter.drawImage(rect, image)
        painter.end()


class ReportPreview(QWidget):
    """Shows the pages of the latest request; says when it is computing, cancelled or failed."""

    preview_rendered = Signal(int)  # page count
    preview_failed = Signal(str)
    preview_cancelled = Signal()

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request: ReportRequest | None = None
        self.state = "idle"  # waiting, computing, ready, failed, cancelled
        self.page_count = 0
        self.zoom = str(ctx.settings.value("reports/zoom", "fit"))
        self._figures: tuple[tuple[Any, ...], ReportFigures] | None = None
        self._report: tuple[tuple[Any, ...], LaidOutReport] | None = None
        self._rendered_width = 0
        self._generation = 0
        self._answered = 0
        self._data_epoch = 0  # bumped when the data changes: older results are not cached
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(DEBOUNCE_MS)
        self._resize_timer.timeout.connect(self._on_resize_settled)

    def _build(self) -> None:
        self.status = QLabel("No preview yet")
        self.status.setObjectName("previewStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.zoom_buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 0)
        bar.addWidget(self.status, 1)
        for mode, text in (("fit", "Fit width"), ("100", "100%")):
            button = QToolButton(text=text)
            button.setCheckable(True)
            button.setChecked(mode == self.zoom)
            button.setProperty("zoom", mode)
            button.clicked.connect(lambda _c=False, m=mode: self.set_zoom(m))
            self.zoom_buttons.addButton(button)
            bar.addWidget(button)
        self.refresh_button = QToolButton(text="Refresh")
        self.refresh_button.setToolTip("Compute the preview again from the latest data")
        self.refresh_button.clicked.connect(self.refresh_from_data)
        bar.addWidget(self.refresh_button)
        self.error = QLabel()
        self.error.setObjectName("previewError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #c62828; padding: 4px 8px;")
        self.error.hide()
        self.pages = PageColumn()
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("reportPreviewScroll")
        self.scroll_area.setWidget(self.pages)
        self.scroll_area.setBackgroundRole(QPalette.ColorRole.Mid)
        self.scroll_area.setWidgetResizable(False)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll_area.setAccessibleName("Report preview")
        # Always there, so fitting the width never makes the scroll bar appear and re-fit.
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(self.scroll_area, 1)

    # -- requests --------------------------------------------------------------------------

    def show_request(self, request: ReportRequest) -> None:
        """Preview ``request`` once changes have paused for 300 ms."""
        self.request = request
        self._generation += 1  # what is under way is out of date: drop it
        self.ctx.tasks.cancel(TASK_NAME)
        self._set_state("waiting", "Computing…")
        self._timer.start()

    def invalidate_figures(self) -> None:
        """The data behind the figures changed: read them again at the next refresh."""
        self._figures = None
        self._report = None
        self._data_epoch += 1

    def refresh_from_data(self) -> None:
        self.invalidate_figures()
        self.refresh()

    def cached_figures(self, request: ReportRequest) -> ReportFigures | None:
        """The figures of the last preview when they are still those of ``request``."""
        if self._figures is not None and self._figures[0] == figures_key(request):
            return self._figures[1]
        return None

    def cancel(self) -> None:
        self._timer.stop()
        self.ctx.tasks.cancel(TASK_NAME)

    def refresh(self) -> None:
        """Start computing the current request now (cancelling one under way)."""
        self._timer.stop()
        request = self.request
        if request is None:
            return
        fkey, lkey = figures_key(request), layout_key(request)
        figures = self._figures[1] if self._figures and self._figures[0] == fkey else None
        report = self._report[1] if self._report and self._report[0] == lkey else None
        width = self._render_width()
        self._generation += 1
        generation, epoch = self._generation, self._data_epoch
        self._set_state("computing", "Computing…")
        ws = self.ctx.workspace
        task = self.ctx.tasks.run_in_thread(
            TASK_NAME,
            lambda progress: compute_preview(ws, request, width, figures, report, progress),
            label="Preview",
            latest_wins=True,
            on_done=lambda result: self._on_done(generation, epoch, result),
            on_error=lambda message: self._on_error(generation, message),
        )
        task.add_done_callback(lambda _t: self._on_task_ended(generation))

    # -- results ---------------------------------------------------------------------------

    def _on_done(self, generation: int, epoch: int, result: PreviewResult) -> None:
        self._answered = max(self._answered, generation)
        if epoch == self._data_epoch:
            self._figures = (figures_key(result.request), result.figures)
            self._report = (layout_key(result.request), result.report)
        if generation != self._generation:
            return  # a newer request is on its way
        self._rendered_width = result.width_px
        ratio = self.devicePixelRatioF()
        for image in result.images:
            image.setDevicePixelRatio(ratio)
        self.page_count = result.report.page_count
        self.pages.set_geometry_for(self._page_width(), self.scroll_area.viewport().width())
        self.pages.set_images(result.images)
        self.error.hide()
        pages = "1 page" if self.page_count == 1 else f"{self.page_count} pages"
        self._set_state("ready", f"{pages} · {result.request.period.label()}")
        self.preview_rendered.emit(self.page_count)

    def _on_error(self, generation: int, message: str) -> None:
        self._answered = max(self._answered, generation)
        if generation != self._generation:
            return
        self.error.setText(f"The preview could not be made: {message}")
        self.error.show()
        self._set_state("failed", "Preview failed")
        self.preview_failed.emit(message)

    def _on_task_ended(self, generation: int) -> None:
        if generation == self._generation and self._answered < generation:
            self._set_state("cancelled", "Preview cancelled — press Refresh to compute it")
            self.preview_cancelled.emit()

    def _set_state(self, state: str, text: str) -> None:
        self.state = state
        self.status.setText(text)

    # -- zoom and size ---------------------------------------------------------------------

    def set_zoom(self, mode: str) -> None:
        self.zoom = mode
        self.ctx.settings.setValue("reports/zoom", mode)
        for button in self.zoom_buttons.buttons():
            button.setChecked(button.property("zoom") == mode)
        self._relayout()

    def _page_width(self) -> int:
        if self.zoom == "100":
            return round(PAGE_WIDTH * self.logicalDpiX() / 72)
        return max(160, self.scroll_area.viewport().width() - 2 * MARGIN)

    def _render_width(self) -> int:
        pixels = self._page_width() * self.devicePixelRatioF()
        return int(-(-pixels // WIDTH_STEP) * WIDTH_STEP)

    def _relayout(self) -> None:
        self.scroll_area.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if self.zoom == "fit"
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self.pages.set_geometry_for(self._page_width(), self.scroll_area.viewport().width())
        if self.pages.images and self._render_width() != self._rendered_width:
            self._resize_timer.start()

    def _on_resize_settled(self) -> None:
        if self.state in ("ready", "cancelled") and self._render_width() != self._rendered_width:
            self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._relayout()

    def shutdown(self) -> None:
        self.cancel()
        self._resize_timer.stop()
