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
