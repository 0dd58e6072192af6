"""The Sources pane: what cmdesk listens to (sources) and what it listens for (queries).

Two sub-views under Sources in the sidebar, like a feed reader's subscription manager: the
Sources table with health (:mod:`.sources_view`) and the Queries list with its editor and live
count (:mod:`.queries_view`). The sidebar badge is the number of failing sources (empty when
none). The pane refreshes on ``changes.sources`` (fetches announce them too), on
``changes.queries``, and on ``changes.mentions`` when visible (the counts). OPML import and
export (:mod:`.opml_actions`) are in the toolbar, the empty state and File > Import/Export.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from cmdesk.core.changes import Changes
from cmdesk.ui.pane import Pane, PaneContext, SubView
from cmdesk.ui.sources import opml_actions
from cmdesk.ui.sources.queries_view import QueriesView
from cmdesk.ui.sources.source_model import SourceSnapshot
from cmdesk.ui.sources.sources_view import SourcesView


class SourcesPane(Pane):
    key = "sources"
    title = "Sources"
    icon_name = "sources"

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.sources_view = SourcesView(ctx)
        self.sources_view.snapshot_loaded.connect(self._on_snapshot_loaded)
        self.sources_view.import_requested.connect(self.import_opml)
        self.sources_view.export_requested.connect(self.export_opml)
        self.queries_view = QueriesView(ctx)
        self.queries_view.queries_loaded.connect(lambda _rows: self._emit_subviews())
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sources_view)
        self.stack.addWidget(self.queries_view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self._queries_stale = True
        self._counts_stale = False
        # The badge needs the sources even while the pane is hidden: read them (off the UI
        # thread) once the event loop runs.
        self.sources_view.reload()

    # -- sidebar -------------------------------------------------------------------------------

    def _on_snapshot_loaded(self, snapshot: SourceSnapshot) -> None:
        failing = snapshot.failing
        self.badge_changed.emit(str(failing) if failing else "")
        self._emit_subviews()

    def _emit_subviews(self) -> None:
        snapshot = self.sources_view.model.snapshot
        queries = self.queries_view.rows if self.queries_view.loaded else None
        self.subviews_changed.emit([
            SubView("sources", "Sources", len(snapshot.rows)),
            SubView("queries", "Queries", len(queries) if queries is not None else None),
        ])  # fmt: skip

    def show_subview(self, key: str) -> None:
        if key == "queries":
            self.stack.setCurrentWidget(self.queries_view)
            self._load_queries_if_stale()
        else:
            self.stack.setCurrentWidget(self.sources_view)
            self.sources_view.table.setFocus()

    # -- Pane contract -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._counts_stale:
            self._counts_stale = False
            self.sources_view.reload()
        if self.stack.currentWidget() is self.queries_view:
            self._load_queries_if_stale()

    def _load_queries_if_stale(self) -> None:
        if self._queries_stale:
            self._queries_stale = False
            self.queries_view.reload()

    def on_changes(self, changes: Changes) -> None:
        if changes.settings or changes.workspace:
            self.sources_view.background.refresh()
        if changes.sources or changes.workspace:
            self.sources_view.reload()
        elif changes.mentions:
            if self.isVisible():
                self.sources_view.reload()
            else:
                self._counts_stale = True
        if changes.queries or changes.mentions or changes.sources or changes.workspace:
            self._queries_stale = True
            if self.isVisible() and self.stack.currentWidget() is self.queries_view:
                self._load_queries_if_stale()
            elif changes.queries:
                self.queries_view.reload()  # the sidebar shows how many

    def open_target(self, **kwargs: Any) -> None:
        if kwargs.get("query_id") is not None:
            self.show_subview("queries")
            self.queries_view.select_query(int(kwargs["query_id"]))
        elif kwargs.get("source_id") is not None:
            self.show_subview("sources")
            self.sources_view.select_ids([int(kwargs["source_id"])])

    def pane_actions(self) -> list[QAction]:
        actions = self.sources_view.actions_by_name
        return [actions[name] for name in ("add", "fetch", "fetch_all", "pause", "resume")]

    def import_actions(self) -> list[QAction]:
        action = QAction("Sources from OPML…", self)
        action.triggered.connect(self.import_opml)
        return [action]

    def export_actions(self) -> list[QAction]:
        action = QAction("Sources as OPML…", self)
        action.triggered.connect(self.export_opml)
        return [action]

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("F5", "Fetch the selected sources now"), ("Shift+F5", "Fetch every source now"),
            ("Ctrl+E", "Edit the selected source"), ("Delete", "Remove the selected sources"),
        ]  # fmt: skip

    def shutdown(self) -> None:
        self.queries_view.shutdown()

    # -- OPML ----------------------------------------------------------------------------------

    def import_opml(self, path: str | None = None) -> None:
        opml_actions.import_opml(self, path)

    def export_opml(self, path: str | None = None) -> None:
        opml_actions.export_opml(self, path)
