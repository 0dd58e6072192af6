"""Content-calendar tables: campaigns and calendar items (their contacts: ``contacts.py``).

Imports no Qt. ``starts_at`` is UTC seconds and NULL for the unscheduled backlog; ``timezone`` is
the IANA zone the item was planned in, so recurrences keep their wall-clock time across DST.
"""

from __future__ import annotations

import peewee as pw

from cmdesk.core.models.base import BaseModel, JSONField

ITEM_TYPES = (
    "blog_post",
    "social_post",
    "newsletter",
    "video",
    "press_release",
    "case_study",
    "event",
    "task",
)
ITEM_STATUSES = ("idea", "draft", "in_review", "scheduled", "published", "cancelled")


class Campaign(BaseModel):
    name = pw.CharField(unique=True)
    starts_on = pw.DateField(null=True)
    ends_on = pw.DateField(null=True)
    goals = pw.TextField(null=True)
    color = pw.CharField(null=True)
    notes = pw.TextField(null=True)


class CalendarItem(BaseModel):
    title = pw.TextField()
    item_type = pw.CharField(default="blog_post")
    channels = JSONField(default=list)
    status = pw.CharField(default="idea")
    owner = pw.CharField(null=True)
    starts_at = pw.IntegerField(null=True)
    duration_minutes = pw.IntegerField(default=60)
    all_day = pw.BooleanField(default=False)
    timezone = pw.CharField(default="UTC")
    campaign = pw.ForeignKeyField(Campaign, null=True, on_delete="SET NULL", backref="items")
    tags = JSONField(default=list)
    brief = pw.TextField(null=True)
    published_url = pw.TextField(null=True)
    location = pw.TextField(null=True)
    travel_starts_on = pw.DateField(null=True)
    travel_ends_on = pw.DateField(null=True)
    rrule = pw.TextField(null=True)  # RFC 5545 RRULE value
    exdates = JSONField(null=True)  # UTC seconds of cancelled occurrences
    recurrence_parent = pw.ForeignKeyField(
        "self", null=True, on_delete="CASCADE", backref="overrides"
    )
    recurrence_id = pw.IntegerField(null=True)  # the occurrence (UTC seconds) this overrides
    uid = pw.CharField(null=True, unique=True)  # iCalendar UID, for idempotent imports
    reminder_minutes = pw.IntegerField(null=True)
    created_at = pw.IntegerField()
    updated_at = pw.IntegerField()

    class Meta:
        indexes = (
            (("starts_at",), False),
            (("status", "starts_at"), False),
            (("published_url",), False),
        )
