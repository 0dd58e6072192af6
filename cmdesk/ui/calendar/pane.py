"""The calendar pane: month, week and agenda views of the content plan, the backlog and campaigns.

Reads for the visible period run on the UI thread (indexed range reads plus series expansion:
a few milliseconds; bench/calendar_views.py measures 5,000 items in a month). Writes go through the
task runner's writer and come back through ``on_changes``; a drag moves the chip at once and the
write follows. Days are the user's local days (``calendar_periods.local_zone``), weeks start on
the locale's first weekday. The sidebar badge counts overdue items; its children are Overdue and
Ideas backlog. Reminders are computed here on a one-minute timer (and at start-up, catching up on
those due while the app was closed) and shown with ``ctx.notify``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.changes import Changes
from cmdesk.core.services import calendar, calendar_reminders, campaigns
from cmdesk.core.services import calendar_periods as periods
from cmdesk.core.services.calendar import STATUS_TITLES, TYPE_TITLES, CalendarFilter, Occurrence
from cmdesk.ui.calendar import colors
from cmdesk.ui.calendar.agenda_view import AgendaList
from cmdesk.ui.calendar.editing import CalendarEditing
from cmdesk.ui.calendar.month_view import MonthGrid
from cmdesk.ui.calendar.side_panel import SidePanel
from cmdesk.ui.calendar.week_view import WeekGrid
from cmdesk.ui.pane import Pane, PaneContext, SubView

REMINDER_INTERVAL_MS = 60_000
VIEW_TITLES = {"month": "Month", "week": "Week", "agenda": "Agenda"}


class CalendarPane(Pane):
    key = "calendar"
    title = "Calendar"
    icon_name = "calendar"

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.ws = ctx.workspace
        self.tz = periods.local_zone()
        self.first_weekday = (QLocale().firstDayOfWeek().value - 1) % 7
        self.kind = str(ctx.settings.value("calendar/view", "month"))
        if self.kind not in VIEW_TITLES:
            self.kind = "month"
        self.color_mode = str(ctx.settings.value("calendar/color_by", "type"))
        self.anchor = self.today()
        self.filter = CalendarFilter()
        self.occurrences: list[Occurrence] = []
        self.campaign_rows: list[campaigns.CampaignRow] = []
        self.editing = CalendarEditing(self)
        self._build()
        self._reminders_checked = (
            int(ctx.settings.value("calendar/reminders_checked_at", 0) or 0)
            or self.ws.clock.now() - calendar_reminders.CATCH_UP_SECONDS
        )
        self._reminder_timer = QTimer(self)
        self._reminder_timer.setInterval(REMINDER_INTERVAL_MS)
        self._reminder_timer.timeout.connect(self.check_reminders)
        self._reminder_timer.start()
        self.reload()
        QTimer.singleShot(0, self.check_reminders)

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self._toolbar())
        self.month = MonthGrid()
        self.week = WeekGrid()
        self.week_scroll = QScrollArea()
        self.week_scroll.setWidget(self.week)
        self.week_scroll.setWidgetResizable(True)
        self.agenda = AgendaList()
        self.stack = QStackedWidget()
        for widget in (self.month, self.week_scroll, self.agenda):
            self.stack.addWidget(widget)
        self.side = SidePanel()
        self.side.setMinimumWidth(120)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 240])
        state = self.ctx.settings.value("calendar/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        layout.addWidget(self.splitter, 1)
        self.legend = QLabel()
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.legend)
        self._connect_views()

    def _toolbar(self) -> QVBoxLayout:
        bar = QHBoxLayout()
        self.previous_button = QToolButton(text="‹")
        self.today_button = QToolButton(text="Today")
        self.next_button = QToolButton(text="›")
        self.previous_button.setToolTip("Previous period (P)")
        self.next_button.setToolTip("Next period (N)")
        self.today_button.setToolTip("Go to today (T)")
        self.period_label = QLabel()
        font = self.period_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.period_label.setFont(font)
        self.previous_button.clicked.connect(lambda: self.move_period(-1))
        self.next_button.clicked.connect(lambda: self.move_period(1))
        self.today_button.clicked.connect(lambda: self.move_period(0))
        for widget in (self.previous_button, self.today_button, self.next_button):
            bar.addWidget(widget)
        bar.addWidget(self.period_label, 1)
        self.view_buttons = QButtonGroup(self)
        for kind, title in VIEW_TITLES.items():
            button = QToolButton(text=title)
            button.setCheckable(True)
            button.setChecked(kind == self.kind)
            button.clicked.connect(lambda _checked=False, k=kind: self.set_view(k))
            self.view_buttons.addButton(button)
            bar.addWidget(button)
        self.color_combo = QComboBox()
        self.color_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for mode in colors.COLOR_MODES:
            self.color_combo.addItem(mode.capitalize(), mode)
        self.color_combo.setToolTip("Colour the items by type, campaign or status")
        self.color_combo.setCurrentIndex(max(0, self.color_combo.findData(self.color_mode)))
        self.color_combo.currentIndexChanged.connect(self._on_color_mode_changed)
        self.filter_button = QToolButton(text="Filter")
        self.filter_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.filter_menu = QMenu(self)
        self.filter_button.setMenu(self.filter_menu)
        self.filter_menu.aboutToShow.connect(self._fill_filter_menu)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and briefs")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(260)
        self.search.setMinimumWidth(60)
        self.period_label.setMinimumWidth(40)
        self.period_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.search.textChanged.connect(self._on_search_changed)
        self.new_button = QToolButton(text="+ Item")
        self.new_button.setToolTip("New item")
        self.new_button.clicked.connect(lambda: self.editing.new_item(None))
        self.new_campaign_button = QToolButton(text="+ Campaign")
        self.new_campaign_button.setToolTip("New campaign")
        self.new_campaign_button.clicked.connect(lambda: self.editing.edit_campaign(None))
        second = QHBoxLayout()
        for widget in (self.color_combo, self.filter_button, self.search):
            second.addWidget(widget)
        second.addStretch(1)
        second.addWidget(self.new_button)
        second.addWidget(self.new_campaign_button)
        rows = QVBoxLayout()
        rows.addLayout(bar)
        rows.addLayout(second)
        return rows

    def _connect_views(self) -> None:
        for view in (self.month, self.week, self.agenda):
            view.occurrence_activated.connect(self.editing.edit_occurrence)
            view.period_requested.connect(self.move_period)
        self.month.occurrence_dropped.connect(self.editing.drop_on_day)
        self.month.item_dropped.connect(self.editing.schedule_on_day)
        self.month.day_activated.connect(lambda day: self.editing.new_item(day))
        self.week.occurrence_moved.connect(self.editing.move_to)
        self.week.occurrence_resized.connect(self.editing.resize)
        self.week.item_dropped.connect(self.editing.schedule_at)
        self.week.time_activated.connect(self.editing.new_item_at)
        self.side.backlog_activated.connect(self.editing.edit_item)
        self.side.campaign_activated.connect(self.editing.edit_campaign)

    # -- period and reading ----------------------------------------------------------------

    def today(self) -> date:
        return datetime.fromtimestamp(self.ws.clock.now(), self.tz).date()

    def period(self) -> periods.Period:
        return periods.period_for(self.kind, self.anchor, self.first_weekday)

    def set_view(self, kind: str) -> None:
        self.kind = kind
        for button in self.view_buttons.buttons():
            button.setChecked(button.text() == VIEW_TITLES[kind])
        self.stack.setCurrentIndex(list(VIEW_TITLES).index(kind))
        self.ctx.settings.setValue("calendar/view", kind)
        self.refresh_view()
        self.current_view().setFocus()

    def current_view(self) -> QWidget:
        return {"month": self.month, "week": self.week, "agenda": self.agenda}[self.kind]

    def move_period(self, steps: int) -> None:
        """0: today; otherwise ``steps`` periods forward (negative: back)."""
        if steps == 0:
            self.anchor = self.today()
            self.month.selected_day = self.anchor
        else:
            self.anchor = periods.shift(self.kind, self.anchor, steps)
        self.refresh_view()

    def reload(self) -> None:
        """Everything: campaigns, backlog, badge and the visible period."""
        self.campaign_rows = campaigns.campaigns(self.ws)
        self.side.set_campaigns(self.campaign_rows)
        self.side.set_backlog(calendar.backlog(self.ws, self.filter))
        self._update_colors()
        self.refresh_view()
        self.update_badge()

    def refresh_view(self) -> None:
        """Read the visible period and show it in the current view."""
        period = self.period()
        start, end = periods.utc_bounds(period.first, period.last, self.tz)
        self.occurrences = calendar.occurrences(self.ws, start, end, self.filter)
        today = self.today()
        if self.kind == "month":
            self.month.set_days(period.days, period.anchor.month, today, self.first_weekday)
            self.month.set_occurrences(self.occurrences, self.tz)
            self.period_label.setText(period.anchor.strftime("%B %Y"))
        elif self.kind == "week":
            self.week.fit_height(self.week_scroll.viewport().height())
            self.week.set_days(period.days, today, self.first_weekday)
            self.week.set_occurrences(self.occurrences, self.tz)
            self.week.set_now(self.ws.clock.now())
            week_number = period.first.isocalendar().week
            self.period_label.setText(
                f"{period.first:%d %b} – {period.last:%d %b %Y} · week {week_number}"
            )
        else:
            names = {row.id: row.name for row in self.campaign_rows}
            self.agenda.set_occurrences(self.occurrences, self.tz, names, self._color_for, today)
            self.period_label.setText(period.anchor.strftime("%B %Y") + " · agenda")
        self.stack.setCurrentIndex(list(VIEW_TITLES).index(self.kind))

    def _update_colors(self) -> None:
        by_id = {row.id: row.color for row in self.campaign_rows}
        self._color_for = colors.color_function(self.color_mode, by_id)
        self.month.set_color_function(self._color_for)
        self.week.set_color_function(self._color_for)
        pairs = colors.legend(self.color_mode, {row.name: row.color for row in self.campaign_rows})
        chips = " ".join(
            f"<span style='color:{color}'>■</span>&nbsp;{label}&nbsp;&nbsp;"
            for label, color in pairs
        )
        self.legend.setText(chips + "<span style='color:#d00000'>▌</span>&nbsp;overdue")

    def _on_color_mode_changed(self) -> None:
        self.color_mode = self.color_combo.currentData()
        self.ctx.settings.setValue("calendar/color_by", self.color_mode)
        self._update_colors()
        self.refresh_view()

    def _on_search_changed(self, text: str) -> None:
        self.set_filter(CalendarFilter(**{**self.filter.__dict__, "text": text}))

    def set_filter(self, filt: CalendarFilter) -> None:
        self.filter = filt
        self.filter_button.setText(
            "Filter" if self._filter_count() == 0 else f"Filter ({self._filter_count()})"
        )
        self.side.set_backlog(calendar.backlog(self.ws, self.filter))
        self.refresh_view()

    def _filter_count(self) -> int:
        f = self.filter
        return sum(bool(v) for v in (f.types, f.channels, f.statuses, f.owners, f.campaign_ids))

    def _fill_filter_menu(self) -> None:
        self.filter_menu.clear()
        found = calendar.choices(self.ws)
        groups: list[tuple[str, str, list[tuple[Any, str]]]] = [
            ("Type", "types", list(TYPE_TITLES.items())),
            ("Status", "statuses", list(STATUS_TITLES.items())),
            ("Channel", "channels", [(c, c) for c in found["channels"]]),
            ("Owner", "owners", [(o, o) for o in found["owners"]]),
            ("Campaign", "campaign_ids", [(r.id, r.name) for r in self.campaign_rows]),
        ]
        for title, field, values in groups:
            sub = self.filter_menu.addMenu(title)
            chosen = getattr(self.filter, field)
            for value, label in values:
                action = sub.addAction(label)
                action.setCheckable(True)
                action.setChecked(value in chosen)
                action.toggled.connect(lambda on, f=field, v=value: self.toggle_filter(f, v, on))
        self.filter_menu.addSeparator()
        self.filter_menu.addAction("Clear filters").triggered.connect(
            lambda: self.set_filter(CalendarFilter(text=self.filter.text))
        )

    def toggle_filter(self, field: str, value: Any, on: bool) -> None:
        values = [v for v in getattr(self.filter, field) if v != value]
        if on:
            values.append(value)
        self.set_filter(CalendarFilter(**{**self.filter.__dict__, field: tuple(values)}))

    # -- badge, sub-views, reminders -------------------------------------------------------

    def update_badge(self) -> None:
        overdue = calendar.overdue_count(self.ws)
        self.badge_changed.emit(str(overdue) if overdue else "")
        self.subviews_changed.emit(
            [
                SubView("overdue", "Overdue", overdue),
                SubView("backlog", "Ideas backlog", self.side.backlog.count()),
            ]
        )

    def check_reminders(self) -> None:
        now = self.ws.clock.now()
        for reminder in calendar_reminders.due_reminders(self.ws, self._reminders_checked, now):
            self.ctx.notify(reminder.title, reminder.message(now, self.tz))
        self._reminders_checked = now
        self.ctx.settings.setValue("calendar/reminders_checked_at", now)

    # -- the Pane contract -----------------------------------------------------------------

    def on_changes(self, changes: Changes) -> None:
        if changes.calendar or changes.workspace:
            self.reload()

    def show_subview(self, key: str) -> None:
        if key == "overdue":
            self.set_view("agenda")
            names = {row.id: row.name for row in self.campaign_rows}
            self.agenda.set_occurrences(
                calendar.overdue_items(self.ws), self.tz, names, self._color_for, self.today()
            )
            self.period_label.setText("Overdue")
        elif key == "backlog":
            self.side.backlog.setFocus()

    def open_target(self, **kwargs: Any) -> None:
        """Show ``item_id`` on the calendar and select it; ``at`` picks one occurrence.

        A contact's timeline passes ``at`` (the occurrence's start) for an occurrence of a
        recurring series: the view goes to that date, not to the series' first one. An item
        without a date is selected in the backlog.
        """
        item_id = kwargs.get("item_id")
        if item_id is None:
            return
        detail = calendar.item_detail(self.ws, int(item_id))
        if detail is None:
            return
        at = kwargs.get("at")
        when = int(at) if at is not None and detail.starts_at is not None else detail.starts_at
        if when is None:
            self._select_in_backlog(detail.id)
            return
        self.anchor = datetime.fromtimestamp(when, self.tz).date()
        self.month.selected_day = self.anchor
        self.refresh_view()
        mine = [o for o in self.occurrences if detail.id in (o.item_id, o.series_id)]
        match = next((o for o in mine if o.starts_at == when), None)
        if match is None:  # a moved occurrence: the original start is its recurrence id
            match = next((o for o in mine if o.recurrence_id == when), mine[0] if mine else None)
        if match is not None:
            self.select_occurrence(match)

    def select_occurrence(self, occ: Occurrence) -> None:
        """Select ``occ`` in the current view (it must be in the visible period)."""
        if self.kind == "month":
            self.month.select(occ)
        elif self.kind == "week":
            self.week.select(occ)
            try:
                center = self.week.box_rect(occ).center().toPoint()
            except KeyError:
                return
            self.week_scroll.ensureVisible(center.x(), center.y(), 0, 80)
        else:
            self.agenda.select(occ)

    def _select_in_backlog(self, item_id: int) -> None:
        for row in range(self.side.backlog.count()):
            entry = self.side.backlog.item(row)
            if entry.data(Qt.ItemDataRole.UserRole) == item_id:
                self.side.backlog.setCurrentItem(entry)
                self.side.backlog.scrollToItem(entry)
                return

    def pane_actions(self) -> list[QAction]:
        actions = []
        for text, slot in (
            ("New item", lambda: self.editing.new_item(None)),
            ("New campaign", lambda: self.editing.edit_campaign(None)),
            ("Today", lambda: self.move_period(0)),
        ):
            action = QAction(text, self)
            action.triggered.connect(slot)
            actions.append(action)
        return actions

    def import_actions(self) -> list[QAction]:
        action = QAction("Calendar (.ics)…", self)
        action.triggered.connect(self.editing.import_file)
        return [action]

    def export_actions(self) -> list[QAction]:
        whole = QAction("Calendar (.ics)…", self)
        whole.triggered.connect(lambda: self.editing.export_file(False))
        shown = QAction("Calendar, current filter (.ics)…", self)
        shown.triggered.connect(lambda: self.editing.export_file(True))
        return [whole, shown]

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("T", "Calendar: go to today"),
            ("N / P", "Calendar: next / previous month or week"),
            ("Arrows", "Calendar: move the selection"),
            ("Enter", "Calendar: edit the selected item"),
        ]

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.kind == "week":
            self.week.fit_height(self.week_scroll.viewport().height())

    def activated(self) -> None:
        self.current_view().setFocus()

    def shutdown(self) -> None:
        self._reminder_timer.stop()
        self.ctx.settings.setValue("calendar/splitter", self.splitter.saveState())
