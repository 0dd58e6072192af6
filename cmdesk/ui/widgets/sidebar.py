"""The main sidebar: one entry per pane with its badge, and each pane's sub-views under it.

A short list, so a plain QStandardItemModel is the right tool (no paging needed). Column 0 holds
the title, column 1 the count.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from cmdesk.ui.icons import icon_name, palette_icon
from cmdesk.ui.pane import SubView

PANE_ROLE = Qt.ItemDataRole.UserRole + 1
CHILD_ROLE = Qt.ItemDataRole.UserRole + 2


class Sidebar(QTreeView):
    """Emits ``selected(pane_key, child_key)``; ``child_key`` is "" for the pane itself."""

    selected = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self._model = QStandardItemModel(0, 2, self)
        self.setModel(self._model)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(14)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setExpandsOnDoubleClick(False)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._panes: dict[str, QStandardItem] = {}
        self.selectionModel().currentRowChanged.connect(self._on_current_changed)

    def add_pane(self, key: str, title: str, icon: QIcon) -> None:
        item = QStandardItem(icon, title)
        item.setData(key, PANE_ROLE)
        item.setData("", CHILD_ROLE)
        bold = QFont(item.font())
        bold.setWeight(QFont.Weight.DemiBold)
        item.setFont(bold)
        count = QStandardItem("")
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._model.appendRow([item, count])
        self._panes[key] = item

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Re-tint the pane icons when the palette changes (the system went light or dark)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for item in self._panes.values():
                name = icon_name(item.icon())
                if name is not None:
                    item.setIcon(palette_icon(name, self))

    def set_badge(self, key: str, text: str) -> None:
        item = self._panes.get(key)
        if item is not None:
            self._model.item(item.row(), 1).setText(text)

    def badge(self, key: str) -> str:
        item = self._panes[key]
        return self._model.item(item.row(), 1).text()

    def set_subviews(self, key: str, subviews: list[SubView]) -> None:
        """Replace a pane's children, keeping the current child selected when it still exists."""
        parent = self._panes.get(key)
        if parent is None:
            return
        current_pane, current_child = self.current()
        self.selectionModel().blockSignals(True)
        try:
            parent.removeRows(0, parent.rowCount())
            for view in subviews:
                child = QStandardItem(view.title)
                child.setData(key, PANE_ROLE)
                child.setData(view.key, CHILD_ROLE)
                child.setToolTip(view.title)
                count = QStandardItem("" if view.count is None else f"{view.count:,}")
                count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                parent.appendRow([child, count])
            self.expand(parent.index())
            if current_pane == key:
                self._select_silently(key, current_child)
        finally:
            self.selectionModel().blockSignals(False)

    def subviews(self, key: str) -> list[tuple[str, str, str]]:
        """(child key, title, count text) of a pane's children, for tests and screenshots."""
        parent = self._panes[key]
        return [
            (
                parent.child(row, 0).data(CHILD_ROLE),
                parent.child(row, 0).text(),
                parent.child(row, 1).text(),
            )
            for row in range(parent.rowCount())
        ]

    def select(self, key: str, child_key: str = "") -> None:
        index = self._index_of(key, child_key)
        if index.isValid():
            self.setCurrentIndex(index)

    def current(self) -> tuple[str, str]:
        index = self.currentIndex()
        if not index.isValid():
            return "", ""
        index = index.siblingAtColumn(0)
        return index.data(PANE_ROLE) or "", index.data(CHILD_ROLE) or ""

    def _select_silently(self, key: str, child_key: str) -> None:
        index = self._index_of(key, child_key)
        if not index.isValid():
            index = self._index_of(key, "")
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.selectionModel().setCurrentIndex(index, flags)

    def _index_of(self, key: str, child_key: str) -> QModelIndex:
        parent = self._panes.get(key)
        if parent is None:
            return QModelIndex()
        if not child_key:
            return parent.index()
        for row in range(parent.rowCount()):
            child = parent.child(row, 0)
            if child.data(CHILD_ROLE) == child_key:
                return child.index()
        return QModelIndex()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            index = current.siblingAtColumn(0)
            self.selected.emit(index.data(PANE_ROLE) or "", index.data(CHILD_ROLE) or "")
