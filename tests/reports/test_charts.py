"""The report font: the bundled DejaVu Sans, registered from package data, with a real fallback."""

from __future__ import annotations

from importlib.resources import files

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFontDatabase, QFontInfo

from cmdesk.reports import charts


def test_the_bundled_fonts_load_and_are_what_reports_use(qapp) -> None:  # noqa: ANN001
    for name in charts.BUNDLED_FONTS:
        data = (files("cmdesk.resources") / "fonts" / name).read_bytes()
        font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
        assert QFontDatabase.applicationFontFamilies(font_id) == ["DejaVu Sans"], name
    assert (files("cmdesk.resources") / "fonts" / "LICENSE-DejaVu.txt").is_file()
    assert charts.report_font_family() == "DejaVu Sans"
    for bold in (False, True):
        info = QFontInfo(charts.font(9, bold))
        assert info.family() == "DejaVu Sans" and info.bold() == bold


def test_without_the_bundled_files_an_installed_family_is_used(
    qapp,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    monkeypatch.setattr(charts, "BUNDLED_FONTS", ("Missing.ttf",))
    monkeypatch.setattr(charts, "_families", {})
    family = charts.report_font_family()
    assert family in QFontDatabase.families()
