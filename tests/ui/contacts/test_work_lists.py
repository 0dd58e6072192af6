"""The pane's work lists and bulk actions over real services on a temp workspace."""

from __future__ import annotations

from test_pane import make_pane

from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts as svc
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
