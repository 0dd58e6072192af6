from __future__ import annotations

import http.server
import threading

from inbox_data import NOW, add_mention, add_source
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, Qt, QUrl, QUrlQuery, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication

from cmdesk.core.analysis import spikes
from cmdesk.core.changes import Changes
from cmdesk.core.services import canned_responses, mentions, triage
from cmdesk.ui.inbox import list_model
from cmdesk.ui.inbox.pane import InboxPane
from cmdesk.ui.inbox.shortcuts import INBOX_SHORTCUTS
from cmdesk.ui.pane import make_test_context


def state(ws, mention_id):
    return ws.db.execute_sql("SELECT state FROM mention WHERE id = ?", [mention_id]).fetchone()[0]


def test_list_pages_by_keyset_and_counts_in_the_background(pane, filled):
    ws, ids, _ = filled
    model = pane.model
    assert model.rowCount() == 250 and model.total == 250
    assert model.id_at(0) == ids[-1]  # newest first
    assert model.id_at(249) == ids[0]  # the end reads one page backwards
    assert model.id_at(130) == ids[-131]  # a middle page from its neighbours or OFFSET
    assert len(model._pages) <= list_model.MAX_PAGES
    pane.jump_to_end()
    assert pane.current_id() == ids[0]


def test_end_key_jumps_to_the_end_when_the_count_arrives_without_waiting(qtbot, pane, filled):
    ws, ids, _ = filled
    pane.apply_filters()  # a new list: its total is counted in a worker thread
    assert pane.model.total is None
    pane.table.setFocus()
    qtbot.keyClick(pane.table, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: pane.current_id() == ids[0])  # the oldest, once counted
    qtbot.keyClick(pane.table, Qt.Key.Key_Home)
    assert pane.current_id() == ids[-1]


def test_fetch_more_before_the_total_is_known(qtbot, qt_loop, filled):
    ws, ids, _ = filled
    model = list_model.MentionListModel(ws)
    model.set_filter(mentions.MentionFilter())
    assert model.rowCount() == list_model.PAGE and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 250 and not model.canFetchMore()
    assert [model.id_at(r) for r in range(250)] == sorted(ids, reverse=True)


def test_views_filters_search_and_sort(qtbot, pane, filled):
    ws, ids, refs = filled
    with qtbot.waitSignal(pane.subviews_changed, timeout=5000) as signal:
        pane.refresh_counts()
    counts = {view.key: view.count for view in signal.args[0]}
    assert counts["all"] == 250 and counts["new"] == 250 and counts["done"] == 0
    assert counts[f"query:{refs['acme']}"] == 250
    bar = pane.filter_bar
    bar.combos["sentiment"].setCurrentIndex(bar.combos["sentiment"].findData("negative"))
    pane.apply_filters()
    qtbot.waitUntil(lambda: pane.model.total == 84)
    bar.combos["language"].setCurrentIndex(bar.combos["language"].findData("fr"))
    pane.apply_filters()
    qtbot.waitUntil(lambda: pane.model.total == 21)  # n % 12 == 0
    bar.clear_silently()
    bar.combos["author"].setCurrentIndex(bar.combos["author"].findData("influencer"))
    pane.apply_filters()
    qtbot.waitUntil(lambda: pane.model.total == 50)
    bar.clear_silently()
    bar.search.setText('"refund please"')
    qtbot.waitUntil(lambda: pane.model.total == 36, timeout=3000)  # after the typing pause
    assert pane.hit_delegate.pattern.search("REFUND please")
    assert pane.reading.browser.toPlainText().count("refund please") == 1
    bar.search.clear()
    qtbot.waitUntil(lambda: pane.model.total == 250)


