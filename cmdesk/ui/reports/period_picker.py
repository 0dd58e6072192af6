"""The report period: this/last week, month, quarter or custom dates, and the one compared with.

"Today" is read from the workspace clock in the pane's zone, so tests see a fixed week. Emits
``period_changed`` with a :class:`ReportPeriod` when the user (or :meth:`set_kind`,
:meth:`set_custom`) changes it; custom dates that end before they start are refused in words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cmdesk.reports.periods import PERIOD_KINDS, PERIOD_TITLES, ReportPeriod, period_for


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PeriodPicker(QWidget):
    period_changed = Signal(object)  # ReportPeriod

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Period")
        for kind in PERIOD_KINDS:
            self.kind_combo.addItem(PERIOD_TITLES[kind], kind)
        self.first_edit = QDateEdit()
        self.last_edit = QDateEdit()
        for edit, name in ((self.first_edit, "From"), (self.last_edit, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._on_custom_changed)
        self.custom_row = QWidget()
        row = QHBoxLayout(self.custom_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("From"))
        row.addWidget(self.first_edit, 1)
        row.addWidget(QLabel("to"))
        row.addWidget(self.last_edit, 1)
        self.summary = QLabel()
        self.summary.setObjectName("reportPeriodSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_combo)
        layout.addWidget(self.custom_row)
        layout.addWidget(self.summary)
        self.period = period_for("last_week", today())
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self._show(self.period)

    def set_kind(self, kind: str) -> None:
        """Choose a named period as seen today (``custom`` keeps the dates shown)."""
        if kind == "custom":
            self.set_custom(self.period.first, self.period.last)
            return
        self._set(period_for(kind, self.today()))

    def set_custom(self, first: date, last: date) -> None:
        if last < first:
            self.summary.setText("The period ends before it starts: pick a later “to” date.")
            return
        self._set(ReportPeriod(first, last, "custom"))

    def refresh_today(self) -> None:
        """A new day may move "last week": recompute a named period."""
        if self.period.kind != "custom":
            fresh = period_for(self.period.kind, self.today())
            if fresh != self.period:
                self._set(fresh)

    def _set(self, period: ReportPeriod) -> None:
        changed = period != self.period
        self.period = period
        self._show(period)
        if changed:
            self.period_changed.emit(period)

    def _show(self, period: ReportPeriod) -> None:
        with QSignalBlocker(self.kind_combo), QSignalBlocker(self.first_edit):
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(period.kind))
            self.first_edit.setDate(_qdate(period.first))
        with QSignalBlocker(self.last_edit):
            self.last_edit.setDate(_qdate(period.last))
        self.custom_row.setVisible(period.kind == "custom")
        self.summary.setText(period.describe())

    def _on_kind_changed(self) -> None:
        self.set_kind(str(self.kind_combo.currentData()))

    def _on_custom_changed(self) -> None:
        self.set_custom(_pydate(self.first_edit.date()), _pydate(self.last_edit.date()))
