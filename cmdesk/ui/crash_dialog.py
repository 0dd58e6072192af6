"""An uncaught exception becomes a dialog with the message and the log path, not a silent exit."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from cmdesk.diagnostics import describe_exception

log = logging.getLogger("cmdesk.crash")


def install_excepthook(log_path: str) -> None:
    showing = False

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.critical("Uncaught exception\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        if showing or QApplication.instance() is None:
            return
        showing = True
        try:
            box = QMessageBox(QMessageBox.Icon.Critical, "cmdesk hit a problem", "")
            box.setText(describe_exception(exc))
            box.setInformativeText(
                "Your data is safe: every change is saved as it is made. "
                f"The details are in the log file:\n{log_path}"
            )
            box.exec()
        finally:
            showing = False

    sys.excepthook = hook
