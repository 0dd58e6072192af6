"""The inbox's small dialogs: routing, tagging, saved views, canned responses and alerts.

Each dialog edits values and returns them (or calls a service through the task runner it is
given); none touches the ORM. Rules have their own dialog in ``rules_dialog.py``.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services import canned_responses, mention_detail, saved_views
from cmdesk.ui.tasks import TaskRunner


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class RoutingDialog(QDialog):
    """Route to a department (type a new name to add one) with a note for that team."""

    def __init__(
        self, departments: list[tuple[int, str]], current: str | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Route to a department")
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItem("")
        for _, name in departments:
            self.department.addItem(name)
        if current:
            self.department.setCurrentText(current)
        self.department.lineEdit().setPlaceholderText("Support, Sales, Product, PR, Legal…")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("What should this team do? (goes into the hand-off)")
        self.note.setMaximumHeight(110)
        self.copy_hand_off = QPushButton("Route and copy hand-off")
        self.copy_hand_off.setCheckable(True)
        self.copy_hand_off.setChecked(True)
        form = QFormLayout(self)
        form.addRow("Department", self.department)
        form.addRow("Routing note", self.note)
        form.addRow("", self.copy_hand_off)
        form.addRow(_buttons(self))

    def values(self) -> tuple[str, str, bool]:
        return (
            self.department.currentText().strip(),
            self.note.toPlainText().strip(),
            self.copy_hand_off.isChecked(),
        )


class TagDialog(QDialog):
    """Type one or more tags (comma separated), with completion from the existing ones."""

    def __init__(self, existing: list[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tag mentions")
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("bug, billing, feature request")
        completer = QCompleter(existing, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.edit.setCompleter(completer)
        form = QFormLayout(self)
        form.addRow("Tags", self.edit)
        form.addRow(_buttons(self))

    def tags(self) -> list[str]:
        return [t.strip() for t in self.edit.text().split(",") if t.strip()]


class SavedViewsDialog(QDialog):
    """Rename, reorder, delete saved views, or give one the current filters."""

    views_changed = Signal()

    def __init__(self, tasks: TaskRunner, current_filter, parent: QWidget | None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle("Saved views")
        self.tasks = tasks
        self.current_filter = current_filter
        self.list = QListWidget()
        buttons = QVBoxLayout()
        for text, slot in (
            ("Move up", lambda: self._move(-1)),
            ("Move down", lambda: self._move(1)),
            ("Rename…", self._rename),
            ("Use current filters", self._update_filters),
            ("Delete", self._delete),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        self.list.clear()
        for view in saved_views.list_saved_views(self.tasks.workspace):
            item = QListWidgetItem(view.name)
            item.setData(Qt.ItemDataRole.UserRole, view.id)
            self.list.addItem(item)
            if view.id == select:
                self.list.setCurrentItem(item)

    def _selected(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _write(self, fn, *args) -> None:  # noqa: ANN001, ANN002
        selected = self._selected()
        self.tasks.write(
            "saved-views",
            fn,
            *args,
            label="Saved views",
            on_done=lambda _result: (self.reload(selected), self.views_changed.emit()),
        )

    def _move(self, step: int) -> None:
        if (view_id := self._selected()) is not None:
            self._write(saved_views.move_view, self.tasks.workspace, view_id, step)

    def _rename(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        item = self.list.currentItem()
        if item is None:
            return
        name, ok = QInputDialog.getText(self, "Rename view", "Name", text=item.text())
        if ok and name.strip():
            self._write(saved_views.rename_view, self.tasks.workspace, self._selected(), name)

    def _update_filters(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._write(
                saved_views.save_view,
                self.tasks.workspace,
                item.text(),
                self.current_filter,
                self._selected(),
            )

    def _delete(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        answer = QMessageBox.question(self, "Delete view", f"Delete the view “{item.text()}”?")
        if answer == QMessageBox.StandardButton.Yes:
            self._write(saved_views.delete_view, self.tasks.workspace, self._selected())


class CannedResponsesDialog(QDialog):
    """Edit the saved replies; {name}, {first_name} and {handle} are filled in when used."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Canned responses")
        self.tasks = tasks
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.name = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText("Hi {first_name}, thanks for reaching out…")
        new = QPushButton("New")
        new.clicked.connect(self._on_new)
        save = QPushButton("Save")
        save.clicked.connect(self._on_save)
        delete = QPushButton("Delete")
        delete.clicked.connect(self._on_delete)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Reply", self.body)
        hint = QLabel("{name}, {first_name} and {handle} are replaced by the author's.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("", hint)
        actions = QHBoxLayout()
        for button in (new, save, delete):
            actions.addWidget(button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(actions)
        row = QHBoxLayout(self)
        row.addWidget(self.list, 1)
        row.addLayout(right, 2)
        self.resize(640, 360)
        self._editing: int | None = None
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for response in canned_responses.list_responses(self.tasks.workspace):
            item = QListWidgetItem(response.name)
            item.setData(Qt.ItemDataRole.UserRole, (response.id, response.body))
            self.list.addItem(item)

    def _on_current_changed(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self._editing, body = item.data(Qt.ItemDataRole.UserRole)
        self.name.setText(item.text())
        self.body.setPlainText(body)

    def _on_new(self) -> None:
        self._editing = None
        self.list.clearSelection()
        self.name.clear()
        self.body.clear()
        self.name.setFocus()

    def _on_save(self) -> None:
        self.tasks.write(
            "canned",
            canned_responses.save_response,
            self.tasks.workspace,
            self.name.text(),
            self.body.toPlainText(),
            self._editing,
            label="Save canned response",
            on_done=lambda _r: self.reload(),
            on_error=lambda message: QMessageBox.warning(self, "Canned responses", message),
        )

    def _on_delete(self) -> None:
        if self._editing is not None:
            self.tasks.write(
                "canned",
                canned_responses.delete_response,
                self.tasks.workspace,
                self._editing,
                label="Delete canned response",
                on_done=lambda _r: (self._on_new(), self.reload()),
            )


class AlertsDialog(QDialog):
    """Every stored alert, newest first, with what triggered it; double-click to look."""

    alert_opened = Signal(object)  # AlertRow

    def __init__(self, alerts: list[mention_detail.AlertRow], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Alerts")
        self.list = QListWidget()
        for alert in alerts:
            when = datetime.fromtimestamp(alert.created_at).astimezone().strftime("%d %b %H:%M")
            seen = "" if alert.acknowledged_at is None else "  (seen)"
            item = QListWidgetItem(f"{when}  {alert.title}{seen}")
            item.setData(Qt.ItemDataRole.UserRole, alert)
            if alert.detail:
                item.setToolTip(", ".join(f"{k}: {v}" for k, v in alert.detail.items()))
            self.list.addItem(item)
        if not alerts:
            self.list.addItem("No alerts yet. Spikes and rule alerts appear here.")
        self.list.itemActivated.connect(self._on_item_activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(620, 380)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        alert = item.data(Qt.ItemDataRole.UserRole)
        if alert is not None:
            self.alert_opened.emit(alert)
            self.accept()
