import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontDatabase

from cmdesk.core.changes import Changes
from cmdesk.keychain import Keychain
from cmdesk.ui.main_window import PANE_CLASSES, MainWindow
from cmdesk.ui.pane import SubView


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, qt_loop, workspace, settings):
    window = MainWindow(workspace, keychain=Keychain(), settings=settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.tasks.cancel_all()


def test_a_real_font_is_installed(qapp):
    """Without a font every glyph renders as an empty box and Qt says nothing."""
    families = QFontDatabase.families()
    assert any("DejaVu" in family for family in families), families[:10]


def test_every_pane_is_in_the_sidebar_and_ctrl_numbers_switch(window, qtbot):
    assert [pane.key for pane in window.panes.values()] == [c.key for c in PANE_CLASSES]
    assert window.current_pane().key == "inbox"
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    shortcuts = {a.shortcut().toString(): a.text() for a in view_menu.actions()}
    assert shortcuts["Ctrl+3"] == "Calendar"
    next(a for a in view_menu.actions() if a.text() == "Calendar").trigger()
    assert window.current_pane().key == "calendar"
    window.sidebar.select("sources")
    assert window.current_pane().key == "sources"


def test_badges_and_subviews_from_a_pane_show_in_the_sidebar(window):
    inbox = window.panes["inbox"]
    inbox.badge_changed.emit("12")
    inbox.subviews_changed.emit([SubView("new", "New", 12), SubView("starred", "Starred", 3)])
    assert window.sidebar.badge("inbox") == "12"
    assert window.sidebar.subviews("inbox") == [("new", "New", "12"), ("starred", "Starred", "3")]


def test_selecting_a_subview_tells_the_pane(window, monkeypatch):
    shown = []
    inbox = window.panes["inbox"]
    monkeypatch.setattr(inbox, "show_subview", shown.append)
    inbox.subviews_changed.emit([SubView("starred", "Starred", 3)])
    window.sidebar.select("inbox", "starred")
    assert shown == ["starred"]
    # the selection survives a refresh of the counts
    inbox.subviews_changed.emit([SubView("starred", "Starred", 4)])
    assert window.sidebar.current() == ("inbox", "starred")


def test_navigation_switches_pane_and_opens_the_target(window, monkeypatch):
    opened = []
    contacts = window.panes["contacts"]
    monkeypatch.setattr(contacts, "open_target", lambda **kw: opened.append(kw))
    window.ctx.navigate("contacts", contact_id=7)
    assert window.current_pane() is contacts
    assert opened == [{"contact_id": 7}]


def test_changes_reach_every_pane_even_if_one_fails(window, monkeypatch):
    received = []
    monkeypatch.setattr(window.panes["inbox"], "on_changes", lambda c: 1 / 0)
    monkeypatch.setattr(window.panes["reports"], "on_changes", received.append)
    window.events.changed.emit(Changes(mentions=True))
    assert received == [Changes(mentions=True)]


def test_geometry_and_last_pane_are_restored(qtbot, qt_loop, workspace, settings):
    first = MainWindow(workspace, keychain=Keychain(), settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 500)  # the offscreen screen is 800x600
    first.show_pane("reports")
    first.close()
    second = MainWindow(workspace, keychain=Keychain(), settings=settings)
    qtbot.addWidget(second)
    assert second.current_pane().key == "reports"
    assert second.size().width() == 700


def test_no_keychain_is_said_in_the_window(qtbot, qt_loop, workspace, settings):
    from keyring.backends import fail

    window = MainWindow(workspace, keychain=Keychain(backend=fail.Keyring()), settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.banner.isVisible)  # checked just after the first paint
    assert "No system keychain" in window.banner.label.text()


def test_keychain_present_shows_no_banner(window, qtbot):
    qtbot.wait(50)  # past the deferred keychain check
    assert not window.banner.isVisible()


def test_shortcuts_dialog_lists_global_keys(window, qtbot):
    dialog = window.show_shortcuts()
    keys = {dialog.table.item(row, 1).text() for row in range(dialog.table.rowCount())}
    assert "Ctrl+1 … Ctrl+5" in keys
    assert "F1" in keys
    dialog.close()


def test_closing_emits_closed(window, qtbot):
    with qtbot.waitSignal(window.closed, timeout=2000):
        window.close()


def _ink(action):
    """The darkest-or-lightest opaque pixel's lightness of an action's icon."""
    image = action.icon().pixmap(16, 16).toImage()
    colors = [image.pixelColor(x, y) for x in range(16) for y in range(16)]
    return max(c.lightness() for c in colors if c.alpha() > 200)


def test_view_menu_icons_follow_a_palette_change(window):
    from PySide6.QtGui import QColor, QPalette

    action = window.pane_actions["inbox"]
    light = QPalette(window.palette())
    light.setColor(QPalette.ColorRole.WindowText, QColor("#101010"))
    window.setPalette(light)
    dark_ink = _ink(action)
    dark = QPalette(window.palette())
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    window.setPalette(dark)  # as the system switching to a dark theme does
    assert dark_ink < 80 < 200 < _ink(action)
