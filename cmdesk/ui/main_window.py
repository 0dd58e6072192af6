"""The main window: sidebar, the five panes, menus, status bar with background work.

It wires panes to the sidebar and to workspace change announcements, handles cross-pane
navigation, and remembers geometry and the last pane in QSettings. It holds no data logic.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cmdesk import paths
from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.keychain import Keychain
from cmdesk.ui.calendar.pane import CalendarPane
from cmdesk.ui.contacts.pane import ContactsPane
from cmdesk.ui.dialogs import ShortcutsDialog, show_about
from cmdesk.ui.icons import app_icon, palette_icon
from cmdesk.ui.inbox.pane import InboxPane
from cmdesk.ui.listening import Listening
from cmdesk.ui.notifications import Notifier
from cmdesk.ui.pane import Pane, PaneContext, SubView
from cmdesk.ui.reports.pane import ReportsPane
from cmdesk.ui.sources.pane import SourcesPane
from cmdesk.ui.tasks import TaskInfo, TaskRunner, WorkspaceEvents
from cmdesk.ui.team_dialog import TeamDialog
from cmdesk.ui.widgets.banner import Banner
from cmdesk.ui.widgets.file_chooser import choose_file_to_open, choose_file_to_save
from cmdesk.ui.widgets.sidebar import Sidebar
from cmdesk.ui.widgets.task_status import TaskStatus

log = logging.getLogger(__name__)

PANE_CLASSES: list[type[Pane]] = [InboxPane, ContactsPane, CalendarPane, ReportsPane, SourcesPane]
WORKSPACE_FILTER = "cmdesk workspaces (*.cmdesk);;All files (*)"

GLOBAL_SHORTCUTS = [
    ("Ctrl+1 … Ctrl+5", "Inbox, Contacts, Calendar, Reports, Sources"),
    ("Ctrl+N", "New workspace"),
    ("Ctrl+O", "Open workspace"),
    ("Ctrl+B", "Show or hide the sidebar"),
    ("F1", "Keyboard shortcuts"),
    ("Ctrl+Q", "Quit"),
]


class MainWindow(QMainWindow):
    """Emits ``closed`` once the window has closed, ``workspace_requested(path)`` to switch."""

    closed = Signal()
    workspace_requested = Signal(str, bool)  # path, create a new one

    def __init__(
        self,
        workspace: Workspace,
        *,
        keychain: Keychain,
        settings: QSettings,
        log_path: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings
        self.log_path = log_path
        self.events = WorkspaceEvents(self)
        self.tasks = TaskRunner(workspace, self.events, self)
        self.setWindowTitle(f"{workspace.path.stem} — cmdesk")
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)

        self.notifier = Notifier(self, self.statusBar())
        self.listening = Listening(workspace, self.tasks, keychain, parent=self)
        self.listening.status_changed.connect(
            lambda text: self.statusBar().showMessage(text, 20_000)
        )
        self.ctx = PaneContext(
            workspace=workspace,
            tasks=self.tasks,
            events=self.events,
            keychain=keychain,
            clock=workspace.clock,
            settings=settings,
            navigate=self.navigate,
            notify=self.notifier.notify,
            listening=self.listening,
        )
        self.sidebar = Sidebar()
        self.stack = QStackedWidget()
        self.banner = Banner()
        self.panes: dict[str, Pane] = {}
        self.pane_actions: dict[str, QAction] = {}  # View menu entries, re-tinted with the palette
        self.team_dialog: TeamDialog | None = None
        for pane_class in PANE_CLASSES:
            self._add_pane(pane_class(self.ctx))

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.stack, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 1050])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self._build_status_bar(keychain)
        self._build_menus()
        self.sidebar.selected.connect(self._on_sidebar_selected)
        self.events.changed.connect(self._on_workspace_changed)
        self.tasks.task_failed.connect(self._on_task_failed)
        self._restore_state()

    # -- construction -------------------------------------------------------------------------

    def _add_pane(self, pane: Pane) -> None:
        self.panes[pane.key] = pane
        self.stack.addWidget(pane)
        self.sidebar.add_pane(pane.key, pane.title, palette_icon(pane.icon_name, self))
        pane.badge_changed.connect(lambda text, key=pane.key: self.sidebar.set_badge(key, text))
        pane.subviews_changed.connect(
            lambda views, key=pane.key: self._on_subviews_changed(key, views)
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the system switched light/dark
            for key, action in self.pane_actions.items():
                action.setIcon(palette_icon(self.panes[key].icon_name, self))

    def _build_status_bar(self, keychain: Keychain) -> None:
        self.task_status = TaskStatus(self.tasks)
        self.statusBar().addPermanentWidget(self.task_status)
        # Finding the keyring backend loads its plugins (~0.1 s): after the first paint.
        QTimer.singleShot(0, lambda: self._show_keychain_status(keychain))

    def _show_keychain_status(self, keychain: Keychain) -> None:
        status = keychain.status()
        if not status.available:
            warning = QLabel("No keychain")
            warning.setToolTip(status.message)
            self.statusBar().addPermanentWidget(warning)
            self.banner.show_message(status.message, "warning")

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu("&File")
        self._action(
            file_menu, "&New workspace…", self._on_new_workspace, QKeySequence.StandardKey.New
        )
        self._action(
            file_menu, "&Open workspace…", self._on_open_workspace, QKeySequence.StandardKey.Open
        )
        self._action(file_menu, "Open the &sample workspace", self._on_open_sample)
        file_menu.addSeparator()
        self._action(file_menu, "&Team and departments…", self.show_team_dialog)
        file_menu.addSeparator()
        import_menu = file_menu.addMenu("&Import")
        export_menu = file_menu.addMenu("&Export")
        for pane in self.panes.values():
            for action in pane.import_actions():
                import_menu.addAction(action)
            for action in pane.export_actions():
                export_menu.addAction(action)
        import_menu.setEnabled(not import_menu.isEmpty())
        export_menu.setEnabled(not export_menu.isEmpty())
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        view_menu = menu_bar.addMenu("&View")
        for number, pane in enumerate(self.panes.values(), start=1):
            action = self._action(
                view_menu, pane.title, lambda _=False, key=pane.key: self.show_pane(key)
            )
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setIcon(palette_icon(pane.icon_name, self))
            self.pane_actions[pane.key] = action
        view_menu.addSeparator()
        toggle = self._action(view_menu, "Show &sidebar", self._on_toggle_sidebar, "Ctrl+B")
        toggle.setCheckable(True)
        toggle.setChecked(True)
        self.toggle_sidebar_action = toggle

        for pane in self.panes.values():
            actions = pane.pane_actions()
            if actions:
                menu = menu_bar.addMenu(pane.title)
                menu.addActions(actions)

        help_menu = menu_bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1")
        self._action(help_menu, "Open the &log folder", self._on_open_log_folder)
        self._action(
            help_menu,
            "&About cmdesk",
            lambda: show_about(self, self.workspace, self.log_path),
        )

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- navigation ---------------------------------------------------------------------------

    def show_pane(self, key: str, child_key: str = "") -> None:
        self.sidebar.select(key, child_key)

    def current_pane(self) -> Pane:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Pane)
        return widget

    def navigate(self, pane_key: str, **kwargs: Any) -> None:
        """Switch to ``pane_key`` and let it show what another pane pointed at."""
        pane = self.panes.get(pane_key)
        if pane is None:
            log.warning("Navigation to unknown pane %r", pane_key)
            return
        self.show_pane(pane_key)
        pane.open_target(**kwargs)

    def _on_sidebar_selected(self, pane_key: str, child_key: str) -> None:
        pane = self.panes.get(pane_key)
        if pane is None:
            return
        changed = self.stack.currentWidget() is not pane
        self.stack.setCurrentWidget(pane)
        if child_key:
            pane.show_subview(child_key)
        if changed:
            pane.activated()

    def _on_subviews_changed(self, key: str, views: list[SubView]) -> None:
        self.sidebar.set_subviews(key, views)

    def _on_workspace_changed(self, changes: Changes) -> None:
        for pane in self.panes.values():
            try:
                pane.on_changes(changes)
            except Exception:  # one pane's refresh bug must not stop the others
                log.exception("Pane %s failed to refresh", pane.key)

    def _on_task_failed(self, info: TaskInfo, message: str) -> None:
        self.statusBar().showMessage(f"{info.label} failed: {message}", 15_000)

    # -- menu slots ---------------------------------------------------------------------------

    def show_shortcuts(self) -> ShortcutsDialog:
        groups = [("Everywhere", GLOBAL_SHORTCUTS)]
        groups += [(pane.title, pane.shortcuts()) for pane in self.panes.values()]
        dialog = ShortcutsDialog([group for group in groups if group[1]], self)
        dialog.open()
        return dialog

    def show_team_dialog(self) -> TeamDialog:
        """Teammates and departments, opened without blocking (raised if already open)."""
        if self.team_dialog is None:
            self.team_dialog = TeamDialog(self.tasks, self)
        if self.team_dialog.isVisible():
            self.team_dialog.raise_()
            self.team_dialog.activateWindow()
        else:
            self.team_dialog.open()
        return self.team_dialog

    def _on_new_workspace(self) -> None:
        def chosen(path: str) -> None:
            if not path.endswith(paths.WORKSPACE_SUFFIX) and "." not in Path(path).name:
                path += paths.WORKSPACE_SUFFIX
            self.workspace_requested.emit(path, True)

        self.file_dialog = choose_file_to_save(
            self, "New workspace", str(paths.data_dir() / "new.cmdesk"), WORKSPACE_FILTER, chosen
        )

    def _on_open_workspace(self) -> None:
        self.file_dialog = choose_file_to_open(
            self, "Open workspace", WORKSPACE_FILTER,
            lambda path: self.workspace_requested.emit(path, False),
            directory=str(self.workspace.path.parent),
        )  # fmt: skip

    def _on_open_sample(self) -> None:
        self.workspace_requested.emit(str(paths.sample_workspace()), False)

    def _on_toggle_sidebar(self, checked: bool) -> None:
        self.sidebar.setVisible(checked)

    def _on_open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.log_dir())))

    # -- state --------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(splitter))
        last = str(self.settings.value("window/pane", "inbox"))
        self.show_pane(last if last in self.panes else "inbox")

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/pane", self.current_pane().key)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        for pane in self.panes.values():
            try:
                pane.shutdown()
            except Exception:
                log.exception("Pane %s failed to shut down", pane.key)
        self.notifier.close()
        event.accept()
        self.closed.emit()
