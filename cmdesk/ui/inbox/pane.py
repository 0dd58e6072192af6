"""The shell's entry point for this pane; its issue replaces it with the full pane."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from cmdesk.ui.pane import Pane, PaneContext
from cmdesk.ui.widgets.empty_state import EmptyState


class InboxPane(Pane):
    key = "inbox"
    title = "Inbox"
    icon_name = "inbox"

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(
            EmptyState(
                "Inbox",
                "Mentions of your brand, products and competitors appear here.",
            )
        )
