"""One mention in full for the reading pane, its author panel, the filter bar's choices, alerts.

Imports no Qt. The HTML returned here is what ingest stored after the listening sanitiser; the
reading pane still refuses every non-data resource when it shows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services.contacts import contact_from_author
from cmdesk.core.services.mentions import MentionRow, rows_for_ids

EARLIER_MENTIONS = 8


@dataclass(frozen=True)
class Note:
    id: int
    author: str
    body: str
    created_at: int


@dataclass(frozen=True)
class AuthorPanel:
    """Who wrote a mention: the network identity, the linked contact, what else they wrote."""

    author_id: int
    network: str
    handle: str
    name: str | None
    url: str | None
    reach: int | None
    contact_id: int | None
    contact_name: str | None
    contact_lists: tuple[str, ...]
    mention_count: int
    earlier: tuple[tuple[int, int, str], ...]  # (id, published_at, title), newest first


@dataclass(frozen=True)
class MentionDetail:
    row: MentionRow
    text: str
    html: str | None
    url: str | None
    thread_url: str | None
    routing_note: str | None
    responded_by: str | None
    notes: tuple[Note, ...]
    queries: tuple[tuple[int, str, str], ...]  # (id, name, expression)
    author: AuthorPanel | None
    engagement: dict[str, int] = field(default_factory=dict)


def mention_detail(ws: Workspace, mention_id: int) -> MentionDetail | None:
    rows = rows_for_ids(ws, [mention_id])
    if mention_id not in rows:
        return None
    r = ws.db.execute_sql(
        "SELECT text, html, url, thread_url, routing_note, responded_by, likes, replies, "
        "shares, score, views FROM mention WHERE id = ?",
        [mention_id],
    ).fetchone()
    notes = tuple(
        Note(*row)
        for row in ws.db.execute_sql(
            "SELECT id, author, body, created_at FROM mention_note WHERE mention_id = ? "
            "ORDER BY created_at, id",
            [mention_id],
        )
    )
    queries = tuple(
        (row[0], row[1], row[2])
        for row in ws.db.execute_sql(
            "SELECT q.id, q.name, q.expression FROM mention_query mq JOIN query q "
            "ON q.id = mq.query_id WHERE mq.mention_id = ? ORDER BY q.position, q.name",
            [mention_id],
        )
    )
    names = ("likes", "replies", "shares", "score", "views")
    engagement = {name: value for name, value in zip(names, r[6:], strict=True) if value}
    row = rows[mention_id]
    return MentionDetail(
        row=row,
        text=r[0] or "",
        html=r[1],
        url=r[2],
        thread_url=r[3],
        routing_note=r[4],
        responded_by=r[5],
        notes=notes,
        queries=queries,
        author=author_panel(ws, row.author_id, mention_id) if row.author_id else None,
        engagement=engagement,
    )


def author_panel(
    ws: Workspace, author_id: int, mention_id: int | None = None
) -> AuthorPanel | None:
    r = ws.db.execute_sql(
        "SELECT a.network, a.handle, a.name, a.url, a.reach, c.id, c.display_name "
        "FROM author a LEFT JOIN contact c ON c.id = a.contact_id WHERE a.id = ?",
        [author_id],
    ).fetchone()
    if r is None:
        return None
    lists: tuple[str, ...] = ()
    if r[5] is not None:
        lists = tuple(
            row[0]
            for row in ws.db.execute_sql(
                "SELECT cl.name FROM contact_list_member l JOIN contact_list cl "
                "ON cl.id = l.contact_list_id WHERE l.contact_id = ? ORDER BY cl.position, cl.name",
                [r[5]],
            )
        )
    count = ws.db.execute_sql(
        "SELECT COUNT(*) FROM mention WHERE author_id = ?", [author_id]
    ).fetchone()[0]
    earlier = tuple(
        (row[0], row[1], row[2])
        for row in ws.db.execute_sql(
            "SELECT id, published_at, title FROM mention WHERE author_id = ? AND id != ? "
            "ORDER BY id DESC LIMIT ?",
            [author_id, mention_id or -1, EARLIER_MENTIONS],
        )
    )
    return AuthorPanel(
        author_id, r[0], r[1], r[2], r[3], r[4], r[5], r[6], lists, int(count), earlier
    )


def add_author_to_contacts(ws: Workspace, author_id: int) -> Changes:
    """Make a contact of a mention's author in one click, with their handle; links every mention.

    The contacts service does it, so the handle is normalised, an existing contact holding the
    handle gets the author instead of a twin, and the contact's scores are stored.
    """
    _, changes = contact_from_author(ws, author_id)
    return changes


# -- the filter bar's choices ------------------------------------------------------------------


@dataclass(frozen=True)
class FilterChoices:
    sources: tuple[tuple[int, str, str], ...]  # id, name, kind
    queries: tuple[tuple[int, str], ...]
    tags: tuple[tuple[int, str], ...]
    teammates: tuple[tuple[int, str, bool], ...]  # id, name, is_me
    departments: tuple[tuple[int, str], ...]
    languages: tuple[str, ...]
    contact_lists: tuple[tuple[int, str], ...]


def filter_choices(ws: Workspace) -> FilterChoices:
    def rows(sql: str) -> tuple[Any, ...]:
        return tuple(tuple(row) for row in ws.db.execute_sql(sql))

    # DISTINCT over the (lang, id) index, hopping from one language to the next: a few probes.
    languages: list[str] = []
    last = ""
    while True:
        row = ws.db.execute_sql(
            "SELECT lang FROM mention WHERE lang > ? ORDER BY lang LIMIT 1", [last]
        ).fetchone()
        if row is None or len(languages) > 200:
            break
        languages.append(row[0])
        last = row[0]
    return FilterChoices(
        sources=rows("SELECT id, name, kind FROM source ORDER BY lower(name)"),
        queries=rows("SELECT id, name FROM query ORDER BY position, name"),
        tags=rows("SELECT id, name FROM tag ORDER BY lower(name)"),
        teammates=tuple(
            (r[0], r[1], bool(r[2])) for r in rows("SELECT id, name, is_me FROM teammate")
        ),
        departments=rows("SELECT id, name FROM department ORDER BY position, name"),
        languages=tuple(languages),
        contact_lists=rows("SELECT id, name FROM contact_list ORDER BY position, name"),
    )


# -- alerts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertRow:
    id: int
    kind: str
    title: str
    created_at: int
    acknowledged_at: int | None
    query_id: int | None
    rule_id: int | None
    mention_id: int | None
    detail: dict[str, Any] | None


def alerts(ws: Workspace, *, unacknowledged_only: bool = False, limit: int = 200) -> list[AlertRow]:
    where = "WHERE acknowledged_at IS NULL" if unacknowledged_only else ""
    return [
        AlertRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]) if r[8] else None)
        for r in ws.db.execute_sql(
            "SELECT id, kind, title, created_at, acknowledged_at, query_id, rule_id, mention_id, "
            f"detail FROM alert {where} ORDER BY created_at DESC, id DESC LIMIT ?",
            [limit],
        )
    ]


def acknowledge_alerts(ws: Workspace, alert_ids: list[int] | None = None) -> Changes:
    """Mark alerts seen (every unseen one when ``alert_ids`` is None)."""
    now = ws.clock.now()
    if alert_ids is None:
        ws.db.execute_sql(
            "UPDATE alert SET acknowledged_at = ? WHERE acknowledged_at IS NULL", [now]
        )
    else:
        for alert_id in alert_ids:
            ws.db.execute_sql(
                "UPDATE alert SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
                [now, alert_id],
            )
    return Changes(alerts=True)
