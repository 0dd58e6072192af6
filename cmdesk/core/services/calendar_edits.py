"""Writing the content calendar: create, edit, reschedule, cancel and delete items and occurrences.

Imports no Qt. Every function here must run inside a transaction on the workspace's writer
(``Workspace.write`` or the UI task runner's ``write``) and returns what it changed: a
:class:`~cmdesk.core.changes.Changes`, or an :class:`ItemSaved` that carries one.

Recurring items: moving or editing *one* occurrence writes an override row (``recurrence_parent``
= the series, ``recurrence_id`` = the occurrence's original start), as RFC 5545's RECURRENCE-ID
does; cancelling one adds its original start to the series' ``exdates``. Moving the whole series
shifts its exceptions with it so they keep pointing at the same occurrences.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import ITEM_STATUSES, ITEM_TYPES, CalendarItem, CalendarItemContact
from cmdesk.core.services import recurrence
from cmdesk.core.services.calendar import Occurrence

CALENDAR = Changes(calendar=True)
MAX_DURATION_MINUTES = 366 * 1440


class CalendarError(ValueError):
    """A calendar write that cannot be done; the message is one sentence for the user."""


@dataclass(frozen=True)
class ItemInput:
    """What the user can set on an item; ``starts_at`` None puts it in the backlog."""

    title: str
    item_type: str = "blog_post"
    status: str = "idea"
    channels: tuple[str, ...] = ()
    owner: str | None = None
    starts_at: int | None = None
    duration_minutes: int = 60
    all_day: bool = False
    timezone: str = "UTC"
    campaign_id: int | None = None
    tags: tuple[str, ...] = ()
    brief: str | None = None
    published_url: str | None = None
    location: str | None = None
    travel_starts_on: date | None = None
    travel_ends_on: date | None = None
    rrule: str | None = None
    reminder_minutes: int | None = None
    contacts: tuple[tuple[int, str], ...] = field(default=())  # (contact id, role)


@dataclass(frozen=True)
class ItemSaved:
    """The id of the item written and what changed (the task runner announces ``changes``)."""

    item_id: int
    changes: Changes = CALENDAR


def check_input(data: ItemInput) -> ItemInput:
    """``data`` cleaned (trimmed text, de-duplicated lists, a stored-form rule) or an error."""
    title = data.title.strip()
    if not title:
        raise CalendarError("An item needs a title.")
    if data.item_type not in ITEM_TYPES:
        raise CalendarError(f"Unknown item type {data.item_type!r}.")
    if data.status not in ITEM_STATUSES:
        raise CalendarError(f"Unknown status {data.status!r}.")
    if not 0 <= data.duration_minutes <= MAX_DURATION_MINUTES:
        raise CalendarError("The duration must be between 0 minutes and a year.")
    if not recurrence.is_known_zone(data.timezone):
        raise CalendarError(f"Unknown time zone {data.timezone!r}.")
    if (
        data.travel_starts_on
        and data.travel_ends_on
        and data.travel_ends_on < data.travel_starts_on
    ):
        raise CalendarError("Travel cannot end before it starts.")
    if data.reminder_minutes is not None and data.reminder_minutes < 0:
        raise CalendarError("A reminder is given in minutes before the start.")
    rule = data.rrule.strip() if data.rrule else None
    if rule:
        if data.starts_at is None:
            raise CalendarError("A repeating item needs a first date.")
        try:
            rule = recurrence.normalise_rule(rule, data.timezone, data.all_day)
        except recurrence.RecurrenceError as exc:
            raise CalendarError(f"Repeat: {exc}.") from exc
    starts_at = data.starts_at
    if starts_at is not None and data.all_day:
        starts_at -= starts_at % 86400  # all-day items are dates, kept at UTC midnight
    return replace(
        data,
        title=title,
        channels=tuple(dict.fromkeys(c.strip() for c in data.channels if c.strip())),
        tags=tuple(dict.fromkeys(t.strip() for t in data.tags if t.strip())),
        owner=(data.owner or "").strip() or None,
        brief=(data.brief or "").strip() or None,
        published_url=(data.published_url or "").strip() or None,
        location=(data.location or "").strip() or None,
        rrule=rule or None,
        starts_at=starts_at,
        duration_minutes=max(data.duration_minutes, 1440)
        if data.all_day
        else data.duration_minutes,
    )


def _row_values(data: ItemInput) -> dict[str, object]:
    values = asdict(data)
    values.pop("contacts")
    values["channels"] = list(data.channels)
    values["tags"] = list(data.tags)
    values["campaign"] = values.pop("campaign_id")
    return values


def create_item(ws: Workspace, data: ItemInput, uid: str | None = None) -> ItemSaved:
    data = check_input(data)
    now = ws.clock.now()
    item = CalendarItem.create(
        **_row_values(data),
        uid=uid or f"{uuid.uuid4()}@cmdesk",
        created_at=now,
        updated_at=now,
    )
    _write_contacts(item.id, data.contacts)
    return ItemSaved(item.id)


def update_item(ws: Workspace, item_id: int, data: ItemInput) -> ItemSaved:
    data = check_input(data)
    item = _require(item_id)
    if item.rrule and data.rrule and item.starts_at is not None and data.starts_at is not None:
        _shift_exceptions(item, data.starts_at - item.starts_at)
    values = _row_values(data)
    if not data.rrule:
        values["exdates"] = None
    CalendarItem.update(**values, updated_at=ws.clock.now()).where(
        CalendarItem.id == item_id
    ).execute()
    if not data.rrule and item.rrule:
        CalendarItem.delete().where(CalendarItem.recurrence_parent == item_id).execute()
    _write_contacts(item_id, data.contacts)
    return ItemSaved(item_id)


def _write_contacts(item_id: int, contacts: Sequence[tuple[int, str]]) -> None:
    CalendarItemContact.delete().where(CalendarItemContact.item == item_id).execute()
    seen: set[int] = set()
    for contact_id, role in contacts:
        if contact_id in seen:
            continue
        seen.add(contact_id)
        CalendarItemContact.create(item=item_id, contact=contact_id, role=role.strip())


def _require(item_id: int) -> CalendarItem:
    item = CalendarItem.get_or_none(CalendarItem.id == item_id)
    if item is None:
        raise CalendarError("That item no longer exists.")
    return item


def _shift_exceptions(series: CalendarItem, delta: int) -> None:
    """Keep cancelled and moved occurrences attached when the series' start moves."""
    if not delta:
        return
    if series.exdates:
        series.exdates = [start + delta for start in series.exdates]
        CalendarItem.update(exdates=series.exdates).where(CalendarItem.id == series.id).execute()
    for override in CalendarItem.select().where(CalendarItem.recurrence_parent == series.id):
        CalendarItem.update(recurrence_id=override.recurrence_id + delta).where(
            CalendarItem.id == override.id
        ).execute()


