"""The contacts pane's forms, driven without blocking: the contact form, the CSV column mapping,
the Lists editor (create, rename, colour, cadence, delete) and the photo in the detail panel."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QColorDialog, QDialogButtonBox, QInputDialog, QMessageBox
from test_pane import DAY, FIXTURES, make_pane, seed

from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_lists as lists
from cmdesk.core.services.contacts import ContactInput, HandleInput
from cmdesk.ui.contacts import transfer
from cmdesk.ui.contacts.avatar import avatar_pixmap, initials
from cmdesk.ui.contacts.dialogs import (
    ColumnMappingDialog,
    ContactDialog,
    ContributionDialog,
    InteractionDialog,
)


def ok(dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_quick_add_form_checks_input_then_adds(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    seed(workspace)
    pane = make_pane(qtbot, workspace)
    dialog = pane.quick_add()
    assert isinstance(dialog, ContactDialog) and dialog.isVisible()
    dialog.emails.setText("not-an-address")
    ok(dialog)  # refused by the service's check: the form stays open and says why
    assert dialog.isVisible() and "not an e-mail address" in dialog.error.text()
    dialog.name.setText("Katherine Johnson")
    dialog.emails.setText("kj@nasa.example")
    dialog.set_handles([HandleInput("github", "https://github.com/kjohnson"),
                        HandleInput("mastodon", "@kj@fosstodon.org")])  # fmt: skip
    dialog.lists.setText("Press, Speakers")
    dialog.cadence.setValue(14)
    qtbot.keyClicks(dialog.organisation, "NASA")
    ok(dialog)
    qtbot.waitUntil(lambda: pane.detail.name.text() == "Katherine Johnson")
    profile = svc.contact_profile(workspace, pane.detail.contact_id)
    assert profile is not None and profile.organisation == "NASA"
    assert [(h.network, h.handle) for h in profile.handles] == [
        ("github", "kjohnson"), ("mastodon", "kj@fosstodon.org"),
    ]  # fmt: skip
    assert [name for _, name in profile.lists] == ["Press", "Speakers"]
    assert profile.cadence_days == 14 and pane.model.rowCount() == 4


def test_edit_form_saves_and_reports_a_taken_handle(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    workspace.write(svc.add_handle, workspace, ids["Grace Hopper"],
                    HandleInput("github", "grace")).result()  # fmt: skip
    pane = make_pane(qtbot, workspace)
    pane.open_target(contact_id=ids["Ada Lovelace"])
    dialog = pane._on_detail_action("edit")
    assert isinstance(dialog, ContactDialog) and dialog.name.text() == "Ada Lovelace"
    assert dialog.cadence.value() == 30 and dialog.lists.text() == "Press"
    dialog.job_title.setText("Countess")
    ok(dialog)
    qtbot.waitUntil(lambda: "Countess" in pane.detail.subtitle.text())
    dialog = pane._on_detail_action("edit")
    dialog.set_handles([HandleInput("github", "grace")])  # Grace's: the service refuses
    ok(dialog)
    qtbot.waitUntil(lambda: "already belongs to Grace Hopper" in getattr(pane, "last_error", ""))


def test_edit_form_keeps_urls_labels_and_reach_per_handle(
    qtbot, qt_loop, workspace: Workspace, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    cid, _ = svc.create_contact(workspace, ContactInput(
        display_name="Ada Lovelace", given_name="Ada", family_name="Lovelace",
        details=(svc.DetailInput("email", "ada@engines.example", "work"),
                 svc.DetailInput("website", "https://ada.example", "blog")),
        handles=(HandleInput("github", "ada", "https://github.com/ada", 1200),
                 HandleInput("github", "ada-work", "https://github.com/ada-work", 30),
                 HandleInput("hackernews", "ada", "https://news.ycombinator.com/user?id=ada")),
    ))  # fmt: skip
    pane = make_pane(qtbot, workspace)
    pane.open_target(contact_id=cid)
    dialog = pane._on_detail_action("edit")
    assert isinstance(dialog, ContactDialog)
    assert dialog.emails.text() == "ada@engines.example (work)"
    assert dialog.handles.rowCount() == 3
    dialog.handles.item(1, 3).setText("45")  # the second GitHub handle's own reach
    dialog.family_name.setText("King")
    dialog.phones.setText("+44 20 7946 0000 (office)")
    picture = QImage(900, 600, QImage.Format.Format_RGB32)
    picture.fill(QColor("#3a7"))
    picture.save(str(tmp_path / "ada.jpg"))
    assert dialog.load_photo(str(tmp_path / "ada.jpg"))
    ok(dialog)
    qtbot.waitUntil(lambda: (svc.contact_profile(workspace, cid) or pane).family_name == "King")
    profile = svc.contact_profile(workspace, cid)
    assert profile is not None and profile.given_name == "Ada" and profile.has_photo
    assert set(profile.handles) == {
        HandleInput("github", "ada", "https://github.com/ada", 1200),
        HandleInput("github", "ada-work", "https://github.com/ada-work", 45),
        HandleInput("hackernews", "ada", "https://news.ycombinator.com/user?id=ada"),
    }
    assert set(profile.details) == {
        svc.DetailInput("email", "ada@engines.example", "work"),
        svc.DetailInput("website", "https://ada.example", "blog"),
        svc.DetailInput("phone", "+44 20 7946 0000", "office"),
    }
    stored = QImage()
    assert stored.loadFromData(svc.contact_photo(workspace, cid) or b"")
    assert max(stored.width(), stored.height()) == 512


def test_edit_form_refuses_a_reach_that_is_not_a_number(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = ContactDialog(["aware"], ContactInput(display_name="Ada"))
    qtbot.addWidget(dialog)
    dialog.add_handle_row(HandleInput("x", "ada"))
    dialog.handles.item(0, 3).setText("lots")
    dialog.show()
    ok(dialog)
    assert dialog.isVisible() and "number of followers" in dialog.error.text()


def test_log_dialogs_write_and_the_card_follows(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    pane = make_pane(qtbot, workspace)
    pane.open_target(contact_id=ids["Ada Lovelace"])
    assert "due" in pane.detail.facts.text() and pane.due_filter.isEnabled()
    log = pane._on_detail_action("log")
    assert isinstance(log, InteractionDialog) and log.isVisible()
    log.kind.setCurrentIndex(log.kind.findData("call"))
    log.summary.setText("Phoned about the talk")
    log.days_ago.setValue(2)
    ok(log)
    qtbot.waitUntil(lambda: "Phoned about the talk" in pane.detail.timeline.item(0).text())
    profile = svc.contact_profile(workspace, ids["Ada Lovelace"])
    assert profile is not None and profile.last_interaction_at == workspace.clock.now() - 2 * DAY
    done = pane._on_detail_action("contribution")
    assert isinstance(done, ContributionDialog)
    done.kind.setCurrentIndex(done.kind.findData("talk"))
    done.description.setText("Spoke at the Lyon meetup")
    ok(done)
    qtbot.waitUntil(lambda: "Spoke at the Lyon meetup" in pane.detail.timeline.item(0).text())


def test_csv_mapping_dialog_drives_the_import(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot, workspace)
    transfer.import_path(pane, FIXTURES / "linkedin.csv")  # read in a worker thread
    qtbot.waitUntil(lambda: getattr(pane, "mapping_dialog", None) is not None)
    dialog = pane.mapping_dialog
    assert isinstance(dialog, ColumnMappingDialog) and dialog.isVisible()
    assert dialog.preset.currentData() == "linkedin"  # detected from the header
    headers = dialog.table.headers
    assert dialog.mapping()[headers[0]] == "given_name"
    assert dialog.grid.item(0, 1).text().startswith("Linus")  # sample values shown
    # The user sends "Position" nowhere and "Company" into Location instead.
    position, company = headers.index("Position"), headers.index("Company")
    dialog.combos[position].setCurrentIndex(dialog.combos[position].findData(""))
    dialog.combos[company].setCurrentIndex(dialog.combos[company].findData("location"))
    assert dialog.mapping()["Position"] == "" and dialog.mapping()["Company"] == "location"
    ok(dialog)
    qtbot.waitUntil(lambda: hasattr(pane, "last_import"))
    assert pane.last_import.created == 3 and not pane.last_import.problems
    qtbot.waitUntil(lambda: pane.model.rowCount() == 3)
    ada = next(i for i in pane.model.ids if svc.contact_profile(workspace, i).display_name
               == "Ada Lovelace")  # fmt: skip
    profile = svc.contact_profile(workspace, ada)
    assert profile.location == "Analytical Engines Ltd" and profile.title is None
    # Cancelling imports nothing.
    transfer.import_path(pane, FIXTURES / "broken.csv")
    qtbot.waitUntil(lambda: pane.mapping_dialog is not dialog)
    dialog = pane.mapping_dialog
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()
    assert pane.model.rowCount() == 3


def test_lists_editor_creates_renames_colours_sets_cadence_deletes(  # type: ignore[no-untyped-def]
    qtbot, qt_loop, workspace: Workspace
) -> None:
    ids = seed(workspace)
    badges: list[str] = []
    pane = make_pane(qtbot, workspace)
    pane.badge_changed.connect(badges.append)
    pane.edit_lists_button.click()
    view = pane.views["lists"]
    assert pane.stack.currentWidget() is view
    assert [view.list.item(i).text() for i in range(view.list.count())] == [
        "Press  (1 person)", "Advocates  (1 person)",
    ]  # fmt: skip
    # Advocates every 7 days, in red, renamed: Linus (added 90 days ago) becomes due.
    view.list.setCurrentRow(1)
    assert view.name.text() == "Advocates" and view.delete_button.isEnabled()
    picker = view._on_color_clicked()
    assert isinstance(picker, QColorDialog) and picker.isVisible()
    picker.setCurrentColor(QColor("#d1495b"))
    picker.accept()
    view.cadence.setValue(7)
    view.name.setText("Advocates & friends")
    view.save_button.click()
    qtbot.waitUntil(lambda: "every 7 days" in view.list.item(1).text())
    row = lists.contact_lists(workspace)[1]
    assert (row.name, row.color, row.cadence_days) == ("Advocates & friends", "#d1495b", 7)
    qtbot.waitUntil(lambda: badges and badges[-1] == "2")
    pane.show_subview("due")
    assert {pane.views["due"].table.item(r, 0).text() for r in range(2)} == {
        "Ada Lovelace", "Linus Torvalds",
    }  # fmt: skip
    # The list filter is refreshed from a background read after the write.
    qtbot.waitUntil(lambda: pane.list_filter.findText("Advocates & friends (1)") > 0)
    # A name already used is refused under the form.
    pane.show_subview("lists")
    view.list.setCurrentRow(1)
    view.name.setText("press")
    view.save_button.click()
    qtbot.waitUntil(lambda: "already a list" in view.error.text())
    # A new list, then deleted after confirming.
    view.new_button.click()
    assert view.name.text() == "New list" and not view.delete_button.isEnabled()
    view.name.setText("Partners")
    view.cadence.setValue(14)
    view.save_button.click()
    qtbot.waitUntil(lambda: view.list.count() == 3 and view.name.text() == "Partners")
    assert view.list.currentItem().text() == "Partners  (0 people · every 14 days)"
    box = view.ask_delete()
    assert isinstance(box, QMessageBox) and "Partners" in box.text()
    next(b for b in box.buttons() if b.text() == "Delete").click()
    qtbot.waitUntil(lambda: view.list.count() == 2)
    assert [r.name for r in lists.contact_lists(workspace)] == ["Press", "Advocates & friends"]
    assert svc.contact_profile(workspace, ids["Linus Torvalds"]) is not None


def png(width: int, height: int, color: str) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_detail_shows_the_photo_round_or_initials(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    photo = png(300, 120, "#ff0000")
    with_photo = workspace.write(
        lambda: svc.create_contact(workspace, ContactInput("Photo Person", photo=photo))[0]
    ).result()
    pane = make_pane(qtbot, workspace)
    pane.open_target(contact_id=with_photo)
    avatar = pane.detail.avatar
    assert avatar.has_photo
    image = avatar.pixmap().toImage()
    assert image.width() == round(72 * avatar.devicePixelRatioF())
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert (centre.red(), centre.green(), centre.blue()) == (255, 0, 0)  # cropped, not squashed
    assert image.pixelColor(1, 1).alpha() == 0  # the corners are cut round
    pane.open_target(contact_id=ids["Grace Hopper"])
    assert not avatar.has_photo and "no photo" in avatar.toolTip()
    assert avatar.pixmap().toImage().pixelColor(36, 36).alpha() == 255  # a placeholder disc
    assert initials("Grace Brewster Hopper") == "GH" and initials("@octo") == "O"
    assert initials("") == "?"
    broken = avatar_pixmap(b"not an image", "Ada Lovelace", 40)
    assert broken.width() == 40 and not broken.toImage().isNull()


def test_similar_names_merge_asks_without_blocking(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    twin = workspace.write(lambda: svc.create_contact(workspace, ContactInput("Ada Lovelace"))[0])
    twin_id = twin.result()
    pane = make_pane(qtbot, workspace)
    pane.open_target(contact_id=ids["Ada Lovelace"])
    pane._on_detail_action("merge")
    dialog = pane.last_dialog
    assert isinstance(dialog, QInputDialog) and dialog.isVisible()
    dialog.accept()
    qtbot.waitUntil(lambda: svc.contact_profile(workspace, twin_id) is None)
