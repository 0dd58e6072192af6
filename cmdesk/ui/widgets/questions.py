"""Asking the user a question without blocking: yes/no before something destructive, a line of text.

Every question is a dialog opened with ``open()``: the event loop (fetches, timers) goes on, and
the answer arrives in a callback. Each returns its dialog, so tests answer it by its buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget


def confirm(
    parent: QWidget, title: str, text: str, yes: str, on_yes: Callable[[], object]
) -> QMessageBox:
    """Ask a yes/no question without blocking; ``on_yes`` runs when ``yes`` is clicked."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    button = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(lambda clicked: on_yes() if clicked is button else None)
    box.open()
    return box


def ask_text(
    parent: QWidget,
    title: str,
    question: str,
    on_text: Callable[[str], object],
    *,
    choices: Sequence[str] = (),
    text: str = "",
) -> QInputDialog:
    """Ask for a line of text (or one of ``choices``) without blocking; blanks are ignored."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(question)
    if choices:
        dialog.setComboBoxItems(list(choices))
        dialog.setComboBoxEditable(False)
    else:
        dialog.setTextValue(text)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.textValueSelected.connect(
        lambda value: on_text(value.strip()) if value.strip() else None
    )
    dialog.open()
    return dialog
