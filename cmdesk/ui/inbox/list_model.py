"""The inbox list as a Qt model over the database: pages of ids by keyset, rows built on demand.

The model never holds every row. It keeps a few pages of ``(sort value, id)`` keyed by page
number (a bounded cache), builds display rows for a page when Qt first asks for one of its rows,
and loads a missing page from its neighbour's keyset (a few ms at any depth), from the end of the
list (reading backwards), or — only for a jump into the unexplored middle — with OFFSET.

Until the total is known the list grows with ``fetchMore`` (first page at once); once the pane has
counted the matches in a worker thread, :meth:`set_total` makes every row reachable, so the
scroll bar is true and "jump to the end" reads one page. After a write, :meth:`refresh` keeps the
selection and the current row on the same mentions (persistent indexes remapped by id); a
mention that left the list hands its place to the one after it.

Sorts no index walks (source, author, sentiment, reach, priority: :data:`SCAN_SORTS`) cost a scan
of the matching mentions for every page and every position asked (1.2 s at a million mentions,
sorted by author). For those the pane reads the whole order once in a worker thread
(:func:`mentions.snapshot_ids`, 8 bytes a mention) and hands it to :meth:`set_order`; pages are
then slices of it, positions a search in it, and a write is followed by a new snapshot.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from cmdesk.core.db import Workspace
from cmdesk.core.services import mentions
from cmdesk.core.services.inbox_filters import MentionFilter
from cmdesk.core.services.mentions import MentionRow

PAGE = 100
SCAN_SORTS = frozenset({"source", "author", "sentiment", "reach", "priority"})
_ROOT = QModelIndex()
MAX_PAGES = 60  # 6,000 rows of display data at most
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("Time", "Source", "Author", "Mention", "Sentiment", "State", "Assigned", "Tags")
# column -> the sort key of what it shows; None: not sortable. Time and State walk an (x, id)
# index; Source, Author and Sentiment need a scan, done once in a worker (SCAN_SORTS); a
# mention's text, its assignees and tags have no order worth a scan. Unsorted, the list is in
# arrival order (newest first by id, the cheap key), which no column shows: the header then has
# no sort indicator.
COLUMN_SORTS: dict[int, str | None] = {
    0: "published",
    1: "source",
    2: "author",
    3: None,
    4: "sentiment",
    5: "state",
    6: None,
    7: None,
}
# The direction of a column's first click: dates and sentiment high to low, names A→Z.
FIRST_ASCENDING = {"published": False, "source": True, "author": True, "sentiment": False,
                   "state": True}  # fmt: skip
SENTIMENT_COLORS = {"positive": "#2e7d32", "negative": "#c62828", "neutral": "#757575"}
STATE_TITLES = {
    "new": "New",
    "open": "Open",
    "waiting": "Waiting",
    "done": "Done",
    "archived": "Archived",
    "spam": "Spam",
}
PRIORITY_MARKS = {0: "", 1: "↓ ", 2: "", 3: "↑ ", 4: "‼ "}


def short_time(seconds: int, now: int) -> str:
    """Time of day today, weekday this week, "12 Nov" this year, else "12 Nov 2025"."""
    when = datetime.fromtimestamp(seconds).astimezone()
    today = datetime.fromtimestamp(now).astimezone()
    if when.date() == today.date():
        return when.strftime("%H:%M")
    if 0 < (today.date() - when.date()).days < 7:
        return when.strftime("%a %H:%M")
    if when.year == today.year:
        return when.strftime("%d %b").lstrip("0")
    return when.strftime("%d %b %Y").lstrip("0")


class MentionListModel(QAbstractTableModel):
    """Rows are mentions of the current filter; ``ID_ROLE`` gives a row's mention id."""

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.filter = MentionFilter()
        self._pages: OrderedDict[int, list[tuple[Any, int]]] = OrderedDict()
        self._rows: dict[int, MentionRow] = {}
        self._total: int | None = None  # None until counted
        self._loaded = 0  # rows reachable while the total is unknown
        self._exhausted = False
        self._order: array[int] | None = None  # the whole list's ids, for SCAN_SORTS
        self.generation = 0  # bumped on each new filter; stale counts are ignored
        self.now = self.ws.clock.now()

    # -- filter and size ----------------------------------------------------------------------

    def set_filter(self, filt: MentionFilter) -> None:
        """Show ``filt``: the first page is read now, the total later (:meth:`set_total`)."""
        self.beginResetModel()
        self.filter = filt
        self.generation += 1
        self._clear()
        self._load_page(0)
        self._loaded = len(self._pages.get(0, []))
        self._exhausted = self._loaded < PAGE
        if self._exhausted:
            self._total = self._loaded
        self.endResetModel()

    def set_order(self, filt: MentionFilter, order: array[int]) -> None:
        """Show ``filt`` from its whole id list, read in a worker (:data:`SCAN_SORTS`)."""
        self.beginResetModel()
        self.filter = filt
        self.generation += 1
        self._clear()
        self._order = order
        self._total = self._loaded = len(order)
        self._exhausted = True
        self.endResetModel()

    @property
    def ordered(self) -> bool:
        """True while the list is served from a snapshot of its order."""
        return self._order is not None

    def _clear(self) -> None:
        self._pages.clear()
        self._rows.clear()
        self._total = None
        self._loaded = 0
        self._exhausted = False
        self._order = None
        self.now = self.ws.clock.now()

    @property
    def total(self) -> int | None:
        return self._total

    def set_total(self, total: int, generation: int) -> None:
        """The counted size of the list; ignored if the filter changed since it was asked."""
        if generation != self.generation or self._total == total or self._order is not None:
            return
        current = self.rowCount()
        if total > current:
            self.beginInsertRows(QModelIndex(), current, total - 1)
            self._total = total
            self.endInsertRows()
        elif total < current:
            self.beginRemoveRows(QModelIndex(), total, current - 1)
            self._total = total
            self.endRemoveRows()
        else:
            self._total = total

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        if parent.isValid():
            return 0
        return self._total if self._total is not None else self._loaded

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and self._total is None and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if not self.canFetchMore(parent):
            return
        page = self._loaded // PAGE
        keys = self._load_page(page)
        if len(keys) < PAGE:
            self._exhausted = True
        if keys:
            self.beginInsertRows(QModelIndex(), self._loaded, self._loaded + len(keys) - 1)
            self._loaded += len(keys)
            self.endInsertRows()

    # -- pages --------------------------------------------------------------------------------

    def _load_page(self, page: int) -> list[tuple[Any, int]]:
        if page in self._pages:
            self._pages.move_to_end(page)
            return self._pages[page]
        filt = self.filter
        if self._order is not None:
            keys = [(None, i) for i in self._order[page * PAGE : (page + 1) * PAGE]]
        elif page == 0:
            keys = mentions.page_ids(self.ws, filt, limit=PAGE)
        elif page - 1 in self._pages and self._pages[page - 1]:
            keys = mentions.page_ids(self.ws, filt, after=self._pages[page - 1][-1], limit=PAGE)
        elif page + 1 in self._pages and self._pages[page + 1]:
            keys = mentions.page_ids(
                self.ws, filt, after=self._pages[page + 1][0], limit=PAGE, from_end=True
            )
        elif self._total is not None and (page + 1) * PAGE >= self._total:
            keys = mentions.page_ids(self.ws, filt, limit=self._total - page * PAGE, from_end=True)
        else:
            keys = mentions.page_at(self.ws, filt, page * PAGE, PAGE)
        self._pages[page] = keys
        self._rows.update(mentions.rows_for_ids(self.ws, [mention_id for _, mention_id in keys]))
        while len(self._pages) > MAX_PAGES:
            _, dropped = self._pages.popitem(last=False)
            for _, mention_id in dropped:
                self._rows.pop(mention_id, None)
        return keys

    def id_at(self, row: int) -> int | None:
        if row < 0 or row >= self.rowCount():
            return None
        keys = self._load_page(row // PAGE)
        offset = row % PAGE
        return keys[offset][1] if offset < len(keys) else None

    def row_at(self, row: int) -> MentionRow | None:
        mention_id = self.id_at(row)
        return self._rows.get(mention_id) if mention_id is not None else None

    def loaded_row_of(self, mention_id: int) -> int | None:
        """The row of a mention among the pages in memory (no query)."""
        for page, keys in self._pages.items():
            for offset, (_, other) in enumerate(keys):
                if other == mention_id:
                    return page * PAGE + offset
        return None

    def row_of(self, mention_id: int) -> int | None:
        """The row of a mention: from memory, else asked of the database."""
        row = self.loaded_row_of(mention_id)
        if row is None and self._order is not None:
            return _index_in(self._order, mention_id)
        if row is None:
            row = mentions.position_of(self.ws, self.filter, mention_id)
            if row is not None and row >= self.rowCount():
                return None
        return row

    # -- refresh keeping the selection ----------------------------------------------------------

    def refresh(self, total: int | None = None, order: array[int] | None = None) -> None:
        """Re-read after a write; persistent indexes follow their mention (or its place).

        A list served from a snapshot (:meth:`set_order`) gets its new snapshot as ``order``.
        """
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_ids = [self.id_at(index.row()) for index in persistent]
        old_rows = [index.row() for index in persistent]
        self._pages.clear()
        self._rows.clear()
        self.now = self.ws.clock.now()
        if order is not None:
            self._order = order
        if self._order is not None:  # the snapshot is the list until a new one comes
            total = len(self._order)
        elif total is None:
            total = mentions.count(self.ws, self.filter)
        self._total = self._loaded = total
        self._exhausted = True
        wanted = list(dict.fromkeys(i for i in old_ids if i is not None))[:300]
        new_rows: dict[int, int | None]
        if self._order is not None:
            new_rows = _positions_in(self._order, wanted)
        else:
            new_rows = {i: mentions.position_of(self.ws, self.filter, i) for i in wanted}
        targets = []
        for index, mention_id, old_row in zip(persistent, old_ids, old_rows, strict=True):
            row = new_rows.get(mention_id) if mention_id is not None else None
            if row is None:  # it left the list: the next mention takes its place
                row = min(old_row, total - 1)
            targets.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(persistent, targets)
        self.layoutChanged.emit()

    def reload_rows(self) -> None:
        """Show the rows' new contents (state, tags...) in the same order, until a new snapshot."""
        self._pages.clear()
        self._rows.clear()
        if self.rowCount():
            last = self.index(self.rowCount() - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- display ------------------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if COLUMN_SORTS.get(section) is None:
                return "Not sortable"
            return "Click to sort; a third click goes back to arrival order"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.column())
        if role == Qt.ItemDataRole.FontRole and row.state == "new":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 4:
            color = SENTIMENT_COLORS.get(row.sentiment_label or "")
            return QBrush(QColor(color)) if color else None
        return None

    def _display(self, row: MentionRow, column: int) -> str:
        if column == 0:
            return short_time(row.published_at, self.now)
        if column == 1:
            return row.source_name
        if column == 2:
            name = row.contact_name or row.author
            return f"{name} · {row.list_badge}" if row.list_badge else name
        if column == 3:
            star = "★ " if row.starred else ""
            if not row.title:
                return f"{star}{row.snippet}"
            snippet = row.snippet
            if snippet.startswith(row.title):  # many feeds repeat the title as the first line
                snippet = snippet[len(row.title) :].lstrip(" .:—-")
            return f"{star}{row.title} — {snippet}" if snippet else f"{star}{row.title}"
        if column == 4:
            return row.sentiment_label or ""
        if column == 5:
            state = STATE_TITLES.get(row.state, row.state)
            return f"{PRIORITY_MARKS.get(row.priority, '')}{state}"
        if column == 6:
            return " / ".join(x for x in (row.assignee, row.department) if x)
        if column == 7:
            return ", ".join(row.tags)
        return ""

    def _tooltip(self, row: MentionRow, column: int) -> str | None:
        if column == 0:
            return datetime.fromtimestamp(row.published_at).astimezone().strftime("%c")
        if column == 2:
            parts = [row.author]
            if row.contact_name:
                parts.append(f"Contact: {row.contact_name}")
            if row.reach:
                parts.append(f"Reach: {row.reach:,}")
            return "\n".join(parts)
        if column == 3:
            return row.title
        return None

    def ids_for_rows(self, rows: Sequence[int]) -> list[int]:
        return [i for i in (self.id_at(row) for row in rows) if i is not None]


def _index_in(order: array[int], mention_id: int) -> int | None:
    """The position of an id in a snapshot (a scan in C: ~5 ms for a million ids)."""
    try:
        return order.index(mention_id)
    except ValueError:
        return None


def _positions_in(order: array[int], ids: Sequence[int]) -> dict[int, int | None]:
    """Positions of a few ids in a snapshot: a search each, or one pass for many."""
    if len(ids) <= 8:
        return {i: _index_in(order, i) for i in ids}
    wanted = set(ids)
    found: dict[int, int | None] = dict.fromkeys(ids)
    for position, mention_id in enumerate(order):
        if mention_id in wanted:
            found[mention_id] = position
    return found
