"""The Lists work view: create, rename, colour, set the keep-in-touch cadence of, and delete lists.

Lists are few (tens), so a plain list widget holds them and is re-read from
:mod:`cmdesk.core.services.contacts_lists` on every change. Every edit is a write through the
task runner; a refused one (a name already used) is shown under the form, not in a blocking box.
The colour picker and the delete confirmation are opened with ``open()``, never ``exec()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services import contacts_lists as lists
from cmdesk.ui.contacts.writes import written
from cmdesk.ui.pane import PaneContext
from cmdesk.ui.widgets.questions import confirm

NEW_LIST_NAME = "New list"


def swatch(color: str | None, size: int = 14) -> QIcon:
    """A small filled square of ``color`` (an empty outline for no colour)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color) if color else QColor(0, 0, 0, 0))
    return QIcon(pixmap)


class ListsView(QWidget):
    """Every contact list with a form for the selected one."""

    contact_opened = Signal(int)  # the pane connects every work view's; lists open none

    def __init__(self, ctx: PaneContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[lists.ContactListRow] = []
        self.color: str | None = None
        self.editing_id: int | None = None  # None: the form describes a new list
        title = QLabel("Lists")
        title.setObjectName("sectionTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        hint = QLabel(
            "Group contacts (influencers, press, advocates…) and say how often to keep in touch "
            "with each group. A person's own cadence wins over their lists'; in several lists, "
            "the shortest cadence wins."
        )
        hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("contactLists")
        self.list.currentRowChanged.connect(self._on_current_row_changed)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Influencers")
        self.name.returnPressed.connect(self.save)
        self.color_button = QPushButton("Choose…")
        self.color_button.clicked.connect(self._on_color_clicked)
        self.clear_color_button = QPushButton("No colour")
        self.clear_color_button.clicked.connect(lambda: self.set_color(None))
        self.cadence = QSpinBox()
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText("no cadence")
        self.cadence.setSuffix(" days")
        self.cadence.setPrefix("every ")
        self.members = QLabel()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton("New list")
        self.new_button.clicked.connect(self.start_new)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.ask_delete)

        colors = QHBoxLayout()
        colors.addWidget(self.color_button)
        colors.addWidget(self.clear_color_button)
        colors.addStretch(1)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Colour", colors)
        form.addRow("Keep in touch", self.cadence)
        form.addRow("", self.members)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        editor = QVBoxLayout()
        editor.addLayout(form)
        editor.addLayout(buttons)
        editor.addWidget(self.error)
        editor.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(editor, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(body, 1)

    # -- reading ---------------------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        """Read the lists again.

        ``select`` (a list just saved) is selected and shown in the form. Otherwise the list
        being edited stays selected and the form keeps what the user typed: other writes (an
        import, a fetch) refresh this view while someone may be editing.
        """
        keep = select if select is not None else self.editing_id
        typing_new = select is None and self.editing_id is None and bool(self.name.text())
        self.rows = lists.contact_lists(self.ctx.workspace)
        index = next((i for i, r in enumerate(self.rows) if r.id == keep), None)
        if index is None and not typing_new and self.rows:
            index = 0
        self.list.blockSignals(True)
        self.list.clear()
        for row in self.rows:
            cadence = f" · every {row.cadence_days} days" if row.cadence_days else ""
            text = f"{row.name}  ({_people(row.members)}{cadence})"
            item = QListWidgetItem(swatch(row.color), text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self.list.setCurrentRow(-1 if index is None else index)
        self.list.blockSignals(False)
        if typing_new:
            return
        if select is None and index is not None and self.rows[index].id == self.editing_id:
            self.members.setText(f"{_people(self.rows[index].members)} in this list.")
            return
        self._show_row(-1 if index is None else index)

    def _on_current_row_changed(self, row: int) -> None:
        self._show_row(row)

    def _show_row(self, index: int) -> None:
        self.error.clear()
        row = self.rows[index] if 0 <= index < len(self.rows) else None
        self.editing_id = row.id if row else None
        self.name.setText(row.name if row else "")
        self.cadence.setValue(row.cadence_days or 0 if row else 0)
        self.set_color(row.color if row else None)
        if row:
            self.members.setText(f"{_people(row.members)} in this list.")
        else:
            self.members.setText("No list yet: name one and save it." if not self.rows else "")
        self.delete_button.setEnabled(row is not None)

    # -- editing -----------------------------------------------------------------------------------

    def set_color(self, color: str | None) -> None:
        self.color = color
        self.color_button.setIcon(swatch(color, 16))
        self.color_button.setText(color or "Choose…")

    def _on_color_clicked(self) -> QColorDialog:
        dialog = QColorDialog(QColor(self.color or "#2e86ab"), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.colorSelected.connect(lambda color: self.set_color(color.name()))
        dialog.open()
        return dialog

    def start_new(self) -> None:
        """Empty the form for a new list; Save creates it."""
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.editing_id = None
        self.name.setText(NEW_LIST_NAME)
        self.name.selectAll()
        self.name.setFocus()
        self.cadence.setValue(0)
        self.set_color(None)
        self.members.setText("A new list: save it, then add people from their card.")
        self.delete_button.setEnabled(False)
        self.error.clear()

    def save(self) -> None:
        """Create the list or save the selected one's name, colour and cadence."""
        self.error.clear()
        # The form is read here, on the UI thread; the writer only gets plain values.
        name, cadence = self.name.text(), self.cadence.value() or None
        color, list_id = self.color, self.editing_id
        self.ctx.tasks.write(
            "contacts.save-list", lambda: written(
                lists.save_list, self.ctx.workspace, name, cadence_days=cadence, color=color,
                list_id_=list_id,
            ), label="Saving the list",
            on_done=lambda result: self.refresh(select=result.id),
            on_error=self.error.setText,
        )  # fmt: skip

    def ask_delete(self) -> QMessageBox | None:
        """Ask before deleting the selected list (its people stay contacts)."""
        row = next((r for r in self.rows if r.id == self.editing_id), None)
        if row is None:
            return None
        return confirm(
            self, "Delete list",
            f"Delete the list “{row.name}”? Its {row.members:,} people stay in your contacts.",
            "Delete", lambda: self._delete(row.id),
        )  # fmt: skip

    def _delete(self, list_id: int) -> None:
        self.editing_id = None
        self.ctx.tasks.write(
            "contacts.delete-list", lists.delete_list, self.ctx.workspace, list_id,
            label="Deleting the list", on_error=self.error.setText,
        )  # fmt: skip


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"