def test_each_column_sorts_by_what_it_shows(qtbot, pane, filled):
    ws, ids, _ = filled
    ws.db.execute_sql("UPDATE mention SET published_at = ? WHERE id = ?", [NOW + 60, ids[5]])
    header = pane.table.horizontalHeader()
    assert header.sortIndicatorSection() == -1  # arrival order: no column shows it
    assert pane.model.id_at(0) == ids[-1]
    pane._on_header_clicked(0)  # Time: by the published time it shows, latest first
    assert pane.model.filter.sort == "published" and pane.model.id_at(0) == ids[5]
    assert header.sortIndicatorSection() == 0
    pane._on_header_clicked(0)
    assert pane.model.id_at(0) == ids[-1]  # earliest published first
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    pane._on_header_clicked(0)  # third click: back to arrival order
    assert pane.model.filter.sort == "newest" and header.sortIndicatorSection() == -1
    pane._on_header_clicked(2)  # Author A→Z by the name shown (the contact's)
    qtbot.waitUntil(lambda: pane.model.ordered)  # its order is read in a worker thread
    assert pane.model.filter.sort == "author" and pane.model.total == 250
    assert pane.model.data(pane.model.index(0, 2)).startswith("Ada Lovelace")
    ws.db.execute_sql("UPDATE mention SET state = 'waiting', priority = 4 WHERE id = ?", [ids[7]])
    ws.db.execute_sql("UPDATE mention SET state = 'done' WHERE id = ?", [ids[9]])
    pane.model.refresh()
    pane._on_header_clicked(5)  # State by state, not priority: Done, New, ..., Waiting
    assert pane.model.data(pane.model.index(0, 5)) == "Done"
    pane._on_header_clicked(5)
    assert pane.model.data(pane.model.index(0, 5)).endswith("Waiting")
    before = pane.model.filter
    pane._on_header_clicked(3)  # Mention: not sortable, nothing changes
    assert pane.model.filter == before and header.sortIndicatorSection() == 5


def test_keyboard_triage_flow_with_undo(qtbot, pane, filled):
    ws, ids, _ = filled
    pane.show_subview("new")
    qtbot.waitUntil(lambda: pane.model.total == 250)
    pane.table.setFocus()
    first = pane.current_id()
    qtbot.keyClick(pane.table, Qt.Key.Key_J)
    second = pane.current_id()
    assert second == ids[-2]
    qtbot.keyClick(pane.table, Qt.Key.Key_K)
    assert pane.current_id() == first
    qtbot.keyClick(pane.table, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: state(ws, first) == "done")
    # the done mention left "New"; the next one took its place as current
    qtbot.waitUntil(lambda: pane.model.total == 249 and pane.current_id() == second)
    qtbot.keyClick(pane.table, Qt.Key.Key_S)
    qtbot.waitUntil(
        lambda: (
            ws.db.execute_sql("SELECT starred FROM mention WHERE id = ?", [second]).fetchone()[0]
            == 1
        )
    )
    qtbot.keyClick(pane.table, Qt.Key.Key_R)
    qtbot.waitUntil(
        lambda: (
            ws.db.execute_sql("SELECT responded_by FROM mention WHERE id = ?", [second]).fetchone()[
                0
            ]
            == "Sam"
        )
    )
    qtbot.keyClick(pane.table, Qt.Key.Key_U)
    qtbot.waitUntil(
        lambda: (
            ws.db.execute_sql("SELECT responded_by FROM mention WHERE id = ?", [second]).fetchone()[
                0
            ]
            is None
        )
    )
    qtbot.keyClick(pane.table, Qt.Key.Key_Slash)
    assert pane.filter_bar.search.hasFocus()
    qtbot.keyClicks(pane.filter_bar.search, "ejs")  # typing in the search box triages nothing
    assert state(ws, second) == "new"
    assert ("U", "Undo the last action") in INBOX_SHORTCUTS and pane.shortcuts() == INBOX_SHORTCUTS


