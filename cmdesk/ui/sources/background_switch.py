"""The "Fetch in the background" switch of the Sources pane, with its state in words beside it.

Reads and writes the workspace's setting through :mod:`cmdesk.core.services.workspace` (the write
goes through the task runner, so the app's listening engine hears ``changes.settings`` and starts
or stops at once). The words say plainly what happens either way, so a workspace where fetching
is off (the sample, a demo) never looks broken.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from cmdesk.core.services import workspace as workspace_service
from cmdesk.ui.pane import PaneContext

ON_TEXT = "On: due sources are fetched every few minutes while cmdesk is open."
OFF_TEXT = "Off: sources are fetched only when you choose Fetch now or Fetch all."


class BackgroundSwitch(QWidget):
    """A check box bound to the workspace's background-fetching setting."""

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.check = QCheckBox("Fetch in the background")
        self.check.setObjectName("backgroundFetching")
        self.check.setToolTip("Fetch due sources by themselves while the app is open")
        self.state = QLabel()
        self.state.setObjectName("backgroundFetchingState")
        self.state.setEnabled(False)  # secondary text: the palette's dimmed colour
        self.state.setWordWrap(True)  # a narrow window wraps it instead of growing
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.state, 1)
        self.refresh()
        self.check.toggled.connect(self._on_check_toggled)

    @property
    def is_on(self) -> bool:
        return self.check.isChecked()

    def refresh(self) -> None:
        """Show the stored setting (after a change from elsewhere: the CLI, another window)."""
        on = workspace_service.background_fetching(self.ctx.workspace)
        self.check.blockSignals(True)
        self.check.setChecked(on)
        self.check.blockSignals(False)
        self._show_state(on)

    def _show_state(self, on: bool) -> None:
        self.state.setText(ON_TEXT if on else OFF_TEXT)
        self.check.setAccessibleDescription(self.state.text())

    def _on_check_toggled(self, on: bool) -> None:
        self._show_state(on)
        ws = self.ctx.workspace
        self.ctx.tasks.write(
            "settings.background-fetching",
            workspace_service.set_background_fetching,
            ws,
            on,
            label="Switching background fetching " + ("on" if on else "off"),
            on_error=lambda _message: self.refresh(),
        )
