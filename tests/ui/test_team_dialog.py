"""The "Team and departments" dialog over real services: every edit is a write through the task
runner, refused ones show under their form, removal asks first (without blocking)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from inbox_data import add_mention, add_source
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services import mentions, team, triage
from cmdesk.keychain import Keychain
from cmdesk.ui.main_window import MainWindow
from cmdesk.ui.tasks import TaskRunner, WorkspaceEvents
from cmdesk.ui.team_dialog import TeamDialog


def texts(section) -> list[str]:  # type: ignore[no-untyped-def]
    return [section.list.item(i).text() for i in range(section.list.count())]


@pytest.fixture
def dialog(qtbot, qt_loop, workspace: Workspace) -> Iterator[TeamDialog]:  # type: ignore[no-untyped-def]
    tasks = TaskRunner(workspace, WorkspaceEvents())
    dialog = TeamDialog(tasks)
    qtbot.addWidget(dialog)
    dialog.announced = []  # type: ignore[attr-defined]
    tasks.events.changed.connect(dialog.announced.append)  # type: ignore[attr-defined]
    yield dialog
    tasks.cancel_all()


def test_add_rename_and_mark_teammates_with_the_keyboard(qtbot, dialog, workspace) -> None:  # type: ignore[no-untyped-def]
    dialog.open()
    people = dialog.teammates
    qtbot.waitUntil(lambda: "No teammates yet" in people.hint.text())
    assert dialog.isVisible() and not people.remove_button.isEnabled()
    people.name.setText("Sam Rivera")
    people.email.setText("sam@acme.io")
    people.is_me.setChecked(True)
    qtbot.keyClick(people.email, Qt.Key.Key_Return)  # Return in a field saves the form
    qtbot.waitUntil(lambda: texts(people) == ["Sam Rivera  (me)  ·  sam@acme.io"])
    assert dialog.announced[-1] == Changes(settings=True, mentions=True)
    sam = mentions.me_teammate_id(workspace)
    assert people.editing_id == sam and people.name.text() == "Sam Rivera"

    people.new_button.click()
    assert people.name.hasFocus() or people.name.text() == ""
    people.name.setText("priya")
    people.save_button.click()
    qtbot.waitUntil(lambda: people.list.count() == 2)
    assert people.list.currentItem().text() == "priya"
    # A name already used (in any case) is refused under the form; nothing is written.
    people.name.setText("SAM RIVERA")
    people.save_button.click()
    qtbot.waitUntil(lambda: people.error.text() != "")
    assert people.error.text() == "There is already a teammate called “Sam Rivera”."
    people.email.setText("priya at acme")
    people.name.setText("Priya Natarajan")
    people.save_button.click()
    qtbot.waitUntil(lambda: "not an e-mail address" in people.error.text())
    assert [t.name for t in team.list_teammates(workspace)] == ["priya", "Sam Rivera"]
    # Rename, address and "this is me" in one save: Sam is no longer me.
    people.email.setText("priya@acme.io")
    people.is_me.setChecked(True)
    people.save_button.click()
    qtbot.waitUntil(lambda: texts(people)[0] == "Priya Natarajan  (me)  ·  priya@acme.io")
    assert people.error.text() == "" and texts(people)[1] == "Sam Rivera  ·  sam@acme.io"
    assert mentions.me_teammate_id(workspace) != sam


def test_remove_asks_then_unassigns_without_deleting(qtbot, dialog, workspace) -> None:  # type: ignore[no-untyped-def]
    source = add_source(workspace)
    ids = [add_mention(workspace, source, f"m{n}") for n in range(2)]
    jonas = team.add_teammate(workspace, "Jonas").id
    team.add_teammate(workspace, "Léa")
    triage.assign(workspace, ids, jonas)
    dialog.open()
    people = dialog.teammates
    qtbot.waitUntil(lambda: people.list.count() == 2)
    assert texts(people) == ["Jonas  ·  2 assigned", "Léa"]
    people.list.setCurrentRow(0)
    people.list.setFocus()
    qtbot.keyClick(people.list, Qt.Key.Key_Delete)
    box = people.findChild(QMessageBox)
    assert box is not None and box.isVisible()
    assert "Their 2 mentions will become unassigned" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert people.list.count() == 2
    box = people.ask_remove()
    assert box is not None
    next(b for b in box.buttons() if b.text() == "Remove").click()
    qtbot.waitUntil(lambda: texts(people) == ["Léa"])
    assert people.name.text() == "Léa"
    assert workspace.db.execute_sql("SELECT COUNT(*) FROM mention").fetchone()[0] == 2
    assert (
        workspace.db.execute_sql(
            "SELECT COUNT(*) FROM mention WHERE assignee_id IS NOT NULL"
        ).fetchone()[0]
        == 0
    )


def test_departments_added_ordered_and_removed(qtbot, dialog, workspace) -> None:  # type: ignore[no-untyped-def]
    source = add_source(workspace)
    mention = add_mention(workspace, source, "We will sue")
    dialog.open()
    teams = dialog.departments
    qtbot.waitUntil(lambda: "No departments yet" in teams.hint.text())
    for name, email in (("Support", "support@acme.io"), ("Legal", ""), ("PR", "press@acme.io")):
        teams.new_button.click()
        teams.name.setText(name)
        teams.email.setText(email)
        qtbot.keyClick(teams.name, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda name=name: teams.list.currentItem() is not None
                        and teams.list.currentItem().text().startswith(name))  # fmt: skip
    assert not teams.down_button.isEnabled() and teams.up_button.isEnabled()
    teams.up_button.click()
    qtbot.waitUntil(lambda: texts(teams)[1].startswith("PR"))
    assert teams.list.currentRow() == 1 and teams.name.text() == "PR"
    assert [d.name for d in team.list_departments(workspace)] == ["Support", "PR", "Legal"]
    # Another write (the routing box) refreshes the list without losing what is being typed.
    legal = team.get_department(workspace, "Legal").id
    teams.name.setText("PR & comms")
    dialog.tasks.write("route", triage.route_to_department, workspace, [mention], legal, "Reply?")
    qtbot.waitUntil(lambda: texts(teams)[2] == "Legal  ·  1 routed")
    assert teams.name.text() == "PR & comms" and teams.editing_id != legal
    teams.save_button.click()
    qtbot.waitUntil(lambda: texts(teams)[1] == "PR & comms  ·  press@acme.io")
    teams.list.setCurrentRow(2)
    box = teams.ask_remove()
    assert box is not None and "Its 1 mention will no longer be routed" in box.text()
    next(b for b in box.buttons() if b.text() == "Remove").click()
    qtbot.waitUntil(lambda: teams.list.count() == 2)
    assert workspace.db.execute_sql(
        "SELECT department_id, routing_note FROM mention WHERE id = ?", [mention]
    ).fetchone() == (None, "Reply?")


def test_the_file_menu_opens_it_without_blocking(qtbot, qt_loop, workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team.add_department(workspace, "Support")
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, keychain=Keychain(), settings=settings)
    qtbot.addWidget(window)
    window.show()
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    action = next(a for a in file_menu.actions() if a.text() == "&Team and departments…")
    action.trigger()  # returns at once: the dialog is opened with open(), not exec()
    dialog = window.team_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: texts(dialog.departments) == ["Support"])
    assert window.show_team_dialog() is dialog  # a second time raises the same dialog
    dialog.reject()
    window.tasks.cancel_all()
