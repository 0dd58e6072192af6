"""The desktop app: a QApplication, a qasync event loop, the workspace and the main window.

The whole app runs as one coroutine on a qasync loop (network is awaited there; blocking work
goes to threads). Closing the window ends that coroutine, which then cancels and awaits every
task, closes the database and returns — an orderly shutdown in ``finally``. Opening another
workspace closes the current one the same way and builds a fresh window.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import html
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressDialog

from cmdesk import APP_ID, APP_NAME, __version__, diagnostics, paths
from cmdesk.core.db import Workspace, WorkspaceError, open_workspace
from cmdesk.keychain import Keychain

SETTLE_HEAP_MS = 3000
OPENING_NOTICE_MS = 400  # an opening quicker than this shows no window

log = logging.getLogger(__name__)


def resolve_workspace(args: argparse.Namespace | None, settings: QSettings) -> tuple[Path, bool]:
    """Which workspace to open, and whether it is the bundled sample.

    ``--db``, ``--sample`` and ``CMDESK_DB`` name one explicitly and win; only when none is given
    does the app reopen the workspace it had open last time.
    """
    if args is not None and getattr(args, "db", None):
        return Path(args.db).expanduser(), False
    if args is not None and getattr(args, "sample", False):
        return paths.sample_workspace(), True
    named = paths.env_workspace()
    if named is not None:
        return named, named == paths.sample_workspace()
    last = settings.value("workspace/last")
    if last:
        return Path(str(last)), Path(str(last)) == paths.sample_workspace()
    return paths.default_workspace(), False


def load_workspace(path: Path, sample: bool) -> Workspace:
    if sample:
        from cmdesk.core.sample import ensure_sample_workspace

        return ensure_sample_workspace(path)
    return open_workspace(path)


def _load_here(path: Path, sample: bool) -> Workspace:
    """:func:`load_workspace` for a worker thread: its own connection is closed after."""
    workspace = load_workspace(path, sample)
    workspace.db.close()  # this thread's connection; the UI thread opens its own
    return workspace


async def open_in_background(path: Path, sample: bool) -> Workspace:
    """Open the workspace in a worker thread; a small window says so when it takes a while.

    Opening can take long: the sample is built on first use, and an upgrade from an older
    version copies a backup first (~14 s for a million mentions). The UI thread stays free.
    """
    waiting = opening_notice(path)
    waiting.setMinimumDuration(0)
    waiting.reset()  # hidden until the timer below shows it
    timer = QTimer(singleShot=True, interval=OPENING_NOTICE_MS)
    timer.timeout.connect(waiting.show)
    timer.start()
    try:
        return await asyncio.to_thread(_load_here, path, sample)
    finally:
        timer.stop()
        waiting.hide()
        waiting.deleteLater()


def opening_notice(path: Path) -> QProgressDialog:
    """The small "Opening…" window: a busy bar and two wrapped lines, not one 750 px line."""
    waiting = QProgressDialog("", "", 0, 0)
    waiting.setWindowTitle("cmdesk")
    waiting.setCancelButton(None)  # type: ignore[arg-type]  # Qt takes None: no button
    label = QLabel(
        f"<b>Opening {html.escape(path.name)}…</b><br>A workspace made by an older version is "
        "upgraded first (a copy is kept beside it); that can take a minute for a large one."
    )
    label.setWordWrap(True)
    waiting.setLabel(label)
    waiting.setFixedWidth(420)
    return waiting


def app_settings() -> QSettings:
    """Per-machine UI state (geometry, last pane, last workspace) — never workspace data."""
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)


def create_application() -> QApplication:
    from cmdesk.ui import theme
    from cmdesk.ui.icons import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("cmdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)
    theme.apply_theme(app)
    theme.follow_system_scheme(app)
    return app


def settle_heap() -> None:
    """Take what start-up built out of the garbage collector's full passes.

    The app holds a few hundred thousand long-lived objects (Qt wrappers, modules, caches);
    every full collection walked them all again: 25-36 ms pauses of the UI, measured during
    fetches. Frozen, they are never collected (start-up garbage is collected first).
    """
    gc.collect()
    gc.freeze()


async def run_app(app: QApplication, args: argparse.Namespace | None, log_path: Path) -> int:
    from cmdesk.ui.main_window import MainWindow

    settings = app_settings()
    keychain = Keychain()
    path, sample = resolve_workspace(args, settings)
    while True:
        try:
            workspace = await open_in_background(path, sample)
        except WorkspaceError as exc:
            QMessageBox.critical(None, "Cannot open workspace", str(exc))
            return 1
        settings.setValue("workspace/last", str(workspace.path))
        window = MainWindow(workspace, keychain=keychain, settings=settings, log_path=str(log_path))
        closed = asyncio.Event()
        switch_to: list[tuple[str, bool]] = []
        window.closed.connect(closed.set)

        def on_switch(
            target: str, create: bool, window: MainWindow = window, switch_to: list = switch_to
        ) -> None:
            switch_to.append((target, create))
            window.close()

        window.workspace_requested.connect(on_switch)
        window.show()
        window.listening.start()
        QTimer.singleShot(SETTLE_HEAP_MS, settle_heap)  # once the first pages are read
        try:
            await closed.wait()
        finally:
            await window.tasks.shutdown()
            await window.listening.close()
            window.deleteLater()
            workspace.close()
        if not switch_to:
            return 0
        target, create = switch_to[-1]
        new_path = Path(target)
        if create and new_path.exists():
            QMessageBox.warning(None, "New workspace", f"{new_path} exists already; opening it.")
        path, sample = new_path, new_path == paths.sample_workspace()


def main(args: argparse.Namespace | None = None) -> int:
    """Open the desktop app; returns the process exit status."""
    import qasync

    from cmdesk.ui.crash_dialog import asyncio_exception_handler, install_excepthook

    log_path = diagnostics.setup_logging()
    app = create_application()
    install_excepthook(str(log_path))
    log.info("cmdesk %s starting", __version__)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        # Errors in bare callbacks and unawaited tasks never reach sys.excepthook.
        runner.get_loop().set_exception_handler(asyncio_exception_handler(str(log_path)))
        return runner.run(run_app(app, args, log_path))


def run() -> None:
    """GUI-script entry point."""
    sys.exit(main())
