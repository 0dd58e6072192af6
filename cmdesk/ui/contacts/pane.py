"""The contacts pane: a personal CRM — the list, a person's card, keep-in-touch and discovery.

The list is a :class:`ContactListModel` over an id snapshot (search, filters and sorting are a
new snapshot read from ``contacts_query``: tens of milliseconds at 100,000 contacts); the detail
panel shows the selected person. The sidebar's children are the work lists: Due (its count is
also the pane's badge, and a desktop notification when it grows), Not yet recognised, Top voices,
Duplicates, and Lists (create, rename, colour, cadence, delete).

The due times and influence scores the list filters and sorts by are stored by the services on
every write. When they were never computed (a workspace from before schema 3, or filled by the
sample or demo loader) or the last full pass is a day old, the pane computes them once: the
scores in a worker thread, then stored on the writer (see ``contacts_scores``).

Dialogs are opened with ``open()``, never ``exec()``: slots never block, and tests drive them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.changes import Changes
from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_activity as act
from cmdesk.core.services import contacts_lists as lists
from cmdesk.core.services import contacts_organisations as orgs
from cmdesk.core.services import contacts_query as q
from cmdesk.core.services import contacts_scores as scores
from cmdesk.core.services import keep_in_touch as kit
from cmdesk.ui.contacts import transfer
from cmdesk.ui.contacts.actions import SelectionMenu, delete_timeline_entry
from cmdesk.ui.contacts.detail import ContactDetailPanel
from cmdesk.ui.contacts.dialogs import (
    ContactDialog,
    ContributionDialog,
    InteractionDialog,
    network_title,
)
from cmdesk.ui.contacts.list_model import COLUMN_SORTS, ContactListModel
from cmdesk.ui.contacts.lists_view import ListsView
from cmdesk.ui.contacts.views import (
    DueView,
    DuplicatesView,
    OrganisationFilter,
    OrganisationsView,
    RecognitionView,
    TopVoicesView,
)
from cmdesk.ui.contacts.writes import written
from cmdesk.ui.pane import Pane, PaneContext, SubView
from cmdesk.ui.widgets.questions import ask_text

SEARCH_DELAY_MS = 150
ANY_ORGANISATION = "Any organisation"
DAY = 86_400


class ContactsPane(Pane):
    key = "contacts"
    title = "Contacts"
    icon_name = "contacts"

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.ws = ctx.workspace
        self.filter = q.ContactFilter()
        self.last_due: int | None = None
        self.scoring = False
        self.model = ContactListModel(self.ws, self)
        self._build()
        # The list is read when the pane is first shown and again when shown after a change:
        # a hidden pane costs nothing at start-up or while a fetch writes mentions.
        self._stale = True
        self._refresh_counts()
        self.refresh_scores_if_needed()
        if lists.needs_default_lists(self.ws):  # a new workspace starts with the usual lists
            self.ctx.tasks.write("contacts.default-lists", lists.add_default_lists, self.ws,
                                 label="Adding the usual contact lists")  # fmt: skip

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search names, organisations, e-mails, handles  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_filters_changed)
        self.search.textChanged.connect(self._search_timer.start)
        self.list_filter, self.stage_filter, self.owner_filter = (
            QComboBox(),
            QComboBox(),
            QComboBox(),
        )
        self.organisation_filter = OrganisationFilter()
        for combo in (self.list_filter, self.stage_filter, self.owner_filter,
                      self.organisation_filter):  # fmt: skip
            combo.currentIndexChanged.connect(self._on_filters_changed)
        self.due_filter = QCheckBox("Due only")
        self.due_filter.toggled.connect(self._on_filters_changed)
        self.edit_lists_button = QPushButton("Lists…")
        self.edit_lists_button.setToolTip("Create, rename, colour and set keep-in-touch cadences")
        self.edit_lists_button.clicked.connect(lambda: self.show_subview("lists"))
        self.add_button = QPushButton("Quick add…")
        self.add_button.clicked.connect(self.quick_add)
        self.selection_menu = SelectionMenu(self)
        self.count_label = QLabel()
        # Two rows: one row of every filter would set a minimum width wider than small windows.
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.due_filter)
        top.addWidget(self.add_button)
        filters = QHBoxLayout()
        for widget in (self.list_filter, self.edit_lists_button, self.stage_filter,
                       self.owner_filter):  # fmt: skip
            filters.addWidget(widget)
        filters.addWidget(self.organisation_filter)
        filters.addStretch(1)
        bar = QVBoxLayout()
        bar.addLayout(top)
        bar.addLayout(filters)

        self.table = QTableView()
        self.table.setObjectName("contactList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().sectionClicked.connect(self._on_header_clicked)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self._show_sort_indicator()
        for column, width in enumerate((170, 190, 75, 120, 95, 95, 65)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.detail = ContactDetailPanel(self.ctx)
        self.detail.action_requested.connect(self._on_detail_action)
        self.detail.mention_opened.connect(
            lambda mention_id: self.ctx.navigate("inbox", mention_id=mention_id)
        )
        self.detail.calendar_item_opened.connect(
            lambda item_id, at: self.ctx.navigate("calendar", item_id=item_id, at=at)
        )
        self.detail.entry_delete_requested.connect(
            lambda kind, entry_id: delete_timeline_entry(self, kind, entry_id)
        )
        self.author_offer = QWidget()
        offer = QHBoxLayout(self.author_offer)
        self.author_offer_text = QLabel()
        self.author_offer_button = QPushButton("Add to contacts")
        self.author_offer_button.clicked.connect(self._on_author_offer_clicked)
        offer.addWidget(self.author_offer_text, 1)
        offer.addWidget(self.author_offer_button)
        self.author_offer.hide()
        self._offered_author: int | None = None

        # Under the list: how many, and what to do with the selected ones (not in the top bar,
        # which sets the pane's, and so the window's, minimum width).
        list_side = QWidget()
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        under = QHBoxLayout()
        under.addWidget(self.count_label)
        under.addStretch(1)
        under.addWidget(self.selection_menu)
        list_layout.addLayout(under)
        splitter = QSplitter()
        splitter.addWidget(list_side)
        splitter.addWidget(self.detail)
        splitter.setSizes([740, 540])
        people = QWidget()
        people_layout = QVBoxLayout(people)
        people_layout.setContentsMargins(0, 0, 0, 0)
        people_layout.addLayout(bar)
        people_layout.addWidget(self.author_offer)
        people_layout.addWidget(splitter, 1)

        self.views = {
            "due": DueView(self.ctx),
            "unrecognised": RecognitionView(self.ctx, self._ask_text),
            "voices": TopVoicesView(self.ctx),
            "duplicates": DuplicatesView(self.ctx),
            "lists": ListsView(self.ctx),
            "organisations": OrganisationsView(self.ctx),
        }
        self.views["organisations"].organisation_opened.connect(self.show_organisation)
        self.stack = QStackedWidget()
        self.stack.addWidget(people)
        for view in self.views.values():
            view.contact_opened.connect(lambda cid: self.open_target(contact_id=cid))
            self.stack.addWidget(view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        for keys, slot in (
            ("Ctrl+F", self._focus_search), ("Ctrl+N", self.quick_add),
            ("Ctrl+L", lambda: self._on_detail_action("log")),
            ("Ctrl+T", lambda: self._on_detail_action("today")),
            ("Ctrl+E", lambda: self._on_detail_action("edit")),
        ):  # fmt: skip
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.selection_menu.delete)

    # -- the list ----------------------------------------------------------------------------------

    def _reload_choices(self) -> None:
        def fill(combo: QComboBox, everyone: str, items: list[tuple[str, Any]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

        fill(self.list_filter, "All lists",
             [(f"{r.name} ({r.members})", r.id) for r in lists.contact_lists(self.ws)])  # fmt: skip
        fill(self.stage_filter, "Any stage", [(s.capitalize(), s) for s in svc.stages(self.ws)])
        fill(self.owner_filter, "Any owner", [(o, o) for o in svc.owners(self.ws)])
        fill(self.organisation_filter, ANY_ORGANISATION,
             [(name, oid) for oid, name in orgs.organisation_names(self.ws)])  # fmt: skip

    def _on_filters_changed(self) -> None:
        self.filter = q.ContactFilter(
            search=self.search.text(),
            list_id=self.list_filter.currentData(),
            stage=self.stage_filter.currentData(),
            owner=self.owner_filter.currentData(),
            organisation_id=self.organisation_filter.currentData(),
            due_only=self.due_filter.isChecked(),
            sort=self.filter.sort,
            descending=self.filter.descending,
        )
        self.reload()

    def _on_header_clicked(self, column: int) -> None:
        sort = COLUMN_SORTS.get(column)
        if sort is None:
            self._show_sort_indicator()  # undo the header's own flip on a column it cannot sort
            return
        # A new column starts the natural way: A to Z, soonest due first, most recent contact
        # first, highest influence first (whose "descending" means lowest first).
        first_descending = sort == "last_interaction"
        descending = not self.filter.descending if sort == self.filter.sort else first_descending
        self.filter = q.ContactFilter(**{**self.filter.__dict__, "sort": sort,
                                         "descending": descending})  # fmt: skip
        self._show_sort_indicator()
        self.reload()

    def _show_sort_indicator(self) -> None:
        """The header's arrow on the sorted column (the header flips it itself on any click)."""
        header = self.table.horizontalHeader()
        column = next((c for c, s in COLUMN_SORTS.items() if s == self.filter.sort), -1)
        # Influence reads highest first, so its plain order is shown as descending.
        down = self.filter.descending != (self.filter.sort == "influence")
        order = Qt.SortOrder.DescendingOrder if down else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)

    def reload(self, keep: int | None = None) -> None:
        """Read the ids again (keeping ``keep``, else the current contact, selected)."""
        keep = keep if keep is not None else self.current_contact_id()
        ids = q.snapshot_ids(self.ws, self.filter)
        self.model.set_ids(ids)
        self.count_label.setText(f"{len(ids):,} contacts")
        row = self.model.row_of(keep) if keep is not None else -1
        self.select_row(row if row >= 0 else 0)

    def select_row(self, row: int) -> None:
        if row >= self.model.rowCount():
            self.detail.show_contact(None)
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self.detail.show_contact(self.model.contact_id(row))

    def current_contact_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.contact_id(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.contact_id(r) for r in rows]
        return [i for i in ids if i is not None] or (
            [self.current_contact_id()] if self.current_contact_id() else []
        )

    def _on_current_changed(self, current: Any, _previous: Any) -> None:
        contact_id = self.model.contact_id(current.row()) if current.isValid() else None
        if contact_id != self.detail.contact_id:
            self.detail.show_contact(contact_id)

    def _focus_search(self) -> None:
        self.stack.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    # -- background figures --------------------------------------------------------------------

    def refresh_scores_if_needed(self) -> None:
        """Compute the stored due times and influence scores when missing or a day old.

        Due times first (one quick statement on the writer), then the influence pass in a
        worker thread (seconds on a big workspace) stored on the writer; each announces its
        changes, so the list, the badge and the influence column follow.
        """
        if self.scoring or not scores.scores_need_refresh(self.ws):
            return
        self.scoring = True
        ws = self.ws

        def store(influence: dict[int, float]) -> None:
            self.ctx.tasks.write(
                "contacts.scores.store", scores.store_all_scores, ws, influence,
                label="Storing influence scores", on_done=lambda _c: self._on_scores_done(),
                on_error=lambda _m: self._on_scores_done(),
            )  # fmt: skip

        self.ctx.tasks.write("contacts.scores.due", scores.refresh_all_due, ws,
                             label="Computing due dates")  # fmt: skip
        self.ctx.tasks.run_in_thread(
            "contacts.scores", lambda _p: scores.compute_all_influence(ws),
            label="Scoring influence", latest_wins=True, on_done=store,
            on_error=lambda _m: self._on_scores_done(),
        )  # fmt: skip

    def _on_scores_done(self) -> None:
        self.scoring = False

    def _refresh_counts(self) -> None:
        due = kit.due_count(self.ws)
        unrecognised = act.unrecognised_count(self.ws)
        total = q.count(self.ws, q.ContactFilter())
        self.badge_changed.emit(str(due) if due else "")
        self.subviews_changed.emit([
            SubView("all", "All contacts", total),
            SubView("due", "Due", due),
            SubView("unrecognised", "Not yet recognised", unrecognised),
            SubView("voices", "Top voices"),
            SubView("duplicates", "Duplicates"),
            SubView("lists", "Lists", len(lists.contact_lists(self.ws))),
            SubView("organisations", "Organisations"),
        ])  # fmt: skip
        if due and (self.last_due is None or due > self.last_due):
            people = "1 contact is" if due == 1 else f"{due} contacts are"
            self.ctx.notify("Keep in touch", f"{people} due a follow-up.")
        self.last_due = due

    # -- Pane contract -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._load_if_stale()

    def _load_if_stale(self) -> None:
        if self._stale:
            self._stale = False
            self._reload_choices()
            self.reload()

    def on_changes(self, changes: Changes) -> None:
        if not (changes.contacts or changes.mentions or changes.workspace or changes.calendar):
            return
        self._stale = True
        if self.isVisible():
            self._load_if_stale()
        self._refresh_counts()
        view = self.stack.currentWidget()
        if view in self.views.values():
            view.refresh()  # type: ignore[attr-defined]

    def show_subview(self, key: str) -> None:
        self._load_if_stale()
        if key in self.views:
            self.stack.setCurrentWidget(self.views[key])
            self.views[key].refresh()
        else:
            self.stack.setCurrentIndex(0)
            self.table.setFocus()

    def open_target(self, **kwargs: Any) -> None:
        self._load_if_stale()
        self.stack.setCurrentIndex(0)
        if kwargs.get("contact_id") is not None:
            contact_id = int(kwargs["contact_id"])
            self.author_offer.hide()
            if self.model.row_of(contact_id) < 0:  # hidden by the filters: show everyone
                self.search.blockSignals(True)
                self.search.clear()
                self.search.blockSignals(False)
                for combo in (self.list_filter, self.stage_filter, self.owner_filter,
                              self.organisation_filter):  # fmt: skip
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
                self.due_filter.blockSignals(True)
                self.due_filter.setChecked(False)
                self.due_filter.blockSignals(False)
                self.filter = q.ContactFilter(sort=self.filter.sort)
            self.reload(keep=contact_id)
        elif kwargs.get("author_id") is not None:
            self._offer_author(int(kwargs["author_id"]))

    def show_organisation(self, organisation_id: int) -> None:
        """The list filtered to the people of one organisation."""
        self._load_if_stale()
        self._reload_choices()
        self.stack.setCurrentIndex(0)
        self.organisation_filter.setCurrentIndex(
            max(0, self.organisation_filter.findData(organisation_id))
        )
        self.table.setFocus()

    def _offer_author(self, author_id: int) -> None:
        author = svc.author_brief(self.ws, author_id)
        if author is None:
            return
        if author.contact_id is not None:
            self.open_target(contact_id=author.contact_id)
            return
        self._offered_author = author_id
        self.author_offer_text.setText(
            f"{author.name or author.handle} ({network_title(author.network)}: {author.handle}) "
            "is not a contact yet."
        )
        self.author_offer.show()

    def _on_author_offer_clicked(self) -> None:
        if self._offered_author is None:
            return
        self.author_offer.hide()
        self.ctx.tasks.write(
            "contacts.add-author", written, svc.contact_from_author, self.ws,
            self._offered_author,
            label="Adding a contact",
            on_done=lambda result: self.open_target(contact_id=result.id),
        )  # fmt: skip

    def pane_actions(self) -> list[QAction]:
        actions = []
        for text, shortcut, slot in (
            ("Quick add contact…", "Ctrl+N", self.quick_add),
            ("Find contacts", "Ctrl+F", self._focus_search),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            actions.append(action)
        return actions

    def import_actions(self) -> list[QAction]:
        action = QAction("Contacts (CSV, vCard)…", self)
        action.triggered.connect(self.import_file)
        return [action]

    def export_actions(self) -> list[QAction]:
        result = []
        for text, kind in (("Contacts as CSV…", "csv"), ("Contacts as vCard…", "vcard")):
            action = QAction(text, self)
            action.triggered.connect(lambda _=False, k=kind: self.export_file(k))
            result.append(action)
        return result

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("Ctrl+F", "Search contacts"), ("Ctrl+N", "Quick add"),
            ("↑ / ↓", "Previous / next contact"), ("Ctrl+E", "Edit the contact"),
            ("Ctrl+L", "Log an interaction"), ("Ctrl+T", "Logged contact today"),
            ("Delete", "Delete the selected contacts (asks first)"),
        ]  # fmt: skip

    def activated(self) -> None:
        # A day-old influence pass is redone when the pane is next looked at.
        self.refresh_scores_if_needed()

    def shutdown(self) -> None:
        self._search_timer.stop()

    # -- actions -------------------------------------------------------------------------------

    def quick_add(self) -> QDialog:
        """Open the new-contact form (not modal-blocking); OK adds the contact and shows it."""
        dialog = ContactDialog(svc.stages(self.ws), parent=self)
        return _open(dialog, lambda: self.ctx.tasks.write(
            "contacts.add", written, svc.create_contact, self.ws, dialog.contact_input(),
            label="Adding a contact", on_done=lambda r: self.open_target(contact_id=r.id),
            on_error=self._show_error,
        ))  # fmt: skip

    def _on_detail_action(self, action: str) -> QDialog | None:
        """Act on the current contact (or the selected ones); returns the dialog it opened."""
        contact_id = self.current_contact_id()
        if contact_id is None:
            return None
        profile = svc.contact_profile(self.ws, contact_id)
        if profile is None:
            return None
        ids = self.selected_ids()
        write = self.ctx.tasks.write
        if action == "edit":
            dialog = ContactDialog(svc.stages(self.ws), profile.as_input(self.ws), self)
            return _open(dialog, lambda: write(
                "contacts.edit", svc.update_contact, self.ws, contact_id, dialog.contact_input(),
                label="Saving", on_error=self._show_error))  # fmt: skip
        if action == "log":
            log = InteractionDialog(profile.display_name, self)
            return _open(log, lambda: self._log_interaction(contact_id, log))
        if action == "contribution":
            done = ContributionDialog(profile.display_name, self)
            return _open(done, lambda: self._log_contribution(contact_id, done))
        if action == "today":
            write("contacts.today", kit.logged_contact_today, self.ws, ids, label="Logging")
        elif action == "snooze":
            write("contacts.snooze", kit.snooze, self.ws, ids, 7, label="Snoozing")
        elif action == "merge":
            transfer.offer_merge(self, contact_id)
        return None

    def _log_interaction(self, contact_id: int, log: InteractionDialog) -> None:
        # Read the form here, on the UI thread: the writer only gets plain values.
        kind, summary, notes = log.kind.currentData(), log.summary.text(), log.notes.toPlainText()
        when = self.ctx.clock.now() - log.days_ago.value() * DAY
        self.ctx.tasks.write("contacts.log", lambda: written(
            act.log_interaction, self.ws, contact_id, kind, summary=summary, notes=notes,
            occurred_at=when,
        ), label="Logging")  # fmt: skip

    def _log_contribution(self, contact_id: int, done: ContributionDialog) -> None:
        kind, description, url = done.kind.currentData(), done.description.text(), done.url.text()
        self.ctx.tasks.write("contacts.contribution", lambda: written(
            act.log_contribution, self.ws, contact_id, kind, description, url=url,
        ), label="Logging", on_error=self._show_error)  # fmt: skip

    def import_file(self, path: str | None = None) -> QFileDialog | None:
        """Import ``path``, or first ask for a file without blocking (returns that dialog)."""
        return transfer.import_file(self, path)

    def export_file(self, kind: str, path: str | None = None) -> QFileDialog | None:
        """Export to ``path``, or first ask where without blocking (returns that dialog)."""
        return transfer.export_file(self, kind, path)

    def _ask_text(self, question: str, on_text: Callable[[str], object]) -> None:
        self.last_dialog = ask_text(self, "Contacts", question, on_text)

    def _show_error(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Contacts", message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_error = message


def _open(dialog: QDialog, on_accepted: Callable[[], object]) -> QDialog:
    """Show ``dialog`` window-modal without blocking; ``on_accepted`` runs when OK is pressed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(on_accepted)
    dialog.open()
    return dialog
