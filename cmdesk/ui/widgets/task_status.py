"""The status-bar widget that shows background work: what runs, how far along, and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from cmdesk.ui.icons import PaletteIcons
from cmdesk.ui.tasks import TaskInfo, TaskRunner


class TaskStatus(QWidget):
    """Shows the most recent running task (and how many others) with a cancel button."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(140)
        self.cancel_button = QToolButton()
        self.icons = PaletteIcons(self)  # the status bar's text colour, light or dark
        self.icons.add(self.cancel_button, "cancel")
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.setToolTip("Cancel this background task")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        runner.task_started.connect(self._refresh)
        runner.task_progressed.connect(self._refresh)
        runner.task_finished.connect(self._refresh)
        self._shown: TaskInfo | None = None
        self._refresh()

    def _refresh(self, _info: TaskInfo | None = None) -> None:
        running = self.runner.running()
        self.setVisible(bool(running))
        if not running:
            self._shown = None
            return
        info = running[-1]
        self._shown = info
        more = f"  (+{len(running) - 1} more)" if len(running) > 1 else ""
        detail = f" — {info.text}" if info.text else ""
        self.label.setText(f"{info.label}{detail}{more}")
        if info.total:
            self.bar.setRange(0, info.total)
            self.bar.setValue(min(info.done, info.total))
        else:
            self.bar.setRange(0, 0)  # busy indicator

    def _on_cancel_clicked(self) -> None:
        if self._shown is not None:
            self._shown.cancel()
