"""An uncaught exception becomes a dialog with the message and the log path, not a silent exit.

Two doors lead here: :func:`install_excepthook` (exceptions Qt hands back from slots and anything
else reaching ``sys.excepthook``) and :func:`asyncio_exception_handler` (errors asyncio itself
catches in bare callbacks and in tasks nobody awaited, which never reach ``sys.excepthook``). Both
log the traceback; the asyncio one shows each distinct error once, so a failing timer callback
does not open a dialog a second.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from cmdesk.diagnostics import describe_exception

log = logging.getLogger("cmdesk.crash")
SAFE_DATA = "Your data is safe: every change is saved as it is made."


def problem_box(message: str, log_path: str) -> QMessageBox:
    """The crash dialog: the problem in one line, and where the details are."""
    box = QMessageBox(QMessageBox.Icon.Critical, "cmdesk hit a problem", "")
    box.setText(message)
    box.setInformativeText(f"{SAFE_DATA} The details are in the log file:\n{log_path}")
    return box


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
            problem_box(describe_exception(exc), log_path).exec()
        finally:
            showing = False

    sys.excepthook = hook


class _NonBlockingDialogs:
    """Shows crash dialogs with ``show()``, keeping each alive until it is closed.

    Not ``exec()``: a nested event loop inside an asyncio callback is asking for trouble. A
    parentless box is owned by Python, so without the reference kept here it would vanish.
    """

    def __init__(self, log_path: str) -> None:
        self.log_path = log_path
        self.open: list[QMessageBox] = []

    def __call__(self, message: str) -> None:
        if QApplication.instance() is None:
            return
        box = problem_box(message, self.log_path)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result, box=box: self.open.remove(box))
        self.open.append(box)
        box.show()


def asyncio_exception_handler(
    log_path: str, show: Callable[[str], None] | None = None
) -> Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None]:
    """A handler for ``loop.set_exception_handler``: log every error, show each distinct one once.

    ``show(message)`` displays a line (default: the crash dialog, non-modal).
    """
    shown: set[tuple[str, str]] = set()
    display = show or _NonBlockingDialogs(log_path)

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        message = str(context.get("message") or "Unhandled error in a background callback")
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            loop.default_exception_handler(context)
            return
        if exc is None:  # e.g. "Task was destroyed but it is pending!": a note, not a crash
            log.warning("asyncio: %s (%s)", message, context.get("task") or context.get("handle"))
            return
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        log.error("asyncio: %s\n%s", message, details)
        key = (type(exc).__qualname__, str(exc))
        if key in shown:
            return
        shown.add(key)
        display(describe_exception(exc))

    return handler
