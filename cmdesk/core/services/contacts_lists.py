"""Contact lists (influencer, advocate, press…): create, rename, colour, cadence, membership.

Imports no Qt. A list can carry a keep-in-touch cadence that its members follow when they have no
cadence of their own (the shortest one wins when they are in several lists). Every write that
changes who follows which cadence recomputes the stored ``contact.due_at`` of the contacts
concerned, in the same transaction (see :mod:`cmdesk.core.services.keep_in_touch`).

A workspace starts with the usual lists (:data:`DEFAULT_LISTS`): :func:`add_default_lists` adds
them once, when the workspace has no list (the contacts pane asks for it when it opens one). It is
not a schema migration on purpose: the demo and sample loaders write their own lists, with fixed
ids, into a freshly created workspace, and would collide with lists a migration had put there.
A setting remembers that the defaults were offered, so deleting every list does not bring them
back.

Limits: list names are unique regardless of case; colours are stored as given ("#RRGGBB").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services.contacts import ContactError, list_id
from cmdesk.core.services.keep_in_touch import refresh_due, refresh_list_due
from cmdesk.core.services.workspace import get_setting, set_setting

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_LISTS = (  # name, colour; no cadence: keeping in touch is the user's choice
    ("Influencers", "#e76f51"),
    ("Advocates", "#2a9d8f"),
    ("Customers", "#264653"),
    ("Press", "#8d99ae"),
    ("Partners", "#e9c46a"),
    ("Competitors", "#6c757d"),
    ("User-group leads", "#9b5de5"),
)
DEFAULT_LISTS_SETTING = "contacts.default_lists_added"


@dataclass(frozen=True)
class ContactListRow:
    id: int
    name: str
    color: str | None
    cadence_days: int | None
    members: int


def contact_lists(ws: Workspace) -> list[ContactListRow]:
    """Every list in its position, with its member count."""
    return [
        ContactListRow(*r)
        for r in ws.db.execute_sql(
            "SELECT l.id, l.name, l.color, l.cadence_days, "
            "(SELECT COUNT(*) FROM contact_list_member m WHERE m.contact_list_id = l.id) "
            "FROM contact_list l ORDER BY l.position, l.name"
        )
    ]


def needs_default_lists(ws: Workspace) -> bool:
    """True until :func:`add_default_lists` has run once in this workspace."""
    return not get_setting(ws, DEFAULT_LISTS_SETTING)


def add_default_lists(ws: Workspace) -> Changes:
    """Add :data:`DEFAULT_LISTS` when the workspace has no list; once in its life either way."""
    if not needs_default_lists(ws):
        return Changes()
    set_setting(ws, DEFAULT_LISTS_SETTING, True)
    if ws.db.execute_sql("SELECT 1 FROM contact_list LIMIT 1").fetchone() is not None:
        return Changes()
    for position, (name, color) in enumerate(DEFAULT_LISTS, start=1):
        ws.db.execute_sql(
            "INSERT INTO contact_list(name, color, position) VALUES (?, ?, ?)",
            [name, color, position],
        )
    return Changes(contacts=True)


def add_to_list(ws: Workspace, contact_ids: Iterable[int], list_name: str) -> Changes:
    """Put contacts in the list called ``list_name`` (created when new)."""
    ids = list(contact_ids)
    target = list_id(ws, list_name)
    for contact_id in ids:
        ws.db.execute_sql(
            "INSERT OR IGNORE INTO contact_list_member(contact_id, contact_list_id) VALUES (?, ?)",
            [contact_id, target],
        )
    refresh_due(ws, ids)
    return Changes(contacts=True)


def remove_from_list(ws: Workspace, contact_ids: Iterable[int], contact_list_id: int) -> Changes:
    ids = list(contact_ids)
    for contact_id in ids:
        ws.db.execute_sql(
            "DELETE FROM contact_list_member WHERE contact_id = ? AND contact_list_id = ?",
            [contact_id, contact_list_id],
        )
    refresh_due(ws, ids)
    return Changes(contacts=True)


def save_list(
    ws: Workspace,
    name: str,
    *,
    cadence_days: int | None = None,
    color: str | None = None,
    list_id_: int | None = None,
) -> tuple[int, Changes]:
    """Create a list, or rename one and set its colour and keep-in-touch cadence (None: none)."""
    name = name.strip()
    if not name:
        raise ContactError("A list needs a name.")
    if cadence_days is not None and cadence_days <= 0:
        raise ContactError("Keep-in-touch cadence must be a number of days above zero.")
    if color is not None and not _COLOR.match(color):
        raise ContactError(f"{color!r} is not a colour like #3366cc.")
    clash = ws.db.execute_sql(
        "SELECT id FROM contact_list WHERE lower(name) = lower(?) AND id != ?",
        [name, list_id_ or -1],
    ).fetchone()
    if clash:
        raise ContactError(f"There is already a list called {name!r}.")
    if list_id_ is None:
        list_id_ = list_id(ws, name)
        old_cadence = None
    else:
        row = ws.db.execute_sql(
            "SELECT cadence_days FROM contact_list WHERE id = ?", [list_id_]
        ).fetchone()
        if row is None:
            raise ContactError("That list no longer exists.")
        old_cadence = row[0]
    ws.db.execute_sql(
        "UPDATE contact_list SET name = ?, cadence_days = ?, color = ? WHERE id = ?",
        [name, cadence_days, color, list_id_],
    )
    if cadence_days != old_cadence:
        refresh_list_due(ws, list_id_)
    return list_id_, Changes(contacts=True)


def delete_list(ws: Workspace, contact_list_id: int) -> Changes:
    """Delete a list; its members stay contacts (and stop following its cadence)."""
    members = [
        r[0]
        for r in ws.db.execute_sql(
            "SELECT contact_id FROM contact_list_member WHERE contact_list_id = ?",
            [contact_list_id],
        )
    ]
    ws.db.execute_sql("DELETE FROM contact_list WHERE id = ?", [contact_list_id])
    refresh_due(ws, members)
    return Changes(contacts=True)
