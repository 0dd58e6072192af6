"""A dismissible message strip across the top of the window (no keychain, an alert...)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from cmdesk.ui.icons import icon

LEVEL_COLORS = {"info": "#dbeafe", "warning": "#fef3c7", "error": "#fee2e2"}
INK = "#1f2328"  # text and close icon: the strip is light in light and dark mode alike


class Banner(QFrame):
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        close = QToolButton()
        close.setIcon(icon("cancel", INK))
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self._on_close_clicked)
        self.close_button = close
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, level: str = "info") -> None:
        color = LEVEL_COLORS.get(level, LEVEL_COLORS["info"])
        # A stylesheet, not the palette: the app stylesheet styles QFrame#banner, which makes
        # Qt ignore palette backgrounds for it.
        self.setStyleSheet(
            f"QFrame#banner {{ background: {color}; border-radius: 0; }}"
            f"QFrame#banner QLabel {{ color: {INK}; }}"
        )
        self.label.setText(text)
        self.show()

    def _on_close_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()
