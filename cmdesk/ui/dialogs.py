"""Help dialogs: About and Keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cmdesk import __version__
from cmdesk.core.db import Workspace


def show_about(parent: QWidget, workspace: Workspace, log_path: str) -> None:
    QMessageBox.about(
        parent,
        "About cmdesk",
        f"<h3>cmdesk {__version__}</h3>"
        "<p>The community manager's desk: listen to every mention, triage the inbox, keep in "
        "touch with the people who matter, plan content and report to management.</p>"
        "<p>Local-first: everything lives in one file on this computer; secrets live in the "
        "system keychain.</p>"
        f"<p><b>Workspace:</b> {_escape(str(workspace.path))}<br>"
        f"<b>Log file:</b> {_escape(log_path)}</p>",
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut, grouped by where it works."""

    def __init__(self, groups: list[tuple[str, list[tuple[str, str]]]], parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 560)
        rows = [(group, key, what) for group, items in groups for key, what in items]
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        for row, (group, key, what) in enumerate(rows):
            for column, text in enumerate((group, key, what)):
                item = QTableWidgetItem(text)
                if column == 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel("Single-key shortcuts work while the list has the keyboard focus.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