def test_bulk_done_keeps_the_selection_on_the_same_mentions_when_new_ones_arrive(
    qtbot, pane, filled
):
    ws, ids, _ = filled
    selection = QItemSelection(pane.model.index(0, 0), pane.model.index(9, 7))
    pane.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    chosen = pane.selected_ids()
    assert len(chosen) == 10
    newcomer = add_mention(ws, add_source(ws, "Blog", "rss"), "Fresh news", "acme")
    pane.on_changes(mentions_changes())
    qtbot.waitUntil(lambda: pane.model.total == 251)
    assert pane.selected_ids() == chosen  # same mentions, one row lower
    assert pane.model.id_at(0) == newcomer
    pane.set_state("done")
    qtbot.waitUntil(lambda: all(state(ws, i) == "done" for i in chosen))


def mentions_changes():
    from cmdesk.core.changes import Changes

    return Changes(mentions=True)


def test_reading_pane_actions(qtbot, pane, filled):
    ws, ids, refs = filled
    canned_responses.save_response(ws, "Thanks", "Hi {first_name}, thank you!")
    pane.on_changes(__import__("cmdesk.core.changes", fromlist=["Changes"]).Changes(settings=True))
    mention = ids[-1]  # n = 249, author bob
    pane.select_mention(ids[0])  # n = 0, author Ada (contact)
    detail = pane.reading.detail
    assert detail.row.id == ids[0] and detail.author.contact_name == "Ada Lovelace"
    pane.reading.contact_button.click()
    assert pane.ctx.navigations[-1] == ("contacts", {"contact_id": refs["contact"]})
    pane.copy_hand_off(ids[0])
    assert "Ada L." in QGuiApplication.clipboard().text()
    response = canned_responses.list_responses(ws)[0]
    pane.reply_with(ids[0], response.id)
    assert QGuiApplication.clipboard().text() == "Hi Ada, thank you!"
    pane.select_mention(mention)
    assert pane.reading.add_contact_button.isVisibleTo(pane.reading)
    pane.reading.add_contact_button.click()
    qtbot.waitUntil(
        lambda: (
            ws.db.execute_sql("SELECT contact_id FROM author WHERE handle = 'bob'").fetchone()[0]
            is not None
        )
    )
    pane.reading.note_edit.setText("Called him")
    qtbot.keyClick(pane.reading.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.db.execute_sql("SELECT COUNT(*) FROM mention_note").fetchone()[0])
    pane.open_target(filters={"contact_id": refs["contact"]})
    qtbot.waitUntil(lambda: pane.model.total == 50)


def test_spike_alert_shows_a_banner_and_notifies(qtbot, pane, filled):
    ws, _, refs = filled
    source = add_source(ws, "Burst", "rss")
    burst = [
        add_mention(ws, source, f"b{n}", "acme", query_ids=[refs["acme"]], published_at=NOW - 30)
        for n in range(40)
    ]
    raised = spikes.raise_spike_alerts(ws, [refs["acme"]])
    assert len(raised) == 1  # one volume spike of the Acme query, stored as one alert
    kind, query_id = ws.db.execute_sql(
        "SELECT kind, query_id FROM alert WHERE id = ?", [raised[0]]
    ).fetchone()
    assert query_id == refs["acme"]
    assert spikes.raise_spike_alerts(ws, [refs["acme"]]) == []  # not twice in the same hour
    pane.on_changes(__import__("cmdesk.core.changes", fromlist=["Changes"]).Changes(alerts=True))
    assert pane.alert_banner.isVisibleTo(pane)
    assert "Acme" in pane.alert_banner.label.text()
    assert pane.ctx.notifications and "Acme" in pane.ctx.notifications[-1][1]
    assert burst


PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQ"
    "GAhKmMIQAAAABJRU5ErkJggg=="
)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        RecordingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


