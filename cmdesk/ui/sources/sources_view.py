"""The Sources sub-view: a toolbar, a folder and text filter, the table, and its empty state.

The table is a :class:`~.source_model.SourceTableModel` snapshot read in a worker thread (latest
wins) whenever sources change, and again when mentions change while it is on screen. Relative
times ("5 min ago") are re-measured every minute from the injected clock without reading again.
Actions work on the selected sources: pause and resume, remove (asking first, with how many
mentions go with them), fetch now through the app's listening engine (so it shows in the status
bar with Cancel). The dialogs are opened with ``open()``. Under the table, the "Fetch in the
background" switch (:mod:`.background_switch`) says whether the app fetches by itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services import sources
from cmdesk.core.services.sources import SourceRow
from cmdesk.ui.pane import PaneContext
from cmdesk.ui.sources.background_switch import BackgroundSwitch
from cmdesk.ui.sources.source_dialog import SourceDialog
from cmdesk.ui.sources.source_model import (
    NO_FOLDER,
    SourceFilter,
    SourceSnapshot,
    SourceTableModel,
    read_snapshot,
)
from cmdesk.ui.widgets.empty_state import EmptyState

TICK_MS = 60_000
COLUMN_WIDTHS = (280, 120, 150, 100, 90, 80, 110)


class SourcesView(QWidget):
    """Emits ``snapshot_loaded(snapshot)`` after each read; ``import_requested`` for OPML."""

    snapshot_loaded = Signal(object)
    import_requested = Signal()
    export_requested = Signal()

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ws = ctx.workspace
        self.model = SourceTableModel(self)
        self.proxy = SourceFilter(self)
        self.proxy.setSourceModel(self.model)
        self.loaded = False
        self.last_message = ""
        self._pending_select: list[int] = []
        self._build()
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self._on_tick_timeout)

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, slot, keys in (
            ("add", "Add…", self.add_source, None),
            ("edit", "Edit…", self.edit_selected, "Ctrl+E"),
            ("fetch", "Fetch now", self.fetch_selected, "F5"),
            ("fetch_all", "Fetch all", self.fetch_all, "Shift+F5"),
            ("pause", "Pause", self.pause_selected, None),
            ("resume", "Resume", self.resume_selected, None),
            ("remove", "Remove…", self.ask_remove, QKeySequence.StandardKey.Delete),
            ("import", "Import OPML…", self.import_requested.emit, None),
            ("export", "Export OPML…", self.export_requested.emit, None),
        ):
            action = QAction(text, self)
            action.triggered.connect(slot)
            if keys is not None:
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(action)
            self.actions_by_name[name] = action
            if name in ("import", "fetch"):
                self.toolbar.addSeparator()
            self.toolbar.addAction(action)
        self.actions_by_name["fetch"].setToolTip("Fetch the selected sources now (F5)")
        self.actions_by_name["fetch_all"].setToolTip("Fetch every active source now (Shift+F5)")

        self.folder_filter = QComboBox()
        self.folder_filter.setMinimumWidth(160)
        self.folder_filter.currentIndexChanged.connect(self._on_folder_changed)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by name, address or kind")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(230)
        self.search.textChanged.connect(self._on_search_changed)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.toolbar, 1)
        bar.addWidget(self.folder_filter)
        bar.addWidget(self.search)
        bar.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setObjectName("sourceTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setHighlightSections(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)

        self.empty = EmptyState(
            "No sources yet",
            "Add the feeds, forums and searches where people talk about you, or bring your "
            "subscriptions from a feed reader as an OPML file.",
        )
        self.empty_add = self.empty.set_action("Add a source")
        self.empty_add.clicked.connect(self.add_source)
        self.empty_import = QPushButton("Import OPML…")
        self.empty_import.clicked.connect(self.import_requested.emit)
        self.empty.layout().insertWidget(4, self.empty_import, 0, Qt.AlignmentFlag.AlignHCenter)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)
        self.background = BackgroundSwitch(self.ctx)
        layout.addWidget(self.background)
        self._update_actions()

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the sources and their counts again, in a worker thread (latest wins)."""
        ws = self.ws
        self.ctx.tasks.run_in_thread(
            "sources.list", lambda _p: read_snapshot(ws), label="Reading sources",
            latest_wins=True, on_done=self.set_snapshot,
        )  # fmt: skip

    def set_snapshot(self, snapshot: SourceSnapshot | None) -> None:
        if snapshot is None:
            return  # cancelled by a newer read
        keep = self.selected_ids()
        self.model.set_snapshot(snapshot, self.ctx.clock.now())
        self.loaded = True
        self._fill_folders(snapshot.folders)
        self.body.setCurrentWidget(self.table if snapshot.rows else self.empty)
        self.select_ids(keep)
        self._update_count()
        self._update_actions()
        if self.isVisible():
            self._tick.start()
        self.snapshot_loaded.emit(snapshot)

    def _fill_folders(self, folders: list[str]) -> None:
        current = self.folder_filter.currentData()
        self.folder_filter.blockSignals(True)
        self.folder_filter.clear()
        self.folder_filter.addItem("All folders", None)
        for folder in folders:
            self.folder_filter.addItem(folder, folder)
        self.folder_filter.addItem("No folder", NO_FOLDER)
        index = self.folder_filter.findData(current) if current is not None else 0
        self.folder_filter.setCurrentIndex(max(0, index))
        self.folder_filter.blockSignals(False)
        if self.folder_filter.currentData() != self.proxy.folder:
            self.proxy.set_folder(self.folder_filter.currentData())

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = f"{total:,} sources" if shown == total else f"{shown:,} of {total:,} sources"
        self.count_label.setText(text)

    def _on_folder_changed(self) -> None:
        self.proxy.set_folder(self.folder_filter.currentData())
        self._update_count()

    def _on_search_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _on_tick_timeout(self) -> None:
        if not self.isVisible():
            self._tick.stop()
            return
        self.model.now = self.ctx.clock.now()
        if self.model.rowCount():
            last = self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1)
            self.model.dataChanged.emit(self.model.index(0, 0), last)

    # -- selection -----------------------------------------------------------------------------

    def selected_rows(self) -> list[SourceRow]:
        out = []
        for index in self.table.selectionModel().selectedRows():
            row = self.model.source_row(self.proxy.mapToSource(index).row())
            if row is not None:
                out.append(row)
        return out

    def selected_ids(self) -> list[int]:
        return [row.id for row in self.selected_rows()]

    def select_ids(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        first = True
        for source_id in ids:
            row = self.model.row_of(source_id)
            if row < 0:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if not index.isValid():
                continue
            if first:
                selection.setCurrentIndex(index, flags)
                self.table.scrollTo(index)
                first = False
            else:
                selection.select(index, flags)

    def _update_actions(self, *_args: object) -> None:
        rows = self.selected_rows()
        any_rows = bool(rows)
        actions = self.actions_by_name
        actions["edit"].setEnabled(len(rows) == 1)
        actions["remove"].setEnabled(any_rows)
        actions["fetch"].setEnabled(any_rows and self.ctx.listening is not None)
        actions["fetch_all"].setEnabled(self.ctx.listening is not None and self.model.rowCount())
        actions["pause"].setEnabled(any(row.enabled for row in rows))
        actions["resume"].setEnabled(any(not row.enabled or row.disabled_reason for row in rows))

    def _on_context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        for name in ("edit", "fetch", "pause", "resume", "remove", None, "add"):
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions_by_name[name])
        menu.popup(self.table.viewport().mapToGlobal(position))

    # -- actions -------------------------------------------------------------------------------

    def add_source(self) -> SourceDialog:
        return self._open_dialog(SourceDialog(self.ctx, self.model.snapshot.folders, None, self))

    def edit_selected(self) -> SourceDialog | None:
        rows = self.selected_rows()
        if len(rows) != 1:
            return None
        dialog = SourceDialog(self.ctx, self.model.snapshot.folders, rows[0], self)
        return self._open_dialog(dialog)

    def _open_dialog(self, dialog: SourceDialog) -> SourceDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._select_after_save(dialog.saved_id))
        dialog.open()
        self.last_dialog = dialog
        return dialog

    def _select_after_save(self, source_id: int | None) -> None:
        """Select the saved source: now if the table has it, else once it is read again."""
        if source_id is None:
            return
        if self.model.row_of(source_id) >= 0:
            self.select_ids([source_id])
        self._pending_select = [source_id]
        self.snapshot_loaded.connect(self._select_pending)

    def _select_pending(self, _snapshot: object) -> None:
        self.snapshot_loaded.disconnect(self._select_pending)
        self.select_ids(self._pending_select)

    def fetch_selected(self) -> None:
        rows = [row for row in self.selected_rows() if row.enabled and not row.disabled_reason]
        if not rows or self.ctx.listening is None:
            self._say("Paused and disabled sources are not fetched: resume them first.")
            return
        label = f"Fetching {rows[0].name}" if len(rows) == 1 else f"Fetching {len(rows)} sources"
        self.ctx.listening.fetch([row.id for row in rows], label=label)

    def fetch_all(self) -> None:
        ids = [r.id for r in self.model.snapshot.rows if r.enabled and not r.disabled_reason]
        if ids and self.ctx.listening is not None:
            self.ctx.listening.fetch(ids, label=f"Fetching {len(ids)} sources")

    def pause_selected(self) -> None:
        ids = [row.id for row in self.selected_rows() if row.enabled]
        self._write_each("sources.pause", sources.pause_source, ids, "Pausing")

    def resume_selected(self) -> None:
        ids = [row.id for row in self.selected_rows() if not row.enabled or row.disabled_reason]
        self._write_each("sources.resume", sources.resume_source, ids, "Resuming")

    def _write_each(self, name: str, fn: Callable[..., object], ids: list[int], verb: str) -> None:
        if not ids:
            return
        ws = self.ws

        def write_all() -> object:
            changes = [fn(ws, source_id) for source_id in ids]
            return changes[-1]

        label = f"{verb} {len(ids)} source{'s' if len(ids) != 1 else ''}"
        self.ctx.tasks.write(name, write_all, label=label, on_error=self._say)

    def ask_remove(self) -> QMessageBox | None:
        """Ask before removing the selected sources, saying how many mentions go with them."""
        rows = self.selected_rows()
        if not rows:
            return None
        count = sum(self.model.snapshot.mentions.get(row.id, 0) for row in rows)
        one = len(rows) == 1
        what = f"“{rows[0].name}”" if one else f"these {len(rows)} sources"
        mentions = f"{count:,} mention{'s' if count != 1 else ''}"
        box = QMessageBox(
            QMessageBox.Icon.Question, "Remove sources",
            f"Remove {what} and the {mentions} brought in from {'it' if one else 'them'}?"
            " This cannot be undone.",
            QMessageBox.StandardButton.Cancel, self,
        )  # fmt: skip
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: button is remove and self._remove(rows))
        box.open()
        self.last_question = box
        return box

    def _remove(self, rows: list[SourceRow]) -> None:
        ws, ids = self.ws, [row.id for row in rows]
        accounts = {row.account for row in rows if row.account}

        def remove_all() -> object:
            changes = [sources.remove_source(ws, source_id) for source_id in ids]
            return changes[-1]

        self.ctx.tasks.write(
            "sources.remove", remove_all, label=f"Removing {len(ids)} sources",
            on_done=lambda _c: self._forget_secrets(accounts, ids), on_error=self._say,
        )  # fmt: skip

    def _forget_secrets(self, accounts: set[str], removed: list[int]) -> None:
        """Delete the removed sources' secrets that no remaining source uses."""
        used = {row.account for row in self.model.snapshot.rows if row.id not in removed}
        orphaned = accounts - used
        keychain = self.ctx.keychain
        if not orphaned or not keychain.status().available:
            return

        def forget(_progress: object) -> None:
            for account in orphaned:
                keychain.delete_secret(account)

        self.ctx.tasks.run_in_thread("sources.forget-secrets", forget, label="Forgetting secrets")

    def _say(self, message: str) -> None:
        self.last_message = message
        box = QMessageBox(QMessageBox.Icon.Information, "Sources", message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
