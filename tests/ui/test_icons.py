"""Icons stay legible in dark mode: tinted to the palette, and tinted again when it changes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication

from cmdesk.core.db import Workspace
from cmdesk.ui import theme
from cmdesk.ui.icons import icon, icon_name
from cmdesk.ui.tasks import TaskRunner, WorkspaceEvents
from cmdesk.ui.widgets.banner import INK, Banner
from cmdesk.ui.widgets.sidebar import Sidebar
from cmdesk.ui.widgets.task_status import TaskStatus


def ink(made: QIcon) -> QColor:
    """The colour of the most opaque pixel of the icon at 24 px."""
    image = made.pixmap(24, 24).toImage()
    best = max(
        (image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())),
        key=lambda c: c.alpha(),
    )
    assert best.alpha() > 200
    return best


def test_status_cancel_banner_close_and_sidebar_icons_follow_the_palette(
    qtbot, workspace: Workspace
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        theme.apply_theme(app, dark=True)
        status = TaskStatus(TaskRunner(workspace, WorkspaceEvents()))
        banner = Banner()
        sidebar = Sidebar()
        for widget in (status, banner, sidebar):
            qtbot.addWidget(widget)
        sidebar.add_pane("inbox", "Inbox", icon("inbox", "#000000"))  # tinted once, wrongly
        assert ink(status.cancel_button.icon()).lightness() > 180  # light strokes on dark
        assert ink(banner.close_button.icon()).name() == INK  # the banner strip stays light
        theme.apply_theme(app, dark=False)
        assert ink(status.cancel_button.icon()).lightness() < 80  # re-tinted on the change
        assert ink(banner.close_button.icon()).name() == INK
        theme.apply_theme(app, dark=True)
        item = sidebar._panes["inbox"]
        assert icon_name(item.icon()) == "inbox"
        assert ink(item.icon()).lightness() > 180
    finally:
        app.setPalette(before)
