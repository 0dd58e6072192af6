"""Export the report as PDF or CSV: file dialog, background work, atomic write, Open / Show.

The work mirrors ``cmdesk report``: figures (reused from the preview when still current), pages,
then ``write_pdf`` or ``write_csv``, in a worker thread with progress and Cancel in the status
bar. Files are written next to the target under a temporary name and moved into place only when
complete, so a cancelled or failed export never leaves half a file. A written PDF also saves the
report record (period, template, suggestions) marked exported, which is what the weekly reminder
looks for (typing suggestions alone saves the record unmarked).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from cmdesk.core.files import atomic_path
from cmdesk.core.progress import Progress
from cmdesk.core.services import reports as report_service
from cmdesk.reports.csv_export import write_csv
from cmdesk.reports.model import ReportFigures
from cmdesk.reports.pdf import write_pdf
from cmdesk.reports.produce import ReportRequest, figures_for, pages_for
from cmdesk.ui.icons import icon
from cmdesk.ui.pane import PaneContext
from cmdesk.ui.widgets.file_chooser import choose_file_to_save

TASK_NAME = "reports.export"
FILTERS = {"pdf": "PDF documents (*.pdf)", "csv": "CSV files (*.csv)"}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str  # "pdf" or "csv"
    detail: str  # "9 pages", "214 numbers"


def default_name(request: ReportRequest, kind: str) -> str:
    period = request.period
    return f"cmdesk-report-{period.first.isoformat()}-to-{period.last.isoformat()}.{kind}"


def write_atomically(path: Path, write: Callable[[Path], object], progress: Progress) -> None:
    """Write through ``write(temporary path)``, then move it over ``path`` unless cancelled."""
    with atomic_path(path) as partial:
        write(partial)
        progress.check()


def export_report(
    ws: object,
    request: ReportRequest,
    kind: str,
    path: Path,
    figures: ReportFigures | None,
    progress: Progress,
) -> ExportResult:
    """In a worker thread: the figures if not given, then the file, written atomically."""
    if figures is None:
        figures = figures_for(ws, request, progress)  # type: ignore[arg-type]
    if kind == "csv":
        counted: list[int] = []
        progress.update(text="Writing the CSV")
        write_atomically(path, lambda p: counted.append(write_csv(figures, p)), progress)
        return ExportResult(path, kind, f"{counted[0]} numbers")
    progress.update(text="Laying out pages")
    report = pages_for(figures, request)
    progress.update(text=f"Writing {report.page_count} pages")
    write_atomically(path, lambda p: write_pdf(report, p), progress)
    pages = "1 page" if report.page_count == 1 else f"{report.page_count} pages"
    return ExportResult(path, kind, pages)


class ReportExport(QObject):
    """Runs exports for the pane; ``export_finished`` / ``export_failed`` say how they ended."""

    export_finished = Signal(object)  # ExportResult
    export_failed = Signal(str)

    def __init__(
        self,
        ctx: PaneContext,
        request: Callable[[], ReportRequest],
        report_details: Callable[[], tuple[int | None, str]],
        cached_figures: Callable[[ReportRequest], ReportFigures | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request = request
        self.report_details = report_details
        self.cached_figures = cached_figures
        self.window = parent

    def export(self, kind: str, path: str | Path | None = None) -> None:
        """Export to ``path``, or to the file the user picks (asked without blocking)."""
        if path:
            self._export_to(kind, Path(path))
        else:
            name = default_name(self.request(), kind)
            self.ask_path(kind, name, lambda chosen: self._export_to(kind, Path(chosen)))

    def _export_to(self, kind: str, target: Path) -> None:
        request = self.request()
        if target.suffix.lower() != f".{kind}":
            target = target.with_name(f"{target.name}.{kind}")
        self.ctx.settings.setValue("reports/export_dir", str(target.parent))
        figures = self.cached_figures(request)
        ws = self.ctx.workspace
        self.ctx.tasks.run_in_thread(
            TASK_NAME,
            lambda progress: export_report(ws, request, kind, target, figures, progress),
            label=f"Exporting the report ({kind.upper()})",
            on_done=lambda result: self._on_done(request, result),
            on_error=self.export_failed.emit,
        )

    def _on_done(self, request: ReportRequest, result: ExportResult) -> None:
        if result.kind == "pdf":
            template_id, title = self.report_details()
            period = request.period
            self.ctx.tasks.write(
                "reports.record",
                # The report is produced: the weekly reminder is satisfied.
                functools.partial(report_service.save_period_report, exported=True),
                self.ctx.workspace,
                period.first,
                period.last,
                request.text.suggestions,
                template_id,
                title,
                label="Saving the report",
            )
        self.export_finished.emit(result)

    def ask_path(self, kind: str, name: str, on_chosen: Callable[[str], object]) -> None:
        folder = str(
            self.ctx.settings.value("reports/export_dir", "")
            or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        self.file_dialog = choose_file_to_save(
            self.window, f"Export the report as {kind.upper()}", str(Path(folder) / name),
            FILTERS[kind], on_chosen,
        )  # fmt: skip


class ExportResultBar(QFrame):
    """The strip "Exported cmdesk-report-….pdf (9 pages) — Open · Show in folder", or an error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportResult")
        self.path: Path | None = None
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.open_button = QPushButton("Open")
        self.folder_button = QPushButton("Show in folder")
        self.open_button.clicked.connect(self.open_file)
        self.folder_button.clicked.connect(self.show_in_folder)
        close = QToolButton()
        close.setIcon(icon("cancel", "#1f2328"))
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.folder_button)
        layout.addWidget(close)
        self.hide()

    def show_result(self, result: ExportResult) -> None:
        self.path = result.path
        self._style("#dcfce7")
        self.label.setText(f"Exported {result.path.name} ({result.detail}) to {result.path.parent}")
        self.open_button.show()
        self.folder_button.show()
        self.show()

    def show_error(self, message: str) -> None:
        self.path = None
        self._style("#fee2e2")
        self.label.setText(f"The export failed: {message}")
        self.open_button.hide()
        self.folder_button.hide()
        self.show()

    def _style(self, color: str) -> None:
        self.setStyleSheet(
            f"QFrame#exportResult {{ background: {color}; }}"
            "QFrame#exportResult QLabel { color: #1f2328; }"
        )

    def open_file(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))

    def show_in_folder(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))
