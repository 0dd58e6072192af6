"""The Sources table as a Qt model over a snapshot of :class:`SourceRow` records.

A workspace has tens to a few thousand sources, so the model holds them all as one snapshot
(read off the UI thread by :func:`read_snapshot`) and never queries while painting. Folder and
name filters, and sorting, are a :class:`SourceFilter` proxy over it (a short list). A failing,
disabled or rate-limited source is marked with an icon and a colour picked for the palette in use
(light or dark), so it stays readable in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from cmdesk.core.db import Workspace
from cmdesk.core.services import mentions, sources
from cmdesk.core.services.inbox_filters import MentionFilter
from cmdesk.core.services.sources import SourceRow
from cmdesk.ui.icons import icon
from cmdesk.ui.sources import health

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 3
NO_FOLDER = "\x00none"  # the folder filter's value for "sources outside any folder"
COLUMNS = (
    "Name", "Folder", "State", "Last success", "Next fetch", "Items seen", "Mentions", "Last error",
)  # fmt: skip
(NAME, FOLDER, STATE, LAST_SUCCESS, NEXT_FETCH, ITEMS, MENTIONS, ERROR) = range(len(COLUMNS))
NUMERIC = (ITEMS, MENTIONS)
# (light, dark) text colours for states that need attention: readable on either palette.
STATE_COLORS = {
    "failing": ("#b42318", "#ff8a80"),
    "disabled": ("#b42318", "#ff8a80"),
    "rate_limited": ("#9a5b00", "#f5b74e"),
    "paused": ("#6e7781", "#8b949e"),
    "needs_keychain": ("#6e7781", "#8b949e"),
}
KIND_COLORS = {
    "rss": "#e8710a", "hackernews": "#ff6600", "reddit": "#ff4500", "mastodon": "#6364ff",
    "bluesky": "#1185fe", "stackexchange": "#f48024", "github": "#57606a",
}  # fmt: skip
_ROOT = QModelIndex()


@dataclass(frozen=True)
class SourceSnapshot:
    """Every source and its mention counts, read in one go (in a worker thread)."""

    rows: list[SourceRow] = field(default_factory=list)
    mentions: dict[int, int] = field(default_factory=dict)  # source id -> stored mentions
    new: dict[int, int] = field(default_factory=dict)  # source id -> mentions still "new"

    @property
    def folders(self) -> list[str]:
        return sorted({row.folder for row in self.rows if row.folder}, key=str.lower)

    @property
    def failing(self) -> int:
        return sum(1 for row in self.rows if health.status_key(row) in ("failing", "disabled"))


def read_snapshot(ws: Workspace) -> SourceSnapshot:
    """The rows and counts; seconds on a million mentions, so call it off the UI thread."""
    rows = sources.list_sources(ws)
    counts = {row.id: sources.mention_count(ws, row.id) for row in rows}
    new = {
        row.id: mentions.count(ws, MentionFilter(states=("new",), source_ids=(row.id,)))
        for row in rows
        if counts[row.id]
    }
    return SourceSnapshot(rows, counts, new)


def palette_is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def state_color(key: str, dark: bool) -> QColor | None:
    pair = STATE_COLORS.get(key)
    return QColor(pair[1] if dark else pair[0]) if pair else None


@cache
def kind_icon(kind: str) -> QIcon:
    """A small rounded badge with the kind's initial, in the network's colour."""
    result = QIcon()
    letter = (health.kind_label(kind) or "?")[0].upper()
    for size in (16, 24, 32):
        pixmap = QPixmap(size * 2, size * 2)
        pixmap.setDevicePixelRatio(2)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(KIND_COLORS.get(kind, "#6e7781")))
        painter.drawRoundedRect(1, 1, size - 2, size - 2, size / 4, size / 4)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.62))
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(0, 0, size, size, Qt.AlignmentFlag.AlignCenter, letter)
        painter.end()
        result.addPixmap(pixmap)
    return result


@cache
def state_icon(key: str, dark: bool) -> QIcon:
    color = state_color(key, dark)
    if key in ("failing", "disabled", "rate_limited") and color is not None:
        return icon("alert", color)
    return QIcon()


class SourceTableModel(QAbstractTableModel):
    """One row per source; ``now`` (UTC seconds) is what relative times are measured from."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.snapshot = SourceSnapshot()
        self.now = 0
        self._rows_by_id: dict[int, int] = {}

    def set_snapshot(self, snapshot: SourceSnapshot, now: int) -> None:
        self.beginResetModel()
        self.snapshot = snapshot
        self.now = now
        self._rows_by_id = {row.id: number for number, row in enumerate(snapshot.rows)}
        self.endResetModel()

    def source_row(self, row: int) -> SourceRow | None:
        rows = self.snapshot.rows
        return rows[row] if 0 <= row < len(rows) else None

    def row_of(self, source_id: int) -> int:
        return self._rows_by_id.get(source_id, -1)

    # -- Qt ------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.snapshot.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        row = self.source_row(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == ID_ROLE:
            return row.id
        if role == FOLDER_ROLE:
            return row.folder or NO_FOLDER
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == NAME:
                return kind_icon(row.kind)
            if column == STATE:
                return state_icon(health.status_key(row), palette_is_dark())
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column in (STATE, ERROR, NAME):
            key = health.status_key(row)
            if column == NAME and key != "paused":
                return None
            return state_color(key, palette_is_dark())
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _display(self, row: SourceRow, column: int) -> str:
        now = self.now
        if column == NAME:
            return row.name
        if column == FOLDER:
            return row.folder or ""
        if column == STATE:
            return health.state_text(row, now)
        if column == LAST_SUCCESS:
            return health.relative_text(row.last_success_at, now)
        if column == NEXT_FETCH:
            return health.next_fetch_text(row, now)
        if column == ITEMS:
            return f"{row.items_seen:,}"
        if column == MENTIONS:
            total = self.snapshot.mentions.get(row.id, 0)
            new = self.snapshot.new.get(row.id, 0)
            return f"{total:,}  ({new:,} new)" if new else f"{total:,}"
        return health.error_text(row)

    def _tooltip(self, row: SourceRow, column: int) -> str | None:
        if column == NAME:
            return f"{health.kind_label(row.kind)}: {row.url or row.name}"
        if column == LAST_SUCCESS:
            if row.last_success_at is None:
                return "Never fetched successfully"
            return health.absolute_text(row.last_success_at)
        if column == NEXT_FETCH and row.next_fetch_at:
            return health.absolute_text(row.next_fetch_at)
        if column == STATE:
            text = health.state_text(row, self.now)
            if row.last_fetch_at:
                text += f"\nLast fetched {health.absolute_text(row.last_fetch_at)}"
            return text
        if column == ERROR and (row.last_error or row.disabled_reason):
            return row.last_error or row.disabled_reason
        return None

    def _sort_key(self, row: SourceRow, column: int) -> Any:
        if column == NAME:
            return row.name.lower()
        if column == FOLDER:  # sources outside any folder after the folders, as in feed readers
            return (row.folder or "\uffff").lower()
        if column == STATE:
            order = ("disabled", "failing", "rate_limited", "needs_keychain", "new", "ok", "paused")
            return order.index(health.status_key(row)) * 1000 - row.consecutive_failures
        if column == LAST_SUCCESS:
            return row.last_success_at or 0
        if column == NEXT_FETCH:
            return row.next_fetch_at or 0
        if column == ITEMS:
            return row.items_seen
        if column == MENTIONS:
            return self.snapshot.mentions.get(row.id, 0)
        return health.error_text(row).lower()


class SourceFilter(QSortFilterProxyModel):
    """Narrows the table to a folder and to names or addresses containing some text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder: str | None = None  # None: every folder; NO_FOLDER: outside any folder
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def set_folder(self, folder: str | None) -> None:
        self.beginFilterChange()
        self.folder = folder
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, SourceTableModel)
        row = model.source_row(source_row)
        if row is None:
            return False
        if self.folder is not None and (row.folder or NO_FOLDER) != self.folder:
            return False
        if self.text:
            haystack = f"{row.name} {row.url} {row.folder or ''} {row.kind}".lower()
            return self.text in haystack
        return True
