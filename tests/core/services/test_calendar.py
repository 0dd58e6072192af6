"""Calendar services: range reads, recurrence with exceptions, DST and week starts, overdue,
reminders, campaigns' progress and the mentions a published item earned."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from cmdesk.core.db import Workspace
from cmdesk.core.services import (
    calendar,
    calendar_edits,
    calendar_reminders,
    campaigns,
    item_mentions,
    recurrence,
)
from cmdesk.core.services import calendar_periods as periods
from cmdesk.core.services.calendar_edits import ItemInput

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, tz=UTC) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=tz).timestamp())


def create(ws: Workspace, **fields) -> int:
    fields.setdefault("title", "Item")
    return ws.write(calendar_edits.create_item, ws, ItemInput(**fields)).result().item_id


def month(ws: Workspace, year: int, month_: int, tz=UTC, filt=None):
    grid = periods.month_grid(year, month_, periods.MONDAY)
    start, end = periods.utc_bounds(grid[0], grid[-1], tz)
    return calendar.occurrences(ws, start, end, filt)


def test_type_and_status_titles_cover_the_schema() -> None:
    from cmdesk.core.models import ITEM_STATUSES, ITEM_TYPES

    assert set(calendar.TYPE_TITLES) == set(ITEM_TYPES)
    assert set(calendar.STATUS_TITLES) == set(ITEM_STATUSES)


def test_range_read_finds_items_overlapping_the_range_and_filters(workspace: Workspace) -> None:
    post = create(workspace, title="Launch post", starts_at=at(2026, 11, 24, 9), channels=("blog",))
    create(
        workspace,
        title="Long event",
        item_type="event",
        starts_at=at(2026, 10, 20),
        all_day=True,
        duration_minutes=20 * 1440,
    )
    create(workspace, title="Far away", starts_at=at(2027, 3, 1, 9))
    create(workspace, title="Idea without a date")
    titles = [occ.title for occ in month(workspace, 2026, 11)]
    assert titles == ["Long event", "Launch post"]
    only_blog = calendar.CalendarFilter(channels=("blog",))
    assert [o.item_id for o in month(workspace, 2026, 11, filt=only_blog)] == [post]
    assert [b.title for b in calendar.backlog(workspace)] == ["Idea without a date"]
    text = calendar.CalendarFilter(text="50%_off")
    assert month(workspace, 2026, 11, filt=text) == []


def test_weekly_series_keeps_wall_clock_time_across_dst(workspace: Workspace) -> None:
    first = at(2026, 10, 15, 9, tz=PARIS)  # a Thursday, summer time
    create(
        workspace,
        title="Weekly",
        item_type="newsletter",
        starts_at=first,
        timezone="Europe/Paris",
        rrule="FREQ=WEEKLY;BYDAY=TH",
        duration_minutes=30,
    )
    occurrences = month(workspace, 2026, 11, tz=PARIS)
    local_hours = {datetime.fromtimestamp(o.starts_at, PARIS).hour for o in occurrences}
    assert local_hours == {9}
    utc_hours = {datetime.fromtimestamp(o.starts_at, UTC).hour for o in occurrences}
    assert utc_hours == {8}  # winter time, one hour later in UTC than October's 07:00
    assert all(o.is_recurring and o.series_id == o.item_id for o in occurrences)


def test_move_and_cancel_one_occurrence(workspace: Workspace) -> None:
    series = create(
        workspace,
        title="User group",
        item_type="event",
        timezone="America/New_York",
        starts_at=at(2026, 11, 3, 18, tz=NEW_YORK),
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    occs = month(workspace, 2026, 11, tz=NEW_YORK)
    assert len(occs) == 4
    second, third = occs[1], occs[2]
    moved_to = second.starts_at + 86400 + 3600
    saved = workspace.write(calendar_edits.reschedule, workspace, second, moved_to).result()
    assert saved.item_id != series
    workspace.write(calendar_edits.cancel_occurrence, workspace, third).result()
    after = month(workspace, 2026, 11, tz=NEW_YORK)
    assert len(after) == 3
    moved = next(o for o in after if o.item_id == saved.item_id)
    assert (moved.starts_at, moved.series_id, moved.recurrence_id) == (
        moved_to,
        series,
        second.starts_at,
    )
    # Moving the whole series by a week keeps the exceptions attached to their occurrences.
    workspace.write(
        calendar_edits.reschedule, workspace, after[0], after[0].starts_at + 7 * 86400, None, True
    ).result()
    shifted = month(workspace, 2026, 11, tz=NEW_YORK)
    assert len(shifted) == 3
    detail = calendar.item_detail(workspace, series)
    assert detail.exdates == (third.starts_at + 7 * 86400,)


def test_drag_from_backlog_and_resize(workspace: Workspace) -> None:
    idea = create(workspace, title="Idea")
    backlog_occ = calendar.Occurrence(idea, 0, 3600, False, "Idea", "blog_post", "idea", None, None)
    when = at(2026, 11, 26, 14)
    workspace.write(calendar_edits.reschedule, workspace, backlog_occ, when, 90).result()
    (occ,) = month(workspace, 2026, 11)
    assert (occ.starts_at, occ.ends_at - occ.starts_at) == (when, 90 * 60)
    assert calendar.backlog(workspace) == []


def test_week_starts_iso_and_us() -> None:
    assert periods.month_grid(2026, 11, periods.MONDAY)[0] == date(2026, 10, 26)
    assert periods.month_grid(2026, 11, periods.SUNDAY)[0] == date(2026, 11, 1)
    assert periods.period_for("week", date(2026, 11, 20), periods.SUNDAY).first == date(
        2026, 11, 15
    )
    assert periods.period_for("week", date(2026, 11, 20), periods.MONDAY).first == date(
        2026, 11, 16
    )
    assert periods.shift("month", date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_dst_day_bounds_and_dropping_on_a_day() -> None:
    start, end = periods.utc_bounds(date(2026, 3, 29), date(2026, 3, 29), PARIS)
    assert end - start == 23 * 3600  # spring forward
    start, end = periods.utc_bounds(date(2026, 10, 25), date(2026, 10, 25), PARIS)
    assert end - start == 25 * 3600
    summer = at(2026, 10, 20, 9, tz=PARIS)
    moved = periods.moved_to_day(summer, False, date(2026, 11, 3), PARIS)
    assert datetime.fromtimestamp(moved, PARIS).hour == 9
    assert periods.days_covered(at(2026, 11, 2, 22), at(2026, 11, 3, 1), False, PARIS) == (
        date(2026, 11, 2),
        date(2026, 11, 3),
    )
    # An all-day item is a date wherever the viewer is.
    assert periods.days_covered(at(2026, 11, 2), at(2026, 11, 4), True, NEW_YORK) == (
        date(2026, 11, 2),
        date(2026, 11, 3),
    )


def test_spring_forward_gap_moves_the_occurrence_like_clocks_do() -> None:
    first = at(2026, 3, 22, 2, 30, tz=PARIS)
    (start,) = recurrence.expand(
        "FREQ=WEEKLY", first, "Europe/Paris", False, at(2026, 3, 29), at(2026, 3, 30)
    )
    assert datetime.fromtimestamp(start, PARIS).strftime("%H:%M") == "03:30"


def test_rules_are_checked_and_described() -> None:
    assert recurrence.normalise_rule("rrule:freq=weekly;until=20270101", "Europe/Paris") == (
        "FREQ=WEEKLY;UNTIL=20270101T225959Z"
    )
    with pytest.raises(recurrence.RecurrenceError, match="FREQ"):
        recurrence.normalise_rule("FREQ=SOMETIMES")
    with pytest.raises(recurrence.RecurrenceError, match="hourly"):
        recurrence.normalise_rule("FREQ=HOURLY")
    assert recurrence.describe_rule("FREQ=MONTHLY;BYDAY=2TH") == (
        "Every month on the second Thursday"
    )


def test_overdue_items_are_flagged_and_counted(workspace: Workspace, clock) -> None:
    now = clock.now()
    late = create(workspace, title="Late draft", status="draft", starts_at=now - 86400)
    create(workspace, title="Done", status="published", starts_at=now - 86400)
    create(
        workspace, title="Past event", item_type="event", status="scheduled", starts_at=now - 86400
    )
    create(workspace, title="Future", status="draft", starts_at=now + 86400)
    assert calendar.overdue_count(workspace) == 1
    assert [o.item_id for o in calendar.overdue_items(workspace)] == [late]
    flagged = {o.title: o.overdue for o in month(workspace, 2026, 11)}
    assert flagged == {"Late draft": True, "Done": False, "Past event": False, "Future": False}


def test_reminders_fall_due_once_including_series(workspace: Workspace, clock) -> None:
    now = clock.now()
    create(workspace, title="Webinar", item_type="event", starts_at=now + 1800, reminder_minutes=60)
    create(
        workspace,
        title="Weekly",
        item_type="newsletter",
        starts_at=now - 7 * 86400 + 600,
        rrule="FREQ=WEEKLY",
        reminder_minutes=15,
    )
    create(workspace, title="No reminder", starts_at=now + 600)
    due = calendar_reminders.due_reminders(workspace, now - 3600, now)
    assert [r.title for r in due] == ["Webinar", "Weekly"]
    assert due[1].starts_at == now + 600
    assert "starts in 10 minutes" in due[1].message(now, UTC)
    assert calendar_reminders.due_reminders(workspace, now, now + 60) == []


def test_campaign_progress_counts_published_over_planned(workspace: Workspace) -> None:
    saved = workspace.write(
        campaigns.save_campaign,
        workspace,
        campaigns.CampaignInput(
            "Launch", date(2026, 11, 1), date(2026, 12, 1), goals="300 sign-ups", color="#e76f51"
        ),
    ).result()
    for status in ("published", "published", "draft", "cancelled"):
        create(
            workspace,
            title=status,
            status=status,
            starts_at=at(2026, 11, 10),
            campaign_id=saved.campaign_id,
        )
    (row,) = campaigns.campaigns(workspace)
    assert (row.planned, row.published, row.progress) == (3, 2, pytest.approx(2 / 3))
    with pytest.raises(campaigns.CampaignError, match="already"):
        workspace.write(
            campaigns.save_campaign, workspace, campaigns.CampaignInput("Launch")
        ).result()


def test_published_item_counts_its_mentions(workspace: Workspace) -> None:
    con = workspace.db
    con.execute_sql(
        "INSERT INTO source(id, kind, name, url, all_items_are_mentions, enabled, "
        "interval_minutes, consecutive_failures, items_seen, created_at) "
        "VALUES (1, 'rss', 'Blogs', 'https://x', 0, 1, 15, 0, 0, 0)"
    )
    url = "https://blog.example.org/posts/launch"
    labels = ["positive"] * 4 + ["negative"]
    for n, label in enumerate(labels):
        con.execute_sql(
            "INSERT INTO mention(source_id, external_id, url, canonical_url, title, text, "
            "published_at, fetched_at, sentiment_label, state, starred, priority, needs_response)"
            " VALUES (1, ?, ?, ?, 't', 't', 0, 0, ?, 'new', 0, 0, 0)",
            (str(n), f"{url}?utm_source=x", url, label),
        )
    stats = item_mentions.mention_stats(
        workspace, "https://Blog.Example.org/posts/launch?utm_medium=a"
    )
    assert (stats.total, stats.positive, stats.negative) == (5, 4, 1)
    assert stats.sentence() == "Earned 5 mentions, 80% positive."
    assert item_mentions.inbox_filters(f"{url}#top") == {"url": url}
    assert item_mentions.mention_counts(workspace, [url, "https://nothing.example"]) == {
        url: 5,
        "https://nothing.example": 0,
    }


def test_invalid_input_is_refused(workspace: Workspace) -> None:
    with pytest.raises(calendar_edits.CalendarError, match="title"):
        calendar_edits.check_input(ItemInput(title="  "))
    with pytest.raises(calendar_edits.CalendarError, match="first date"):
        calendar_edits.check_input(ItemInput(title="x", rrule="FREQ=WEEKLY"))
    with pytest.raises(calendar_edits.CalendarError, match="time zone"):
        calendar_edits.check_input(ItemInput(title="x", timezone="Mars/Olympus"))


def test_campaign_items_are_listed_by_date_with_a_series_once(workspace: Workspace) -> None:
    campaign_id = (
        workspace.write(campaigns.save_campaign, workspace, campaigns.CampaignInput("Launch"))
        .result()
        .campaign_id
    )
    series = create(workspace, title="Weekly", starts_at=at(2026, 11, 2), rrule="FREQ=WEEKLY",
                    campaign_id=campaign_id)  # fmt: skip
    (occ, *_) = month(workspace, 2026, 11)
    workspace.write(calendar_edits.reschedule, workspace, occ, occ.starts_at + 3600, 60).result()
    create(workspace, title="Idea", campaign_id=campaign_id)
    create(workspace, title="Post", status="published", starts_at=at(2026, 10, 1),
           published_url="https://blog.example.org/p", campaign_id=campaign_id)  # fmt: skip
    items = campaigns.campaign_items(workspace, campaign_id)
    assert [(i.title, i.recurring, i.mentions) for i in items] == [
        ("Post", False, 0),
        ("Weekly", True, None),
        ("Idea", False, None),
    ]
    assert items[1].item_id == series


def test_restore_some_or_all_cancelled_occurrences(workspace: Workspace) -> None:
    series = create(workspace, title="Weekly", starts_at=at(2026, 11, 2), rrule="FREQ=WEEKLY")
    occs = month(workspace, 2026, 11)
    for occ in occs[1:4]:
        workspace.write(calendar_edits.cancel_occurrence, workspace, occ).result()
    restore = calendar_edits.restore_occurrences
    workspace.write(restore, workspace, series, [occs[2].starts_at]).result()
    assert calendar.item_detail(workspace, series).exdates == (
        occs[1].starts_at,
        occs[3].starts_at,
    )
    workspace.write(restore, workspace, series).result()
    assert calendar.item_detail(workspace, series).exdates == ()
    assert len(month(workspace, 2026, 11)) == len(occs)
