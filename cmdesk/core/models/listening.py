"""Listening tables: sources, keyword queries, authors and the mentions they produce.

Imports no Qt. ``Mention.id`` grows with arrival, so "newest first" is ``ORDER BY id DESC``: the
cheap key for keyset paging and for FTS5 hits (ordered by rowid).
"""

from __future__ import annotations

import peewee as pw

from cmdesk.core.models.base import BaseModel, JSONField
from cmdesk.core.models.contacts import Contact

SOURCE_KINDS = ("rss", "hackernews", "reddit", "mastodon", "bluesky", "stackexchange", "github")
QUERY_KINDS = ("brand", "product", "competitor", "topic")
MENTION_STATES = ("new", "open", "waiting", "done", "archived", "spam")
SENTIMENT_LABELS = ("positive", "neutral", "negative")


class Source(BaseModel):
    """Somewhere mentions come from: a feed URL or a search on a network."""

    kind = pw.CharField(default="rss")  # one of SOURCE_KINDS
    name = pw.CharField()
    url = pw.TextField(default="")  # feed URL, or the API base URL for search connectors
    site_url = pw.TextField(null=True)
    folder = pw.CharField(null=True)  # OPML folder
    config = JSONField(null=True)  # connector settings: instance, tag, site, search terms...
    account = pw.CharField(null=True)  # keychain account name; never the secret itself
    all_items_are_mentions = pw.BooleanField(default=False)
    enabled = pw.BooleanField(default=True)  # paused by the user when False
    disabled_reason = pw.TextField(null=True)  # set by the engine, e.g. "410 Gone"
    interval_minutes = pw.IntegerField(default=15)
    etag = pw.TextField(null=True)
    last_modified = pw.TextField(null=True)
    last_fetch_at = pw.IntegerField(null=True)
    last_success_at = pw.IntegerField(null=True)
    last_error = pw.TextField(null=True)  # plain words for the user
    consecutive_failures = pw.IntegerField(default=0)
    next_fetch_at = pw.IntegerField(null=True)
    items_seen = pw.IntegerField(default=0)
    created_at = pw.IntegerField()


class Query(BaseModel):
    """A keyword query in the boolean syntax of :mod:`cmdesk.core.query`."""

    name = pw.CharField(unique=True)
    kind = pw.CharField(default="brand")  # one of QUERY_KINDS
    expression = pw.TextField()
    language = pw.CharField(null=True)  # ISO 639-1 code, or any language when NULL
    enabled = pw.BooleanField(default=True)
    position = pw.IntegerField(default=0)
    color = pw.CharField(null=True)
    created_at = pw.IntegerField()


class QuerySource(BaseModel):
    """Limits a query to some sources; a query with no rows here applies to every source."""

    query = pw.ForeignKeyField(Query, on_delete="CASCADE", backref="source_links")
    source = pw.ForeignKeyField(Source, on_delete="CASCADE", backref="query_links")

    class Meta:
        indexes = ((("query", "source"), True),)


class Author(BaseModel):
    """Someone who wrote mentions, identified by network and handle; maybe linked to a contact."""

    network = pw.CharField()  # a source kind, or a site host for feeds
    handle = pw.CharField()
    name = pw.CharField(null=True)
    url = pw.TextField(null=True)
    reach = pw.IntegerField(null=True)  # followers, karma, reputation... as the network gives it
    contact = pw.ForeignKeyField(Contact, null=True, on_delete="SET NULL", backref="authors")
    first_seen_at = pw.IntegerField()

    class Meta:
        indexes = ((("network", "handle"), True),)


class Department(BaseModel):
    """A team a mention can be routed to (Support, Sales, Product, PR, Legal...)."""

    name = pw.CharField(unique=True)
    email = pw.CharField(null=True)
    position = pw.IntegerField(default=0)


class Teammate(BaseModel):
    """A person on the community team who can be assigned mentions; ``is_me`` marks the user."""

    name = pw.CharField(unique=True)
    email = pw.CharField(null=True)
    is_me = pw.BooleanField(default=False)


class Mention(BaseModel):
    """One item heard somewhere: the inbox's row."""

    source = pw.ForeignKeyField(Source, on_delete="CASCADE", backref="mentions", index=False)
    external_id = pw.TextField()  # identity within the source (guid, uri, objectID...)
    url = pw.TextField(null=True)
    canonical_url = pw.TextField(null=True, index=True)  # tracking parameters stripped
    title = pw.TextField(default="")
    text = pw.TextField(default="")  # plain text
    html = pw.TextField(null=True)  # sanitised HTML
    author = pw.ForeignKeyField(
        Author, null=True, on_delete="SET NULL", backref="mentions", index=False
    )
    author_name = pw.CharField(null=True)
    author_handle = pw.CharField(null=True)
    published_at = pw.IntegerField()
    fetched_at = pw.IntegerField()
    lang = pw.CharField(null=True)
    sentiment = pw.FloatField(null=True)  # VADER compound, -1..1
    sentiment_label = pw.CharField(null=True)  # one of SENTIMENT_LABELS
    likes = pw.IntegerField(null=True)
    replies = pw.IntegerField(null=True)
    shares = pw.IntegerField(null=True)
    score = pw.IntegerField(null=True)
    views = pw.IntegerField(null=True)
    reach = pw.IntegerField(null=True)
    thread_url = pw.TextField(null=True)
    raw = JSONField(null=True)
    # triage
    state = pw.CharField(default="new")  # one of MENTION_STATES
    starred = pw.BooleanField(default=False)
    priority = pw.IntegerField(default=0)  # 0 none, 1 low, 2 normal, 3 high, 4 urgent
    assignee = pw.ForeignKeyField(
        Teammate, null=True, on_delete="SET NULL", backref="mentions", index=False
    )
    department = pw.ForeignKeyField(
        Department, null=True, on_delete="SET NULL", backref="mentions", index=False
    )
    routing_note = pw.TextField(null=True)
    needs_response = pw.BooleanField(default=False)
    responded_at = pw.IntegerField(null=True)
    responded_by = pw.CharField(null=True)
    updated_at = pw.IntegerField(null=True)

    class Meta:
        indexes = (
            (("source", "external_id"), True),
            (("state", "id"), False),
            (("source", "id"), False),
            (("sentiment_label", "id"), False),
            (("assignee", "id"), False),
            (("department", "id"), False),
            (("author", "id"), False),
            (("lang", "id"), False),
            (("published_at", "id"), False),
        )


# Partial indexes (migration 2): the Starred and Needs-response views in id order.
Mention.add_index(Mention.index(Mention.id, name="mention_starred_id").where(Mention.starred == 1))
Mention.add_index(
    Mention.index(Mention.id, name="mention_awaiting_response_id").where(
        (Mention.needs_response == 1) & Mention.responded_at.is_null()
    )
)


class MentionQuery(BaseModel):
    """Which queries a mention matched."""

    mention = pw.ForeignKeyField(Mention, on_delete="CASCADE", backref="query_links", index=False)
    query = pw.ForeignKeyField(Query, on_delete="CASCADE", backref="mention_links", index=False)

    class Meta:
        primary_key = pw.CompositeKey("mention", "query")
        indexes = ((("query", "mention"), False),)
