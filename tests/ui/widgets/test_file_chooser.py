"""File choosers open without blocking and call back with the chosen path; the contacts and
calendar panes and the rest of the UI use them instead of the static QFileDialog getters."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from cmdesk.ui.widgets.file_chooser import choose_file_to_open, choose_file_to_save

UI = Path(__file__).parents[3] / "cmdesk" / "ui"


def test_choosers_return_at_once_and_call_back(qtbot, tmp_path) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    chosen: list[str] = []
    opening = choose_file_to_open(parent, "Open", "Text (*.txt)", chosen.append)
    assert opening.isVisible() and opening.acceptMode() == QFileDialog.AcceptMode.AcceptOpen
    opening.fileSelected.emit(str(tmp_path / "a.txt"))
    saving = choose_file_to_save(parent, "Save", "calendar.ics", "iCalendar (*.ics)", chosen.append)
    assert saving.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert saving.defaultSuffix() == "ics" and saving.selectedFiles()[0].endswith("calendar.ics")
    saving.fileSelected.emit(str(tmp_path / "b.ics"))
    assert chosen == [str(tmp_path / "a.txt"), str(tmp_path / "b.ics")]


def test_no_part_of_the_ui_uses_the_blocking_getters() -> None:
    blocking = re.compile(r"QFileDialog\.get(Open|Save)FileName|QFileDialog\.getExisting")
    modules = [m for m in UI.rglob("*.py") if m.name != "file_chooser.py"]  # it names them
    assert len(modules) > 40
    for module in modules:
        assert not blocking.search(module.read_text(encoding="utf-8")), module
