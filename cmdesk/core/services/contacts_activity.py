"""What happened with a contact: logged interactions, advocacy contributions, and the timeline.

Imports no Qt. The timeline merges four kinds of entry, newest first: mentions the person wrote
(through every author linked to the contact, so mentions fetched later appear by themselves),
interactions logged by hand, contributions (advocacy) and calendar items the person takes part in.
It reads one page at a time: each kind is read with its own indexed query limited to the page
size before the ``before`` time, then the four are merged.

Logging or deleting an interaction keeps ``contact.last_interaction_at`` (the derived "last
contact" column keep-in-touch and sorting use) equal to the newest interaction, and the stored
keep-in-touch ``contact.due_at`` that follows from it.

A recurring calendar item the person takes part in appears once per occurrence within
``SERIES_PAST_DAYS`` before and ``SERIES_AHEAD_DAYS`` after now (cancelled and moved ones left
out: a moved occurrence is its own row, linked to the same people); a series with no occurrence
in that window (long over, or starting later) appears once, at its first date.

Limits: a mention's time is its published time; calendar items without a date are left out of
the timeline (they have no place on it); older occurrences of a series are not listed.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import CONTRIBUTION_KINDS, INTERACTION_KINDS
from cmdesk.core.services import recurrence
from cmdesk.core.services.keep_in_touch import refresh_due

TIMELINE_KINDS = ("mention", "interaction", "contribution", "calendar")
TIMELINE_TITLES = {
    "mention": "Mentions",
    "interaction": "Interactions",
    "contribution": "Contributions",
    "calendar": "Calendar",
}
INTERACTION_TITLES = {
    "call": "Call",
    "meeting": "Meeting",
    "email": "E-mail",
    "event": "Event",
    "dm": "Direct message",
    "gift": "Gift",
    "recognition": "Recognition",
    "note": "Note",
}
CONTRIBUTION_TITLES = {
    "talk": "Talk",
    "post": "Post",
    "answer": "Answer",
    "referral": "Referral",
    "other": "Other",
}
FAR_FUTURE = 2**62
DAY = 86_400
SERIES_PAST_DAYS = 365
SERIES_AHEAD_DAYS = 92


class ActivityError(ValueError):
    """An interaction or contribution cannot be written as given."""


# -- interactions -------------------------------------------------------------------------------


def log_interaction(
    ws: Workspace,
    contact_id: int,
    kind: str,
    *,
    summary: str = "",
    notes: str | None = None,
    occurred_at: int | None = None,
    calendar_item_id: int | None = None,
) -> tuple[int, Changes]:
    """Record a call, meeting, e-mail, event, DM, gift or recognition with a contact."""
    if kind not in INTERACTION_KINDS:
        raise ActivityError(f"Unknown interaction kind {kind!r}.")
    if not ws.db.execute_sql("SELECT 1 FROM contact WHERE id = ?", [contact_id]).fetchone():
        raise ActivityError("That contact no longer exists.")
    when = ws.clock.now() if occurred_at is None else int(occurred_at)
    interaction_id = ws.db.execute_sql(
        "INSERT INTO interaction(contact_id, kind, occurred_at, summary, notes, calendar_item_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [contact_id, kind, when, summary.strip(), (notes or "").strip() or None, calendar_item_id],
    ).lastrowid
    refresh_last_interaction(ws, contact_id)
    return int(interaction_id), Changes(contacts=True)


def delete_interaction(ws: Workspace, interaction_id: int) -> Changes:
    row = ws.db.execute_sql(
        "SELECT contact_id FROM interaction WHERE id = ?", [interaction_id]
    ).fetchone()
    if row is None:
        return Changes()
    ws.db.execute_sql("DELETE FROM interaction WHERE id = ?", [interaction_id])
    refresh_last_interaction(ws, row[0])
    return Changes(contacts=True)


def refresh_last_interaction(ws: Workspace, contact_id: int) -> None:
    """Recompute the contact's last interaction and, from it, when keeping in touch is due."""
    ws.db.execute_sql(
        "UPDATE contact SET last_interaction_at = "
        "(SELECT MAX(occurred_at) FROM interaction WHERE contact_id = ?) WHERE id = ?",
        [contact_id, contact_id],
    )
    refresh_due(ws, [contact_id])


