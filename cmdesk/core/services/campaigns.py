"""Campaigns: a named period with goals, the items planned in it, and how far along it is.

Imports no Qt. Progress is "published vs planned": items of the campaign that are published,
over all its items that are not cancelled (a recurring series counts once). Writes must run on
the workspace's writer, in a transaction, and return :class:`~cmdesk.core.changes.Changes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import peewee as pw

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import CalendarItem, Campaign
from cmdesk.core.services.item_mentions import mention_counts

CALENDAR = Changes(calendar=True)
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class CampaignError(ValueError):
    """A campaign that cannot be saved; the message is one sentence for the user."""


@dataclass(frozen=True)
class CampaignInput:
    name: str
    starts_on: date | None = None
    ends_on: date | None = None
    goals: str | None = None
    color: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class CampaignRow:
    """A campaign with its progress, for the side list, filters and the dialog."""

    id: int
    name: str
    starts_on: date | None
    ends_on: date | None
    goals: str | None
    color: str | None
    notes: str | None
    planned: int  # items not cancelled
    published: int
    overdue: int

    @property
    def progress(self) -> float:
        """Published over planned, 0.0 to 1.0 (0 when nothing is planned)."""
        return self.published / self.planned if self.planned else 0.0

    def as_input(self) -> CampaignInput:
        return CampaignInput(
            self.name, self.starts_on, self.ends_on, self.goals, self.color, self.notes
        )


@dataclass(frozen=True)
class CampaignSaved:
    campaign_id: int
    changes: Changes = CALENDAR


def campaigns(ws: Workspace) -> list[CampaignRow]:
    """Every campaign with its counts, the running and next ones first, then the past ones."""
    now = ws.clock.now()
    rows = ws.db.execute_sql(
        "SELECT c.id, c.name, c.starts_on, c.ends_on, c.goals, c.color, c.notes, "
        " COUNT(i.id) FILTER (WHERE i.status != 'cancelled' AND i.recurrence_parent_id IS NULL),"
        " COUNT(i.id) FILTER (WHERE i.status = 'published' AND i.recurrence_parent_id IS NULL),"
        " COUNT(i.id) FILTER (WHERE i.status NOT IN ('published', 'cancelled') "
        "   AND i.item_type != 'event' AND i.rrule IS NULL AND i.starts_at IS NOT NULL "
        "   AND i.starts_at + i.duration_minutes * 60 <= ?) "
        "FROM campaign c LEFT JOIN calendar_item i ON i.campaign_id = c.id "
        "GROUP BY c.id ORDER BY (c.ends_on IS NOT NULL AND c.ends_on < date(?, 'unixepoch')), "
        "c.starts_on IS NULL, c.starts_on, c.name COLLATE NOCASE",
        (now, now),
    ).fetchall()
    return [
        CampaignRow(
            row[0],
            row[1],
            date.fromisoformat(row[2]) if row[2] else None,
            date.fromisoformat(row[3]) if row[3] else None,
            *row[4:],
        )
        for row in rows
    ]


def campaign(ws: Workspace, campaign_id: int) -> CampaignRow | None:
    return next((row for row in campaigns(ws) if row.id == campaign_id), None)


@dataclass(frozen=True)
class CampaignItem:
    """One item of a campaign, for the list in its dialog (a recurring series appears once)."""

    item_id: int
    title: str
    item_type: str
    status: str
    starts_at: int | None  # None: an idea in the backlog
    recurring: bool
    published_url: str | None
    mentions: int | None  # mentions linking to it, for a published item with an address


def campaign_items(ws: Workspace, campaign_id: int) -> list[CampaignItem]:
    """The campaign's items by date (ideas without one last), published ones with mentions.

    Moved occurrences of a series are left out: the series stands for them, as in the progress.
    """
    rows = ws.db.execute_sql(
        "SELECT id, title, item_type, status, starts_at, rrule IS NOT NULL, published_url "
        "FROM calendar_item WHERE campaign_id = ? AND recurrence_parent_id IS NULL "
        "ORDER BY starts_at IS NULL, starts_at, title COLLATE NOCASE, id",
        (campaign_id,),
    ).fetchall()
    urls = [r[6] for r in rows if r[3] == "published" and r[6]]
    counts = mention_counts(ws, urls) if urls else {}
    return [
        CampaignItem(
            *r[:5],
            bool(r[5]),
            r[6],
            counts.get(r[6]) if r[3] == "published" and r[6] else None,
        )
        for r in rows
    ]


def _check(data: CampaignInput) -> CampaignInput:
    name = data.name.strip()
    if not name:
        raise CampaignError("A campaign needs a name.")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise CampaignError("A campaign cannot end before it starts.")
    color = (data.color or "").strip() or None
    if color and not COLOR.match(color):
        raise CampaignError(f"{color!r} is not a colour like #2a9d8f.")
    return CampaignInput(
        name,
        data.starts_on,
        data.ends_on,
        (data.goals or "").strip() or None,
        color,
        (data.notes or "").strip() or None,
    )


def save_campaign(
    ws: Workspace, data: CampaignInput, campaign_id: int | None = None
) -> CampaignSaved:
    """Create a campaign (``campaign_id`` None) or change one; names are unique."""
    data = _check(data)
    values = {
        "name": data.name,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "goals": data.goals,
        "color": data.color,
        "notes": data.notes,
    }
    try:
        if campaign_id is None:
            campaign_id = Campaign.insert(**values).execute()
        else:
            Campaign.update(**values).where(Campaign.id == campaign_id).execute()
    except pw.IntegrityError as exc:
        raise CampaignError(f"There is already a campaign called {data.name!r}.") from exc
    return CampaignSaved(int(campaign_id))


def delete_campaign(ws: Workspace, campaign_id: int) -> Changes:
    """Delete a campaign; its items stay on the calendar without a campaign."""
    CalendarItem.update(campaign=None).where(CalendarItem.campaign == campaign_id).execute()
    Campaign.delete().where(Campaign.id == campaign_id).execute()
    return CALENDAR


def campaign_id_by_name(ws: Workspace, name: str, create: bool = False) -> int | None:
    """The id of the campaign called ``name`` (any case); created when asked to."""
    row = ws.db.execute_sql(
        "SELECT id FROM campaign WHERE name = ? COLLATE NOCASE", (name.strip(),)
    ).fetchone()
    if row:
        return int(row[0])
    if create and name.strip():
        return save_campaign(ws, CampaignInput(name.strip())).campaign_id
    return None
