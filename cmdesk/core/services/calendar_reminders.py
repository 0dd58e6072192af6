"""Reminders for upcoming and due calendar items, computed in the app (no external scheduler).

Imports no Qt. An item with ``reminder_minutes`` set reminds the user that many minutes before
each occurrence starts (0: when it is due). The app asks :func:`due_reminders` at start-up and on a
timer for the reminders that fell due since it last asked, so reminders missed while the app was
closed are still shown (within ``CATCH_UP_SECONDS``) and none is shown twice in one run. Cancelled
and published items do not remind. Limits: one reminder per item (iCalendar allows several).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, tzinfo

from cmdesk.core.db import Workspace
from cmdesk.core.services import recurrence
from cmdesk.core.services.calendar import TYPE_TITLES

CATCH_UP_SECONDS = 12 * 3600
LONGEST_REMINDER_SECONDS = 31 * 86400


@dataclass(frozen=True)
class Reminder:
    item_id: int
    title: str
    item_type: str
    starts_at: int
    remind_at: int
    all_day: bool

    def message(self, now: int, tz: tzinfo) -> str:
        """Text for a desktop notification: Blog post: starts in 30 minutes (Tue 24 Nov 09:00)."""
        when = datetime.fromtimestamp(self.starts_at, tz)
        at = when.strftime("%a %d %b") if self.all_day else when.strftime("%a %d %b %H:%M")
        left = self.starts_at - now
        if left <= 0:
            lead = "due now"
        elif left < 3600:
            lead = f"starts in {max(1, round(left / 60))} minutes"
        elif left < 86400:
            lead = f"starts in {round(left / 3600)} hours"
        else:
            lead = f"starts in {round(left / 86400)} days"
        return f"{TYPE_TITLES.get(self.item_type, self.item_type)}: {lead} ({at})"


def due_reminders(ws: Workspace, since: int, until: int) -> list[Reminder]:
    """Reminders whose time is in ``(since, until]``, oldest first."""
    since = max(since, until - CATCH_UP_SECONDS)
    rows = ws.db.execute_sql(
        "SELECT id, title, item_type, starts_at, reminder_minutes, all_day, rrule, timezone, "
        "exdates, (SELECT json_group_array(o.recurrence_id) FROM calendar_item o "
        "          WHERE o.recurrence_parent_id = calendar_item.id) "
        "FROM calendar_item WHERE reminder_minutes IS NOT NULL AND starts_at IS NOT NULL "
        "AND status NOT IN ('published', 'cancelled') "
        "AND (rrule IS NOT NULL OR (starts_at > ? AND starts_at <= ?))",
        (since, until + LONGEST_REMINDER_SECONDS),
    ).fetchall()
    found: list[Reminder] = []
    for item_id, title, kind, first, minutes, all_day, rule, timezone, exdates, moved in rows:
        lead = minutes * 60
        if rule:
            skip = [*(json.loads(exdates) if exdates else ()), *json.loads(moved or "[]")]
            starts = recurrence.expand(
                rule, first, timezone, bool(all_day), since + lead + 1, until + lead + 1, 0, skip
            )
        else:
            starts = [first]
        for start in starts:
            remind_at = start - lead
            if since < remind_at <= until:
                found.append(Reminder(item_id, title, kind, start, remind_at, bool(all_day)))
    found.sort(key=lambda reminder: (reminder.remind_at, reminder.item_id))
    return found


def next_reminder_at(ws: Workspace, after: int) -> int | None:
    """When the next reminder is due (for the timer), looking a day ahead; None if none."""
    upcoming = due_reminders(ws, after, after + 86400)
    return upcoming[0].remind_at if upcoming else None
