"""The contacts pane over real services on a temp workspace: list, filters, detail, import."""

from __future__ import annotations

from pathlib import Path

from inbox_data import add_author, add_mention, add_source

from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts as svc
from cmdesk.core.services.contacts import ContactInput, DetailInput, HandleInput
from cmdesk.ui.contacts import transfer
from cmdesk.ui.contacts.pane import ContactsPane
from cmdesk.ui.pane import make_test_context

FIXTURES = Path(__file__).parents[2] / "fixtures" / "contacts"
DAY = 86_400


def seed(ws: Workspace) -> dict[str, int]:
    """Three contacts added 90 days ago: Ada (every 30 days, so due), Grace and Linus."""
    ids = {}
    now = ws.clock.now()
    ws.clock.now_fn = lambda: now - 90 * DAY
    for name, lists, cadence in (("Ada Lovelace", ("Press",), 30), ("Grace Hopper", (), None),
                                 ("Linus Torvalds", ("Advocates",), None)):  # fmt: skip
        ids[name] = ws.write(lambda n=name, li=lists, c=cadence: svc.create_contact(
            ws, ContactInput(n, lists=li, cadence_days=c,
                             details=(DetailInput("email", f"{n.split()[0].lower()}@x.example"),))
        )[0]).result()  # fmt: skip
    ws.clock.now_fn = lambda: now
    return ids


def make_pane(qtbot, workspace: Workspace) -> ContactsPane:  # type: ignore[no-untyped-def]
    ctx = make_test_context(workspace)
    pane = ContactsPane(ctx)
    qtbot.addWidget(pane)
    ctx.events.changed.connect(pane.on_changes)
    pane.show()  # the list is read when the pane is first shown
    return pane


def test_list_search_filters_and_detail(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    badges: list[str] = []
    pane = make_pane(qtbot, workspace)
    pane.badge_changed.connect(badges.append)
    pane.reload()
    assert pane.model.rowCount() == 3
    assert pane.detail.name.text() == "Ada Lovelace"  # the first row is shown
    pane.search.setText("grace@")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    assert pane.model.data(pane.model.index(0, 0)) == "Grace Hopper"
    pane.search.clear()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 3)
    pane.list_filter.setCurrentIndex(pane.list_filter.findText("Advocates (1)"))
    assert [pane.model.contact_id(0)] == [ids["Linus Torvalds"]]
    pane.list_filter.setCurrentIndex(0)
    pane.due_filter.setChecked(True)
    assert pane.model.rowCount() == 1 and pane.detail.contact_id == ids["Ada Lovelace"]
    assert pane.ctx.notifications == [("Keep in touch", "1 contact is due a follow-up.")]
    pane.detail.action_requested.emit("today")  # logged contact today clears the due
    qtbot.waitUntil(lambda: bool(badges) and badges[-1] == "")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0)


