"""The shell's entry point for this pane; its issue replaces it with the full pane."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from cmdesk.ui.pane import Pane, PaneContext
from cmdesk.ui.widgets.empty_state import EmptyState


class ContactsPane(Pane):
    key = "contacts"
    title = "Contacts"
    icon_name = "contacts"

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(
            EmptyState(
                "Contacts",
                "Influencers, advocates, press and customers, with their handles and history.",
            )
        )
