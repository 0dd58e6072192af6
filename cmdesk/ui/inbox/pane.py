"""The inbox pane: views, filter bar, the mention list, the reading pane, triage by keyboard.

The list is a :class:`MentionListModel` (ids by keyset, rows on demand); its first page is read
at once and its total, the sidebar's view counts and the filter choices are computed in worker
threads. Every triage action is a service call on the writer through the task runner; the last
one's :class:`~cmdesk.core.services.triage.Undo` is kept for ``u``. After any write the list is
re-read keeping the selection on the same mentions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.changes import Changes
from cmdesk.core.services import canned_responses, mention_detail, mentions, triage
from cmdesk.core.services import saved_views as saved_views_service
from cmdesk.core.services.inbox_filters import (
    MentionFilter,
    highlight_pattern,
    highlight_terms,
    query_highlight_terms,
)
from cmdesk.ui.inbox.delegates import HitDelegate
from cmdesk.ui.inbox.dialogs import (
    SavedViewsDialog,
)
from cmdesk.ui.inbox.filter_bar import FilterBar
from cmdesk.ui.inbox.list_model import (
    COLUMN_SORTS,
    FIRST_ASCENDING,
    SCAN_SORTS,
    MentionListModel,
)
from cmdesk.ui.inbox.pane_actions import InboxActions
from cmdesk.ui.inbox.reading_pane import ReadingPane
from cmdesk.ui.inbox.shortcuts import INBOX_SHORTCUTS
from cmdesk.ui.pane import Pane, PaneContext, SubView
from cmdesk.ui.widgets.banner import Banner

log = logging.getLogger(__name__)
REFRESH_DELAY_MS = 150


class InboxPane(InboxActions, Pane):
    key = "inbox"
    title = "Inbox"
    icon_name = "inbox"

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.ws = ctx.workspace
        self.view_key = "all"
        self.views: dict[str, mentions.InboxView] = {}
        self.view_counts: dict[str, int] = {}  # the sidebar's last counts, kept while recounting
        self.target_filter: MentionFilter | None = None  # set by another pane's navigation
        self.last_undo: triage.Undo | None = None
        self.triage_in_flight = 0  # triage writes not saved yet: U waits for them
        self.undo_when_saved = False
        self.seen_alert_id = 0
        self.choices = mention_detail.filter_choices(self.ws)
        self.model = MentionListModel(self.ws, self)
        self.sort_by = ("newest", False)  # the sort key and ascending, from the column headers
        self._jump_to_end_of: int | None = None  # the list generation a jump to its end waits on
        self._asked = 0  # bumped by each filter shown: a snapshot read for an older one is dropped
        self._sorting = False  # a filter's order is being read: the list on screen is the old one
        self._when_sorted: Callable[[], None] | None = None  # a move asked for meanwhile
        self._build_widgets()
        self._bind_keys()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._load_views()
        self.reading.set_canned_responses(canned_responses.list_responses(self.ws))
        self.apply_filters()
        self._check_alerts(notify=False)
        self.refresh_counts()

    # -- construction -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.alert_banner = Banner()
        show_alerts = QPushButton("Show alerts")
        show_alerts.clicked.connect(self.show_alerts)
        self.alert_banner.layout().insertWidget(1, show_alerts)
        self.alert_banner.dismissed.connect(self._on_alerts_dismissed)
        self.filter_bar = FilterBar()
        self.filter_bar.set_choices(self.choices)
        self.filter_bar.filters_changed.connect(self.apply_filters)
        self.filter_bar.save_view_requested.connect(self.save_current_view)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)  # arrival order
        header.sectionClicked.connect(self._on_header_clicked)
        for column, width in enumerate((80, 120, 150, 420, 80, 80, 120, 120)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.hit_delegate = HitDelegate(self.table)
        self.table.setItemDelegateForColumn(3, self.hit_delegate)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.reading = ReadingPane()
        self._connect_reading()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.reading)
        self.splitter.setSizes([330, 420])
        saved = self.ctx.settings.value("inbox/splitter")
        if saved:
            self.splitter.restoreState(saved)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setContentsMargins(8, 2, 8, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.alert_banner)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

    def _connect_reading(self) -> None:
        r = self.reading
        r.open_original_requested.connect(self.open_original)
        r.copy_link_requested.connect(self.copy_link)
        r.hand_off_requested.connect(self.copy_hand_off)
        r.hand_off_mail_requested.connect(self.mail_hand_off)
        r.route_requested.connect(lambda _id: self.route_selected())
        r.reply_requested.connect(self.reply_with)
        r.load_images_requested.connect(self.load_images)
        r.note_added.connect(self.add_note)
        r.contact_requested.connect(lambda cid: self.ctx.navigate("contacts", contact_id=cid))
        r.add_to_contacts_requested.connect(self.add_author_to_contacts)
        r.author_mentions_requested.connect(
            lambda aid: self.open_target(filters={"author_id": aid})
        )
        r.mention_requested.connect(lambda mid: self.select_mention(mid))

    def _bind_keys(self) -> None:
        bindings = {
            "J": lambda: self.move_current(1),
            "K": lambda: self.move_current(-1),
            "E": lambda: self.set_state("done"),
            "S": self.toggle_star,
            "A": self.assign_selected,
            "T": self.tag_selected,
            "R": self.mark_responded,
            "O": lambda: self._with_current(self.open_original),
            "/": self.focus_search,
            "U": self.undo,
            "Esc": self._on_escape,
            "Home": self.jump_to_start,
            "End": self.jump_to_end,
            "Ctrl+Home": self.jump_to_start,
            "Ctrl+End": self.jump_to_end,
        }
        self.shortcut_objects = []
        for key, slot in bindings.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcut_objects.append(shortcut)

    # -- pane contract ------------------------------------------------------------------------

    def shortcuts(self) -> list[tuple[str, str]]:
        return INBOX_SHORTCUTS

    def pane_actions(self) -> list[QAction]:
        actions = []
        for text, slot in (
            ("Inbox &rules…", self.show_rules),
            ("&Canned responses…", self.show_canned_responses),
            ("&Save current filters as a view…", self.save_current_view),
            ("&Edit saved views…", self.show_saved_views),
            ("&Alerts…", self.show_alerts),
            ("&Undo last action", self.undo),
        ):
            action = QAction(text, self)
            action.triggered.connect(slot)
            actions.append(action)
        return actions

    def show_subview(self, key: str) -> None:
        if key in self.views:
            self.view_key = key
            self.target_filter = None
            if key.startswith("saved:"):
                # A saved view is a whole filter the user built: it opens as saved, not narrowed
                # by what the bar showed before. Built-in and query views keep the bar, so one
                # choice ("Reddit only") can be carried from New to Needs response.
                self.filter_bar.clear_silently()
            self.apply_filters()

    def open_target(self, **kwargs: Any) -> None:
        filters = dict(kwargs.get("filters") or {})
        if "contact_id" in kwargs:
            filters["contact_id"] = kwargs["contact_id"]
        if filters:
            self.target_filter = MentionFilter.from_dict(filters)
            self.filter_bar.clear_silently()
            self.apply_filters()
        if "mention_id" in kwargs:
            self.select_mention(int(kwargs["mention_id"]))

    def on_changes(self, changes: Changes) -> None:
        if changes.workspace or changes.settings or changes.queries or changes.sources:
            self._load_views()
            self.reading.set_canned_responses(canned_responses.list_responses(self.ws))
            self._reload_choices()
        if changes.mentions or changes.workspace or changes.contacts:
            self._refresh_timer.start()
        if changes.alerts or changes.workspace:
            self._check_alerts(notify=True)

    def shutdown(self) -> None:
        self._refresh_timer.stop()
        self.ctx.settings.setValue("inbox/splitter", self.splitter.saveState())

    # -- filters and views --------------------------------------------------------------------

    def base_filter(self) -> MentionFilter:
        if self.target_filter is not None:
            return self.target_filter
        view = self.views.get(self.view_key) or self.views.get("all")
        return view.filter if view else MentionFilter()

    def current_filter(self) -> MentionFilter:
        base = self.base_filter()
        sort, ascending = self.sort_by
        return self.filter_bar.apply_to(base).with_(sort=sort, ascending=ascending)

    def apply_filters(self) -> None:
        """Show the current view narrowed by the filter bar: first page now, total later.

        A sort that no index walks reads the list's whole order in a worker first; the list on
        screen stays usable until it arrives.
        """
        filt = self.current_filter()
        terms = highlight_terms(filt.search)
        self.hit_delegate.pattern = highlight_pattern(terms)
        self._asked += 1
        self._when_sorted = None
        self._sorting = filt.sort in SCAN_SORTS
        if self._sorting:
            self._read_order(filt, self._show_sorted)
            return
        self.model.set_filter(filt)
        self._show_first_row()
        self._count_current()

    def _read_order(self, filt: MentionFilter, then: Any) -> None:
        """Read ``filt``'s order in a worker; ``then(filt, order)`` unless another filter came."""
        asked = self._asked
        self.status.setText("Sorting…")
        self.ctx.tasks.run_in_thread(
            "inbox-order",
            lambda progress: mentions.snapshot_ids(self.ws, filt, progress),
            label="Sorting the inbox",
            latest_wins=True,
            on_done=lambda order: then(filt, order) if asked == self._asked else None,
        )

    def _show_sorted(self, filt: MentionFilter, order: Any) -> None:
        self._sorting = False
        self.model.set_order(filt, order)
        then, self._when_sorted = self._when_sorted, None
        if then is not None:
            then()
        else:
            self._show_first_row()
        self._show_total()

    def _show_first_row(self) -> None:
        self.table.scrollToTop()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        else:
            self.reading.show_detail(None)

    def _count_current(self) -> None:
        generation, filt = self.model.generation, self.model.filter
        if self.model.total is not None:
            self._show_total()
            return
        self.status.setText("Counting…")
        self.ctx.tasks.run_in_thread(
            "inbox-count",
            lambda _p: mentions.count(self.ws, filt),
            label="Counting mentions",
            latest_wins=True,
            on_done=lambda total: self._on_counted(total, generation),
        )

    def _on_counted(self, total: int, generation: int) -> None:
        self.model.set_total(total, generation)
        self._show_total()
        if self._jump_to_end_of == generation == self.model.generation:
            self.jump_to_end()

    def jump_to_start(self) -> None:
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.scrollToTop()

    def _show_total(self) -> None:
        total = self.model.total or 0
        selected = len(self.table.selectionModel().selectedRows())
        text = f"{total:,} mention{'s' if total != 1 else ''}"
        if selected > 1:
            text += f" · {selected:,} selected"
        self.status.setText(text)

    def _load_views(self) -> None:
        self.views = {view.key: view for view in mentions.views(self.ws)}
        # The last counts stay on show until the recount arrives (a new view shows none yet).
        self._emit_subviews(self.view_counts)

    def _emit_subviews(self, counts: dict[str, int]) -> None:
        self.view_counts = counts
        self.subviews_changed.emit(
            [
                SubView(view.key, view.title, counts.get(view.key), view.icon_name)
                for view in self.views.values()
            ]
        )
        if "new" in counts:
            self.badge_changed.emit(f"{counts['new']:,}" if counts["new"] else "")

    def refresh_counts(self) -> None:
        """Recount every view in a worker thread; the sidebar shows them when done."""
        inbox_views = list(self.views.values())
        self.ctx.tasks.run_in_thread(
            "inbox-view-counts",
            lambda progress: mentions.view_counts(self.ws, inbox_views, progress),
            label="Counting inbox views",
            latest_wins=True,
            on_done=self._emit_subviews,
        )

    def _reload_choices(self) -> None:
        self.choices = mention_detail.filter_choices(self.ws)
        self.filter_bar.set_choices(self.choices)

    def save_current_view(self) -> None:
        name, ok = QInputDialog.getText(self, "Save view", "Name of the view")
        if ok and name.strip():
            self.ctx.tasks.write(
                "save-view",
                saved_views_service.save_view,
                self.ws,
                name,
                self.current_filter(),
                label="Save view",
            )

    def show_saved_views(self) -> QDialog:
        dialog = SavedViewsDialog(self.ctx.tasks, self.current_filter(), self)
        dialog.open()
        return dialog

    # -- list, current mention ----------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read after a write: the total (or the order) in a thread, then keep the selection."""
        generation, filt = self.model.generation, self.model.filter
        if self.model.ordered:
            self.model.reload_rows()  # new states and tags at once, in the old order meanwhile
            self._read_order(filt, lambda _f, order: self._on_refreshed(generation, order=order))
        else:
            self.ctx.tasks.run_in_thread(
                "inbox-refresh",
                lambda _p: mentions.count(self.ws, filt),
                label="Refreshing the inbox",
                latest_wins=True,
                on_done=lambda total: self._on_refreshed(generation, total=total),
            )
        self.refresh_counts()

    def _on_refreshed(self, generation: int, total: int | None = None, order: Any = None) -> None:
        if generation != self.model.generation:
            return
        self.model.refresh(total, order)
        current = self.table.currentIndex()
        if current.isValid():
            selection = self.table.selectionModel()
            if not selection.isSelected(current):
                selection.select(
                    current,
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self._show_current()
        self._show_total()

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return self.model.ids_for_rows(rows)

    def move_current(self, step: int) -> None:
        row = self.table.currentIndex().row()
        target = max(0, min(self.model.rowCount() - 1, row + step))
        if self.model.canFetchMore() and target >= self.model.rowCount() - 2:
            self.model.fetchMore()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(target, 0))
            self.table.scrollTo(self.model.index(target, 0))

    def jump_to_end(self) -> None:
        """Go to the last mention of the list.

        While the list is still being counted (in a worker thread: ~0.3 s for a million
        mentions), the jump happens when the count arrives; the UI never waits for it.
        """
        if self._sorting:  # the list on screen is about to be replaced: jump in the new one
            self._when_sorted = self.jump_to_end
            return
        if self.model.total is None:
            self._jump_to_end_of = self.model.generation
            self._count_current()
            return
        self._jump_to_end_of = None
        last = self.model.rowCount() - 1
        if last >= 0:
            self.table.setCurrentIndex(self.model.index(last, 0))
            self.table.scrollToBottom()

    def select_mention(self, mention_id: int) -> None:
        if self._sorting:  # the list on screen is about to be replaced: select it in the new one
            self._when_sorted = lambda: self.select_mention(mention_id)
            return
        row = self.model.row_of(mention_id)
        if row is None:  # not in this view: show it alone
            self.open_target(filters={"ids": [mention_id]})
            if self._sorting:
                self._when_sorted = lambda: self.select_mention(mention_id)
                return
            row = self.model.row_of(mention_id)
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()
        self._show_total()

    def _show_current(self) -> None:
        mention_id = self.current_id()
        detail = mention_detail.mention_detail(self.ws, mention_id) if mention_id else None
        terms = highlight_terms(self.model.filter.search)
        if detail is not None:
            for _, _, expression in detail.queries:
                terms += query_highlight_terms(expression)
        self.reading.show_detail(detail, highlight_pattern(terms))

    def _with_current(self, fn: Any) -> None:
        mention_id = self.current_id()
        if mention_id is not None:
            fn(mention_id)

    def _on_header_clicked(self, column: int) -> None:
        """Sort by what the column shows: first click, reversed, then back to arrival order."""
        sort = COLUMN_SORTS.get(column)
        current, ascending = self.sort_by
        if sort is None:
            self._show_sort_indicator()
            return
        first = FIRST_ASCENDING.get(sort, False)
        if current != sort:
            self.sort_by = (sort, first)
        elif ascending == first:
            self.sort_by = (sort, not first)
        else:
            self.sort_by = ("newest", False)
        self._show_sort_indicator()
        self.apply_filters()

    def _show_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        sort, ascending = self.sort_by
        column = COLUMN_SORTS_INDEX.get(sort, -1)  # arrival order: no column shows it
        order = Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
        header.setSortIndicator(column, order)

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def _on_escape(self) -> None:
        if self.filter_bar.search.text():
            self.filter_bar.search.clear()
            self.table.setFocus()

    def _on_context_menu(self, position: Any) -> None:
        self.context_menu().exec(self.table.viewport().mapToGlobal(position))

    def context_menu(self) -> QMenu:
        """The triage menu for the selection (built apart from showing it, for tests)."""
        menu = QMenu(self)
        for text, slot in (
            ("Mark done (E)", lambda: self.set_state("done")),
            ("Mark open", lambda: self.set_state("open")),
            ("Mark waiting", lambda: self.set_state("waiting")),
            ("Archive", lambda: self.set_state("archived")),
            ("Spam", lambda: self.set_state("spam")),
            ("Star / unstar (S)", self.toggle_star),
            ("Assign… (A)", self.assign_selected),
            ("Route to a department…", self.route_selected),
            ("Tag… (T)", self.tag_selected),
            ("Mark responded (R)", self.mark_responded),
            ("Unmark responded", self.unmark_responded),
            ("Needs a response", lambda: self._triage(triage.set_needs_response, True)),
        ):
            menu.addAction(text).triggered.connect(slot)
        remove = menu.addMenu("Remove tag")
        for tag_id, name in self.selected_tags():
            remove.addAction(name).triggered.connect(lambda _=False, t=tag_id: self.remove_tag(t))
        remove.setEnabled(not remove.isEmpty())
        priority = menu.addMenu("Priority")
        for value, title in triage.PRIORITIES.items():
            priority.addAction(title).triggered.connect(
                lambda _=False, v=value: self._triage(triage.set_priority, v)
            )
        return menu


COLUMN_SORTS_INDEX = {sort: column for column, sort in COLUMN_SORTS.items() if sort}
