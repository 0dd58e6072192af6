"""The contact list as a Qt model: an id snapshot in list order, rows built a page at a time.

The model holds the matching ids as a compact array (100,000 ids ≈ 800 KB) and builds display
rows only for the page Qt asks about, keeping a bounded cache of pages. Sorting and filtering
are a new snapshot from :mod:`cmdesk.core.services.contacts_query`, never a proxy over rows. The
influence column shows the score stored on the contact (blank until it was first computed).
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from cmdesk.core.db import Workspace
from cmdesk.core.services.contacts_query import ContactRow, rows_for_ids

PAGE = 100
MAX_PAGES = 40
ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Name", "Organisation", "Stage", "Lists", "Last contact", "Due", "Influence")
COLUMN_SORTS: dict[int, str | None] = {
    0: "name",
    1: "organisation",
    2: "stage",
    3: None,
    4: "last_interaction",
    5: "due",
    6: "influence",
}
DUE_COLUMN, INFLUENCE_COLUMN = 5, 6
OVERDUE = QColor("#c62828")
_ROOT = QModelIndex()


def day_text(seconds: int | None) -> str:
    if seconds is None:
        return "never"
    return datetime.fromtimestamp(seconds, UTC).astimezone().strftime("%d %b %Y")


class ContactListModel(QAbstractTableModel):
    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ids: array[int] = array("q")
        self._pages: OrderedDict[int, dict[int, ContactRow]] = OrderedDict()

    # -- data in -----------------------------------------------------------------------------

    def set_ids(self, ids: array[int]) -> None:
        self.beginResetModel()
        self.ids = ids
        self._pages.clear()
        self.endResetModel()

    def forget_rows(self) -> None:
        """Rows changed in the database (same ids): rebuild them when next shown."""
        self._pages.clear()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(COLUMNS) - 1))

    def row_of(self, contact_id: int) -> int:
        try:
            return self.ids.index(contact_id)
        except ValueError:
            return -1

    def contact_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def contact_row(self, row: int) -> ContactRow | None:
        contact_id = self.contact_id(row)
        if contact_id is None:
            return None
        page = row // PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = rows_for_ids(self.ws, list(self.ids[page * PAGE : (page + 1) * PAGE]))
            self._pages[page] = rows
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows.get(contact_id)

    # -- Qt ------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return "Click to sort" if COLUMN_SORTS.get(section) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == ID_ROLE:
            return self.contact_id(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == INFLUENCE_COLUMN:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == DUE_COLUMN:
            row = self.contact_row(index.row())
            due = row.due_at if row is not None else None
            return OVERDUE if due is not None and due <= self.ws.clock.now() else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.contact_row(index.row())
        if row is None:
            return "…" if index.column() == 0 else ""
        column = index.column()
        if column == 0:
            return row.display_name
        if column == 1:
            org = row.organisation or ""
            return f"{org} — {row.title}" if org and row.title else org or (row.title or "")
        if column == 2:
            return row.stage.capitalize()
        if column == 3:
            return ", ".join(row.lists)
        if column == 4:
            return day_text(row.last_interaction_at)
        if column == DUE_COLUMN:
            if row.due_at is None:
                return "" if role == Qt.ItemDataRole.DisplayRole else "No keep-in-touch cadence"
            return day_text(row.due_at)
        if row.influence is None:
            return ""  # not scored yet: the pane computes it in the background
        if not row.influence:
            # Neither reach nor mentions: a dash reads better than a column of "0.0".
            return "–" if role == Qt.ItemDataRole.DisplayRole else "No reach or mentions yet"
        return f"{row.influence:.1f}"
