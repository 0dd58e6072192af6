"""Which workspace the desktop app opens: --db and CMDESK_DB win over the remembered one."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from cmdesk import paths
from cmdesk.app import resolve_workspace


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    ui = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    ui.setValue("workspace/last", str(tmp_path / "remembered.cmdesk"))
    return ui


def args(**values: object) -> argparse.Namespace:
    return argparse.Namespace(**{"db": None, "sample": False, **values})


def test_cmdesk_db_wins_over_the_remembered_workspace(settings, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CMDESK_DB", str(tmp_path / "from-env.cmdesk"))
    assert resolve_workspace(args(), settings) == (tmp_path / "from-env.cmdesk", False)
    assert resolve_workspace(None, settings) == (tmp_path / "from-env.cmdesk", False)


def test_db_option_wins_over_cmdesk_db(settings, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CMDESK_DB", str(tmp_path / "from-env.cmdesk"))
    chosen = args(db=str(tmp_path / "given.cmdesk"))
    assert resolve_workspace(chosen, settings) == (tmp_path / "given.cmdesk", False)


def test_remembered_workspace_only_when_none_is_named(settings, tmp_path) -> None:
    assert resolve_workspace(args(), settings) == (tmp_path / "remembered.cmdesk", False)
    settings.remove("workspace/last")
    assert resolve_workspace(args(), settings) == (paths.default_workspace(), False)


def test_opening_runs_in_a_worker_thread_and_says_so_when_it_takes_a_while(
    qtbot, qt_loop, tmp_path, monkeypatch
) -> None:
    import asyncio
    import threading
    import time

    from PySide6.QtWidgets import QApplication, QProgressDialog

    from cmdesk import app

    opened_in: list[str] = []
    original = app.load_workspace

    def slow_load(path: Path, sample: bool):  # type: ignore[no-untyped-def]
        opened_in.append(threading.current_thread().name)
        time.sleep(0.8)  # an upgrade of a big workspace
        return original(path, sample)

    monkeypatch.setattr(app, "load_workspace", slow_load)
    task = asyncio.ensure_future(app.open_in_background(tmp_path / "w.cmdesk", False))

    def notice() -> QProgressDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        return next((w for w in found if w.isVisible()), None)

    qtbot.waitUntil(lambda: notice() is not None, timeout=3000)  # the UI thread is free
    assert "Opening w.cmdesk" in notice().labelText()
    assert notice().width() <= 480  # two wrapped lines, not one 750 px line
    qtbot.waitUntil(task.done, timeout=5000)
    workspace = task.result()
    try:
        assert opened_in and opened_in[0] != threading.current_thread().name
        assert notice() is None
        count = workspace.db.execute_sql("SELECT COUNT(*) FROM mention").fetchone()[0]
        assert count == 0  # usable from the UI thread
    finally:
        workspace.close()
