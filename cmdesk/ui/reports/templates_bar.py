"""The template picker: saved templates and "New template…", with Save, Save as, Rename, Delete.

Writes go through the task runner's writer; a refused one (an empty or taken name) is shown in
words. Questions are asked by :meth:`ask_text` and :meth:`confirm`, which tests replace. Emits
``template_loaded`` (a ``Template``, or None for a new one) when the user picks one; saving and
renaming keep the editor as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services import reports as report_service
from cmdesk.core.services.reports import Template
from cmdesk.ui.pane import PaneContext

NEW = -1


class TemplateBar(QWidget):
    template_loaded = Signal(object)  # Template | None
    templates_changed = Signal()

    def __init__(
        self,
        ctx: PaneContext,
        config_json: Callable[[], dict[str, Any]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.config_json = config_json
        self.current: Template | None = None
        self.last_error = ""
        self.combo = QComboBox()
        self.combo.setAccessibleName("Template")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(12)
        self.combo.activated.connect(self._on_combo_activated)
        self.state = QLabel()
        self.state.setObjectName("templateState")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.save_button = QToolButton(text="Save")
        self.save_as_button = QToolButton(text="Save as…")
        self.rename_button = QToolButton(text="Rename…")
        self.delete_button = QToolButton(text="Delete")
        self.save_button.setToolTip("Save the sections, period and scope into this template")
        self.save_button.clicked.connect(self.save)
        self.save_as_button.clicked.connect(self.save_as)
        self.rename_button.clicked.connect(self.rename)
        self.delete_button.clicked.connect(self.delete)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.save_button,
            self.save_as_button,
            self.rename_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addLayout(buttons)
        layout.addWidget(self.state)

    # -- reading ---------------------------------------------------------------------------

    def reload(self, select_id: int | None = None, *, emit: bool = False) -> None:
        """Read the templates; select ``select_id`` (or keep the current one)."""
        templates = report_service.templates(self.ctx.workspace)
        wanted = select_id if select_id is not None else (self.current.id if self.current else None)
        with QSignalBlocker(self.combo):
            self.combo.clear()
            for template in templates:
                self.combo.addItem(template.name, template.id)
            self.combo.insertSeparator(self.combo.count())
            self.combo.addItem("New template…", NEW)
        self.current = next((t for t in templates if t.id == wanted), None)
        self._select_current()
        self.templates_changed.emit()
        if emit:
            self.template_loaded.emit(self.current)

    def choose(self, template_id: int | None) -> None:
        """Load a template (None: a new one) as if picked in the list."""
        self.reload(template_id if template_id is not None else NEW, emit=True)

    def set_dirty(self, dirty: bool) -> None:
        if self.current is None:
            self.state.setText("New template, not saved yet")
        else:
            self.state.setText("Changed since saved" if dirty else "Saved")
        self.save_button.setEnabled(dirty or self.current is None)
        self.rename_button.setEnabled(self.current is not None)
        self.delete_button.setEnabled(self.current is not None)

    def _select_current(self) -> None:
        with QSignalBlocker(self.combo):
            self.combo.setCurrentIndex(
                self.combo.findData(self.current.id if self.current else NEW)
            )

    def _on_combo_activated(self, index: int) -> None:
        data = self.combo.itemData(index)
        self.choose(None if data in (None, NEW) else int(data))

    # -- writes ----------------------------------------------------------------------------

    def save(self) -> None:
        if self.current is None:
            self.save_as()
            return
        self._write_template(self.current.name)

    def save_as(self) -> None:
        name = self.ask_text("Save template as", "Template name:", "")
        if not name:
            return
        existing = report_service.template_by_name(self.ctx.workspace, name)
        is_current = (
            self.current is not None and existing is not None and existing.id == self.current.id
        )
        if (
            existing is not None
            and not is_current
            and not self.confirm(f"There is already a template called “{name}”. Replace it?")
        ):
            return
        self._write_template(name)

    def _write_template(self, name: str) -> None:
        config = self.config_json()
        ws = self.ctx.workspace

        def done(_changes: object) -> None:
            saved = report_service.template_by_name(ws, name)
            self.reload(saved.id if saved else None)

        self.ctx.tasks.write(
            "reports.template.save",
            report_service.save_template,
            ws,
            name,
            config,
            label="Saving the template",
            on_done=done,
            on_error=self._show_error,
        )

    def rename(self) -> None:
        if self.current is None:
            return
        name = self.ask_text("Rename template", "New name:", self.current.name)
        if not name or name == self.current.name:
            return
        template_id = self.current.id
        self.ctx.tasks.write(
            "reports.template.rename",
            report_service.rename_template,
            self.ctx.workspace,
            template_id,
            name,
            label="Renaming the template",
            on_done=lambda _c: self.reload(template_id),
            on_error=self._show_error,
        )

    def delete(self) -> None:
        if self.current is None:
            return
        if not self.confirm(f"Delete the template “{self.current.name}”? Saved reports stay."):
            return
        self.ctx.tasks.write(
            "reports.template.delete",
            report_service.delete_template,
            self.ctx.workspace,
            self.current.id,
            label="Deleting the template",
            on_done=lambda _c: self._after_delete(),
            on_error=self._show_error,
        )

    def _after_delete(self) -> None:
        templates = report_service.templates(self.ctx.workspace)
        self.current = None
        self.choose(templates[0].id if templates else None)

    # -- questions (replaced in tests) -----------------------------------------------------

    def ask_text(self, title: str, label: str, text: str) -> str | None:
        answer, ok = QInputDialog.getText(self, title, label, text=text)
        return answer.strip() if ok and answer.strip() else None

    def confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Report templates", question)
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, message: str) -> None:
        self.last_error = message
        box = QMessageBox(QMessageBox.Icon.Warning, "Report templates", message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
