"""The Queries sub-view: the list of queries with their matched mentions, and the editor.

A short list (a workspace has a handful to a few dozen queries), so a QTableWidget is enough.
The queries, the sources for the editor's limits and each query's count of matched mentions are
read together in a worker thread (latest wins). Save and Delete go through the queries service on
the writer; a refused query (bad syntax, a taken name) is shown in the editor, which keeps what
the user typed. Deleting asks first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.db import Workspace
from cmdesk.core.services import mentions, queries, sources
from cmdesk.core.services.inbox_filters import MentionFilter
from cmdesk.core.services.queries import QueryRow
from cmdesk.core.services.sources import SourceRow
from cmdesk.ui.pane import PaneContext
from cmdesk.ui.sources.query_editor import KIND_TITLES, QueryEditor, swatch

COLUMNS = ("Name", "Kind", "Enabled", "Mentions")


@dataclass(frozen=True)
class QueriesSnapshot:
    rows: list[QueryRow] = field(default_factory=list)
    counts: dict[int, int] = field(default_factory=dict)  # query id -> matched mentions
    sources: list[SourceRow] = field(default_factory=list)


def read_queries(ws: Workspace) -> QueriesSnapshot:
    rows = queries.list_queries(ws)
    counts = {row.id: mentions.count(ws, MentionFilter(query_ids=(row.id,))) for row in rows}
    return QueriesSnapshot(rows, counts, sources.list_sources(ws))


def plain_message(message: str) -> str:
    """The task runner's "QueryError: at position 3: …" without the exception's name."""
    for prefix in ("QueryError: ", "QueryDefinitionError: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


class QueriesView(QWidget):
    queries_loaded = Signal(list)  # list[QueryRow]

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ws = ctx.workspace
        self.snapshot = QueriesSnapshot()
        self.loaded = False
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("queryList")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(self._on_current_changed)
        self.new_button = QPushButton("New query")
        self.new_button.clicked.connect(self.new_query)
        self.editor = QueryEditor(ctx)
        self.editor.save_requested.connect(self.save)
        self.editor.delete_requested.connect(self.ask_delete)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setSizes([420, 620])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    @property
    def rows(self) -> list[QueryRow]:
        return self.snapshot.rows

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        ws = self.ws
        self.ctx.tasks.run_in_thread(
            "sources.queries", lambda _p: read_queries(ws), label="Reading queries",
            latest_wins=True, on_done=self.set_snapshot,
        )  # fmt: skip

    def set_snapshot(self, snapshot: QueriesSnapshot | None, keep: int | None = None) -> None:
        if snapshot is None:
            return
        editing = self.editor.editing.id if self.editor.editing else None
        keep = keep if keep is not None else editing
        first_load = not self.loaded
        self.snapshot = snapshot
        self.loaded = True
        self.table.blockSignals(True)
        self.table.setRowCount(len(snapshot.rows))
        for number, row in enumerate(snapshot.rows):
            name = QTableWidgetItem(swatch(row.color), row.name)
            name.setData(Qt.ItemDataRole.UserRole, row.id)
            name.setToolTip(row.expression)
            count = QTableWidgetItem(f"{snapshot.counts.get(row.id, 0):,}")
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells = (name, QTableWidgetItem(KIND_TITLES.get(row.kind, row.kind)),
                     QTableWidgetItem("Yes" if row.enabled else "Off"), count)  # fmt: skip
            for column, cell in enumerate(cells):
                self.table.setItem(number, column, cell)
        self.table.blockSignals(False)
        self.queries_loaded.emit(snapshot.rows)
        if keep is not None and self.select_query(keep):
            return
        if first_load or keep is not None:  # first look, or the edited query is gone
            if snapshot.rows:
                self.select_query(snapshot.rows[0].id)
            else:
                self.new_query()

    def row_of(self, query_id: int) -> int:
        return next((n for n, row in enumerate(self.rows) if row.id == query_id), -1)

    def select_query(self, query_id: int) -> bool:
        number = self.row_of(query_id)
        if number < 0:
            return False
        self.table.setCurrentCell(number, 0)
        if self.editor.editing is None or self.editor.editing.id != query_id:
            self.editor.load(self.rows[number], self.snapshot.sources)
        return True

    def _on_current_changed(self, row: int, *_args: object) -> None:
        if 0 <= row < len(self.rows):
            self.editor.load(self.rows[row], self.snapshot.sources)

    def new_query(self) -> None:
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)
        self.table.blockSignals(False)
        self.editor.load(None, self.snapshot.sources)
        self.editor.name.setFocus()

    # -- writing -------------------------------------------------------------------------------

    def save(self) -> None:
        data = self.editor.query_input()
        if not data.name:
            self.editor.show_form_error("A query needs a name.")
            return
        if not data.expression:
            self.editor.show_form_error("A query needs an expression: the words to look for.")
            return
        ws, editing = self.ws, self.editor.editing
        if editing is None:
            self.ctx.tasks.write(
                "sources.query-add", lambda: queries.add_query(
                    ws, data.name, data.expression, kind=data.kind, language=data.language,
                    source_ids=data.source_ids, color=data.color),
                label="Saving the query", on_done=lambda saved: self._saved(saved.id),
                on_error=self._on_save_failed,
            )  # fmt: skip
            return
        self.ctx.tasks.write(
            "sources.query-save", lambda: queries.update_query(
                ws, editing.id, name=data.name, kind=data.kind, expression=data.expression,
                language=data.language, enabled=data.enabled, color=data.color,
                source_ids=data.source_ids),
            label="Saving the query", on_done=lambda _c: self._saved(editing.id),
            on_error=self._on_save_failed,
        )  # fmt: skip

    def _saved(self, query_id: int) -> None:
        self.last_saved = query_id
        ws = self.ws
        if self.editor.editing is None or self.editor.editing.id != query_id:
            # Show the saved query as being edited once the list is read again.
            self.editor.editing = queries.get_query(ws, query_id)
            self.editor.delete_button.setEnabled(True)
            self.editor.title.setText(f"Query “{self.editor.editing.name}”")
        self.ctx.tasks.run_in_thread(
            "sources.queries", lambda _p: read_queries(ws), label="Reading queries",
            latest_wins=True, on_done=lambda snap: self.set_snapshot(snap, keep=query_id),
        )  # fmt: skip

    def _on_save_failed(self, message: str) -> None:
        self.editor.show_form_error(plain_message(message))

    def ask_delete(self) -> QMessageBox | None:
        row = self.editor.editing
        if row is None:
            return None
        count = self.snapshot.counts.get(row.id, 0)
        box = QMessageBox(
            QMessageBox.Icon.Question, "Delete query",
            f"Delete the query “{row.name}”? The {count:,} mention{'s' if count != 1 else ''} "
            "it matched stay in the inbox; they only lose the link to it.",
            QMessageBox.StandardButton.Cancel, self,
        )  # fmt: skip
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: button is delete and self._delete(row.id))
        box.open()
        self.last_question = box
        return box

    def _delete(self, query_id: int) -> None:
        ws = self.ws
        self.ctx.tasks.write(
            "sources.query-delete", queries.remove_query, ws, query_id,
            label="Deleting the query", on_error=self._on_save_failed,
        )  # fmt: skip

    def shutdown(self) -> None:
        self.editor.shutdown()
