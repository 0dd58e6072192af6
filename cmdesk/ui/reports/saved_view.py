"""Saved reports: period, template, when saved and exported, and suggestions, newest first.

Each can be opened again in the builder, exported again or deleted.

A short list (the service returns the newest 200), so a QTreeWidget is enough.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services import reports as report_service
from cmdesk.core.services.reports import SavedReport
from cmdesk.reports.periods import ReportPeriod
from cmdesk.ui.pane import PaneContext

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class SavedReportsView(QWidget):
    open_requested = Signal(object)  # SavedReport
    export_requested = Signal(object)  # SavedReport

    def __init__(self, ctx: PaneContext, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tz = tz
        self.reports: list[SavedReport] = []
        title = QLabel("Saved reports")
        title.setObjectName("paneTitle")
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Saved reports")
        self.tree.setHeaderLabels(["Period", "Template", "Saved", "Exported", "Suggestions"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(True)
        self.tree.itemActivated.connect(lambda _item, _col: self._emit(self.open_requested))
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QLabel("No report saved yet: export one from the report builder.")
        self.empty.setObjectName("emptyStateText")
        self.open_button = QPushButton("Open in the builder")
        self.export_button = QPushButton("Export PDF…")
        self.delete_button = QPushButton("Delete")
        self.open_button.clicked.connect(lambda: self._emit(self.open_requested))
        self.export_button.clicked.connect(lambda: self._emit(self.export_requested))
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(title)
        layout.addWidget(self.empty)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

    def reload(self) -> None:
        ws = self.ctx.workspace
        names = {t.id: t.name for t in report_service.templates(ws)}
        self.reports = report_service.saved_reports(ws)
        selected = self.selected()
        self.tree.clear()
        for report in self.reports:
            first_line = (
                report.suggestions.strip().splitlines()[0] if report.suggestions.strip() else ""
            )
            item = QTreeWidgetItem(
                [
                    ReportPeriod(report.period_from, report.period_to).label(),
                    names.get(report.template_id or -1, "—"),
                    self._when(report.created_at),
                    self._when(report.exported_at) if report.exported_at else "not yet",
                    first_line,
                ]
            )
            item.setData(0, ID_ROLE, report.id)
            item.setToolTip(4, report.suggestions[:500])
            self.tree.addTopLevelItem(item)
            if selected is not None and selected.id == report.id:
                self.tree.setCurrentItem(item)
        for column in range(4):
            self.tree.resizeColumnToContents(column)
        self.empty.setVisible(not self.reports)
        if self.tree.currentItem() is None and self.reports:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._update_buttons()

    def _when(self, seconds: int) -> str:
        moment = datetime.fromtimestamp(seconds, self.tz)
        return f"{moment.day} {moment:%b %Y, %H:%M}"

    def selected(self) -> SavedReport | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        report_id = item.data(0, ID_ROLE)
        return next((r for r in self.reports if r.id == report_id), None)

    def delete_selected(self) -> None:
        report = self.selected()
        if report is None:
            return
        self.ctx.tasks.write(
            "reports.delete",
            report_service.delete_report,
            self.ctx.workspace,
            report.id,
            label="Deleting the saved report",
        )

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        report = self.selected()
        if report is not None:
            signal.emit(report)  # type: ignore[attr-defined]

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.open_button, self.export_button, self.delete_button):
            button.setEnabled(chosen)
