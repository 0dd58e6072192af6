"""The weekly report reminder in the app: checks, notification, banner, settings row.

It checks every minute, notifies once per week, shows the banner with "Produce it", and has the
row that sets the day and time.

When it is due is decided by :func:`cmdesk.core.services.report_reminder.weekly_report_due`
(no Qt); this module only shows it. The notification is sent once per week (remembered in
QSettings, so a restart does not repeat it); the banner and the sidebar badge stay until last
week's report is saved.
"""

from __future__ import annotations

from datetime import time, tzinfo

from PySide6.QtCore import QObject, QSignalBlocker, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QToolButton,
    QWidget,
)

from cmdesk.core.services import report_reminder
from cmdesk.core.services.report_reminder import WEEKDAYS, ReminderSettings, ReminderState
from cmdesk.reports.periods import ReportPeriod
from cmdesk.ui.icons import icon
from cmdesk.ui.pane import PaneContext
from cmdesk.ui.reports.checks import VisibleCheckBox

CHECK_INTERVAL_MS = 60_000


def reminder_text(state: ReminderState) -> str:
    period = ReportPeriod(state.first, state.last)
    return f"Last week's report ({period.label()}) is not produced yet."


class ReminderWatch(QObject):
    """Checks the reminder; emits ``state_changed`` with each new :class:`ReminderState`."""

    state_changed = Signal(object)

    def __init__(self, ctx: PaneContext, tz: tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tz = tz
        self.state: ReminderState | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> ReminderState:
        state = report_reminder.weekly_report_due(self.ctx.workspace, self.ctx.clock.now(), self.tz)
        if state.due:
            week = state.first.isoformat()
            if str(self.ctx.settings.value("reports/reminded_for", "")) != week:
                self.ctx.settings.setValue("reports/reminded_for", week)
                self.ctx.notify("Weekly report", reminder_text(state))
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
        return state

    def stop(self) -> None:
        self.timer.stop()


class ReminderBanner(QFrame):
    """The strip "Last week's report is not produced yet — Produce it" atop the pane."""

    produce_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportReminder")
        self.setStyleSheet(
            "QFrame#reportReminder { background: #fef3c7; border-radius: 0; }"
            "QFrame#reportReminder QLabel { color: #1f2328; }"
        )
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.produce_button = QPushButton("Produce it")
        self.produce_button.setToolTip("Choose last week in the report builder")
        self.produce_button.clicked.connect(self.produce_clicked)
        close = QToolButton()
        close.setIcon(icon("cancel", "#1f2328"))
        close.setAutoRaise(True)
        close.setToolTip("Hide until the app restarts")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.produce_button)
        layout.addWidget(close)
        self.hide()

    def show_state(self, state: ReminderState) -> None:
        if state.due:
            self.label.setText(reminder_text(state))
            self.show()
        else:
            self.hide()


class ReminderSettingsRow(QWidget):
    """The row "Remind me on [Monday] at [09:00]": a workspace setting, saved as it changes."""

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enabled = VisibleCheckBox("Remind me to produce the weekly report on")
        self.weekday = QComboBox()
        self.weekday.setAccessibleName("Reminder day")
        for number, name in enumerate(WEEKDAYS):
            self.weekday.addItem(name, number)
        self.at = QTimeEdit()
        self.at.setDisplayFormat("HH:mm")
        self.at.setAccessibleName("Reminder time")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.weekday)
        layout.addWidget(QLabel("at"))
        layout.addWidget(self.at)
        layout.addStretch(1)
        self.load()
        self.enabled.toggled.connect(self._on_changed)
        self.weekday.currentIndexChanged.connect(self._on_changed)
        self.at.editingFinished.connect(self._on_changed)

    def load(self) -> None:
        settings = report_reminder.reminder_settings(self.ctx.workspace)
        with QSignalBlocker(self.enabled), QSignalBlocker(self.weekday), QSignalBlocker(self.at):
            self.enabled.setChecked(settings.enabled)
            self.weekday.setCurrentIndex(settings.weekday)
            self.at.setTime(QTime(settings.at.hour, settings.at.minute))
        self._update_enabled()

    def settings(self) -> ReminderSettings:
        chosen = self.at.time()
        return ReminderSettings(
            self.enabled.isChecked(),
            self.weekday.currentIndex(),
            time(chosen.hour(), chosen.minute()),
        )

    def _update_enabled(self) -> None:
        self.weekday.setEnabled(self.enabled.isChecked())
        self.at.setEnabled(self.enabled.isChecked())

    def _on_changed(self) -> None:
        self._update_enabled()
        self.ctx.tasks.write(
            "reports.reminder",
            report_reminder.set_reminder_settings,
            self.ctx.workspace,
            self.settings(),
            label="Saving the reminder",
        )
