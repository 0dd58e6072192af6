"""The pane's work lists and bulk actions over real services on a temp workspace."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox
from test_pane import make_pane, seed

from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_activity as act
from cmdesk.core.services import contacts_lists as lists
from cmdesk.core.services.contacts import ContactInput, DetailInput


def create(ws: Workspace, name: str, **kwargs) -> int:  # type: ignore[no-untyped-def]
    return ws.write(lambda: svc.create_contact(ws, ContactInput(name, **kwargs))[0]).result()


def test_duplicates_keep_the_chosen_record_and_merge_chained_pairs(
    qtbot, qt_loop, workspace: Workspace
) -> None:  # type: ignore[no-untyped-def]
    same = (DetailInput("email", "jane@x.example"),)
    ids = [create(workspace, n, details=same) for n in ("Jane Doe", "J. Doe", "Jane D.")]
    pane = make_pane(qtbot, workspace)
    pane.show_subview("duplicates")
    view = pane.views["duplicates"]
    qtbot.waitUntil(lambda: view.table.rowCount() == 2)  # (Jane, J.) and (Jane, Jane D.)
    row = view.keys.index((ids[0], ids[1]))
    view.table.selectRow(row)
    view.swap()
    assert view.keys[row] == (ids[1], ids[0])
    assert view.table.item(row, 0).text() == "J. Doe"
    view.table.selectAll()
    view._on_merge(view.selected_keys())  # J. Doe kept: Jane Doe then Jane D. go into it
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    assert svc.contact_profile(workspace, ids[1]) is not None
    assert all(svc.contact_profile(workspace, i) is None for i in (ids[0], ids[2]))


def click(box: QMessageBox, text: str) -> None:
    next(b for b in box.buttons() if b.text() == text).click()


def test_bulk_stage_lists_and_delete_with_confirmation(
    qtbot, qt_loop, workspace: Workspace
) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    pane = make_pane(qtbot, workspace)
    pane.table.selectAll()
    assert len(pane.selected_ids()) == 3
    menu = pane.selection_menu
    menu._fill()
    titles = [a.text() for a in menu.menu_.actions()]
    assert "Delete 3 contacts…" in titles
    menu.set_stage("engaged")
    menu.add_to_list("Speakers")
    qtbot.waitUntil(lambda: all(
        (p := svc.contact_profile(workspace, i)) is not None and p.stage == "engaged"
        and "Speakers" in [n for _, n in p.lists] for i in ids.values()))  # fmt: skip
    speakers = next(r.id for r in lists.contact_lists(workspace) if r.name == "Speakers")
    menu.remove_from_list(speakers)
    qtbot.waitUntil(
        lambda: next(r.members for r in lists.contact_lists(workspace) if r.name == "Speakers") == 0
    )
    pane.table.clearSelection()
    pane.select_row(pane.model.row_of(ids["Grace Hopper"]))
    box = menu.delete()
    assert box is not None and box.isVisible() and "Grace Hopper" in box.text()
    click(box, "Cancel")
    assert svc.contact_profile(workspace, ids["Grace Hopper"]) is not None
    pane.table.selectAll()
    box = menu.delete()
    assert box is not None and "3 contacts" in box.text()
    click(box, "Delete")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0)


def test_delete_interactions_and_contributions(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    ada = ids["Ada Lovelace"]
    workspace.write(act.log_interaction, workspace, ada, "call", summary="Phoned").result()
    talk, _ = workspace.write(act.log_contribution, workspace, ada, "talk", "Talk").result()
    workspace.write(act.log_contribution, workspace, ada, "post", "A post").result()
    pane = make_pane(qtbot, workspace)
    pane.open_target(contact_id=ada)
    timeline = pane.detail.timeline
    row = next(r for r in range(timeline.count()) if "Phoned" in timeline.item(r).text())
    assert not pane.detail.delete_entry.isEnabled()
    timeline.setCurrentRow(row)
    assert pane.detail.delete_entry.isEnabled()
    pane.detail.delete_entry.click()
    box = next(w for w in pane.findChildren(QMessageBox) if w.isVisible())
    click(box, "Delete")
    qtbot.waitUntil(
        lambda: [e.kind for e in act.timeline(workspace, ada)].count("interaction") == 0
    )
    assert svc.contact_profile(workspace, ada).last_interaction_at is None  # type: ignore[union-attr]
    pane.show_subview("unrecognised")
    view = pane.views["unrecognised"]
    assert view.table.rowCount() == 2
    view.table.selectRow(view.keys.index(talk))
    box = view._on_delete(view.selected_keys())
    click(box, "Delete")
    qtbot.waitUntil(lambda: view.table.rowCount() == 1)
    assert [c.description for c in act.contributions(workspace)] == ["A post"]


def test_recognising_asks_without_blocking(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    workspace.write(act.log_contribution, workspace, ids["Ada Lovelace"], "talk", "Talk").result()
    pane = make_pane(qtbot, workspace)
    pane.show_subview("unrecognised")
    view = pane.views["unrecognised"]
    view.table.selectRow(0)
    view._on_recognise(view.selected_keys())
    dialog = pane.last_dialog
    assert isinstance(dialog, QInputDialog) and dialog.isVisible()
    dialog.setTextValue("Thanked in the newsletter")
    dialog.accept()
    qtbot.waitUntil(lambda: act.unrecognised_count(workspace) == 0)


def test_a_new_workspace_gets_the_usual_lists(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot, workspace)
    qtbot.waitUntil(lambda: pane.list_filter.findText("Influencers (0)") >= 0)
    assert pane.list_filter.findText("User-group leads (0)") >= 0


def test_organisations_filter_view_and_edit(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    for name, org in (("Ada", "Engines"), ("Charles", "Engines"), ("Grace", "Navy"),
                      ("Linus", None)):  # fmt: skip
        create(workspace, name, organisation=org)
    pane = make_pane(qtbot, workspace)
    assert pane.model.rowCount() == 4
    combo = pane.organisation_filter
    combo.setCurrentIndex(combo.findText("Navy"))
    assert pane.model.rowCount() == 1 and pane.detail.name.text() == "Grace"
    combo.setCurrentIndex(0)
    assert pane.model.rowCount() == 4
    pane.show_subview("organisations")
    view = pane.views["organisations"]
    assert [view.table.item(r, 0).text() for r in range(view.table.rowCount())] == [
        "Engines", "Navy"]  # fmt: skip
    assert view.table.item(0, 1).text() == "2"
    view.search.setText("nav")
    assert view.table.rowCount() == 1
    view.search.clear()
    view.table.selectRow(0)
    dialog = view._on_edit(view.selected_keys())
    assert dialog is not None and dialog.isVisible() and dialog.name.text() == "Engines"
    dialog.name.setText("Analytical Engines")
    dialog.website.setText("https://engines.example")
    dialog.accept()
    qtbot.waitUntil(lambda: view.table.item(0, 0).text() == "Analytical Engines")
    assert view.table.item(0, 2).text() == "https://engines.example"
    view.table.selectRow(0)
    view.table.doubleClicked.emit(view.table.model().index(0, 0))
    assert pane.stack.currentIndex() == 0 and pane.model.rowCount() == 2
    assert combo.currentText() == "Analytical Engines"