HOSTILE = """
<p>Hello <img src="http://127.0.0.1:{port}/tracker.png"> <img src="https://127.0.0.1:{port}/x">
<img src="file:///dev/zero"> <img src="file:///etc/passwd"> <img src="//127.0.0.1:{port}/rel">
<img src="/local.png"> <img srcset="http://127.0.0.1:{port}/set 2x">
<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
<style>@import url(http://127.0.0.1:{port}/import.css); body {{ background:
url(http://127.0.0.1:{port}/bg.png) }}</style>
<table background="http://127.0.0.1:{port}/table.png"><tr><td>cell</td></tr></table>
<video poster="http://127.0.0.1:{port}/poster.png"></video>
<script>fetch('http://127.0.0.1:{port}/script')</script>
<img src="{pixel}">
<a href="javascript:alert(1)">js</a></p>
"""


def test_showing_hostile_html_makes_no_request_at_all(qtbot, pane, filled):
    ws, _, _ = filled
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        RecordingHandler.requests.clear()
        source = add_source(ws, "Evil feed", "rss")
        evil = add_mention(
            ws, source, "Hostile", "hostile", html=HOSTILE.format(port=port, pixel=PIXEL)
        )
        pane.apply_filters()
        pane.select_mention(evil)
        assert pane.reading.detail.row.id == evil
        pane.reading.browser.viewport().repaint()
        pane.grab()
        qtbot.wait(300)
        assert RecordingHandler.requests == []
        refused = pane.reading.browser.refused
        assert any("file:///dev/zero" in url for url in refused)
        assert not any(url.startswith("data:") for url in refused)  # data images are shown
        assert pane.reading.images_button.isEnabled()  # the user may still ask for them

        pane.reading.images_button.click()  # "Load images": only now, only <img> over http(s)
        qtbot.waitUntil(lambda: "images loaded" in pane.status.text(), timeout=10_000)
        assert RecordingHandler.requests == ["/tracker.png"]  # not file:, css, posters, //host
    finally:
        server.shutdown()
        server.server_close()


def column_of(ws, mention_id, name):
    return ws.db.execute_sql(f"SELECT {name} FROM mention WHERE id = ?", [mention_id]).fetchone()[0]


def tags_of(ws, mention_id):
    rows = ws.db.execute_sql(
        "SELECT t.name FROM mention_tag mt JOIN tag t ON t.id = mt.tag_id WHERE mt.mention_id = ?",
        [mention_id],
    )
    return sorted(row[0] for row in rows)


def test_assign_and_tag_by_keyboard_then_remove_and_unmark(qtbot, pane, filled):
    ws, ids, _ = filled
    pane.table.setFocus()
    first = pane.current_id()
    qtbot.keyClick(pane.table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: pane.assign_menu.isVisible())
    sam = next(a for a in pane.assign_menu.actions() if a.text() == "Sam (me)")
    sam.trigger()
    pane.assign_menu.close()  # as a click on the entry does
    qtbot.waitUntil(lambda: column_of(ws, first, "assignee_id") is not None)
    assert state(ws, first) == "open"
    pane.activateWindow()
    pane.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is pane.window())
    qtbot.keyClick(pane.table, Qt.Key.Key_U)  # undo puts the state back as well
    qtbot.waitUntil(lambda: column_of(ws, first, "assignee_id") is None)
    assert state(ws, first) == "new"
    qtbot.keyClick(pane.table, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: pane.tag_dialog.isVisible())
    pane.tag_dialog.edit.setText("billing, urgent")
    pane.tag_dialog.accept()
    pane.activateWindow()
    pane.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is pane.window())
    qtbot.waitUntil(lambda: tags_of(ws, first) == ["billing", "urgent"])
    qtbot.waitUntil(lambda: pane.model.row_at(0).tags == ("billing", "urgent"))
    pane.on_changes(Changes(settings=True))  # the new tags reach the choices
    menu = pane.context_menu()
    remove = next(a.menu() for a in menu.actions() if a.text() == "Remove tag")
    assert [a.text() for a in remove.actions()] == ["billing", "urgent"]
    next(a for a in remove.actions() if a.text() == "urgent").trigger()
    qtbot.waitUntil(lambda: tags_of(ws, first) == ["billing"])
    qtbot.keyClick(pane.table, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: column_of(ws, first, "responded_by") == "Sam")
    next(a for a in pane.context_menu().actions() if a.text() == "Unmark responded").trigger()
    qtbot.waitUntil(lambda: column_of(ws, first, "responded_at") is None)
    assert column_of(ws, first, "responded_by") is None


class MailCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open_mail(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_hand_off_as_e_mail_to_the_department(qtbot, pane, filled):
    ws, ids, _ = filled
    ws.db.execute_sql(
        "INSERT INTO department(name, email, position) VALUES ('Support', 'help@acme.test', 0)"
    )
    triage.route_by_name(ws, [ids[0]], "Support", "Please answer")
    catcher = MailCatcher()
    QDesktopServices.setUrlHandler("mailto", catcher, "open_mail")
    try:
        pane.select_mention(ids[0])
        assert pane.reading.mail_button.isEnabled()
        pane.reading.mail_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("mailto")
    (url,) = catcher.urls
    assert url.scheme() == "mailto" and url.path() == "help@acme.test"
    query = QUrlQuery(url)
    assert query.queryItemValue("subject", QUrl.ComponentFormattingOption.FullyDecoded).startswith(
        "[Hacker News] Mention 0 about acme"
    )
    body = query.queryItemValue("body", QUrl.ComponentFormattingOption.FullyDecoded)
    assert "Please answer" in body and "Hello Support team," in body
    assert "mail program" in pane.status.text()


def test_search_hits_are_highlighted_in_the_title_and_the_title_stays_escaped(qtbot, pane, filled):
    ws, _, _ = filled
    hostile = add_mention(
        ws, add_source(ws, "Blog", "rss"), '<img src="file:///dev/zero"> Acme & <b>co</b>', "x"
    )
    pane.filter_bar.search.setText("acme")
    pane.filter_bar.search.returnPressed.emit()
    pane.select_mention(hostile)
    title = pane.reading.title
    assert title.textFormat() == Qt.TextFormat.RichText
    assert "&lt;img" in title.text() and "<img" not in title.text()
    assert "&lt;b&gt;co&lt;/b&gt;" in title.text() and "&amp;" in title.text()
    assert '<b style="background-color:#fff176; color:#1f2328">Acme</b>' in title.text()
    pane.filter_bar.search.clear()
    pane.filter_bar.search.returnPressed.emit()
    pane.select_mention(hostile)
    assert title.textFormat() == Qt.TextFormat.PlainText
    assert title.text().startswith('<img src="file:///dev/zero">')  # shown as text, not parsed


def test_splitter_is_restored_and_sidebar_counts_stay_while_views_reload(qtbot, pane, filled):
    ws = filled[0]
    pane.splitter.setSizes([200, 550])
    sizes = pane.splitter.sizes()
    pane.shutdown()
    pane.ctx.settings.sync()
    ctx = make_test_context(ws, settings_path=pane.ctx.settings.fileName())
    other = InboxPane(ctx)
    qtbot.addWidget(other)
    other.resize(pane.size())
    other.show()
    try:
        assert other.splitter.sizes() == sizes
        with qtbot.waitSignal(other.subviews_changed, timeout=5000):
            other.refresh_counts()
        with qtbot.waitSignal(other.subviews_changed) as reloaded:
            other.on_changes(Changes(settings=True))  # views re-read, counts not yet
        counts = {view.key: view.count for view in reloaded.args[0]}
        assert counts["all"] == 250 and counts["new"] == 250
    finally:
        other.shutdown()
        ctx.tasks.cancel_all()
        qtbot.waitUntil(lambda: not ctx.tasks.running(), timeout=5000)
        ctx.tasks._threads.shutdown(wait=True)


def test_the_assign_menu_opens_the_team_editor(qtbot, pane, filled):
    pane.table.setFocus()
    qtbot.keyClick(pane.table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: pane.assign_menu.isVisible())
    edit = next(a for a in pane.assign_menu.actions() if a.text() == "Edit team…")
    pane.assign_menu.close()
    edit.trigger()
    qtbot.waitUntil(lambda: pane.team_dialog.isVisible())
    pane.team_dialog.close()


def test_undo_pressed_before_the_action_is_saved_undoes_it_once_saved(qtbot, pane, filled):
    ws, _, _ = filled
    pane.table.setFocus()
    first = pane.current_id()
    pane.set_state("done")  # the write is on its way to the writer thread
    assert pane.triage_in_flight == 1
    pane.undo()  # as U pressed at once
    assert pane.status.text() == "Undoing once the last action is saved…"
    qtbot.waitUntil(lambda: pane.status.text().startswith("Undone"))
    assert state(ws, first) == "new" and pane.triage_in_flight == 0


def test_a_sort_that_scans_reads_the_order_once_off_the_ui_thread(qtbot, pane, filled, monkeypatch):
    ws, ids, _ = filled
    pane.show_subview("new")
    qtbot.waitUntil(lambda: pane.model.total == 250)
    asked: list[str] = []
    original = mentions.position_of
    monkeypatch.setattr(
        mentions, "position_of", lambda *a, **k: asked.append("position") or original(*a, **k)
    )
    pane._on_header_clicked(4)  # Sentiment: no index orders it
    assert pane.status.text() == "Sorting…"  # the list on screen stays until the order arrives
    qtbot.waitUntil(lambda: pane.model.ordered and pane.model.filter.sort == "sentiment")
    order = list(mentions.snapshot_ids(ws, pane.model.filter))
    assert [pane.model.id_at(row) for row in range(250)] == order
    middle = order[120]
    pane.select_mention(middle)  # its row comes from the order in memory
    assert pane.current_id() == middle and pane.table.currentIndex().row() == 120
    pane.table.setFocus()
    qtbot.keyClick(pane.table, Qt.Key.Key_E)  # done: it leaves "New"
    qtbot.waitUntil(lambda: state(ws, middle) == "done")
    qtbot.waitUntil(lambda: pane.model.total == 249)
    assert pane.current_id() == order[121]  # the next one took its place
    assert asked == []  # no position was counted by a scan of the database
    pane._on_header_clicked(4)  # reversed: read again
    pane._on_header_clicked(0)  # Time, asked before that order arrived: Time wins
    assert pane.model.filter.sort == "published" and not pane.model.ordered
    qtbot.wait(200)
    assert pane.model.filter.sort == "published" and not pane.model.ordered


def test_a_mention_asked_for_while_sorting_is_selected_in_the_sorted_list(qtbot, pane, filled):
    ws, ids, refs = filled
    pane._on_header_clicked(2)  # Author: read in a worker
    qtbot.waitUntil(lambda: pane.model.ordered)
    wanted = ids[40]  # n = 40: by Ada, the contact
    pane.open_target(contact_id=refs["contact"], mention_id=wanted)  # as the Contacts pane does
    qtbot.waitUntil(lambda: pane.model.filter.contact_id == refs["contact"] and pane.model.ordered)
    assert pane.model.total == 50 and pane.current_id() == wanted
    pane.select_mention(ids[1])  # by Bob: not in this list, shown alone once read
    qtbot.waitUntil(lambda: pane.model.total == 1 and pane.current_id() == ids[1])
    pane.show_subview("all")
    pane.jump_to_end()  # pressed while All is being sorted: done in the sorted list
    qtbot.waitUntil(lambda: pane.model.ordered and pane.model.total == 250)
    assert pane.table.currentIndex().row() == 249
    assert pane.current_id() == list(mentions.snapshot_ids(ws, pane.model.filter))[-1]
