"""The weekly report reminder across week boundaries, zones and DST changes (Europe/Paris)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cmdesk.core.db import Workspace
from cmdesk.core.services import reports
from cmdesk.core.services.report_reminder import (
    ReminderSettings,
    reminder_settings,
    set_reminder_settings,
    weekly_report_due,
)

PARIS = ZoneInfo("Europe/Paris")


def utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())  # type: ignore[misc]


def produce(ws: Workspace, first: date, last: date) -> None:
    reports.save_period_report(ws, first, last, "", None, "Weekly", exported=True)


def test_suggestions_typed_for_the_week_do_not_count_as_produced(workspace: Workspace) -> None:
    week = (date(2026, 11, 9), date(2026, 11, 15))
    reports.save_period_report(workspace, *week, "A note for management", None, "Weekly")
    reports.save_report(workspace, title="Weekly", period_from=week[0], period_to=week[1],
                        suggestions="an older record, never exported")  # fmt: skip
    state = weekly_report_due(workspace, utc(2026, 11, 18, 12, 0), PARIS)
    assert state.due and not state.produced
    produce(workspace, *week)
    assert weekly_report_due(workspace, utc(2026, 11, 18, 12, 0), PARIS).produced


def test_due_from_monday_nine_local_until_the_report_is_saved(workspace: Workspace) -> None:
    before = weekly_report_due(workspace, utc(2026, 11, 16, 7, 59), PARIS)  # 08:59 in Paris
    assert not before.due and before.enabled and not before.produced
    assert (before.first, before.last) == (date(2026, 11, 9), date(2026, 11, 15))
    assert before.due_at == utc(2026, 11, 16, 8, 0)
    at_nine = weekly_report_due(workspace, utc(2026, 11, 16, 8, 0), PARIS)
    assert at_nine.due
    produce(workspace, date(2026, 11, 2), date(2026, 11, 8))  # another week does not count
    assert weekly_report_due(workspace, utc(2026, 11, 18, 12, 0), PARIS).due
    produce(workspace, date(2026, 11, 9), date(2026, 11, 15))
    after = weekly_report_due(workspace, utc(2026, 11, 18, 12, 0), PARIS)
    assert not after.due and after.produced


def test_the_week_turns_over_at_local_midnight(workspace: Workspace) -> None:
    sunday_night = weekly_report_due(workspace, utc(2026, 11, 22, 22, 59), PARIS)  # 23:59 local
    assert sunday_night.due and sunday_night.first == date(2026, 11, 9)
    monday = weekly_report_due(workspace, utc(2026, 11, 22, 23, 0), PARIS)  # 00:00 Monday local
    assert monday.first == date(2026, 11, 16) and not monday.due  # not before 09:00


def test_local_day_differs_from_the_utc_day(workspace: Workspace) -> None:
    la = ZoneInfo("America/Los_Angeles")
    # Monday 05:00 UTC is still Sunday 21:00 in Los Angeles: "last week" is 2-8 November.
    state = weekly_report_due(workspace, utc(2026, 11, 16, 5, 0), la)
    assert (state.first, state.last) == (date(2026, 11, 2), date(2026, 11, 8))
    assert state.due and state.due_at == utc(2026, 11, 9, 17, 0)  # Monday 09:00 PST


def test_other_day_and_time_and_switched_off(workspace: Workspace) -> None:
    set_reminder_settings(workspace, ReminderSettings(True, 4, time(17, 30)))  # Friday 17:30
    assert reminder_settings(workspace) == ReminderSettings(True, 4, time(17, 30))
    assert not weekly_report_due(workspace, utc(2026, 11, 19, 20, 0), PARIS).due  # Thursday
    assert not weekly_report_due(workspace, utc(2026, 11, 20, 16, 29), PARIS).due  # 17:29
    assert weekly_report_due(workspace, utc(2026, 11, 20, 16, 30), PARIS).due
    set_reminder_settings(workspace, ReminderSettings(False, 4, time(17, 30)))
    off = weekly_report_due(workspace, utc(2026, 11, 21, 12, 0), PARIS)
    assert not off.due and not off.enabled


def test_monday_nine_is_a_different_utc_hour_after_clocks_go_back(workspace: Workspace) -> None:
    # Clocks go back on Sunday 25 October 2026: Monday 09:00 is 07:00 UTC before, 08:00 after.
    assert weekly_report_due(workspace, utc(2026, 10, 19, 12), PARIS).due_at == utc(
        2026, 10, 19, 7, 0
    )
    late = weekly_report_due(workspace, utc(2026, 10, 26, 7, 30), PARIS)
    assert late.due_at == utc(2026, 10, 26, 8, 0) and not late.due
    assert (late.first, late.last) == (date(2026, 10, 19), date(2026, 10, 25))


def test_a_time_in_the_spring_gap_falls_after_it(workspace: Workspace) -> None:
    # 02:30 does not exist on Sunday 29 March 2026 in Paris: the reminder comes at 03:30 CEST.
    set_reminder_settings(workspace, ReminderSettings(True, 6, time(2, 30)))
    assert not weekly_report_due(workspace, utc(2026, 3, 29, 1, 29), PARIS).due
    state = weekly_report_due(workspace, utc(2026, 3, 29, 1, 30), PARIS)
    assert state.due and state.due_at == utc(2026, 3, 29, 1, 30)


def test_a_time_that_happens_twice_is_its_first_occurrence(workspace: Workspace) -> None:
    set_reminder_settings(workspace, ReminderSettings(True, 6, time(2, 30)))
    state = weekly_report_due(workspace, utc(2026, 10, 25, 0, 30), PARIS)  # 02:30 CEST
    assert state.due and state.due_at == utc(2026, 10, 25, 0, 30)


@pytest.mark.parametrize(
    "stored",
    [None, "monday", {"weekday": 9}, {"time": "late"}, {"weekday": "1", "time": "25:00"}],
)
def test_malformed_settings_fall_back_to_monday_nine(stored: object) -> None:
    assert ReminderSettings.from_json(stored) == ReminderSettings()
    assert ReminderSettings().describe() == "Mondays at 09:00"
