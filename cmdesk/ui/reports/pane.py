"""The Reports pane: build a report on the left, see its real pages on the right, export it.

Sub-views: the report builder and the saved reports. The sidebar badge shows "1" while last
week's report is due (see :mod:`cmdesk.ui.reports.reminder`), with a banner that selects last week.
The preview is computed only while the pane is visible; data changes elsewhere (new mentions,
goals, the brand name) mark the figures stale, and the next look computes them again.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.changes import Changes
from cmdesk.core.services.reports import SavedReport
from cmdesk.reports.produce import zone
from cmdesk.ui.pane import Pane, PaneContext, SubView
from cmdesk.ui.reports.editor import ReportEditor
from cmdesk.ui.reports.export import ExportResultBar, ReportExport
from cmdesk.ui.reports.goals_dialog import GoalsDialog
from cmdesk.ui.reports.preview import ReportPreview
from cmdesk.ui.reports.reminder import ReminderBanner, ReminderWatch
from cmdesk.ui.reports.saved_view import SavedReportsView

DATA_CHANGES = (
    "mentions",
    "sources",
    "queries",
    "contacts",
    "calendar",
    "alerts",
    "settings",
    "workspace",
)


class ReportsPane(Pane):
    key = "reports"
    title = "Reports"
    icon_name = "reports"

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tz = zone()
        self.goals_dialog: GoalsDialog | None = None
        self._preview_stale = True
        self.editor = ReportEditor(ctx, self.tz, self.today)
        self.preview = ReportPreview(ctx)
        self.saved = SavedReportsView(ctx, self.tz)
        self.banner = ReminderBanner()
        self.export_bar = ExportResultBar()
        self.exporter = ReportExport(
            ctx, self.editor.request, self.editor.report_details, self.preview.cached_figures, self
        )
        self.reminder = ReminderWatch(ctx, self.tz, self)
        self._build()
        self._connect()
        self.editor.start(self._int_setting("reports/template_id"))
        self.saved.reload()
        # After the main window has connected the sidebar to this pane's signals.
        QTimer.singleShot(0, self._update_subviews)
        QTimer.singleShot(0, self.reminder.check)

    def _build(self) -> None:
        scroll = QScrollArea()
        scroll.setWidget(self.editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.export_pdf_button = QPushButton("Export PDF…")
        self.export_pdf_button.setDefault(True)
        self.export_csv_button = QPushButton("Export CSV…")
        self.export_pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.export_csv_button.clicked.connect(lambda: self.export("csv"))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(10, 6, 10, 10)
        buttons.addWidget(self.export_pdf_button)
        buttons.addWidget(self.export_csv_button)
        buttons.addStretch(1)
        left = QWidget()
        left.setMinimumWidth(300)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(scroll, 1)
        left_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([430, 700])
        self.splitter.setChildrenCollapsible(False)
        state = self.ctx.settings.value("reports/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.saved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.export_bar)
        layout.addWidget(self.stack, 1)

    def _connect(self) -> None:
        self.editor.request_changed.connect(self._on_request_changed)
        self.editor.goals_clicked.connect(self.open_goals)
        self.editor.templates.templates_changed.connect(self.saved.reload)
        self.exporter.export_finished.connect(self.export_bar.show_result)
        self.exporter.export_failed.connect(self.export_bar.show_error)
        self.reminder.state_changed.connect(self._on_reminder_changed)
        self.banner.produce_clicked.connect(self.produce_last_week)
        self.saved.open_requested.connect(self.open_saved)
        self.saved.export_requested.connect(self._on_export_saved)

    # -- what the pane does ----------------------------------------------------------------

    def today(self) -> date:
        return datetime.fromtimestamp(self.ctx.clock.now(), self.tz).date()

    def export(self, kind: str, path: Any = None) -> None:
        self.editor.suggestions.flush()
        self.exporter.export(kind, path)

    def open_goals(self) -> GoalsDialog:
        if self.goals_dialog is None:
            self.goals_dialog = GoalsDialog(self.ctx, self)
            self.goals_dialog.goals_changed.connect(self._on_goals_changed)
        else:
            self.goals_dialog.reload()
        self.goals_dialog.open()
        return self.goals_dialog

    def produce_last_week(self) -> None:
        self.show_subview("builder")
        self.editor.select_period("last_week")

    def open_saved(self, report: SavedReport) -> None:
        self.show_subview("builder")
        self.editor.open_saved(report.period_from, report.period_to, report.template_id)

    def _on_export_saved(self, report: SavedReport) -> None:
        self.open_saved(report)
        self.export("pdf")

    def _on_request_changed(self) -> None:
        if self.isVisible():
            self.preview.show_request(self.editor.request())
        else:
            self._preview_stale = True

    def _on_goals_changed(self) -> None:
        self.preview.invalidate_figures()
        self._on_request_changed()

    def _on_reminder_changed(self, state: Any) -> None:
        self.banner.show_state(state)
        self.badge_changed.emit("1" if state.due else "")

    def _update_subviews(self) -> None:
        self.subviews_changed.emit(
            [
                SubView("builder", "Report builder"),
                SubView("saved", "Saved reports", len(self.saved.reports)),
            ]
        )

    def _int_setting(self, key: str) -> int | None:
        try:
            return int(self.ctx.settings.value(key, 0) or 0) or None
        except (TypeError, ValueError):
            return None

    # -- the Pane contract -----------------------------------------------------------------

    def on_changes(self, changes: Changes) -> None:
        if any(getattr(changes, name) for name in DATA_CHANGES):
            self.preview.invalidate_figures()
            if changes.sources or changes.queries or changes.workspace:
                self.editor.reload_choices()
            self._on_request_changed()
        if changes.reports or changes.settings or changes.workspace:
            self.saved.reload()
            self._update_subviews()
            self.reminder.check()

    def show_subview(self, key: str) -> None:
        self.stack.setCurrentWidget(self.saved if key == "saved" else self.splitter)
        if key == "saved":
            self.saved.reload()

    def activated(self) -> None:
        self.editor.period.refresh_today()
        self.reminder.check()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._preview_stale:
            self._preview_stale = False
            self.preview.show_request(self.editor.request())

    def pane_actions(self) -> list[QAction]:
        actions = []
        for text, slot in (
            ("Export PDF…", lambda: self.export("pdf")),
            ("Export CSV…", lambda: self.export("csv")),
            ("Goals…", self.open_goals),
            ("Refresh the preview", self.preview.refresh_from_data),
            ("Produce last week's report", self.produce_last_week),
        ):
            action = QAction(text, self)
            action.triggered.connect(slot)
            actions.append(action)
        return actions

    def export_actions(self) -> list[QAction]:
        pdf = QAction("Report (PDF)…", self)
        pdf.triggered.connect(lambda: self.export("pdf"))
        csv = QAction("Report numbers (CSV)…", self)
        csv.triggered.connect(lambda: self.export("csv"))
        return [pdf, csv]

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("Space", "Reports: include or leave out the selected section"),
            ("Alt+Up / Alt+Down", "Reports: move the selected section"),
        ]

    def shutdown(self) -> None:
        self.editor.suggestions.flush(blocking=True)
        self.preview.shutdown()
        self.reminder.stop()
        self.ctx.settings.setValue("reports/splitter", self.splitter.saveState())