# -- advocacy -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionRow:
    id: int
    contact_id: int
    contact_name: str
    kind: str
    occurred_at: int
    description: str
    url: str | None
    recognised_at: int | None
    recognition: str | None


def log_contribution(
    ws: Workspace,
    contact_id: int,
    kind: str,
    description: str,
    *,
    url: str | None = None,
    occurred_at: int | None = None,
) -> tuple[int, Changes]:
    """Record what an advocate did for the community (a talk, a post, an answer, a referral)."""
    if kind not in CONTRIBUTION_KINDS:
        raise ActivityError(f"Unknown contribution kind {kind!r}.")
    if not description.strip():
        raise ActivityError("Say what they did.")
    when = ws.clock.now() if occurred_at is None else int(occurred_at)
    new_id = ws.db.execute_sql(
        "INSERT INTO contribution(contact_id, kind, occurred_at, description, url) "
        "VALUES (?, ?, ?, ?, ?)",
        [contact_id, kind, when, description.strip(), (url or "").strip() or None],
    ).lastrowid
    return int(new_id), Changes(contacts=True)


def delete_contribution(ws: Workspace, contribution_id: int) -> Changes:
    """Delete a contribution (a recognition already logged as an interaction stays)."""
    cursor = ws.db.execute_sql("DELETE FROM contribution WHERE id = ?", [contribution_id])
    return Changes(contacts=True) if cursor.rowcount else Changes()


def delete_contributions(ws: Workspace, contribution_ids: Sequence[int]) -> Changes:
    changes = Changes()
    for contribution_id in contribution_ids:
        changes = changes | delete_contribution(ws, contribution_id)
    return changes


def recognise(
    ws: Workspace, contribution_id: int, recognition: str, *, log_as_interaction: bool = True
) -> Changes:
    """Mark a contribution recognised ("thanked in the newsletter", "sent a hoodie").

    Also logs a "recognition" interaction, so the thank-you counts as keeping in touch.
    """
    if not recognition.strip():
        raise ActivityError("Say how it was recognised.")
    row = ws.db.execute_sql(
        "SELECT contact_id, description FROM contribution WHERE id = ?", [contribution_id]
    ).fetchone()
    if row is None:
        raise ActivityError("That contribution no longer exists.")
    now = ws.clock.now()
    ws.db.execute_sql(
        "UPDATE contribution SET recognised_at = ?, recognition = ? WHERE id = ?",
        [now, recognition.strip(), contribution_id],
    )
    if log_as_interaction:
        log_interaction(
            ws, row[0], "recognition", summary=f"{recognition.strip()} — for: {row[1]}"[:500]
        )
    return Changes(contacts=True)


def contributions(
    ws: Workspace,
    *,
    contact_id: int | None = None,
    unrecognised_only: bool = False,
    limit: int = 500,
) -> list[ContributionRow]:
    """Contributions newest first; the "not yet recognised" view sets ``unrecognised_only``."""
    where, params = [], []
    if contact_id is not None:
        where.append("k.contact_id = ?")
        params.append(contact_id)
    if unrecognised_only:
        where.append("k.recognised_at IS NULL")
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    rows = ws.db.execute_sql(
        "SELECT k.id, k.contact_id, c.display_name, k.kind, k.occurred_at, k.description, k.url, "
        f"k.recognised_at, k.recognition FROM contribution k JOIN contact c ON c.id = k.contact_id "
        f"{clause} ORDER BY k.occurred_at DESC, k.id DESC LIMIT ?",
        [*params, limit],
    )
    return [ContributionRow(*r) for r in rows]


def unrecognised_count(ws: Workspace) -> int:
    row = ws.db.execute_sql("SELECT COUNT(*) FROM contribution WHERE recognised_at IS NULL")
    return int(row.fetchone()[0])


# -- the timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a person's timeline."""

    kind: str  # one of TIMELINE_KINDS
    id: int  # the mention, interaction, contribution or calendar item id
    at: int
    title: str
    detail: str  # interaction kind, source name, item status...
    url: str | None = None
    sentiment_label: str | None = None


