"""Asking for a file to open or a place to save, without blocking.

The static ``QFileDialog.getOpenFileName``/``getSaveFileName`` run a nested event loop: the
listening engine's coroutines and timers stall while the dialog is up. :func:`choose_file_to_open`
and :func:`choose_file_to_save` show a window-modal ``QFileDialog`` with ``open()`` and call back
with the chosen path from ``fileSelected``; they return the dialog (tests answer it). Under the
offscreen platform Qt's own dialog is used, as a native one cannot be driven there.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

OnChosen = Callable[[str], object]


def _chooser(parent: QWidget, title: str, directory: str, filters: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, directory, filters)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def choose_file_to_open(
    parent: QWidget, title: str, filters: str, on_chosen: OnChosen, directory: str = ""
) -> QFileDialog:
    """Ask for an existing file; ``on_chosen(path)`` runs once one is picked."""
    dialog = _chooser(parent, title, directory, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.fileSelected.connect(on_chosen)
    dialog.open()
    return dialog


def choose_file_to_save(
    parent: QWidget, title: str, file_name: str, filters: str, on_chosen: OnChosen
) -> QFileDialog:
    """Ask where to save, suggesting ``file_name`` (its suffix is added when the user drops it)."""
    dialog = _chooser(parent, title, "", filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    suffix = file_name.rpartition(".")[2] if "." in file_name else ""
    if suffix:
        dialog.setDefaultSuffix(suffix)
    dialog.selectFile(file_name)
    dialog.fileSelected.connect(on_chosen)
    dialog.open()
    return dialog
