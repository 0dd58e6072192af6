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
