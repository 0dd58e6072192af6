"""Mentions as flat records for export (CSV, JSON Lines), streamed oldest first in id order.

Imports no Qt. Reads in pages by id (keyset), so a million mentions export in constant memory.
Times are ISO 8601 in UTC; matched queries are their names joined with "; ".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from cmdesk.core.db import Workspace

EXPORT_COLUMNS = (
    "id", "source", "url", "title", "text", "author_name", "author_handle", "published_at",
    "fetched_at", "lang", "sentiment", "sentiment_label", "state", "queries", "likes", "replies",
    "shares", "score", "views",
)  # fmt: skip
PAGE = 2000


def _iso(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_records(ws: Workspace, since: int | None = None) -> Iterator[dict[str, Any]]:
    """Every mention (published at or after ``since`` when given), as a dict of EXPORT_COLUMNS."""
    last_id = 0
    while True:
        rows = ws.db.execute_sql(
            "SELECT m.id, s.name, coalesce(m.canonical_url, m.url), m.title, m.text,"
            " m.author_name, m.author_handle, m.published_at, m.fetched_at, m.lang, m.sentiment,"
            " m.sentiment_label, m.state,"
            " (SELECT group_concat(q.name, '; ') FROM mention_query mq JOIN query q"
            "    ON q.id = mq.query_id WHERE mq.mention_id = m.id),"
            " m.likes, m.replies, m.shares, m.score, m.views"
            " FROM mention m JOIN source s ON s.id = m.source_id"
            " WHERE m.id > ? AND (? IS NULL OR m.published_at >= ?) ORDER BY m.id LIMIT ?",
            (last_id, since, since, PAGE),
        ).fetchall()
        if not rows:
            return
        for row in rows:
            record = dict(zip(EXPORT_COLUMNS, row, strict=True))
            record["published_at"] = _iso(record["published_at"])
            record["fetched_at"] = _iso(record["fetched_at"])
            yield record
        last_id = rows[-1][0]
