"""Beside the calendar: the unscheduled ideas backlog (drag one onto a day) and the campaigns.

The backlog is a short list (ideas without a date), so a plain list widget is right here; each
entry drags as an item id the views understand. Campaigns show their progress, published over
planned, and open their dialog on double-click.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services.calendar import TYPE_TITLES, BacklogItem
from cmdesk.core.services.campaigns import CampaignRow
from cmdesk.ui.calendar import colors
from cmdesk.ui.calendar.month_view import ITEM_MIME, item_mime, swatch_icon


class BacklogList(QListWidget):
    """Ideas without a date; drag one onto the calendar to schedule it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def set_items(self, items: Sequence[BacklogItem]) -> None:
        self.clear()
        for item in items:
            entry = QListWidgetItem(
                swatch_icon(colors.TYPE_COLORS.get(item.item_type, "#999")), item.title
            )
            entry.setToolTip(f"{TYPE_TITLES.get(item.item_type, item.item_type)} · {item.status}")
            entry.setData(Qt.ItemDataRole.UserRole, item.item_id)
            self.addItem(entry)

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # noqa: N802 - Qt override
        return item_mime(int(items[0].data(Qt.ItemDataRole.UserRole)))

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        return [ITEM_MIME]


class SidePanel(QWidget):
    backlog_activated = Signal(int)  # item id
    campaign_activated = Signal(int)  # campaign id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        self.backlog_title = QLabel("<b>Ideas backlog</b>")
        self.backlog = BacklogList()
        self.campaigns_title = QLabel("<b>Campaigns</b>")
        self.campaigns = QListWidget()
        self.campaigns.setWordWrap(True)
        hint = QLabel("Drag an idea onto a day to schedule it.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        for widget in (
            self.backlog_title,
            self.backlog,
            hint,
            self.campaigns_title,
            self.campaigns,
        ):
            layout.addWidget(widget)
        layout.setStretch(1, 3)
        layout.setStretch(4, 2)
        self.backlog.itemDoubleClicked.connect(
            lambda entry: self.backlog_activated.emit(int(entry.data(Qt.ItemDataRole.UserRole)))
        )
        self.campaigns.itemDoubleClicked.connect(
            lambda entry: self.campaign_activated.emit(int(entry.data(Qt.ItemDataRole.UserRole)))
        )

    def set_backlog(self, items: Sequence[BacklogItem]) -> None:
        self.backlog.set_items(items)
        self.backlog_title.setText(f"<b>Ideas backlog</b> ({len(items)})")

    def set_campaigns(self, rows: Sequence[CampaignRow]) -> None:
        self.campaigns.clear()
        for row in rows:
            period = ""
            if row.starts_on and row.ends_on:
                period = f"{row.starts_on:%d %b} – {row.ends_on:%d %b %Y}"
            percent = round(100 * row.progress)
            text = f"{row.name}\n{row.published}/{row.planned} published ({percent}%)"
            if period:
                text += f" · {period}"
            if row.overdue:
                text += f" · {row.overdue} overdue"
            entry = QListWidgetItem(swatch_icon(row.color or colors.NO_CAMPAIGN), text)
            entry.setToolTip(row.goals or "")
            entry.setData(Qt.ItemDataRole.UserRole, row.id)
            self.campaigns.addItem(entry)
