"""What every main pane is and is given: :class:`Pane`, :class:`PaneContext`, :class:`SubView`.

A pane never talks to another pane: it asks the main window to ``navigate`` and learns about
other panes' writes through ``on_changes``. It reaches the data only through core services and the
task runner it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from cmdesk.core.changes import Changes
from cmdesk.core.clock import Clock
from cmdesk.core.db import Workspace
from cmdesk.keychain import Keychain
from cmdesk.ui.tasks import TaskRunner, WorkspaceEvents

if TYPE_CHECKING:
    from cmdesk.ui.listening import Listening


@dataclass(frozen=True)
class SubView:
    """A child entry under a pane in the sidebar (an inbox view, the contacts Due list...)."""

    key: str
    title: str
    count: int | None = None
    icon_name: str | None = None


@dataclass
class PaneContext:
    """The slice of the application a pane gets: data, background work and a way out."""

    workspace: Workspace
    tasks: TaskRunner
    events: WorkspaceEvents
    keychain: Keychain
    clock: Clock
    settings: QSettings
    navigate: Callable[..., None] = field(default=lambda pane_key, **kwargs: None)
    notify: Callable[[str, str], None] = field(default=lambda title, message: None)
    # The app's listening engine: fetch now, test a source, find feeds (None in some tests).
    listening: Listening | None = None


class Pane(QWidget):
    """Base class of the five main panes."""

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    icon_name: ClassVar[str] = ""

    badge_changed = Signal(str)  # text beside the sidebar entry; "" for none
    subviews_changed = Signal(list)  # list[SubView] shown under the entry

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"{self.key}Pane")

    def on_changes(self, changes: Changes) -> None:
        """Something was written; refresh if ``changes`` touches this pane's data."""

    def show_subview(self, key: str) -> None:
        """The user picked one of this pane's sidebar children."""

    def open_target(self, **kwargs: Any) -> None:
        """Show something another pane pointed at (a contact, a filter, an item...)."""

    def pane_actions(self) -> list[QAction]:
        """Actions for this pane's menu in the menu bar."""
        return []

    def import_actions(self) -> list[QAction]:
        """Entries for File > Import (OPML, contacts, calendar files...)."""
        return []

    def export_actions(self) -> list[QAction]:
        """Entries for File > Export."""
        return []

    def shortcuts(self) -> list[tuple[str, str]]:
        """(key, what it does) pairs listed in Help > Keyboard shortcuts."""
        return []

    def activated(self) -> None:
        """The pane became the visible one."""

    def shutdown(self) -> None:
        """The window is closing: stop timers, save view state."""


def make_test_context(
    workspace: Workspace,
    *,
    settings_path: str | None = None,
    keychain: Keychain | None = None,
    listening: Listening | None = None,
) -> PaneContext:
    """A real context over ``workspace`` for tests: records navigations and notifications.

    ``ctx.navigations`` and ``ctx.notifications`` (lists) show what the pane asked for.
    """
    import tempfile

    events = WorkspaceEvents()
    tasks = TaskRunner(workspace, events)
    path = settings_path or tempfile.mkstemp(suffix=".ini")[1]
    settings = QSettings(path, QSettings.Format.IniFormat)
    navigations: list[tuple[str, dict[str, Any]]] = []
    notifications: list[tuple[str, str]] = []
    ctx = PaneContext(
        workspace=workspace,
        tasks=tasks,
        events=events,
        keychain=keychain or Keychain(),
        clock=workspace.clock,
        settings=settings,
        navigate=lambda pane_key, **kwargs: navigations.append((pane_key, kwargs)),
        notify=lambda title, message: notifications.append((title, message)),
        listening=listening,
    )
    ctx.navigations = navigations  # type: ignore[attr-defined]
    ctx.notifications = notifications  # type: ignore[attr-defined]
    return ctx
