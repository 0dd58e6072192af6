"""Which queries and sources a report covers: two short checkable lists, all ticked by default.

All ticked (or none) is stored as "all" (empty ids), so queries and sources added later are in
the report too. Emits ``scope_changed(query_ids, source_ids)`` on the user's changes only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QListWidget, QListWidgetItem, QWidget

from cmdesk.ui.reports.checks import VisibleCheckDelegate

ID_ROLE = Qt.ItemDataRole.UserRole + 1
VISIBLE_ROWS = 5


class CheckList(QListWidget):
    """Checkable rows of (id, name); :meth:`chosen` is () when all or none are ticked."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setUniformItemSizes(True)
        self.setItemDelegate(VisibleCheckDelegate(self))

    def set_rows(self, rows: Sequence[tuple[int, str]], chosen: Sequence[int]) -> None:
        with QSignalBlocker(self):
            self.clear()
            for row_id, name in rows:
                item = QListWidgetItem(name)
                item.setData(ID_ROLE, row_id)
                item.setToolTip(name)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                on = not chosen or row_id in chosen
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                self.addItem(item)
        rows_shown = max(2, min(VISIBLE_ROWS, self.count()))
        self.setFixedHeight(self.sizeHintForRow(0) * rows_shown + 2 * self.frameWidth() + 2)

    def ticked(self) -> list[int]:
        return [
            int(self.item(n).data(ID_ROLE))
            for n in range(self.count())
            if self.item(n).checkState() == Qt.CheckState.Checked
        ]

    def chosen(self) -> tuple[int, ...]:
        ticked = self.ticked()
        return () if len(ticked) in (0, self.count()) else tuple(ticked)

    def set_ticked(self, row_id: int, on: bool) -> None:
        for n in range(self.count()):
            if self.item(n).data(ID_ROLE) == row_id:
                self.item(n).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def summary(self, noun: str) -> str:
        ticked = len(self.ticked())
        if ticked in (0, self.count()):
            return f"All {noun}" if self.count() else f"No {noun} yet"
        return f"{ticked} of {self.count()} {noun}"


class ScopePicker(QWidget):
    scope_changed = Signal(tuple, tuple)  # query ids, source ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queries = CheckList("Queries in the report")
        self.sources = CheckList("Sources in the report")
        self.queries_label = QLabel()
        self.sources_label = QLabel()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.queries_label, 0, 0)
        layout.addWidget(self.sources_label, 0, 1)
        layout.addWidget(self.queries, 1, 0)
        layout.addWidget(self.sources, 1, 1)
        for widget in (self.queries, self.sources):
            widget.itemChanged.connect(self._on_item_changed)
        self._update_labels()

    def set_choices(
        self,
        queries: Sequence[tuple[int, str]],
        sources: Sequence[tuple[int, str]],
        query_ids: Sequence[int],
        source_ids: Sequence[int],
    ) -> None:
        self.queries.set_rows(queries, query_ids)
        self.sources.set_rows(sources, source_ids)
        self._update_labels()

    def scope(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return self.queries.chosen(), self.sources.chosen()

    def _update_labels(self) -> None:
        self.queries_label.setText(self.queries.summary("queries"))
        self.sources_label.setText(self.sources.summary("sources"))

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self._update_labels()
        self.scope_changed.emit(*self.scope())
