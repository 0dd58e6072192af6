"""Report tables and workspace settings.

Imports no Qt. ``WorkspaceSetting`` holds preferences that belong to the workspace (brand name,
the user's name), as opposed to per-machine window state, which lives in QSettings.
"""

from __future__ import annotations

import peewee as pw

from cmdesk.core.models.base import BaseModel, JSONField
from cmdesk.core.models.listening import Query

GOAL_METRICS = (
    "mention_volume",
    "positive_share",
    "median_first_response_minutes",
    "new_advocates",
    "items_published",
)


class ReportGoal(BaseModel):
    """A target for a metric per period (week, month or quarter), optionally for one query."""

    metric = pw.CharField()
    period = pw.CharField(default="month")
    target = pw.FloatField()
    query = pw.ForeignKeyField(Query, null=True, on_delete="CASCADE", backref="goals")


class ReportTemplate(BaseModel):
    """Which sections, in which order, for which queries and sources, over which period kind."""

    name = pw.CharField(unique=True)
    config = JSONField(default=dict)
    created_at = pw.IntegerField()


class Report(BaseModel):
    """A report for a period: the suggestions written for it, and when it was last exported.

    Typing suggestions creates the record; only exporting the PDF (pane or CLI) sets
    ``exported_at``, which is what "produced" means to the weekly reminder.
    """

    template = pw.ForeignKeyField(ReportTemplate, null=True, on_delete="SET NULL")
    title = pw.TextField(default="")
    period_from = pw.DateField()
    period_to = pw.DateField()
    suggestions = pw.TextField(default="")
    created_at = pw.IntegerField()
    exported_at = pw.IntegerField(null=True)


class WorkspaceSetting(BaseModel):
    key = pw.CharField(primary_key=True)
    value = JSONField(null=True)
