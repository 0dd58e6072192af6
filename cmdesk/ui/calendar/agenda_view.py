"""The agenda view: the period's occurrences as a list grouped by local day.

A tree of days with their items (time, title, type, status, campaign, owner); overdue items are
marked in red. Double-click or Enter opens an item; t/n/p move the period like the other views.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from cmdesk.core.services.calendar import STATUS_TITLES, TYPE_TITLES, Occurrence
from cmdesk.core.services.calendar_periods import days_covered
from cmdesk.ui.calendar import colors
from cmdesk.ui.calendar.month_view import PERIOD_KEYS, swatch_icon


class AgendaList(QTreeWidget):
    occurrence_activated = Signal(object)
    occurrence_selected = Signal(object)
    period_requested = Signal(int)

    COLUMNS = ("When", "Title", "Type", "Status", "Campaign", "Owner")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(list(self.COLUMNS))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setColumnWidth(0, 110)
        self.setColumnWidth(1, 340)
        self.itemActivated.connect(self._on_item_activated)
        self.currentItemChanged.connect(
            lambda current, _previous: self.occurrence_selected.emit(
                current.data(0, Qt.ItemDataRole.UserRole) if current else None
            )
        )

    def set_occurrences(
        self,
        occurrences: Sequence[Occurrence],
        tz: tzinfo,
        campaign_names: Mapping[int, str],
        color_for: colors.ColorFor,
        today: date,
    ) -> None:
        self.clear()
        current_day: date | None = None
        for occ in occurrences:
            day = days_covered(occ.starts_at, occ.ends_at, occ.all_day, tz)[0]
            if day != current_day:
                current_day = day
                label = day.strftime("%A %d %B %Y") + ("  — today" if day == today else "")
                header = QTreeWidgetItem([label])
                header.setFirstColumnSpanned(True)
                font = header.font(0)
                font.setBold(True)
                header.setFont(0, font)
                header.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.addTopLevelItem(header)
                header.setFirstColumnSpanned(True)  # only takes effect once in the tree
            when = (
                "All day"
                if occ.all_day
                else datetime.fromtimestamp(occ.starts_at, tz).strftime("%H:%M")
            )
            row = QTreeWidgetItem(
                [
                    "    " + when,
                    occ.title
                    + (" ↻" if occ.is_recurring else "")
                    + (" — overdue" if occ.overdue else ""),
                    TYPE_TITLES.get(occ.item_type, occ.item_type),
                    STATUS_TITLES.get(occ.status, occ.status),
                    campaign_names.get(occ.campaign_id or 0, ""),
                    occ.owner or "",
                ]
            )
            row.setIcon(1, swatch_icon(color_for(occ).name()))
            row.setData(0, Qt.ItemDataRole.UserRole, occ)
            if occ.overdue:
                row.setForeground(1, QBrush(colors.OVERDUE))
            self.addTopLevelItem(row)

    def select(self, occ: Occurrence | None) -> None:
        """Make ``occ``'s row current and scroll to it (by its key; None clears)."""
        for index in range(self.topLevelItemCount()):
            entry = self.topLevelItem(index)
            shown = entry.data(0, Qt.ItemDataRole.UserRole)
            if occ is not None and shown is not None and shown.key == occ.key:
                self.setCurrentItem(entry)
                self.scrollToItem(entry)
                return
        self.setCurrentItem(None)

    def _on_item_activated(self, entry: QTreeWidgetItem, _column: int) -> None:
        occ = entry.data(0, Qt.ItemDataRole.UserRole)
        if occ is not None:
            self.occurrence_activated.emit(occ)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in PERIOD_KEYS and not event.modifiers():
            self.period_requested.emit(PERIOD_KEYS[event.key()])
            return
        super().keyPressEvent(event)
