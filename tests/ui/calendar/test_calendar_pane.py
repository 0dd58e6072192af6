"""The calendar pane over real services on a temp workspace: views, drags, resize, keys, badge,
reminders and the way back to the inbox."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from cmdesk.core.db import Workspace
from cmdesk.core.services import calendar, calendar_edits
from cmdesk.core.services.calendar_edits import ItemInput
from cmdesk.ui.calendar.item_dialog import ItemDialog
from cmdesk.ui.calendar.month_view import ITEM_MIME
from cmdesk.ui.calendar.pane import CalendarPane
from cmdesk.ui.pane import make_test_context


def at(day: int, hour: int = 9, month: int = 11) -> int:
    return int(datetime(2026, month, day, hour, tzinfo=UTC).timestamp())


def create(ws: Workspace, **fields) -> int:
    return ws.write(calendar_edits.create_item, ws, ItemInput(**fields)).result().item_id


@pytest.fixture
def pane(qtbot, qt_loop, workspace: Workspace, monkeypatch, tmp_path):  # noqa: ANN001
    monkeypatch.setenv("TZ", "UTC")
    ctx = make_test_context(workspace, settings_path=str(tmp_path / "ui.ini"))
    widget = CalendarPane(ctx)
    ctx.events.changed.connect(widget.on_changes)  # what the main window does for every pane
    widget.resize(1200, 800)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def wait_for_writes(qtbot, pane: CalendarPane) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not pane.ctx.tasks.running(), timeout=5000)


def test_month_shows_items_overdue_badge_and_a_known_font(qtbot, pane, workspace) -> None:  # noqa: ANN001
    create(workspace, title="Launch post", starts_at=at(24))
    create(workspace, title="Late draft", status="draft", starts_at=at(18))
    create(workspace, title="Idea for later")
    with qtbot.waitSignal(pane.badge_changed) as badge:
        pane.reload()
    assert badge.args == ["1"]
    assert [o.title for o in pane.month.occurrences_on(date(2026, 11, 24))] == ["Launch post"]
    assert pane.month.occurrences_on(date(2026, 11, 18))[0].overdue
    assert pane.side.backlog.count() == 1
    assert pane.period_label.text() == "November 2026"
    families = QApplication.font().family()
    assert families  # text is drawn with a real font, not empty boxes
    image = pane.month.grab().toImage()
    assert not image.isNull() and image.width() > 500


def test_dragging_a_chip_to_another_day_reschedules_it(qtbot, pane, workspace) -> None:  # noqa: ANN001
    item = create(workspace, title="Launch post", starts_at=at(24, 14))
    pane.reload()
    grid = pane.month
    origin = grid.chip_center(grid.occurrences_on(date(2026, 11, 24))[0], date(2026, 11, 24))
    target = grid.cell_rect(grid.days.index(date(2026, 11, 26))).center().toPoint()
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=origin)
    qtbot.mouseMove(grid, origin + QPoint(15, 15))
    qtbot.mouseMove(grid, target)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=target)
    assert [o.item_id for o in grid.occurrences_on(date(2026, 11, 26))] == [item]  # at once
    wait_for_writes(qtbot, pane)
    assert calendar.item_detail(workspace, item).starts_at == at(26, 14)  # same time of day


def test_dropping_a_backlog_idea_schedules_it(qtbot, pane, workspace) -> None:  # noqa: ANN001
    idea = create(workspace, title="Podcast idea", duration_minutes=45)
    pane.reload()
    mime = pane.side.backlog.mimeData([pane.side.backlog.item(0)])
    assert mime.hasFormat(ITEM_MIME)
    grid = pane.month
    target = QPointF(grid.cell_rect(grid.days.index(date(2026, 11, 27))).center())
    event = QDropEvent(
        target,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    grid.dropEvent(event)
    wait_for_writes(qtbot, pane)
    detail = calendar.item_detail(workspace, idea)
    assert (detail.starts_at, detail.duration_minutes) == (at(27, 9), 45)
    assert pane.side.backlog.count() == 0


def test_resizing_in_the_week_view_changes_the_duration(qtbot, pane, workspace) -> None:  # noqa: ANN001
    item = create(workspace, title="Webinar", item_type="event", starts_at=at(19, 10))
    pane.set_view("week")
    week = pane.week
    occ = next(o for o in pane.occurrences if o.item_id == item)
    rect = week.box_rect(occ)
    edge = QPoint(int(rect.center().x()), int(rect.bottom()) - 2)
    lower = edge + QPoint(0, int(week.HOUR))  # one hour longer
    qtbot.mousePress(week, Qt.MouseButton.LeftButton, pos=edge)
    qtbot.mouseMove(week, edge + QPoint(0, 10))
    qtbot.mouseMove(week, lower)
    qtbot.mouseRelease(week, Qt.MouseButton.LeftButton, pos=lower)
    wait_for_writes(qtbot, pane)
    assert calendar.item_detail(workspace, item).duration_minutes == 120


def test_keys_move_periods_and_the_selection(qtbot, pane, workspace) -> None:  # noqa: ANN001
    create(workspace, title="On the 21st", starts_at=at(21))
    pane.reload()
    grid = pane.month
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_N)
    assert pane.period_label.text() == "December 2026"
    qtbot.keyClick(grid, Qt.Key.Key_P)
    qtbot.keyClick(grid, Qt.Key.Key_P)
    assert pane.period_label.text() == "October 2026"
    qtbot.keyClick(grid, Qt.Key.Key_T)
    assert pane.period_label.text() == "November 2026"
    assert grid.selected_day == date(2026, 11, 20)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.selected_day == date(2026, 11, 21)
    assert grid.selected is not None and grid.selected.title == "On the 21st"
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_day == date(2026, 11, 28)


def test_reminders_notify_and_mentions_open_the_inbox(qtbot, pane, workspace) -> None:  # noqa: ANN001
    now = workspace.clock.now()
    create(workspace, title="Webinar", item_type="event", starts_at=now + 1200, reminder_minutes=30)
    pane._reminders_checked = now - 900
    pane.check_reminders()
    assert pane.ctx.notifications == [("Webinar", "Event: starts in 20 minutes (Fri 20 Nov 10:20)")]
    pane.check_reminders()
    assert len(pane.ctx.notifications) == 1  # once
    pane.editing.open_mentions("https://blog.example.org/launch?utm_source=x#top")
    assert pane.ctx.navigations == [
        ("inbox", {"filters": {"url": "https://blog.example.org/launch"}})
    ]


def test_overdue_subview_lists_overdue_items(qtbot, pane, workspace) -> None:  # noqa: ANN001
    create(workspace, title="Late", status="draft", starts_at=at(10))
    pane.reload()
    pane.show_subview("overdue")
    assert pane.kind == "agenda"
    titles = [pane.agenda.topLevelItem(n).text(1) for n in range(pane.agenda.topLevelItemCount())]
    assert "Late — overdue" in titles


def test_item_and_campaign_dialogs_open_without_blocking(qtbot, pane, workspace) -> None:  # noqa: ANN001
    dialog = pane.editing.new_item_at(at(24))  # returns at once: open(), not exec()
    assert dialog.isVisible()
    dialog._on_save_clicked()  # no title: said in a box, the dialog stays open
    assert dialog.isVisible() and dialog.last_problem
    dialog.title_edit.setText("Launch post")
    dialog._on_save_clicked()
    wait_for_writes(qtbot, pane)
    item_id = workspace.db.execute_sql("SELECT id FROM calendar_item").fetchone()[0]
    edit = pane.editing._edit(calendar.item_detail(workspace, item_id), None)
    assert edit.isVisible()
    edit.done(edit.DELETE)
    wait_for_writes(qtbot, pane)
    assert workspace.db.execute_sql("SELECT COUNT(*) FROM calendar_item").fetchone()[0] == 0
    campaign = pane.editing.edit_campaign(None)
    assert campaign.isVisible()
    campaign._on_save_clicked()
    assert campaign.isVisible() and campaign.last_problem == "A campaign needs a name."
    campaign.name_edit.setText("Relay 2.0 launch")
    campaign._on_save_clicked()
    wait_for_writes(qtbot, pane)
    assert workspace.db.execute_sql("SELECT name FROM campaign").fetchone()[0] == "Relay 2.0 launch"


def test_a_campaign_lists_its_items_and_opens_one(qtbot, pane, workspace) -> None:  # noqa: ANN001
    from cmdesk.core.services import campaigns

    campaign_id = (
        workspace.write(
            campaigns.save_campaign, workspace, campaigns.CampaignInput("Relay 2.0 launch")
        )
        .result()
        .campaign_id
    )
    workspace.db.execute_sql(
        "INSERT INTO source(id, kind, name, url, all_items_are_mentions, enabled, "
        "interval_minutes, consecutive_failures, items_seen, created_at) "
        "VALUES (1, 'rss', 'Blogs', 'https://x', 0, 1, 15, 0, 0, 0)"
    )
    url = "https://blog.example.org/launch"
    for n in range(3):
        workspace.db.execute_sql(
            "INSERT INTO mention(source_id, external_id, url, canonical_url, title, text, "
            "published_at, fetched_at, state, starred, priority, needs_response)"
            " VALUES (1, ?, ?, ?, 't', 't', 0, 0, 'new', 0, 0, 0)",
            (str(n), url, url),
        )
    post = create(workspace, title="Launch post", status="published", starts_at=at(3, month=12),
                  published_url=url, campaign_id=campaign_id)  # fmt: skip
    create(workspace, title="Video", item_type="video", status="draft", starts_at=at(10),
           campaign_id=campaign_id)  # fmt: skip
    create(workspace, title="Press idea", campaign_id=campaign_id)
    create(workspace, title="Not in it", starts_at=at(11))
    pane.reload()
    dialog = pane.editing.edit_campaign(campaign_id)
    tree = dialog.items
    rows = [
        [tree.topLevelItem(n).text(c) for c in range(5)] for n in range(tree.topLevelItemCount())
    ]
    assert rows == [
        ["10 Nov 2026", "Video", "Video / podcast", "Draft", ""],
        ["03 Dec 2026", "Launch post", "Blog post", "Published", "3"],
        ["No date", "Press idea", "Blog post", "Idea", ""],
    ]
    dialog.grab().save("/tmp/campaign_dialog.png")
    tree.itemDoubleClicked.emit(tree.topLevelItem(1), 1)
    assert not dialog.isVisible()
    assert pane.anchor == date(2026, 12, 3)  # the calendar shows the item's date, selected
    assert pane.month.selected is not None and pane.month.selected.item_id == post
    opened = [w for w in pane.findChildren(ItemDialog) if w.isVisible()]
    assert [w.title_edit.text() for w in opened] == ["Launch post"]


def test_opening_an_occurrence_goes_to_its_date_and_selects_it(qtbot, pane, workspace) -> None:  # noqa: ANN001
    series = create(workspace, title="Weekly newsletter", item_type="newsletter",
                    starts_at=at(2, month=9), rrule="FREQ=WEEKLY")  # fmt: skip
    pane.open_target(item_id=series, at=at(25, month=11))
    assert pane.anchor == date(2026, 11, 25)
    assert pane.period_label.text() == "November 2026"
    assert pane.month.selected is not None
    assert (pane.month.selected.series_id, pane.month.selected.starts_at) == (
        series,
        at(25, month=11),
    )
    pane.set_view("agenda")
    pane.open_target(item_id=series, at=at(2, month=12))
    current = pane.agenda.currentItem().data(0, Qt.ItemDataRole.UserRole)
    assert current.starts_at == at(2, month=12)
    pane.set_view("week")
    pane.open_target(item_id=series, at=at(9, month=12))
    assert pane.week.selected is not None and pane.week.selected.starts_at == at(9, month=12)
    idea = create(workspace, title="Idea")
    pane.reload()
    pane.open_target(item_id=idea, at=None)
    assert pane.side.backlog.currentItem().text() == "Idea"


def test_cancelled_occurrences_are_listed_and_restored(qtbot, pane, workspace) -> None:  # noqa: ANN001
    series = create(workspace, title="User group", item_type="event",
                    starts_at=at(5, 18), rrule="FREQ=WEEKLY")  # fmt: skip
    pane.reload()
    first, second, third = [o for o in pane.occurrences if o.series_id == series][:3]
    for occ in (second, third):
        workspace.write(calendar_edits.cancel_occurrence, workspace, occ).result()
    pane.reload()
    dialog = pane.editing.edit_occurrence(first)
    skipped = dialog.skipped_list
    assert [skipped.item(n).text() for n in range(skipped.count())] == [
        "Thu 12 Nov 2026 18:00",
        "Thu 19 Nov 2026 18:00",
    ]
    assert not dialog.restore_button.isEnabled()
    skipped.item(1).setSelected(True)
    dialog.grab().save("/tmp/item_dialog_skipped.png")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert skipped.count() == 1
    wait_for_writes(qtbot, pane)
    assert calendar.item_detail(workspace, series).exdates == (second.starts_at,)
    assert third.starts_at in [o.starts_at for o in pane.occurrences if o.series_id == series]


def test_calendar_export_asks_where_without_blocking(qtbot, pane, workspace, tmp_path) -> None:  # noqa: ANN001
    create(workspace, title="Launch post", starts_at=at(24))
    asking = pane.editing.export_file(False)
    assert asking.isVisible()
    target = tmp_path / "plan.ics"
    asking.fileSelected.emit(str(target))
    qtbot.waitUntil(target.exists, timeout=5000)
    assert b"Launch post" in target.read_bytes()
    assert pane.editing.import_file().isVisible()