def test_keyboard_navigation_and_timeline(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    seed(workspace)
    pane = make_pane(qtbot, workspace)
    pane.show()
    pane.table.setFocus()
    from PySide6.QtCore import Qt

    qtbot.keyClick(pane.table, Qt.Key.Key_Down)
    assert pane.detail.name.text() == "Grace Hopper"
    pane.detail.action_requested.emit("today")
    qtbot.waitUntil(lambda: pane.detail.timeline.count() == 1
                    and "Kept in touch" in pane.detail.timeline.item(0).text())  # fmt: skip
    pane.detail.kind_boxes["interaction"].setChecked(False)
    assert "Nothing yet" in pane.detail.timeline.item(0).text()


def test_open_target_contact_and_author(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    author = workspace.db.execute_sql(
        "INSERT INTO author(network, handle, name, reach, first_seen_at) "
        "VALUES ('github', 'octo', 'Octo Cat', 50, 0)"
    ).lastrowid
    pane = make_pane(qtbot, workspace)
    pane.search.setText("ada")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    pane.open_target(contact_id=ids["Grace Hopper"])  # hidden by the search: filters reset
    assert pane.detail.name.text() == "Grace Hopper" and pane.search.text() == ""
    pane.open_target(author_id=author)
    assert not pane.author_offer.isHidden() and "Octo Cat" in pane.author_offer_text.text()
    pane.author_offer_button.click()
    qtbot.waitUntil(lambda: pane.detail.name.text() == "Octo Cat")
    profile = svc.contact_profile(workspace, pane.detail.contact_id)
    assert profile is not None and profile.handles == (HandleInput("github", "octo", None, 50),)


def test_import_with_a_mapping_reports_bad_lines(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot, workspace)
    from cmdesk.formats import contacts_csv

    table = contacts_csv.read_table((FIXTURES / "broken.csv").read_bytes())
    transfer.import_path(pane, FIXTURES / "broken.csv", mapping=contacts_csv.guess_mapping(
        table.headers, contacts_csv.detect_preset(table.headers)))  # fmt: skip
    qtbot.waitUntil(lambda: hasattr(pane, "last_import"))
    assert pane.last_import.created == 3 and len(pane.last_import.problems) == 4
    qtbot.waitUntil(lambda: pane.model.rowCount() == 3)
    pane.show_subview("duplicates")
    assert pane.stack.currentWidget() is pane.views["duplicates"]


def test_a_hidden_pane_reads_its_list_only_when_shown(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    ctx = make_test_context(workspace)
    pane = ContactsPane(ctx)
    qtbot.addWidget(pane)
    ctx.events.changed.connect(pane.on_changes)
    badges: list[str] = []
    pane.badge_changed.connect(badges.append)
    assert pane.model.rowCount() == 0  # nothing read at start-up for a pane not on screen
    pane.show()
    assert pane.model.rowCount() == 3
    pane.hide()
    ctx.tasks.write("add", svc.create_contact, workspace, ContactInput("Hedy Lamarr"))
    qtbot.waitUntil(lambda: bool(badges))  # the counts follow the change while hidden
    assert pane.model.rowCount() == 3
    pane.show()
    assert pane.model.rowCount() == 4
    assert pane.model.row_of(ids["Ada Lovelace"]) >= 0


def test_detail_paints_sentiment_per_month(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = seed(workspace)
    now = workspace.clock.now()
    src = add_source(workspace)
    author = add_author(workspace, "ada", contact_id=ids["Ada Lovelace"])
    tones = ("positive", "positive", "neutral", "negative")
    for n, label in enumerate(tones):
        add_mention(workspace, src, f"m{n}", author_id=author, published_at=now - n * DAY,
                    sentiment_label=label)  # fmt: skip
    add_mention(workspace, src, "older", author_id=author, published_at=now - 40 * DAY,
                sentiment_label="positive")  # fmt: skip
    pane = make_pane(qtbot, workspace)
    pane.resize(1100, 760)
    pane.reload()
    pane.detail.show_contact(ids["Ada Lovelace"])
    bars = pane.detail.sentiment_bars
    qtbot.waitUntil(lambda: len(bars.months) == 12)
    assert "Nov 2026: 4 mentions — 2 positive, 1 neutral, 1 negative" in bars.toolTip()
    assert "Oct 2026: 1 mention — 1 positive" in bars.toolTip()
    assert bars.accessibleDescription() == bars.toolTip()
    heights = [round(r.height()) for r in bars.bar_rects()]
    assert heights[-1] > heights[-2] > 0 and heights[0] == 0
    image = bars.grab().toImage()
    last = bars.bar_rects()[-1]
    x = int(last.center().x())
    assert image.pixelColor(x, int(last.bottom()) - 2).name() == "#c62828"  # negative at the foot
    assert image.pixelColor(x, int(last.top()) + 2).name() == "#2e7d32"  # positive on top
    pane.grab().save("/tmp/contacts_detail.png")


def test_header_sorts_by_organisation_stage_and_due(qtbot, qt_loop, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint, Qt

    ids = seed(workspace)  # only Ada has a cadence, so only she is due
    changes = (
        ("Ada Lovelace", "Zeta", "engaged", 30),
        ("Linus Torvalds", "Acme", "advocate", None),
    )
    for name, organisation, stage, cadence in changes:
        data = ContactInput(name, organisation=organisation, stage=stage, cadence_days=cadence)
        workspace.write(svc.update_contact, workspace, ids[name], data).result()
    pane = make_pane(qtbot, workspace)
    pane.resize(1200, 700)
    pane.reload()
    header = pane.table.horizontalHeader()

    def click(column: int) -> list[str]:
        x = header.sectionViewportPosition(column) + 10
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
        return [pane.model.data(pane.model.index(r, 0)) for r in range(pane.model.rowCount())]

    assert pane.model.headerData(5, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Due"
    assert click(1) == ["Linus Torvalds", "Ada Lovelace", "Grace Hopper"]  # Acme, Zeta, none
    assert click(1) == ["Ada Lovelace", "Linus Torvalds", "Grace Hopper"]  # none stays last
    assert click(2) == ["Linus Torvalds", "Grace Hopper", "Ada Lovelace"]  # advocate, aware…
    assert click(5) == ["Ada Lovelace", "Grace Hopper", "Linus Torvalds"]  # due first
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        5,
        Qt.SortOrder.AscendingOrder,
    )
    click(3)  # Lists cannot be sorted: the order and the arrow stay
    assert header.sortIndicatorSection() == 5 and pane.filter.sort == "due"
    due = pane.model.index(0, 5)
    assert pane.model.data(due) and pane.model.data(due, Qt.ItemDataRole.ForegroundRole)
    assert pane.model.data(pane.model.index(1, 5)) == ""
    pane.grab().save("/tmp/contacts_sorted.png")


def test_import_and_export_ask_for_files_without_blocking(
    qtbot, qt_loop, workspace, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    seed(workspace)
    pane = make_pane(qtbot, workspace)
    asking = pane.export_file("csv")  # returns at once: the dialog is open, nothing runs a loop
    assert asking is not None and asking.isVisible()
    target = tmp_path / "out.csv"
    asking.fileSelected.emit(str(target))
    qtbot.waitUntil(target.exists, timeout=5000)
    assert "Ada Lovelace" in target.read_text(encoding="utf-8")
    asking = pane.import_file()
    assert asking is not None and asking.isVisible()
