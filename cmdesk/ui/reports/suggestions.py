"""The Suggestions editor: plain text for management, saved with the report for its period.

Typing saves itself 800 ms after the last keystroke, through the writer, into the report saved
for the period shown (one per period, created on the first save); switching to another period
first saves what is pending for the previous one, then shows the text saved for the new one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from cmdesk.core.services import reports as report_service
from cmdesk.reports.periods import ReportPeriod
from cmdesk.ui.pane import PaneContext

AUTOSAVE_MS = 800


class SuggestionsEditor(QWidget):
    text_edited = Signal(str)
    saved = Signal()

    def __init__(
        self,
        ctx: PaneContext,
        report_details: Callable[[], tuple[int | None, str]],  # template id, title
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report_details = report_details
        self.period: ReportPeriod | None = None
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("reportSuggestions")
        self.editor.setAccessibleName("Suggestions and feedback for management")
        self.editor.setPlaceholderText(
            "What should management know or decide? Suggestions and feedback from the community…"
        )
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(90)
        self.status = QLabel()
        self.status.setObjectName("suggestionsStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        self.editor.textChanged.connect(self._on_text_changed)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_period(self, period: ReportPeriod) -> None:
        """Save what is pending for the current period, then show the text saved for ``period``."""
        if self.period is not None and (self.period.first, self.period.last) == (
            period.first,
            period.last,
        ):
            self.period = period
            return
        self.flush()
        self.period = period
        saved = report_service.latest_report_for(self.ctx.workspace, period.first, period.last)
        with QSignalBlocker(self.editor):
            self.editor.setPlainText(saved.suggestions if saved is not None else "")
        self.status.setText(
            f"Saved with the report for {period.label()}"
            if saved is not None and saved.suggestions
            else "Saved with the report for this period as you type"
        )

    def flush(self, *, blocking: bool = False) -> None:
        """Save now what is waiting; ``blocking`` when the window closes (the loop is ending)."""
        if not self._timer.isActive():
            return
        if not blocking:
            self.save_now()
            return
        self._timer.stop()
        if self.period is not None:
            template_id, title = self.report_details()
            ws, period = self.ctx.workspace, self.period
            ws.write(
                report_service.save_period_report,
                ws,
                period.first,
                period.last,
                self.text(),
                template_id,
                title,
            ).result(timeout=10)

    def save_now(self) -> None:
        self._timer.stop()
        if self.period is None:
            return
        template_id, title = self.report_details()
        period, text = self.period, self.text()
        self.status.setText("Saving…")
        self.ctx.tasks.write(
            "reports.suggestions",
            report_service.save_period_report,
            self.ctx.workspace,
            period.first,
            period.last,
            text,
            template_id,
            title,
            label="Saving suggestions",
            on_done=lambda _r: self._on_saved(period),
            on_error=lambda m: self.status.setText(f"Not saved: {m}"),
        )

    def _on_saved(self, period: ReportPeriod) -> None:
        if (
            self.period is not None
            and self.period.first == period.first
            and not self._timer.isActive()
        ):
            self.status.setText(f"Saved with the report for {period.label()}")
        self.saved.emit()

    def _on_text_changed(self) -> None:
        self.status.setText("Editing…")
        self._timer.start()
        self.text_edited.emit(self.text())