def delete_items(ws: Workspace, item_ids: Sequence[int]) -> Changes:
    """Delete items (a series takes its moved occurrences with it)."""
    if item_ids:
        CalendarItem.delete().where(CalendarItem.id.in_(list(item_ids))).execute()
    return CALENDAR


def set_status(ws: Workspace, item_ids: Sequence[int], status: str) -> Changes:
    if status not in ITEM_STATUSES:
        raise CalendarError(f"Unknown status {status!r}.")
    CalendarItem.update(status=status, updated_at=ws.clock.now()).where(
        CalendarItem.id.in_(list(item_ids))
    ).execute()
    return CALENDAR


def mark_published(ws: Workspace, item_id: int, url: str | None) -> Changes:
    """Record that an item went out (and where, so mentions of it can be counted)."""
    CalendarItem.update(
        status="published", published_url=(url or "").strip() or None, updated_at=ws.clock.now()
    ).where(CalendarItem.id == item_id).execute()
    return CALENDAR


def reschedule(
    ws: Workspace,
    occurrence: Occurrence,
    starts_at: int | None,
    duration_minutes: int | None = None,
    whole_series: bool = False,
) -> ItemSaved:
    """Move an occurrence (and/or change its duration); ``starts_at`` None sends it to the backlog.

    One occurrence of a series becomes an override row unless ``whole_series``; dragging an
    occurrence of a series with ``whole_series`` moves the series by the same amount. The status
    is left as it is (scheduling an idea does not make it ready).
    """
    minutes = occurrence_minutes(occurrence) if duration_minutes is None else duration_minutes
    if not 0 <= minutes <= MAX_DURATION_MINUTES:
        raise CalendarError("The duration must be between 0 minutes and a year.")
    now = ws.clock.now()
    generated = occurrence.series_id is not None and occurrence.series_id == occurrence.item_id
    if generated and not whole_series:
        if starts_at is None:
            raise CalendarError("One occurrence of a repeating item cannot go to the backlog.")
        return ItemSaved(_override(ws, occurrence, starts_at, minutes))
    item = _require(occurrence.item_id)
    if item.rrule:
        if starts_at is None:
            raise CalendarError("A repeating item cannot go to the backlog; stop it repeating.")
        # Dragging an occurrence of the series moves the series by the same amount.
        new_first = item.starts_at + (starts_at - occurrence.starts_at)
        _shift_exceptions(item, new_first - item.starts_at)
        starts_at = new_first
    if starts_at is not None and item.all_day:
        starts_at -= starts_at % 86400
    CalendarItem.update(starts_at=starts_at, duration_minutes=minutes, updated_at=now).where(
        CalendarItem.id == item.id
    ).execute()
    return ItemSaved(item.id)


