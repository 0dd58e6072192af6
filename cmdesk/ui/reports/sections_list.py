"""The report's sections as a checkable list: on/off, reordered by drag or by Move up/down.

A short fixed list (twelve sections), so a QListWidget is the right tool. Keyboard: Space
toggles the current section, Alt+Up / Alt+Down move it. Emits ``sections_changed`` with the
``(key, on)`` pairs in order whenever the user changes anything (not when set from code).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmdesk.reports.sections import SECTIONS
from cmdesk.ui.reports.checks import VisibleCheckDelegate

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
Sections = tuple[tuple[str, bool], ...]


class SectionsList(QWidget):
    sections_changed = Signal(tuple)  # Sections

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("reportSections")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName("Report sections")
        self.list.setItemDelegate(VisibleCheckDelegate(self.list))
        self.list.setToolTip("Tick the sections to include; drag or use Alt+Up/Down to reorder")
        self.up_button = QToolButton(text="Move up")
        self.down_button = QToolButton(text="Move down")
        self.up_button.setToolTip("Move the section up (Alt+Up)")
        self.down_button.setToolTip("Move the section down (Alt+Down)")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        for key, steps in (("Alt+Up", -1), ("Alt+Down", 1)):
            shortcut = QShortcut(QKeySequence(key), self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=steps: self.move_current(s))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.model().rowsMoved.connect(self._on_rows_moved)
        self.list.currentRowChanged.connect(self._update_buttons)

    def set_sections(self, sections: Sections) -> None:
        current = self.current_key()
        with QSignalBlocker(self.list), QSignalBlocker(self.list.model()):
            self.list.clear()
            for key, on in sections:
                item = QListWidgetItem(SECTIONS[key])
                item.setData(KEY_ROLE, key)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsDragEnabled
                )
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                self.list.addItem(item)
        keys = [key for key, _on in sections]
        self.list.setCurrentRow(keys.index(current) if current in keys else 0)
        rows = self.list.sizeHintForRow(0) * len(keys)
        self.list.setFixedHeight(rows + 2 * self.list.frameWidth() + 2)
        self._update_buttons()

    def sections(self) -> Sections:
        return tuple(
            (
                str(self.list.item(row).data(KEY_ROLE)),
                self.list.item(row).checkState() == Qt.CheckState.Checked,
            )
            for row in range(self.list.count())
        )

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(KEY_ROLE)) if item is not None else None

    def set_checked(self, key: str, on: bool) -> None:
        """Tick or untick ``key`` as the user would (emits ``sections_changed``)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(KEY_ROLE) == key:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def select(self, key: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(KEY_ROLE) == key:
                self.list.setCurrentRow(row)

    def move_current(self, steps: int) -> None:
        row = self.list.currentRow()
        target = row + steps
        if row < 0 or not 0 <= target < self.list.count():
            return
        with QSignalBlocker(self.list.model()):
            item = self.list.takeItem(row)
            self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self.sections_changed.emit(self.sections())

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self.sections_changed.emit(self.sections())

    def _on_rows_moved(self, *_args: object) -> None:  # a drag and drop
        self._update_buttons()
        self.sections_changed.emit(self.sections())

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)
