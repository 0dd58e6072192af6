"""Inbox tables: tags, internal notes, rules, alerts, saved views and canned responses.

Imports no Qt.
"""

from __future__ import annotations

import peewee as pw

from cmdesk.core.models.base import BaseModel, JSONField
from cmdesk.core.models.listening import Mention, Query


class Tag(BaseModel):
    name = pw.CharField(unique=True)
    color = pw.CharField(null=True)


class MentionTag(BaseModel):
    mention = pw.ForeignKeyField(Mention, on_delete="CASCADE", backref="tag_links", index=False)
    tag = pw.ForeignKeyField(Tag, on_delete="CASCADE", backref="mention_links", index=False)

    class Meta:
        primary_key = pw.CompositeKey("mention", "tag")
        indexes = ((("tag", "mention"), False),)


class MentionNote(BaseModel):
    """An internal note on a mention: never shown outside the team."""

    mention = pw.ForeignKeyField(Mention, on_delete="CASCADE", backref="notes")
    author = pw.CharField()
    body = pw.TextField()
    created_at = pw.IntegerField()


class Rule(BaseModel):
    """An automated inbox rule: conditions and actions as JSON, applied in ``position`` order."""

    name = pw.CharField()
    position = pw.IntegerField(default=0)
    enabled = pw.BooleanField(default=True)
    conditions = JSONField(default=list)
    actions = JSONField(default=list)
    created_at = pw.IntegerField()
    last_error = pw.TextField(null=True)


class Alert(BaseModel):
    """A raised alert (a spike of mentions, or a rule's alert action) and what triggered it."""

    kind = pw.CharField()  # "spike", "negative_spike", "rule"
    title = pw.TextField()
    detail = JSONField(null=True)
    query = pw.ForeignKeyField(Query, null=True, on_delete="SET NULL", backref="alerts")
    rule = pw.ForeignKeyField(Rule, null=True, on_delete="SET NULL", backref="alerts")
    mention = pw.ForeignKeyField(Mention, null=True, on_delete="SET NULL", backref="alerts")
    created_at = pw.IntegerField(index=True)
    acknowledged_at = pw.IntegerField(null=True)


class SavedView(BaseModel):
    """A named combination of inbox filters, shown in the sidebar."""

    name = pw.CharField()
    position = pw.IntegerField(default=0)
    filters = JSONField(default=dict)


class CannedResponse(BaseModel):
    """A saved reply; ``{name}`` in the body is filled with the author's name."""

    name = pw.CharField(unique=True)
    body = pw.TextField()