def occurrence_minutes(occurrence: Occurrence) -> int:
    return max(0, (occurrence.ends_at - occurrence.starts_at) // 60)


def _override(ws: Workspace, occurrence: Occurrence, starts_at: int, minutes: int) -> int:
    """Create the row for one moved occurrence of a series, copying the series' fields."""
    series = _require(occurrence.item_id)
    now = ws.clock.now()
    fields = {
        name: getattr(series, name)
        for name in (
            "title",
            "item_type",
            "channels",
            "status",
            "owner",
            "all_day",
            "timezone",
            "campaign",
            "tags",
            "brief",
            "location",
            "reminder_minutes",
        )
    }
    if series.all_day:
        starts_at -= starts_at % 86400
    override = CalendarItem.create(
        **fields,
        starts_at=starts_at,
        duration_minutes=minutes,
        recurrence_parent=series.id,
        recurrence_id=occurrence.recurrence_id or occurrence.starts_at,
        created_at=now,
        updated_at=now,
    )
    links = CalendarItemContact.select().where(CalendarItemContact.item == series.id)
    for link in links:
        CalendarItemContact.create(item=override.id, contact=link.contact_id, role=link.role)
    return override.id


def edit_occurrence(ws: Workspace, occurrence: Occurrence, data: ItemInput) -> ItemSaved:
    """Edit just this occurrence of a series (an override row), keeping the series as it is."""
    data = replace(check_input(replace(data, rrule=None)), rrule=None)
    generated = occurrence.series_id is not None and occurrence.series_id == occurrence.item_id
    if not generated:
        return update_item(ws, occurrence.item_id, data)
    override_id = _override(ws, occurrence, data.starts_at or occurrence.starts_at, 60)
    return update_item(ws, override_id, data)


def cancel_occurrence(ws: Workspace, occurrence: Occurrence) -> Changes:
    """Leave one occurrence of a series out (an EXDATE); a moved one's row is removed too."""
    if occurrence.series_id is None:
        raise CalendarError("Only one occurrence of a repeating item can be cancelled this way.")
    series = _require(occurrence.series_id)
    original = occurrence.recurrence_id or occurrence.starts_at
    dates = sorted({*(series.exdates or []), original})
    CalendarItem.update(exdates=dates, updated_at=ws.clock.now()).where(
        CalendarItem.id == series.id
    ).execute()
    CalendarItem.delete().where(
        (CalendarItem.recurrence_parent == series.id) & (CalendarItem.recurrence_id == original)
    ).execute()
    return CALENDAR


def restore_occurrences(
    ws: Workspace, series_id: int, starts: Sequence[int] | None = None
) -> Changes:
    """Bring back cancelled occurrences of a series: those originally at ``starts`` (None: all)."""
    series = _require(series_id)
    kept = [] if starts is None else [s for s in (series.exdates or []) if s not in set(starts)]
    CalendarItem.update(exdates=kept or None, updated_at=ws.clock.now()).where(
        CalendarItem.id == series_id
    ).execute()
    return CALENDAR
