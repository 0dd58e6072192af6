"""Builders of realistic inbox data on a temp workspace, shared by the inbox tests."""

from __future__ import annotations

import itertools
from typing import Any

from cmdesk.core.db import Workspace

NOW = 1_795_168_800  # 2026-11-20 10:00 UTC, the ``clock`` fixture
_EXTERNAL_IDS = itertools.count(1)


def add_source(ws: Workspace, name: str = "Hacker News", kind: str = "hackernews") -> int:
    cursor = ws.db.execute_sql(
        "INSERT INTO source(kind, name, url, all_items_are_mentions, enabled, interval_minutes, "
        "consecutive_failures, items_seen, created_at) VALUES (?, ?, '', 0, 1, 15, 0, 0, ?)",
        [kind, name, NOW],
    )
    return int(cursor.lastrowid)


def add_query(ws: Workspace, name: str, expression: str = "", kind: str = "brand") -> int:
    cursor = ws.db.execute_sql(
        "INSERT INTO query(name, kind, expression, enabled, position, created_at) "
        "VALUES (?, ?, ?, 1, 0, ?)",
        [name, kind, expression or name, NOW],
    )
    return int(cursor.lastrowid)


def add_author(
    ws: Workspace,
    handle: str,
    *,
    name: str | None = None,
    reach: int | None = None,
    contact_id: int | None = None,
    network: str = "hackernews",
) -> int:
    cursor = ws.db.execute_sql(
        "INSERT INTO author(network, handle, name, reach, contact_id, first_seen_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [network, handle, name, reach, contact_id, NOW],
    )
    return int(cursor.lastrowid)


def add_contact(ws: Workspace, name: str, lists: tuple[str, ...] = ()) -> int:
    cursor = ws.db.execute_sql(
        "INSERT INTO contact(display_name, stage, created_at, updated_at) "
        "VALUES (?, 'aware', ?, ?)",
        [name, NOW, NOW],
    )
    contact_id = int(cursor.lastrowid)
    for list_name in lists:
        ws.db.execute_sql(
            "INSERT OR IGNORE INTO contact_list(name, position) VALUES (?, 0)", [list_name]
        )
        list_id = ws.db.execute_sql(
            "SELECT id FROM contact_list WHERE name = ?", [list_name]
        ).fetchone()[0]
        ws.db.execute_sql(
            "INSERT INTO contact_list_member(contact_id, contact_list_id) VALUES (?, ?)",
            [contact_id, list_id],
        )
    return contact_id


def add_mention(ws: Workspace, source_id: int, title: str, text: str = "", **values: Any) -> int:
    row: dict[str, Any] = {
        "source_id": source_id,
        "external_id": values.pop("external_id", f"item-{next(_EXTERNAL_IDS)}"),
        "title": title,
        "text": text,
        "published_at": NOW - 600,
        "fetched_at": NOW,
        "state": "new",
        "starred": 0,
        "priority": 0,
        "needs_response": 0,
        "url": f"https://news.example.com/item/{abs(hash(title)) % 100000}",
    }
    queries = values.pop("query_ids", ())
    row.update(values)
    row.setdefault("canonical_url", row["url"])  # as ingest stores it (these URLs are canonical)
    names = ", ".join(row)
    cursor = ws.db.execute_sql(
        f"INSERT INTO mention({names}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )
    mention_id = int(cursor.lastrowid)
    for query_id in queries:
        ws.db.execute_sql(
            "INSERT INTO mention_query(mention_id, query_id) VALUES (?, ?)", [mention_id, query_id]
        )
    return mention_id
