"""The filter bar's drop-downs: they narrow the view, dates stay relative, labels are local."""

from __future__ import annotations

import json
import time

import pytest
from inbox_data import NOW, add_mention, add_query, add_source
from PySide6.QtWidgets import QDialog, QInputDialog

from cmdesk.core.changes import Changes
from cmdesk.core.services import mentions, saved_views
from cmdesk.core.services.inbox_filters import MentionFilter
from cmdesk.ui.inbox import filter_bar
from cmdesk.ui.inbox.filter_bar import FilterBar, range_label


def choose(bar: FilterBar, name: str, data) -> None:  # noqa: ANN001
    combo = bar.combos[name]
    found = [i for i in range(combo.count()) if combo.itemData(i) == data]
    assert found, (name, data)
    combo.setCurrentIndex(found[0])


def test_another_query_in_a_query_view_narrows_to_both(qtbot, pane, filled):
    ws, ids, refs = filled
    jobs = add_query(ws, "Jobs")
    for mention_id in ids[:10]:
        ws.db.execute_sql("INSERT INTO mention_query VALUES (?, ?)", [mention_id, jobs])
    other = add_mention(ws, add_source(ws, "Blog", "rss"), "hiring", query_ids=[jobs])
    pane.on_changes(Changes(queries=True))
    pane.show_subview(f"query:{refs['acme']}")
    qtbot.waitUntil(lambda: pane.model.total == 250)
    choose(pane.filter_bar, "query", jobs)
    pane.filter_bar.combos["query"].activated.emit(pane.filter_bar.combos["query"].currentIndex())
    qtbot.waitUntil(lambda: pane.model.total == 10)  # Acme AND Jobs, never Acme OR Jobs
    shown = {pane.model.id_at(row) for row in range(10)}
    assert shown == set(ids[:10]) and other not in shown


def test_drop_downs_narrow_the_view_but_a_hidden_state_can_be_asked_for(qtbot, pane, filled):
    ws, ids, _ = filled
    ws.db.execute_sql("UPDATE mention SET state = 'done' WHERE id IN (?, ?)", ids[:2])
    ws.db.execute_sql("UPDATE mention SET state = 'archived' WHERE id = ?", [ids[2]])
    bar = pane.filter_bar
    pane.show_subview("new")
    choose(bar, "state", "done")
    pane.apply_filters()
    qtbot.waitUntil(lambda: pane.model.total == 0)  # New AND Done: nothing
    pane.show_subview("all")
    qtbot.waitUntil(lambda: pane.model.total == 2)
    choose(bar, "state", "archived")
    pane.apply_filters()
    qtbot.waitUntil(lambda: pane.model.total == 1)
    assert pane.model.id_at(0) == ids[2]
    bar.clear_silently()
    pane.show_subview("new")
    choose(bar, "sentiment", "negative")
    choose(bar, "source", ("kind", "reddit"))
    pane.apply_filters()
    expected = mentions.count(
        ws, MentionFilter(states=("new",), sentiments=("negative",), source_kinds=("reddit",))
    )
    qtbot.waitUntil(lambda: pane.model.total == expected)
    assert 0 < expected < 84


def test_last_7_days_is_saved_as_a_relative_period(qtbot, pane, filled, monkeypatch):
    ws, _, _ = filled
    add_mention(ws, add_source(ws, "Blog", "rss"), "old news", published_at=NOW - 10 * 86_400)
    choose(pane.filter_bar, "date", 7)
    pane.apply_filters()
    qtbot.waitUntil(lambda: pane.model.total == 250)
    assert pane.current_filter().also.since_days == 7 and pane.current_filter().since is None
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("This week", True))
    pane.save_current_view()
    qtbot.waitUntil(lambda: ws.db.execute_sql("SELECT COUNT(*) FROM saved_view").fetchone()[0])
    stored = json.loads(ws.db.execute_sql("SELECT filters FROM saved_view").fetchone()[0])
    assert stored["also"] == {"since_days": 7} and "since" not in json.dumps(stored).replace(
        "since_days", ""
    )


@pytest.fixture
def auckland(monkeypatch):
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_custom_range_label_shows_the_local_days(qtbot, auckland, monkeypatch):
    bar = FilterBar()
    qtbot.addWidget(bar)
    start = int(time.mktime((2026, 11, 12, 0, 0, 0, 0, 0, -1)))  # local midnights
    end = int(time.mktime((2026, 11, 19, 0, 0, 0, 0, 0, -1)))
    assert range_label(start, end) == "12 Nov – 18 Nov"  # in UTC it would read 11 – 17 Nov
    monkeypatch.setattr(
        filter_bar.DateRangeDialog, "exec", lambda self: QDialog.DialogCode.Accepted
    )
    monkeypatch.setattr(filter_bar.DateRangeDialog, "range", lambda self: (start, end))
    choose(bar, "date", filter_bar.CUSTOM_DATES)
    with qtbot.waitSignal(bar.filters_changed):
        bar.combos["date"].activated.emit(bar.combos["date"].currentIndex())
    assert bar.combos["date"].currentText() == "12 Nov – 18 Nov"
    assert bar.bar_filter().since == start and bar.bar_filter().until == end


def test_a_saved_view_opens_as_saved_while_built_in_views_keep_the_bar(qtbot, pane, filled):
    ws, _, _ = filled
    saved = saved_views.save_view(ws, "Negative", MentionFilter(sentiments=("negative",)))
    pane.on_changes(Changes(settings=True))
    bar = pane.filter_bar
    choose(bar, "source", ("kind", "reddit"))
    pane.show_subview("new")
    reddit_new = mentions.count(ws, MentionFilter(states=("new",), source_kinds=("reddit",)))
    qtbot.waitUntil(lambda: pane.model.total == reddit_new)
    assert bar.bar_filter().source_kinds == ("reddit",)  # carried over to a built-in view
    pane.show_subview(f"saved:{saved.id}")
    negative = mentions.count(ws, MentionFilter(sentiments=("negative",)))
    assert negative != mentions.count(  # what the view would show, still narrowed by the bar
        ws, MentionFilter(sentiments=("negative",), source_kinds=("reddit",))
    )
    qtbot.waitUntil(lambda: pane.model.total == negative)
    assert bar.bar_filter().is_empty()
