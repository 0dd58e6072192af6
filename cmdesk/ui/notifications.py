"""Desktop notifications through the system tray, with a fallback when there is no tray."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QStatusBar, QSystemTrayIcon, QWidget

from cmdesk.ui.icons import app_icon

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, parent: QWidget, status_bar: QStatusBar) -> None:
        self.status_bar = status_bar
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), parent)
            self.tray.setToolTip("cmdesk")
            self.tray.show()

    def notify(self, title: str, message: str) -> None:
        log.info("Notification: %s — %s", title, message)
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, message, app_icon(), 8000)
        else:
            self.status_bar.showMessage(f"{title}: {message}", 10_000)

    def close(self) -> None:
        if self.tray is not None:
            self.tray.hide()
