"""The Sources pane over real services on a temp workspace: health states, actions, badge."""

from __future__ import annotations

import asyncio

from inbox_data import add_mention
from listening.server import LoopbackServer, Reply
from PySide6.QtWidgets import QMessageBox

from cmdesk.core.db import Workspace
from cmdesk.core.services import sources
from cmdesk.core.services.sources import FetchOutcome
from cmdesk.keychain import Keychain
from cmdesk.listening.http import HttpClient, HttpSettings
from cmdesk.ui.listening import Listening
from cmdesk.ui.pane import make_test_context
from cmdesk.ui.sources.pane import SourcesPane
from cmdesk.ui.sources.source_model import COLUMNS, SourceTableModel

MINUTE = 60
FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Widget news</title><link>http://example.org/</link>
<item><guid>a1</guid><title>Acme widget review</title><link>http://example.org/a1</link>
<description>The acme widget is lovely.</description>
<pubDate>Thu, 19 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"""


def add(ws: Workspace, name: str, folder: str | None = "News", **kwargs) -> int:  # type: ignore[no-untyped-def]
    url = kwargs.pop("url", f"https://{name.lower().replace(' ', '-')}.example.org/feed.xml")
    added = ws.write(lambda: sources.add_source(ws, url, name=name, folder=folder, **kwargs))
    return int(added.result().id)


def outcome(ws: Workspace, source_id: int, **values) -> None:  # type: ignore[no-untyped-def]
    now = ws.clock.now()
    values.setdefault("next_fetch_at", now + 15 * MINUTE)
    fetched = FetchOutcome(source_id, at=now - 5 * MINUTE, **values)
    ws.write(sources.record_outcome, ws, fetched).result()


def seed(ws: Workspace) -> dict[str, int]:
    """One source in each state: OK, new, paused, failing twice, disabled, rate-limited."""
    ids = {name: add(ws, name) for name in ("Fine", "Fresh", "Resting", "Broken", "Gone")}
    ids["Busy"] = add(ws, "Busy", folder=None)
    outcome(ws, ids["Fine"], ok=True, items_seen=12)
    for _ in range(2):
        outcome(ws, ids["Broken"], ok=False, error="broken.example.org had a server error (500).")
    outcome(ws, ids["Gone"], ok=False, error="gone.example.org says this feed is gone for good "
            "(410 Gone).", disabled_reason="410 Gone: the feed was removed")  # fmt: skip
    outcome(ws, ids["Busy"], ok=False, error="busy.example.org asked us to slow down (429, too "
            "many requests).", next_fetch_at=ws.clock.now() + 2 * 3600)  # fmt: skip
    ws.write(sources.pause_source, ws, ids["Resting"]).result()
    for title in ("one", "two", "three"):
        add_mention(ws, ids["Fine"], f"Acme {title}")
    return ids


def make_pane(qtbot, ws: Workspace, listening: Listening | None = None) -> SourcesPane:  # type: ignore[no-untyped-def]
    ctx = make_test_context(ws, listening=listening)
    pane = SourcesPane(ctx)
    qtbot.addWidget(pane)
    ctx.events.changed.connect(pane.on_changes)
    pane.resize(1200, 600)
    pane.show()
    return pane


def cell(pane: SourcesPane, name: str, column: str, role: int = 0) -> object:
    model: SourceTableModel = pane.sources_view.model
    row = next(r for r in range(model.rowCount()) if model.source_row(r).name == name)
    return model.data(model.index(row, COLUMNS.index(column)), role)


def select(pane: SourcesPane, *names: str) -> None:
    view = pane.sources_view
    ids = [r.id for r in view.model.snapshot.rows if r.name in names]
    view.select_ids(ids)
    assert sorted(view.selected_ids()) == sorted(ids)


def test_the_table_shows_each_health_state_and_the_badge_counts_failing(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    seed(workspace)
    badges: list[str] = []
    subviews: list[list] = []
    ctx = make_test_context(workspace)
    pane = SourcesPane(ctx)
    qtbot.addWidget(pane)
    pane.badge_changed.connect(badges.append)
    pane.subviews_changed.connect(subviews.append)
    qtbot.waitUntil(lambda: pane.sources_view.model.rowCount() == 6)
    assert cell(pane, "Fine", "State") == "OK"
    assert cell(pane, "Fresh", "State") == "New"
    assert cell(pane, "Resting", "State") == "Paused"
    assert cell(pane, "Broken", "State") == "Failing 2×"
    assert cell(pane, "Gone", "State") == "Disabled: 410 Gone: the feed was removed"
    assert str(cell(pane, "Busy", "State")).startswith("Rate-limited until ")
    assert cell(pane, "Fine", "Last success") == "5 min ago"
    assert cell(pane, "Fresh", "Last success") == "never"
    assert cell(pane, "Fine", "Next fetch") == "in 15 min"
    assert cell(pane, "Resting", "Next fetch") == "paused"
    assert cell(pane, "Fine", "Items seen") == "12"
    assert cell(pane, "Fine", "Mentions") == "3  (3 new)"
    assert cell(pane, "Broken", "Last error") == "broken.example.org had a server error (500)."
    # Failing rows are marked: an icon and a colour on the state.
    from PySide6.QtCore import Qt

    assert cell(pane, "Broken", "State", Qt.ItemDataRole.ForegroundRole) is not None
    assert not cell(pane, "Broken", "State", Qt.ItemDataRole.DecorationRole).isNull()
    assert cell(pane, "Fine", "State", Qt.ItemDataRole.ForegroundRole) is None
    assert "2026" in str(cell(pane, "Fine", "Last success", Qt.ItemDataRole.ToolTipRole))
    assert badges[-1] == "2"  # failing and disabled; rate-limited is the server's doing
    assert [(v.key, v.count) for v in subviews[-1]][0] == ("sources", 6)


def test_folder_and_text_filters(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    seed(workspace)
    pane = make_pane(qtbot, workspace)
    view = pane.sources_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 6)
    assert [view.folder_filter.itemText(i) for i in range(view.folder_filter.count())] == [
        "All folders", "News", "No folder",
    ]  # fmt: skip
    view.folder_filter.setCurrentIndex(2)
    assert view.proxy.rowCount() == 1 and view.count_label.text() == "1 of 6 sources"
    view.folder_filter.setCurrentIndex(0)
    view.search.setText("bro")
    assert view.proxy.rowCount() == 1


def test_pause_resume_and_remove_write_and_refresh(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    pane = make_pane(qtbot, workspace)
    view = pane.sources_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 6)
    select(pane, "Fine")
    assert view.actions_by_name["pause"].isEnabled()
    assert not view.actions_by_name["resume"].isEnabled()
    view.actions_by_name["pause"].trigger()
    qtbot.waitUntil(lambda: cell(pane, "Fine", "State") == "Paused")
    assert not sources.get_source(workspace, ids["Fine"]).enabled
    assert view.selected_ids() == [ids["Fine"]]  # the selection survives the refresh
    select(pane, "Fine", "Gone")
    view.actions_by_name["resume"].trigger()
    qtbot.waitUntil(lambda: cell(pane, "Gone", "State") == "New")
    assert cell(pane, "Fine", "State") == "OK"

    select(pane, "Fine")
    box = view.ask_remove()
    assert box is not None and "3 mentions" in box.text() and "“Fine”" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert view.model.rowCount() == 6
    box = view.ask_remove()
    remove = next(b for b in box.buttons() if b.text() == "Remove")
    remove.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 5)
    assert sources.mention_count(workspace, ids["Fine"]) == 0


def test_empty_state_offers_add_and_import(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot, workspace)
    view = pane.sources_view
    qtbot.waitUntil(lambda: view.loaded)
    assert view.body.currentWidget() is view.empty
    assert view.empty_add.isVisible() and view.empty_import.text() == "Import OPML…"
    view.empty_add.click()
    dialog = view.last_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Add a source"
    dialog.reject()


def test_subviews_switch_between_sources_and_queries(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot, workspace)
    pane.show_subview("queries")
    assert pane.stack.currentWidget() is pane.queries_view
    qtbot.waitUntil(lambda: pane.queries_view.loaded)
    pane.show_subview("sources")
    assert pane.stack.currentWidget() is pane.sources_view


def test_fetch_now_goes_through_listening_and_refreshes(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    with LoopbackServer() as server:
        server.route("/feed.xml", Reply(200, body=FEED, headers={"Content-Type": "text/xml"}))
        add(workspace, "Widgets", url=server.url("/feed.xml"), all_items_are_mentions=True)
        http = HttpClient(HttpSettings(deadline=10))
        pane = make_pane(qtbot, workspace)
        listening = Listening(workspace, pane.ctx.tasks, Keychain(), http=http)
        pane.ctx.listening = listening
        ctx_tasks = pane.ctx.tasks
        started: list[str] = []
        ctx_tasks.task_started.connect(lambda info: started.append(info.label))
        view = pane.sources_view
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        select(pane, "Widgets")
        view.actions_by_name["fetch"].trigger()
        qtbot.waitUntil(lambda: cell(pane, "Widgets", "State") == "OK", timeout=20_000)
        assert "Fetching Widgets" in started
        qtbot.waitUntil(lambda: cell(pane, "Widgets", "Mentions") == "1  (1 new)")
        closing = asyncio.ensure_future(listening.close())
        qtbot.waitUntil(closing.done, timeout=5_000)
