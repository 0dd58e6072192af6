"""iCalendar import/export: Google, Outlook and task-app files, broken entries, round trips."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from cmdesk.core.db import Workspace
from cmdesk.core.services import calendar, calendar_import, campaigns
from cmdesk.core.services import calendar_periods as periods
from cmdesk.formats import ical

FIXTURES = Path(__file__).parent.parent / "fixtures" / "calendar"
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def parse(name: str) -> ical.ParseResult:
    return ical.parse_ics((FIXTURES / name).read_bytes())


def load(ws: Workspace, name: str) -> calendar_import.ImportReport:
    parsed = parse(name)
    return ws.write(calendar_import.import_entries, ws, parsed.entries, parsed.problems).result()


def in_month(ws: Workspace, year: int, month: int, tz) -> list[calendar.Occurrence]:
    grid = periods.month_grid(year, month)
    return calendar.occurrences(ws, *periods.utc_bounds(grid[0], grid[-1], tz))


def test_google_file_time_zones_all_day_recurrence_and_overrides() -> None:
    entries = {(e.uid, e.recurrence_id): e for e in parse("google.ics").entries}
    standup = entries[("5k2v9q0m1n3b4c5d6e7f8g9h0i@google.com", None)]
    assert standup.data.timezone == "America/New_York"
    assert standup.data.rrule == "FREQ=WEEKLY;COUNT=8;BYDAY=TU"
    assert standup.exdates == (int(datetime(2026, 11, 3, 10, tzinfo=NEW_YORK).timestamp()),)
    devconf = entries[("devconf-berlin-2026@google.com", None)]
    assert (devconf.data.all_day, devconf.data.duration_minutes) == (True, 3 * 1440)
    assert devconf.data.location == "Messe Berlin, hall 4"
    webinar = entries[("webinar-webhooks@google.com", None)]
    assert (webinar.data.reminder_minutes, webinar.data.status) == (30, "draft")


def test_outlook_windows_zone_duration_and_all_day() -> None:
    entries = {e.data.title: e for e in parse("outlook.ics").entries}
    group = entries["Berlin user group"]
    assert group.data.timezone == "Europe/Berlin"  # from "W. Europe Standard Time"
    assert group.data.duration_minutes == 150  # DURATION:PT2H30M
    assert group.data.rrule.startswith("FREQ=MONTHLY") and group.data.reminder_minutes == 15
    assert entries["Newsletter deadline"].data.all_day


def test_tasks_become_tasks_and_undated_ones_go_to_the_backlog() -> None:
    entries = {e.uid: e.data for e in parse("tasks.ics").entries}
    slides = entries["task-slides-berlin@example.org"]
    assert (slides.item_type, slides.duration_minutes, slides.tags) == (
        "task",
        0,
        ("community", "talks"),
    )
    assert datetime.fromtimestamp(slides.starts_at, BERLIN).hour == 17
    assert entries["task-swag@example.org"].status == "published"
    idea = entries["idea-podcast@example.org"]
    assert (idea.starts_at, idea.status) == (None, "idea")


def test_broken_entries_are_reported_with_line_and_why_and_the_good_ones_kept() -> None:
    result = parse("broken.ics")
    assert sorted(e.uid for e in result.entries) == [
        "another-good@example.org",
        "good-one@example.org",
        "orphan-override@example.org",
    ]
    reasons = {p.line: p.reason for p in result.problems}
    assert "no start" in reasons[11]
    assert "DTSTART is not valid" in reasons[16]
    assert "RRULE" in reasons[22]
    assert "ends before it starts" in reasons[29]
    assert "duration" in reasons[49]  # a bad VALARM no longer sinks the whole file
    with pytest.raises(ical.IcsError):
        ical.parse_ics((FIXTURES / "not-a-calendar.ics").read_bytes())


def test_import_twice_creates_nothing_twice(workspace: Workspace) -> None:
    first = load(workspace, "google.ics")
    assert (first.created, first.problems) == (5, [])
    again = load(workspace, "google.ics")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert not again.changes
    count = workspace.db.execute_sql("SELECT COUNT(*) FROM calendar_item").fetchone()[0]
    assert count == 5


def test_imported_series_shows_moved_and_cancelled_occurrences(workspace: Workspace) -> None:
    load(workspace, "google.ics")
    standups = [o for o in in_month(workspace, 2026, 11, NEW_YORK) if "standup" in o.title]
    local = [datetime.fromtimestamp(o.starts_at, NEW_YORK) for o in standups]
    days = [d.strftime("%m-%d %H:%M") for d in local]
    # 3 Nov cancelled (EXDATE), 10 Nov moved to the 11th at 14:00, the rest at 10:00 local.
    assert "11-03 10:00" not in days and "11-10 10:00" not in days
    assert "11-11 14:00" in days and "11-17 10:00" in days
    assert "11-24 10:00" in days


def test_orphan_override_is_skipped_in_the_import(workspace: Workspace) -> None:
    report = load(workspace, "broken.ics")
    assert report.created == 2
    assert any(p.startswith("line 42:") and "series" in p for p in report.problems)


def test_export_round_trip_keeps_everything_and_reimports_as_unchanged(
    workspace: Workspace,
) -> None:
    load(workspace, "google.ics")
    load(workspace, "outlook.ics")
    load(workspace, "tasks.ics")
    ids = calendar.item_ids_matching(workspace)
    details = calendar.item_details(workspace, ids)
    data = ical.export_ics(details, {}, workspace.clock.now())
    parsed = icalendar.Calendar.from_ical(data)
    tzids = {str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")}
    assert {"America/New_York", "Europe/Berlin"} <= tzids
    recurrence_ids = [c for c in parsed.walk("VEVENT") if c.get("RECURRENCE-ID") is not None]
    assert len(recurrence_ids) == 1
    assert len(parsed.walk("VTODO")) == 1  # the undated idea; dated tasks are events
    report = workspace.write(
        calendar_import.import_entries, workspace, ical.parse_ics(data).entries
    ).result()
    assert (report.created, report.updated, report.problems) == (0, 0, [])


def test_items_without_uid_export_a_stable_uid_that_reimports_onto_them(
    workspace: Workspace,
) -> None:
    workspace.db.execute_sql(
        "INSERT INTO calendar_item(id, title, item_type, channels, status, starts_at, "
        "duration_minutes, all_day, timezone, tags, created_at, updated_at) VALUES "
        "(7, 'Demo post', 'blog_post', '[\"blog\"]', 'draft', 1795510800, 60, 0, 'UTC', '[]', 5, 5)"
    )
    workspace.write(
        campaigns.save_campaign, workspace, campaigns.CampaignInput("Winter release")
    ).result()
    details = calendar.item_details(workspace, [7])
    data = ical.export_ics(details, {}, workspace.clock.now())
    assert b"UID:cmdesk-item-7-5@cmdesk" in data
    (entry,) = ical.parse_ics(data).entries
    assert (entry.data.item_type, entry.data.channels, entry.data.status) == (
        "blog_post",
        ("blog",),
        "draft",
    )
    report = workspace.write(calendar_import.import_entries, workspace, [entry]).result()
    assert (report.created, report.unchanged) == (0, 1)


def test_floating_times_use_the_calendar_zone() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Europe/Paris\r\nBEGIN:VEVENT\r\n"
        "UID:f@x\r\nDTSTART:20261124T090000\r\nSUMMARY:Floating\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (entry,) = ical.parse_ics(text.encode()).entries
    assert entry.data.timezone == "Europe/Paris"
    assert datetime.fromtimestamp(entry.data.starts_at, UTC).hour == 8
