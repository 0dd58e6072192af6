"""OPML import and export through the Sources pane (the service is sources_opml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_sources_pane import add, make_pane

from cmdesk.core.services import sources
from cmdesk.ui.sources import opml_actions

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Subscriptions</title></head><body>
<outline text="Blogs" title="Blogs">
  <outline type="rss" text="Widget news" xmlUrl="https://widgets.example.org/feed.xml"
           htmlUrl="https://widgets.example.org/"/>
  <outline type="rss" text="Gadget weekly" xmlUrl="https://gadgets.example.org/rss"/>
</outline>
<outline type="rss" text="Already here" xmlUrl="https://here.example.org/feed.xml"/>
</body></opml>
"""


def test_the_menus_offer_opml(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot, workspace)
    assert [a.text() for a in pane.import_actions()] == ["Sources from OPML…"]
    assert [a.text() for a in pane.export_actions()] == ["Sources as OPML…"]


def test_without_the_service_the_pane_says_so(qtbot, qt_loop, workspace, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    def missing() -> None:
        raise ImportError("no sources_opml")

    monkeypatch.setattr(opml_actions, "_opml_service", missing)
    pane = make_pane(qtbot, workspace)
    pane.import_opml(str(tmp_path / "x.opml"))
    assert "not available" in pane.last_message


def test_import_then_export_through_the_pane(qtbot, qt_loop, workspace, tmp_path: Path):  # type: ignore[no-untyped-def]
    pytest.importorskip("cmdesk.core.services.sources_opml")
    add(workspace, "Already here", folder=None, url="https://here.example.org/feed.xml")
    pane = make_pane(qtbot, workspace)
    view = pane.sources_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    path = tmp_path / "subscriptions.opml"
    path.write_text(OPML, encoding="utf-8")
    pane.import_opml(str(path))
    qtbot.waitUntil(lambda: hasattr(pane, "last_import"), timeout=10_000)
    assert pane.last_import.added == 2 and len(pane.last_import.duplicates) == 1
    assert pane.last_message.startswith("subscriptions.opml: 2 sources added, 1 already there")
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    assert {r.folder for r in sources.list_sources(workspace)} == {"Blogs", None}

    view.folder_filter.setCurrentIndex(view.folder_filter.findData("Blogs"))
    out = tmp_path / "blogs.opml"
    pane.export_opml(str(out))
    qtbot.waitUntil(lambda: hasattr(pane, "last_export"), timeout=10_000)
    assert pane.last_export.written == 2 and out.exists()
    assert "from the folder Blogs" in pane.last_message

    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body><outline", encoding="utf-8")
    pane.import_opml(str(broken))
    qtbot.waitUntil(lambda: pane.last_message.startswith("broken.opml: "), timeout=10_000)


def test_the_pane_wiring_with_a_stand_in_service(qtbot, qt_loop, workspace, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """The pane's side alone: the write is announced, the summary lists what was refused."""
    from types import SimpleNamespace

    from cmdesk.core.changes import Changes

    def import_opml(ws, path, progress=None):  # type: ignore[no-untyped-def]
        sources.add_source(ws, "https://widgets.example.org/feed.xml", folder="Blogs")
        return SimpleNamespace(added=1, duplicates=["Already here"], problems=["line 9: no URL"],
                               changes=Changes(sources=True))  # fmt: skip

    def export_opml(ws, path, *, folder=None):  # type: ignore[no-untyped-def]
        Path(path).write_text("<opml/>", encoding="utf-8")
        return SimpleNamespace(written=1, skipped=2)

    service = SimpleNamespace(import_opml=import_opml, export_opml=export_opml)
    monkeypatch.setattr(opml_actions, "_opml_service", lambda: service)
    pane = make_pane(qtbot, workspace)
    pane.import_opml(str(tmp_path / "in.opml"))
    qtbot.waitUntil(lambda: pane.sources_view.model.rowCount() == 1)
    assert pane.last_message == (
        "in.opml: 1 source added, 1 already there, 1 could not be read. "
        "They are fetched in the background."
    )
    pane.export_opml(str(tmp_path / "out.opml"))
    qtbot.waitUntil(lambda: hasattr(pane, "last_export"))
    assert pane.last_message.startswith("1 source written to ")
    assert pane.last_message.endswith(
        "2 search sources cannot be described in OPML and were left out."
    )
