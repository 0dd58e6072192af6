"""The "Team and departments" dialog: who mentions are assigned to, and where they are routed.

Two side-by-side sections, each a list with a form for the selected row: teammates (name, e-mail,
"this is me") and departments (name, hand-off e-mail, order). Every edit is a write through the
task runner calling :mod:`cmdesk.core.services.team`; lists are re-read in a worker thread after
each announced change. A refused edit (a name already used, a bad address) shows under its form,
never in a blocking box; the removal confirmation is opened with ``open()``, never ``exec()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.changes import Changes
from cmdesk.core.services import team
from cmdesk.ui.tasks import TaskRunner
from cmdesk.ui.widgets.questions import confirm

Row = team.TeammateRow | team.DepartmentRow


def _plural(count: int, noun: str) -> str:
    return f"1 {noun}" if count == 1 else f"{count:,} {noun}s"


class _Section(QGroupBox):
    """A list of teammates or departments with a form for the selected one (or a new one)."""

    noun = ""
    mnemonics: dict[str, str] = {}

    def __init__(self, tasks: TaskRunner) -> None:
        super().__init__()
        self.tasks = tasks
        self.rows: list[Any] = []
        self.editing_id: int | None = None  # None: the form describes a new row
        self.pending_select: int | None = None  # a row just saved, selected at the next reading
        self.list = QListWidget()
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # the full line is the tooltip
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.list.installEventFilter(self)  # Delete in the list asks to remove the row
        self.name = QLineEdit()
        self.name.returnPressed.connect(self.save)
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.com (optional)")
        self.email.returnPressed.connect(self.save)
        self.form = QFormLayout()
        self.form.addRow(self.mnemonics["name"], self.name)
        self.form.addRow(self.mnemonics["email"], self.email)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.new_button = QPushButton(self.mnemonics["new"])
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(self.mnemonics["save"])
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton(self.mnemonics["remove"])
        self.remove_button.clicked.connect(self.ask_remove)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.new_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.save_button)
        self.buttons.addWidget(self.remove_button)
        self.list_row = QHBoxLayout()
        self.list_row.addWidget(self.list, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.list_row, 1)
        layout.addLayout(self.form)
        layout.addWidget(self.hint)
        layout.addLayout(self.buttons)
        layout.addWidget(self.error)

    # -- hooks ----------------------------------------------------------------------------------

    def item_text(self, row: Any) -> str:
        raise NotImplementedError

    def fill_form(self, row: Any | None) -> None:
        self.name.setText(row.name if row else "")
        self.email.setText((row.email or "") if row else "")

    def save_write(self) -> Callable[[], Any]:
        """A function for the writer that saves the form; it returns ``(id, Changes)``."""
        raise NotImplementedError

    def remove_question(self, row: Any) -> str:
        raise NotImplementedError

    def remove_write(self, row_id: int) -> Callable[[], Any]:
        raise NotImplementedError

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.matches(QKeySequence.StandardKey.Delete)
        ):
            self.ask_remove()
            return True
        return super().eventFilter(watched, event)

    # -- reading --------------------------------------------------------------------------------

    def show_rows(self, rows: list[Any]) -> None:
        """Show ``rows``; a row just saved is selected and shown in the form.

        Otherwise the row being edited stays selected and the form keeps what the user typed:
        another write (a routing that added a department) may refresh the dialog meanwhile.
        """
        select, self.pending_select = self.pending_select, None
        keep = select if select is not None else self.editing_id
        typing_new = select is None and self.editing_id is None and bool(self.name.text())
        self.rows = rows
        index = next((i for i, r in enumerate(rows) if r.id == keep), None)
        if index is None and not typing_new and rows:
            index = 0
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            item = QListWidgetItem(self.item_text(row))
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self.list.setCurrentRow(-1 if index is None else index)
        self.list.blockSignals(False)
        if typing_new:
            return
        if select is None and index is not None and rows[index].id == self.editing_id:
            self._update_buttons()
            return  # the same row: keep what is being typed
        self._show_index(-1 if index is None else index)

    def current(self) -> Any | None:
        return next((r for r in self.rows if r.id == self.editing_id), None)

    def _on_list_current_row_changed(self, index: int) -> None:
        self._show_index(index)

    def _show_index(self, index: int) -> None:
        self.error.clear()
        row = self.rows[index] if 0 <= index < len(self.rows) else None
        self.editing_id = row.id if row else None
        self.fill_form(row)
        self.hint.setText("" if row or self.rows else f"No {self.noun}s yet: type a name, Save.")
        self._update_buttons()

    def show_error(self, message: str) -> None:
        """A refused edit, in the service's own words (without the exception's kind)."""
        self.error.setText(message.removeprefix(f"{team.TeamError.__name__}: "))

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.editing_id is not None)

    # -- editing --------------------------------------------------------------------------------

    def start_new(self) -> None:
        """Empty the form for a new row; Save adds it."""
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.editing_id = None
        self.fill_form(None)
        self.hint.setText(f"A new {self.noun}: type a name, then Save.")
        self.error.clear()
        self._update_buttons()
        self.name.setFocus()

    def save(self) -> None:
        self.error.clear()
        self.tasks.write(
            f"team.save-{self.noun}", self.save_write(), label=f"Saving the {self.noun}",
            on_done=lambda result: self.saved(result[0]), on_error=self.show_error,
        )  # fmt: skip

    def saved(self, row_id: int) -> None:
        """After a save: the next reading selects ``row_id`` and shows what was stored."""
        self.pending_select = row_id

    def ask_remove(self) -> QMessageBox | None:
        """Ask before removing the selected row, saying what happens to its mentions."""
        row = self.current()
        if row is None:
            return None
        return confirm(
            self, f"Remove {self.noun}", self.remove_question(row), "Remove",
            lambda: self._remove(row.id),
        )  # fmt: skip

    def _remove(self, row_id: int) -> None:
        self.editing_id = None
        self.fill_form(None)
        self.tasks.write(
            f"team.remove-{self.noun}", self.remove_write(row_id),
            label=f"Removing the {self.noun}", on_error=self.show_error,
        )  # fmt: skip


class TeammatesSection(_Section):
    noun = "teammate"
    mnemonics = {
        "name": "&Name", "email": "E-&mail", "new": "&Add teammate", "save": "&Save",
        "remove": "&Remove…",
    }  # fmt: skip

    def __init__(self, tasks: TaskRunner) -> None:
        super().__init__(tasks)
        self.setTitle("Teammates")
        self.list.setAccessibleName("Teammates")
        self.name.setPlaceholderText("Priya Natarajan")
        self.is_me = QCheckBox("&This is me")
        self.is_me.setToolTip("“Assigned to me” and your notes and replies use this teammate.")
        self.form.addRow("", self.is_me)

    def item_text(self, row: team.TeammateRow) -> str:
        parts = [row.name + ("  (me)" if row.is_me else "")]
        parts += [row.email] if row.email else []
        parts += [f"{row.assigned:,} assigned"] if row.assigned else []
        return "  ·  ".join(parts)

    def fill_form(self, row: Any | None) -> None:
        super().fill_form(row)
        self.is_me.setChecked(bool(row and row.is_me))

    def save_write(self) -> Callable[[], Any]:
        ws, row_id, row = self.tasks.workspace, self.editing_id, self.current()
        # The form is read here, on the UI thread; the writer only gets plain values.
        name, email, me = self.name.text(), self.email.text(), self.is_me.isChecked()
        if row_id is None or row is None:
            return lambda: team.add_teammate(ws, name, email, is_me=me)

        def update() -> team.Saved:
            changes = team.rename_teammate(ws, row_id, name)
            changes |= team.set_teammate_email(ws, row_id, email)
            if me != row.is_me:
                changes |= team.set_me(ws, row_id if me else None)
            return team.Saved(row_id, changes)

        return update

    def remove_question(self, row: team.TeammateRow) -> str:
        text = f"Remove {row.name} from the team?"
        if row.assigned:
            text += f" Their {_plural(row.assigned, 'mention')} will become unassigned."
        return text + " Inbox rules that assign to them lose that action; no mention is deleted."

    def remove_write(self, row_id: int) -> Callable[[], Any]:
        ws = self.tasks.workspace
        return lambda: team.remove_teammate(ws, row_id)


class DepartmentsSection(_Section):
    noun = "department"
    mnemonics = {
        "name": "Nam&e", "email": "Hand-off e-ma&il", "new": "Add &department", "save": "Sa&ve",
        "remove": "Rem&ove…",
    }  # fmt: skip

    def __init__(self, tasks: TaskRunner) -> None:
        super().__init__(tasks)
        self.setTitle("Departments")
        self.list.setAccessibleName("Departments")
        self.name.setPlaceholderText("Support")
        self.email.setToolTip("Hand-offs copied for this department are addressed here.")
        self.up_button = QPushButton("Move &up")
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton("Move do&wn")
        self.down_button.clicked.connect(lambda: self.move(1))
        order = QVBoxLayout()
        order.addWidget(self.up_button)
        order.addWidget(self.down_button)
        order.addStretch(1)
        self.list_row.addLayout(order)

    def item_text(self, row: team.DepartmentRow) -> str:
        parts = [row.name]
        parts += [row.email] if row.email else []
        parts += [f"{row.routed:,} routed"] if row.routed else []
        return "  ·  ".join(parts)

    def _update_buttons(self) -> None:
        super()._update_buttons()
        index = next((i for i, r in enumerate(self.rows) if r.id == self.editing_id), None)
        self.up_button.setEnabled(index is not None and index > 0)
        self.down_button.setEnabled(index is not None and index < len(self.rows) - 1)

    def move(self, step: int) -> None:
        if (row_id := self.editing_id) is None:
            return
        ws = self.tasks.workspace
        self.tasks.write(
            "team.move-department", lambda: team.Saved(
                row_id, team.move_department(ws, row_id, step)
            ), label="Moving the department",
            on_done=lambda result: self.saved(result[0]), on_error=self.show_error,
        )  # fmt: skip

    def save_write(self) -> Callable[[], Any]:
        ws, row_id = self.tasks.workspace, self.editing_id
        name, email = self.name.text(), self.email.text()
        if row_id is None:
            return lambda: team.add_department(ws, name, email)

        def update() -> team.Saved:
            changes = team.rename_department(ws, row_id, name)
            changes |= team.set_department_email(ws, row_id, email)
            return team.Saved(row_id, changes)

        return update

    def remove_question(self, row: team.DepartmentRow) -> str:
        text = f"Remove the {row.name} department?"
        if row.routed:
            text += (
                f" Its {_plural(row.routed, 'mention')} will no longer be routed (they keep "
                "their state and routing note)."
            )
        return text + " Inbox rules that route to it lose that action; no mention is deleted."

    def remove_write(self, row_id: int) -> Callable[[], Any]:
        ws = self.tasks.workspace
        return lambda: team.remove_department(ws, row_id)


class TeamDialog(QDialog):
    """Teammates and departments side by side; open it with ``open()``."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team and departments")
        self.tasks = tasks
        self.teammates = TeammatesSection(tasks)
        self.departments = DepartmentsSection(tasks)
        intro = QLabel(
            "Teammates are who mentions can be assigned to; mark yourself so “Assigned to me” "
            "works. Departments are where mentions are routed, in the order listed here, with "
            "the address their hand-offs go to."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        sections = QHBoxLayout()
        sections.addWidget(self.teammates, 1)
        sections.addWidget(self.departments, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(sections, 1)
        layout.addWidget(close)
        self.resize(980, 540)
        # Return in a field saves that field's form (returnPressed), never "Close" as well.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        tasks.events.changed.connect(self._on_workspace_changed)

    def reload(self) -> None:
        """Read both lists in a worker thread (the counts touch the mention table)."""
        ws = self.tasks.workspace

        def read(_progress: Any) -> tuple[list[Row], list[Row]]:
            return list(team.list_teammates(ws)), list(team.list_departments(ws))

        self.tasks.run_in_thread(
            "team.read", read, label="Reading the team", latest_wins=True, on_done=self._show
        )

    def _show(self, result: tuple[list[Row], list[Row]]) -> None:
        teammates, departments = result
        self.teammates.show_rows(teammates)
        self.departments.show_rows(departments)

    def open(self) -> None:
        """Show the dialog without blocking, with both lists read afresh."""
        if not self.isVisible():
            self.reload()
        super().open()

    def _on_workspace_changed(self, changes: Changes) -> None:
        if self.isVisible() and (changes.settings or changes.mentions or changes.workspace):
            self.reload()