def timeline(
    ws: Workspace,
    contact_id: int,
    *,
    kinds: Collection[str] = TIMELINE_KINDS,
    before: int | None = None,
    limit: int = 100,
) -> list[TimelineEntry]:
    """The newest ``limit`` entries of the chosen kinds strictly before ``before`` (None: all)."""
    before = FAR_FUTURE if before is None else before
    entries: list[TimelineEntry] = []
    if "mention" in kinds:
        entries += _mentions(ws, contact_id, before, limit)
    if "interaction" in kinds:
        entries += [
            TimelineEntry("interaction", r[0], r[1], r[2] or INTERACTION_TITLES.get(r[3], r[3]),
                          r[3], None)
            for r in ws.db.execute_sql(
                "SELECT id, occurred_at, summary, kind FROM interaction WHERE contact_id = ? "
                "AND occurred_at < ? ORDER BY occurred_at DESC LIMIT ?",
                [contact_id, before, limit],
            )
        ]  # fmt: skip
    if "contribution" in kinds:
        entries += [
            TimelineEntry("contribution", r[0], r[1], r[2], r[3], r[4])
            for r in ws.db.execute_sql(
                "SELECT id, occurred_at, description, kind, url FROM contribution "
                "WHERE contact_id = ? AND occurred_at < ? ORDER BY occurred_at DESC LIMIT ?",
                [contact_id, before, limit],
            )
        ]
    if "calendar" in kinds:
        entries += [
            TimelineEntry("calendar", r[0], r[1], r[2], f"{r[3]} · {r[4]}".strip(" ·"), r[5])
            for r in ws.db.execute_sql(
                "SELECT i.id, i.starts_at, i.title, i.item_type, i.status, i.published_url "
                "FROM calendar_item_contact l JOIN calendar_item i ON i.id = l.item_id "
                "WHERE l.contact_id = ? AND i.starts_at IS NOT NULL AND i.starts_at < ? "
                "AND i.rrule IS NULL ORDER BY i.starts_at DESC LIMIT ?",
                [contact_id, before, limit],
            )
        ]
        entries += _series(ws, contact_id, before, limit)
    entries.sort(key=lambda e: (e.at, e.id), reverse=True)
    return entries[:limit]


def _series(ws: Workspace, contact_id: int, before: int, limit: int) -> list[TimelineEntry]:
    """The occurrences of the person's recurring items in the window, newest ``limit`` each."""
    now = ws.clock.now()
    window_start, window_end = now - SERIES_PAST_DAYS * DAY, now + SERIES_AHEAD_DAYS * DAY
    rows = ws.db.execute_sql(
        "SELECT i.id, i.starts_at, i.title, i.item_type, i.status, i.published_url, i.rrule, "
        "i.timezone, i.all_day, i.exdates, "
        "(SELECT json_group_array(o.recurrence_id) FROM calendar_item o "
        " WHERE o.recurrence_parent_id = i.id) "
        "FROM calendar_item_contact l JOIN calendar_item i ON i.id = l.item_id "
        "WHERE l.contact_id = ? AND i.rrule IS NOT NULL AND i.starts_at IS NOT NULL "
        "AND i.starts_at < ?",
        [contact_id, before],
    ).fetchall()
    entries: list[TimelineEntry] = []
    for item_id, first, title, kind, status, url, rule, zone, all_day, ex, moved in rows:
        detail = f"{kind} · {status} · repeats"
        skip = [*(json.loads(ex) if ex else ()), *json.loads(moved or "[]")]
        starts = recurrence.expand(
            rule, first, zone, bool(all_day), window_start, min(before, window_end), 0, skip
        )
        if not starts:
            starts = [first]  # nothing in the window: the series shows once, where it begins
        for start in sorted((s for s in starts if s < before), reverse=True)[:limit]:
            entries.append(TimelineEntry("calendar", item_id, start, title, detail, url))
    return entries


def _mentions(ws: Workspace, contact_id: int, before: int, limit: int) -> list[TimelineEntry]:
    authors = [
        r[0] for r in ws.db.execute_sql("SELECT id FROM author WHERE contact_id = ?", [contact_id])
    ]
    entries = []
    for author_id in authors:
        # Walks the (author_id, id) index; a person's mentions are few enough to sort by time.
        for r in ws.db.execute_sql(
            "SELECT m.id, m.published_at, COALESCE(NULLIF(m.title, ''), substr(m.text, 1, 200)), "
            "s.name, m.url, m.sentiment_label FROM mention m JOIN source s ON s.id = m.source_id "
            "WHERE m.author_id = ? AND m.published_at < ? "
            "ORDER BY m.published_at DESC LIMIT ?",
            [author_id, before, limit],
        ):
            entries.append(TimelineEntry("mention", *r))
    return entries
