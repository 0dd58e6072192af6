"""The pane's short work lists: Due, Not yet recognised, Top voices, Duplicates, Organisations.

Each is a bounded list (a few hundred rows at most), so a plain table widget is enough. Lists
that scan many mentions (Top voices, Duplicates) are read in a worker thread; each row's action
is one click and goes through the task runner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_activity as act
from cmdesk.core.services import contacts_influence as infl
from cmdesk.core.services import contacts_merge as merge
from cmdesk.core.services import contacts_organisations as orgs
from cmdesk.core.services import keep_in_touch as kit
from cmdesk.ui.contacts.dialogs import OrganisationDialog, network_title
from cmdesk.ui.contacts.list_model import day_text
from cmdesk.ui.contacts.writes import written
from cmdesk.ui.pane import PaneContext
from cmdesk.ui.widgets.questions import confirm


class WorkList(QWidget):
    """A titled table with buttons acting on the selected rows; rows carry a key each."""

    contact_opened = Signal(int)

    def __init__(self, ctx: PaneContext, title: str, headers: Sequence[str], hint: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.keys: list[Any] = []
        self.title = QLabel(title)
        self.title.setObjectName("sectionTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.bar = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(self.bar)
        layout.addWidget(self.table)

    def add_button(self, text: str, handler: Callable[[list[Any]], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: handler(self.selected_keys()))
        self.bar.addWidget(button)
        return button

    def set_rows(self, rows: Sequence[tuple[Any, Sequence[str]]]) -> None:
        self.keys = [key for key, _ in rows]
        self.table.setRowCount(len(rows))
        for r, (_, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def selected_keys(self) -> list[Any]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.keys[r] for r in rows if r < len(self.keys)]

    def _on_table_double_clicked(self) -> None:
        keys = self.selected_keys()
        if keys:
            self.open_key(keys[0])

    def open_key(self, key: Any) -> None:
        if isinstance(key, int):
            self.contact_opened.emit(key)

    def refresh(self) -> None:
        raise NotImplementedError

    def write(self, name: str, fn: Callable[..., Any], *args: Any) -> None:
        self.ctx.tasks.write(f"contacts.{name}", fn, self.ctx.workspace, *args, label=name)


class DueView(WorkList):
    def __init__(self, ctx: PaneContext) -> None:
        super().__init__(
            ctx, "Due", ("Name", "Due since", "Cadence", "Last contact"),
            "People whose keep-in-touch cadence has run out, longest overdue first. "
            "Snooze hides them for a while; “Logged contact today” records an interaction.",
        )  # fmt: skip
        self.add_button("Logged contact today", lambda ids: ids and self.write(
            "logged today", kit.logged_contact_today, ids))  # fmt: skip
        self.add_button("Snooze 7 days", lambda ids: ids and self.write(
            "snooze", kit.snooze, ids, 7))  # fmt: skip
        self.add_button("Snooze 30 days", lambda ids: ids and self.write(
            "snooze", kit.snooze, ids, 30))  # fmt: skip
        self.bar.addStretch(1)

    def refresh(self) -> None:
        due = kit.due_contacts(self.ctx.workspace)
        self.set_rows([
            (d.id, (d.display_name, day_text(d.due_at), f"every {d.cadence_days} days",
                    day_text(d.last_interaction_at)))
            for d in due
        ])  # fmt: skip


class RecognitionView(WorkList):
    def __init__(
        self, ctx: PaneContext, ask: Callable[[str, Callable[[str], object]], None]
    ) -> None:
        super().__init__(
            ctx, "Not yet recognised", ("What they did", "Who", "Kind", "When"),
            "Contributions by advocates nobody has thanked yet.",
        )  # fmt: skip
        self.ask = ask
        self.add_button("Recognise…", self._on_recognise)
        self.add_button("Delete…", self._on_delete)
        self.bar.addStretch(1)
        self.contacts: dict[int, int] = {}

    def refresh(self) -> None:
        rows = act.contributions(self.ctx.workspace, unrecognised_only=True)
        self.contacts = {r.id: r.contact_id for r in rows}
        self.set_rows([
            (r.id, (r.description, r.contact_name, act.CONTRIBUTION_TITLES.get(r.kind, r.kind),
                    day_text(r.occurred_at)))
            for r in rows
        ])  # fmt: skip

    def open_key(self, key: Any) -> None:
        if key in self.contacts:
            self.contact_opened.emit(self.contacts[key])

    def _on_recognise(self, ids: list[int]) -> None:
        if not ids:
            return

        def recognise(how: str) -> None:
            for contribution_id in ids:
                self.write("recognise", act.recognise, contribution_id, how)

        self.ask("How was it recognised? (e.g. thanked in the newsletter)", recognise)

    def _on_delete(self, ids: list[int]) -> QWidget | None:
        if not ids:
            return None
        what = "this contribution" if len(ids) == 1 else f"these {len(ids)} contributions"
        return confirm(self, "Delete contributions", f"Delete {what}? It cannot be undone.",
                       "Delete", lambda: self.write("delete-contributions",
                                                    act.delete_contributions, ids))  # fmt: skip


class TopVoicesView(WorkList):
    def __init__(self, ctx: PaneContext) -> None:
        super().__init__(
            ctx, "Top voices", ("Author", "Network", "Mentions (90 d)", "Reach", "Sentiment"),
            "People who write about you and are not contacts yet. Add one in a click: their "
            "handle comes along and every mention they wrote is linked.",
        )  # fmt: skip
        self.ranking = QComboBox()
        for key, title in infl.VOICE_TITLES.items():
            self.ranking.addItem(title, key)
        self.ranking.currentIndexChanged.connect(self.refresh)
        self.bar.addWidget(self.ranking)
        self.add_button("Add to contacts", self._on_add)
        self.bar.addStretch(1)

    def refresh(self) -> None:
        ws, by = self.ctx.workspace, self.ranking.currentData()
        self.ctx.tasks.run_in_thread(
            "contacts.voices", lambda _p: infl.top_voices(ws, by), label="Finding top voices",
            latest_wins=True, on_done=self._on_voices_read,
        )  # fmt: skip

    def _on_voices_read(self, voices: list[infl.Voice]) -> None:
        self.set_rows([
            (v.author_id, (v.name or v.handle, f"{network_title(v.network)} · {v.handle}",
                           str(v.mentions), f"{v.reach:,}" if v.reach is not None else "",
                           f"{v.sentiment:+.2f}" if v.sentiment is not None else ""))
            for v in voices
        ])  # fmt: skip

    def open_key(self, key: Any) -> None:
        self._on_add([key])

    def _on_add(self, author_ids: list[int]) -> None:
        for author_id in author_ids:
            self.ctx.tasks.write(
                "contacts.add-author", written, svc.contact_from_author, self.ctx.workspace,
                author_id,
                label="Adding a contact",
                on_done=lambda result: self.contact_opened.emit(result.id),
            )  # fmt: skip


class DuplicatesView(WorkList):
    """Likely duplicates; the user picks which record of a pair is kept (“Keep the other”)."""

    def __init__(self, ctx: PaneContext) -> None:
        super().__init__(
            ctx, "Duplicates", ("Keep", "Merge into it", "Similarity", "Why"),
            "Contacts that look like the same person. Merging keeps every field, handle, "
            "interaction and contribution of both; where both have a value (a photo, a title) "
            "the kept record's stays and the other's is written into its notes.",
        )  # fmt: skip
        self.add_button("Merge", self._on_merge)
        self.swap_button = self.add_button("Keep the other", self.swap)
        self.swap_button.setToolTip("Swap which record of the selected pairs is kept")
        self.bar.addStretch(1)

    def refresh(self) -> None:
        ws = self.ctx.workspace
        self.ctx.tasks.run_in_thread(
            "contacts.duplicates", lambda _p: merge.duplicate_suggestions(ws),
            label="Looking for duplicates", latest_wins=True, on_done=self._on_pairs_read,
        )  # fmt: skip

    def _on_pairs_read(self, pairs: list[merge.DuplicatePair]) -> None:
        self.set_rows([
            ((p.first_id, p.second_id), (p.first_name, p.second_name, f"{p.score:.0f}", p.reason))
            for p in pairs
        ])  # fmt: skip

    def swap(self, _keys: list[Any] | None = None) -> None:
        """Keep the other record of each selected pair: its two names change places."""
        for row in sorted({i.row() for i in self.table.selectionModel().selectedRows()}):
            keep, other = self.keys[row]
            self.keys[row] = (other, keep)
            first, second = self.table.takeItem(row, 0), self.table.takeItem(row, 1)
            self.table.setItem(row, 0, second)
            self.table.setItem(row, 1, first)

    def open_key(self, key: Any) -> None:
        self.contact_opened.emit(key[0])

    def _on_merge(self, pairs: list[tuple[int, int]]) -> None:
        # One write for all the pairs: a pair sharing a contact with an earlier one follows it.
        if pairs:
            self.ctx.tasks.write(
                "contacts.merge", written, merge.merge_pairs, self.ctx.workspace, pairs,
                label="Merging duplicates",
            )  # fmt: skip


class OrganisationFilter(QComboBox):
    """A combo of organisations the user can type into: the list narrows to names holding it."""

    def __init__(self) -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(22)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.lineEdit().setPlaceholderText("Any organisation")
        self.setToolTip("Only the people of one organisation: type part of its name")


class OrganisationsView(WorkList):
    """Organisations with how many contacts work there; edit one, or list its people."""

    organisation_opened = Signal(int)

    def __init__(self, ctx: PaneContext) -> None:
        super().__init__(
            ctx, "Organisations", ("Name", "People", "Website", "Notes"),
            "Where your contacts work, most people first. Double-click one to list its people.",
        )  # fmt: skip
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find an organisation")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.bar.addWidget(self.search, 1)
        self.add_button("Edit…", self._on_edit)
        self.add_button("Show people", lambda keys: keys and self.open_key(keys[0]))
        self.dialog: OrganisationDialog | None = None

    def refresh(self) -> None:
        rows = orgs.organisations(self.ctx.workspace, self.search.text())
        self.set_rows([
            (r.id, (r.name, f"{r.people:,}", r.website or "", (r.notes or "").replace("\n", " ")))
            for r in rows
        ])  # fmt: skip

    def open_key(self, key: Any) -> None:
        self.organisation_opened.emit(int(key))

    def _on_edit(self, keys: list[int]) -> OrganisationDialog | None:
        row = orgs.organisation(self.ctx.workspace, keys[0]) if keys else None
        if row is None:
            return None
        dialog = OrganisationDialog(row.name, row.website, row.notes, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.ctx.tasks.write(
            "contacts.organisation", orgs.update_organisation, self.ctx.workspace, row.id,
            dialog.name.text(), dialog.website.text(), dialog.notes.toPlainText(),
            label="Saving the organisation", on_error=self._on_error,
        ))  # fmt: skip
        dialog.open()
        self.dialog = dialog
        return dialog

    def _on_error(self, message: str) -> None:
        self.hint.setText(message)
