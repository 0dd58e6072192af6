"""The Linux packaging files agree with what the app tells the window system."""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ET
from pathlib import Path

from cmdesk import APP_ID, APP_NAME

LINUX = Path(__file__).resolve().parent.parent / "packaging" / "linux"


def test_desktop_file_matches_the_app_ids() -> None:
    # Wayland's app_id is QGuiApplication.desktopFileName (APP_ID): the .desktop file's name.
    # X11's WM_CLASS class is the application name (APP_NAME): StartupWMClass must equal it.
    path = LINUX / f"{APP_ID}.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(path, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["StartupWMClass"] == APP_NAME
    assert desktop["Icon"] == APP_ID


def test_metainfo_names_its_developer() -> None:
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    developer = root.find("developer")
    assert developer is not None and developer.get("id")
    assert (developer.findtext("name") or "").strip()
