"""The campaign dialog: name, period, goals, colour and notes, with its progress and items.

It edits a :class:`~cmdesk.core.services.campaigns.CampaignInput`; the pane writes it. An existing
campaign lists its items together (date, title, type, status and, once published, the mentions
they earned); double-clicking one emits ``item_activated`` and the pane opens it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from cmdesk.core.services.calendar import STATUS_TITLES, TYPE_TITLES
from cmdesk.core.services.campaigns import CampaignInput, CampaignItem, CampaignRow

DEFAULT_COLOR = "#457b9d"


ITEM_COLUMNS = ("Date", "Title", "Type", "Status", "Mentions")


class CampaignDialog(QDialog):
    DELETE = 3
    item_activated = Signal(int)  # a calendar item id, double-clicked in the items list

    def __init__(
        self,
        parent: QWidget | None,
        row: CampaignRow | None = None,
        items: Sequence[CampaignItem] = (),
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit campaign" if row else "New campaign")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        self.name_edit = QLineEdit(row.name if row else "")
        self.start_check, self.start_edit = QCheckBox("From"), QDateEdit(calendarPopup=True)
        self.end_check, self.end_edit = QCheckBox("to"), QDateEdit(calendarPopup=True)
        today = QDate.currentDate()
        for check, edit, value in (
            (self.start_check, self.start_edit, row.starts_on if row else None),
            (self.end_check, self.end_edit, row.ends_on if row else None),
        ):
            check.setChecked(value is not None)
            edit.setDate(QDate(value.year, value.month, value.day) if value else today)
            edit.setEnabled(value is not None)
            check.toggled.connect(edit.setEnabled)
        period = QHBoxLayout()
        for widget in (self.start_check, self.start_edit, self.end_check, self.end_edit):
            period.addWidget(widget)
        self.color = (row.color if row else None) or DEFAULT_COLOR
        self.color_button = QPushButton()
        self.color_button.clicked.connect(self._on_color_clicked)
        self._show_color()
        self.goals_edit = QPlainTextEdit(row.goals or "" if row else "")
        self.goals_edit.setPlaceholderText("e.g. Launch post, video, press release; 300 sign-ups")
        self.goals_edit.setFixedHeight(70)
        self.notes_edit = QPlainTextEdit(row.notes or "" if row else "")
        self.notes_edit.setFixedHeight(60)
        form.addRow("Name", self.name_edit)
        form.addRow("Period", period)
        form.addRow("Colour", self.color_button)
        form.addRow("Goals", self.goals_edit)
        form.addRow("Notes", self.notes_edit)
        if row is not None:
            bar = QProgressBar()
            bar.setRange(0, max(row.planned, 1))
            bar.setValue(row.published)
            bar.setFormat(f"{row.published} of {row.planned} published")
            form.addRow("Progress", bar)
            self.items = self._items_list(items, tz or UTC)
            form.addRow("Items", self.items)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        if row is not None:
            delete = buttons.addButton("Delete", QDialogButtonBox.ButtonRole.DestructiveRole)
            delete.clicked.connect(lambda: self.done(self.DELETE))
        form.addRow(buttons)

    def _items_list(self, items: Sequence[CampaignItem], tz: tzinfo) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("campaignItems")
        tree.setHeaderLabels(ITEM_COLUMNS)
        tree.setRootIsDecorated(False)
        tree.setAlternatingRowColors(True)
        tree.setUniformRowHeights(True)
        tree.setMinimumHeight(140)
        for item in items:
            when = "No date"
            if item.starts_at is not None:
                when = datetime.fromtimestamp(item.starts_at, tz).strftime("%d %b %Y")
            if item.recurring:
                when += " ↻"
            mentions = "" if item.mentions is None else str(item.mentions)
            entry = QTreeWidgetItem(
                [
                    when,
                    item.title,
                    TYPE_TITLES.get(item.item_type, item.item_type),
                    STATUS_TITLES.get(item.status, item.status),
                    mentions,
                ]
            )
            entry.setData(0, Qt.ItemDataRole.UserRole, item.item_id)
            entry.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tip = f"{item.title}\n{entry.text(2)} · {entry.text(3)}"
            if item.recurring:
                tip += " · repeats (first date shown)"
            if item.mentions is not None:
                tip += f"\nEarned {item.mentions} mention{'s' if item.mentions != 1 else ''}"
            tip += "\nDouble-click to open it"
            for column in range(len(ITEM_COLUMNS)):
                entry.setToolTip(column, tip)
            tree.addTopLevelItem(entry)
        if not items:
            tree.addTopLevelItem(QTreeWidgetItem(["", "No items in this campaign yet."]))
        header = tree.header()
        header.setStretchLastSection(False)
        for column in range(len(ITEM_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # titles take the rest
        tree.itemDoubleClicked.connect(self._on_item_double_clicked)
        return tree

    def _on_item_double_clicked(self, entry: QTreeWidgetItem, _column: int) -> None:
        item_id = entry.data(0, Qt.ItemDataRole.UserRole)
        if item_id is not None:
            self.item_activated.emit(int(item_id))

    def _show_color(self) -> None:
        self.color_button.setText(self.color)
        self.color_button.setStyleSheet(f"background: {self.color}; color: white;")

    def _on_color_clicked(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color), self, "Campaign colour")
        if chosen.isValid():
            self.color = chosen.name()
            self._show_color()

    def value(self) -> CampaignInput:
        def day(check: QCheckBox, edit: QDateEdit) -> date | None:
            return edit.date().toPython() if check.isChecked() else None  # type: ignore[return-value]

        return CampaignInput(
            name=self.name_edit.text(),
            starts_on=day(self.start_check, self.start_edit),
            ends_on=day(self.end_check, self.end_edit),
            goals=self.goals_edit.toPlainText(),
            color=self.color,
            notes=self.notes_edit.toPlainText(),
        )

    def _on_save_clicked(self) -> None:
        data = self.value()
        if not data.name.strip():
            self._say("A campaign needs a name.")
            return
        if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
            self._say("A campaign cannot end before it starts.")
            return
        self.accept()

    def _say(self, message: str) -> None:
        """Say what is wrong without blocking; the dialog stays open."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_problem = message
