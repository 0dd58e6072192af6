"""Logging to a rotating file, and turning an uncaught exception into one readable line.

Imports no Qt (the crash dialog lives in ``cmdesk.ui.crash_dialog``).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from cmdesk import paths

LOG_FILE_NAME = "cmdesk.log"


def setup_logging(level: int = logging.INFO, log_folder: Path | None = None) -> Path:
    """Send every log record to ``<log dir>/cmdesk.log`` (1 MB, 5 files kept); return its path."""
    folder = log_folder or paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_cmdesk", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        log_path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler._cmdesk = True  # type: ignore[attr-defined]
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "peewee"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return log_path


def describe_exception(exc: BaseException) -> str:
    """One line a user can read: the message, or the exception's kind when it has none."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    return f"{kind}: {message}" if message else kind
