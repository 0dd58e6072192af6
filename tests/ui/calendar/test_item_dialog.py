"""The item dialog edits every field and gives back what the services take."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate

from cmdesk.core.db import Workspace
from cmdesk.core.services import calendar, calendar_edits
from cmdesk.core.services.calendar_edits import ItemInput
from cmdesk.core.services.item_mentions import MentionStats
from cmdesk.ui.calendar.item_dialog import ItemDialog


def test_an_item_round_trips_through_the_dialog(qtbot, workspace: Workspace) -> None:  # noqa: ANN001
    start = int(datetime(2026, 12, 3, 9, tzinfo=UTC).timestamp())
    data = ItemInput(
        title="DevConf talk",
        item_type="event",
        status="scheduled",
        channels=("in person",),
        owner="Sam",
        starts_at=start,
        duration_minutes=90,
        timezone="Europe/Paris",
        tags=("talks",),
        brief="Slides due a week before.",
        location="Hall 4",
        rrule="FREQ=MONTHLY;BYDAY=1TH",
        reminder_minutes=1440,
        published_url="https://example.org/talk",
    )
    item_id = workspace.write(calendar_edits.create_item, workspace, data).result().item_id
    detail = calendar.item_detail(workspace, item_id)
    opened: list[str] = []
    dialog = ItemDialog(
        None,
        detail=detail,
        owners=["Sam"],
        default_zone="UTC",
        stats=MentionStats("https://example.org/talk", 23, 18, 3, 2),
        open_mentions=opened.append,
    )
    qtbot.addWidget(dialog)
    value = dialog.value()
    assert value == calendar_edits.check_input(value)  # already clean
    for name in (
        "title",
        "item_type",
        "status",
        "channels",
        "owner",
        "starts_at",
        "duration_minutes",
        "timezone",
        "tags",
        "brief",
        "location",
        "rrule",
        "reminder_minutes",
        "published_url",
    ):
        assert getattr(calendar_edits.check_input(value), name) == getattr(detail, name), name
    assert dialog.mentions_label.text() == "Earned 23 mentions, 78% positive."
    dialog.travel_check.setChecked(True)
    dialog.travel_from.setDate(QDate(2026, 12, 2))
    dialog.travel_to.setDate(QDate(2026, 12, 4))
    dialog.scheduled_check.setChecked(False)
    unscheduled = dialog.value()
    assert (unscheduled.starts_at, unscheduled.rrule) == (None, None)
    assert str(unscheduled.travel_starts_on) == "2026-12-02"


def test_people_are_found_as_you_type_among_every_contact(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    from cmdesk.core.services import contacts as contact_svc
    from cmdesk.core.services import contacts_query
    from cmdesk.core.services.contacts import ContactInput

    def add_all() -> None:
        for n in range(6000):  # more than the old picker's 5,000
            contact_svc.create_contact(workspace, ContactInput(f"Person {n:05d}"))
        contact_svc.create_contact(workspace, ContactInput("Zoe Last", organisation="Acme"))

    workspace.write(add_all).result()
    dialog = ItemDialog(None, find_contacts=lambda text: contacts_query.find(workspace, text))
    qtbot.addWidget(dialog)
    dialog.person_edit.setText("zoe")
    assert dialog.search_people() == ["Zoe Last · Acme"]
    dialog.role_edit.setText("speaker")
    dialog._on_add_person_clicked()
    assert dialog.people_list.item(0).text() == "Zoe Last — speaker"
    dialog.person_edit.setText("Person 0")
    assert len(dialog.search_people()) == 20  # bounded
    dialog._on_add_person_clicked()  # ambiguous: nothing added
    assert dialog.people_list.count() == 1
