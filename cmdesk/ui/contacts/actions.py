"""Acting on several contacts at once, and asking before it: the pane's “Selected” menu.

Set the stage, add to or remove from a list, delete — each on the selected contacts, in one write
on the task runner. Deleting asks first. Every question here is a dialog opened with ``open()``:
nothing blocks, and the answer arrives in a callback (tests answer it by clicking its buttons).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QMessageBox, QToolButton, QWidget

from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_activity as act
from cmdesk.core.services import contacts_lists as lists
from cmdesk.ui.widgets.questions import ask_text, confirm

if TYPE_CHECKING:
    from cmdesk.ui.contacts.pane import ContactsPane


class SelectionMenu(QToolButton):
    """“Selected ▾”: stage, lists and delete for the contacts selected in the pane's list."""

    def __init__(self, pane: ContactsPane) -> None:
        super().__init__()
        self.pane = pane
        self.setText("Selected")
        self.setToolTip("Act on the selected contacts (Shift/Ctrl+click selects several)")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.menu_.aboutToShow.connect(self._fill)
        self.setMenu(self.menu_)
        self.last_dialog: QWidget | None = None

    def _fill(self) -> None:
        menu, ws = self.menu_, self.pane.ws
        menu.clear()
        ids = self.pane.selected_ids()
        count = f"{len(ids)} contact" + ("" if len(ids) == 1 else "s")
        menu.addSection(count)
        stage = menu.addMenu("Set stage")
        for name in svc.stages(ws):
            stage.addAction(name.capitalize(), lambda n=name: self.set_stage(n))
        stage.addSeparator()
        stage.addAction("Other stage…", self.ask_stage)
        add = menu.addMenu("Add to list")
        remove = menu.addMenu("Remove from list")
        for row in lists.contact_lists(ws):
            add.addAction(row.name, lambda n=row.name: self.add_to_list(n))
            remove.addAction(row.name, lambda i=row.id: self.remove_from_list(i))
        add.addSeparator()
        add.addAction("New list…", self.ask_new_list)
        remove.setEnabled(not remove.isEmpty())
        menu.addSeparator()
        menu.addAction(f"Delete {count}…", self.delete)
        menu.setEnabled(bool(ids))

    def _write(self, name: str, fn: Callable[..., object], *args: object, label: str) -> None:
        ids = self.pane.selected_ids()
        if ids:
            self.pane.ctx.tasks.write(
                f"contacts.{name}", fn, self.pane.ws, ids, *args, label=label,
                on_error=self.pane._show_error,
            )  # fmt: skip

    def set_stage(self, stage: str) -> None:
        self._write("stage", svc.set_stage, stage, label="Setting the stage")

    def ask_stage(self) -> None:
        self.last_dialog = ask_text(self.pane, "Set stage", "Stage:", self.set_stage)

    def add_to_list(self, name: str) -> None:
        self._write("list-add", lists.add_to_list, name, label=f"Adding to {name}")

    def ask_new_list(self) -> None:
        self.last_dialog = ask_text(self.pane, "Add to a new list", "List name:", self.add_to_list)

    def remove_from_list(self, list_id: int) -> None:
        self._write("list-remove", lists.remove_from_list, list_id, label="Removing from a list")

    def delete(self) -> QMessageBox | None:
        ids = self.pane.selected_ids()
        if not ids:
            return None
        if len(ids) == 1:
            profile = svc.contact_profile(self.pane.ws, ids[0])
            who = profile.display_name if profile else "this contact"
        else:
            who = f"{len(ids):,} contacts"
        box = confirm(
            self.pane, "Delete contacts",
            f"Delete {who}? Their details, handles, interactions and contributions go too; "
            "the mentions they wrote stay.",
            "Delete", lambda: self._write("delete", svc.delete_contacts, label="Deleting"),
        )  # fmt: skip
        self.last_dialog = box
        return box


def delete_timeline_entry(pane: ContactsPane, kind: str, entry_id: int) -> QMessageBox | None:
    """Ask, then delete one logged interaction or contribution from the person's timeline."""
    services = {
        "interaction": (act.delete_interaction, "this interaction"),
        "contribution": (act.delete_contribution, "this contribution"),
    }
    if kind not in services:
        return None
    fn, what = services[kind]
    return confirm(
        pane, "Delete from the timeline", f"Delete {what}? It cannot be undone.", "Delete",
        lambda: pane.ctx.tasks.write(f"contacts.delete-{kind}", fn, pane.ws, entry_id,
                                     label="Deleting", on_error=pane._show_error),
    )  # fmt: skip
