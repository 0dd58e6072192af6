"""Keep in touch: who needs a follow-up, snoozing, and "logged contact today".

Imports no Qt. A contact's cadence is its own ``cadence_days`` or, when unset, the shortest
cadence of the lists it belongs to. It is due when the last interaction (or, never contacted, the
day it was added) is at least one cadence ago and it is not snoozed past now::

    due at = max(last interaction or added + cadence, snoozed until)

Limits: contacts without any cadence are never due; due dates are computed in SQL at read time
(no stored column), a scan of the contacts that costs tens of milliseconds at 100,000.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace

DAY = 86_400

def cadence_expression(ws: Workspace) -> str:
    """SQL for a contact's cadence in days over alias ``c`` (NULL when it has none).

    The lists' cadences are inlined as a CASE (there are few lists), which spares a join per
    contact: the due filter over 100,000 contacts costs half as much.
    """
    cases = " ".join(
        f"WHEN {int(list_id)} THEN {int(days)}"
        for list_id, days in ws.db.execute_sql(
            "SELECT id, cadence_days FROM contact_list WHERE cadence_days IS NOT NULL"
        )
    )
    if not cases:
        return "c.cadence_days"
    return (
        "COALESCE(c.cadence_days, (SELECT MIN(CASE m.contact_list_id "
        f"{cases} END) FROM contact_list_member m WHERE m.contact_id = c.id))"
    )


def due_at_expression(ws: Workspace) -> str:
    """SQL for a contact's due time over alias ``c`` (NULL when it has no cadence)."""
    return (
        f"MAX(COALESCE(c.last_interaction_at, c.created_at) + {cadence_expression(ws)} * {DAY}, "
        "COALESCE(c.snoozed_until, 0))"
    )


def due_condition(ws: Workspace, now: int) -> tuple[str, list[object]]:
    """A WHERE condition over alias ``c`` true for contacts due at ``now``."""
    return f"({due_at_expression(ws)} <= ?)", [now]


def due_count(ws: Workspace) -> int:
    condition, params = due_condition(ws, ws.clock.now())
    row = ws.db.execute_sql(f"SELECT COUNT(*) FROM contact c WHERE {condition}", params)
    return int(row.fetchone()[0])


@dataclass(frozen=True)
class DueContact:
    id: int
    display_name: str
    due_at: int
    cadence_days: int
    last_interaction_at: int | None

    def overdue_days(self, now: int) -> int:
        return max(0, (now - self.due_at) // DAY)


def due_contacts(ws: Workspace, *, limit: int = 500) -> list[DueContact]:
    """Who needs a follow-up, longest overdue first."""
    condition, params = due_condition(ws, ws.clock.now())
    rows = ws.db.execute_sql(
        f"SELECT c.id, c.display_name, {due_at_expression(ws)} AS due, {cadence_expression(ws)}, "
        f"c.last_interaction_at FROM contact c WHERE {condition} ORDER BY due, c.id LIMIT ?",
        [*params, limit],
    )
    return [DueContact(*r) for r in rows]


def next_due_at(ws: Workspace, contact_id: int) -> int | None:
    """When this contact is (or was) due; None without a cadence."""
    row = ws.db.execute_sql(
        f"SELECT {due_at_expression(ws)} FROM contact c WHERE c.id = ?", [contact_id]
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def effective_cadence(ws: Workspace, contact_id: int) -> int | None:
    row = ws.db.execute_sql(
        f"SELECT {cadence_expression(ws)} FROM contact c WHERE c.id = ?", [contact_id]
    )
    value = row.fetchone()
    return int(value[0]) if value and value[0] is not None else None


def snooze(ws: Workspace, contact_ids: list[int], days: int) -> Changes:
    """Hide contacts from the Due view for ``days`` days from now."""
    if days <= 0:
        raise ValueError("snooze for at least one day")
    until = ws.clock.now() + days * DAY
    for contact_id in contact_ids:
        ws.db.execute_sql("UPDATE contact SET snoozed_until = ? WHERE id = ?", [until, contact_id])
    return Changes(contacts=True)


def set_cadence(ws: Workspace, contact_ids: list[int], days: int | None) -> Changes:
    """Keep in touch with these contacts every ``days`` days (None: follow their lists)."""
    if days is not None and days <= 0:
        raise ValueError("a cadence is a number of days above zero")
    now = ws.clock.now()
    for contact_id in contact_ids:
        ws.db.execute_sql(
            "UPDATE contact SET cadence_days = ?, updated_at = ? WHERE id = ?",
            [days, now, contact_id],
        )
    return Changes(contacts=True)


def logged_contact_today(
    ws: Workspace, contact_ids: list[int], *, kind: str = "note", summary: str = "Kept in touch"
) -> Changes:
    """Record that the user was in touch today: an interaction now, and any snooze cleared."""
    from cmdesk.core.services.contacts_activity import log_interaction

    changes = Changes()
    for contact_id in contact_ids:
        _, done = log_interaction(ws, contact_id, kind, summary=summary)
        ws.db.execute_sql("UPDATE contact SET snoozed_until = NULL WHERE id = ?", [contact_id])
        changes |= done
    return changes
