"""Workspace-wide facts and settings: table counts, and the workspace's own preferences.

The preferences here belong to the workspace (brand name, the user's name); per-machine window
state lives in QSettings.

Imports no Qt.
"""

from __future__ import annotations

from typing import Any

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import WorkspaceSetting

DEFAULTS: dict[str, Any] = {
    "brand_name": "My brand",
    "my_name": "Me",
    # Fetch due sources in the background while the app is open (off for the sample and demo
    # workspaces, whose sources are fictional).
    "auto_fetch": True,
}


def counts(ws: Workspace) -> dict[str, int]:
    """Row counts of the main tables (cheap: SQLite counts via the smallest index)."""
    tables = {
        "mentions": "mention",
        "sources": "source",
        "queries": "query",
        "contacts": "contact",
        "items": "calendar_item",
    }
    result = {}
    for label, table in tables.items():
        result[label] = ws.db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    return result


def get_setting(ws: Workspace, key: str) -> Any:
    row = WorkspaceSetting.get_or_none(WorkspaceSetting.key == key)
    return row.value if row is not None else DEFAULTS.get(key)


def set_setting(ws: Workspace, key: str, value: Any) -> Changes:
    WorkspaceSetting.replace(key=key, value=value).execute()
    return Changes(settings=True)


def background_fetching(ws: Workspace) -> bool:
    """Whether the app fetches due sources by itself while it is open."""
    return bool(get_setting(ws, "auto_fetch"))


def set_background_fetching(ws: Workspace, on: bool) -> Changes:
    """Switch background fetching on or off (on the writer); the app reacts without a restart."""
    return set_setting(ws, "auto_fetch", bool(on))
