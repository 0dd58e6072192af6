"""Errors asyncio catches itself (bare callbacks, unawaited tasks) are logged and shown once."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtWidgets import QApplication, QMessageBox

from cmdesk.ui.crash_dialog import asyncio_exception_handler


def boom() -> None:
    raise ValueError("the widget count went negative")


def test_errors_in_bare_callbacks_are_logged_and_shown_once_each(caplog) -> None:
    shown: list[str] = []
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(asyncio_exception_handler("/tmp/cmdesk.log", shown.append))
    try:
        with caplog.at_level(logging.WARNING, logger="cmdesk.crash"):
            for _ in range(3):
                loop.call_soon(boom)
            loop.call_soon(lambda: 1 / 0)
            loop.run_until_complete(asyncio.sleep(0.01))
            loop.call_exception_handler({"message": "Task was destroyed but it is pending!"})
    finally:
        loop.close()
    assert shown == [
        "ValueError: the widget count went negative",
        "ZeroDivisionError: division by zero",
    ]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 4 and "Traceback" in errors[0].getMessage()
    assert "in boom" in errors[0].getMessage()
    assert any("destroyed but it is pending" in r.getMessage() for r in caplog.records)


def test_the_default_display_is_the_crash_dialog_without_blocking(qtbot) -> None:
    handler = asyncio_exception_handler("/tmp/cmdesk.log")
    loop = asyncio.new_event_loop()
    try:
        handler(loop, {"message": "Exception in callback", "exception": ValueError("bad")})
    finally:
        loop.close()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    box = next(b for b in boxes if b.isVisible() and b.text() == "ValueError: bad")
    assert "/tmp/cmdesk.log" in box.informativeText()
    box.close()
