"""The weekly report reminder: when it is due, and its settings (a workspace setting).

Imports no Qt (nor the report engine). The reminder asks for *last week's* report (Monday to
Sunday, local days) from a moment of the current week, the user's day and time (default Monday
09:00), until that week's report is produced: its PDF exported from the pane or by
``cmdesk report`` (``reports.produced_report_for``); suggestions typed for the week do not count.
A week whose report was never produced is not asked for again once the next week begins: the
reminder moves on to the newer week. A time that does not exist on the chosen day (the hour
skipped when clocks go forward) falls after the gap; a time that happens twice (clocks go back)
is its first one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services import reports as report_service
from cmdesk.core.services import workspace as workspace_service

SETTING_KEY = report_service.WEEKLY_REMINDER_KEY
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ReminderSettings:
    """On or off, and when in the week: ``weekday`` 0 is Monday; ``at`` is local time."""

    enabled: bool = True
    weekday: int = 0
    at: time = time(9, 0)

    def to_json(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "weekday": self.weekday, "time": f"{self.at:%H:%M}"}

    @classmethod
    def from_json(cls, data: Any) -> ReminderSettings:
        """Read a stored value; anything missing or malformed falls back to the default."""
        default = cls()
        if not isinstance(data, dict):
            return default
        weekday = data.get("weekday", default.weekday)
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            weekday = default.weekday
        try:
            hours, minutes = (int(part) for part in str(data.get("time", "09:00")).split(":"))
            at = time(hours, minutes)
        except ValueError:
            at = default.at
        return cls(bool(data.get("enabled", default.enabled)), weekday, at)

    def describe(self) -> str:
        return f"{WEEKDAYS[self.weekday]}s at {self.at:%H:%M}"


@dataclass(frozen=True)
class ReminderState:
    """Whether to remind now, about which week, and from when (UTC seconds)."""

    due: bool
    first: date  # last week, Monday
    last: date  # last week, Sunday
    due_at: int  # this week's reminder moment
    produced: bool
    enabled: bool


def reminder_settings(ws: Workspace) -> ReminderSettings:
    return ReminderSettings.from_json(workspace_service.get_setting(ws, SETTING_KEY))


def set_reminder_settings(ws: Workspace, settings: ReminderSettings) -> Changes:
    return workspace_service.set_setting(ws, SETTING_KEY, settings.to_json())


def reminder_moment(day_in_week: date, settings: ReminderSettings, tz: tzinfo) -> int:
    """UTC seconds of the reminder in the week holding ``day_in_week``."""
    monday = day_in_week - timedelta(days=day_in_week.weekday())
    local = datetime.combine(monday + timedelta(days=settings.weekday), settings.at, tzinfo=tz)
    return int(local.astimezone(UTC).timestamp())


def weekly_report_due(ws: Workspace, now: int, tz: tzinfo) -> ReminderState:
    """Whether last week's report is due at ``now`` (UTC seconds), days read in ``tz``."""
    settings = reminder_settings(ws)
    today = datetime.fromtimestamp(now, tz).date()
    first = today - timedelta(days=today.weekday() + 7)
    last = first + timedelta(days=6)
    due_at = reminder_moment(today, settings, tz)
    produced = report_service.produced_report_for(ws, first, last) is not None
    due = settings.enabled and now >= due_at and not produced
    return ReminderState(due, first, last, due_at, produced, settings.enabled)
