"""iCalendar (.ics, RFC 5545) files in and out of the content calendar, with ``icalendar``.

Imports no Qt. :func:`parse_ics` reads files as Google Calendar, Outlook and task apps write them:
time zones (VTIMEZONE, Windows zone names, floating times in the calendar's X-WR-TIMEZONE),
all-day and multi-day events, DURATION, RRULE/EXDATE, RECURRENCE-ID overrides, VALARM reminders
and VTODO tasks (a task with no date goes to the backlog). Each VEVENT/VTODO is parsed on its own,
with the file's VTIMEZONEs, so one broken entry is reported (with its line and why) and the others
are kept — ``icalendar`` refuses a whole file for a single bad property. :func:`export_ics`
writes items back with their zone (and the VTIMEZONEs they use), series with RRULE/EXDATE, moved
occurrences with RECURRENCE-ID, and cmdesk's own fields as X-CMDESK-* properties so a round trip
keeps type, status, channels, owner and campaign.

Limits: RDATE, EXRULE and a second RRULE are ignored; only the first VALARM (relative to the
start) becomes the reminder; attendees are not turned into contacts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import icalendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from cmdesk.core.models import ITEM_STATUSES, ITEM_TYPES
from cmdesk.core.services import recurrence
from cmdesk.core.services.calendar import ItemDetail
from cmdesk.core.services.calendar_edits import ItemInput
from cmdesk.core.services.calendar_import import ImportEntry, own_uid

PRODID = "-//cmdesk//Content calendar//EN"
_BLOCK = re.compile(r"^(BEGIN|END):(VEVENT|VTODO|VTIMEZONE)\s*$", re.IGNORECASE)
EVENT_STATUS = {"CANCELLED": "cancelled", "TENTATIVE": "draft", "CONFIRMED": "scheduled"}
TODO_STATUS = {"COMPLETED": "published", "CANCELLED": "cancelled", "IN-PROCESS": "draft"}
EXPORT_STATUS = {"cancelled": "CANCELLED", "published": "CONFIRMED", "scheduled": "CONFIRMED"}
TIME_FIELDS = ("DTSTART", "DTEND", "DUE", "DURATION", "RRULE", "EXDATE", "RECURRENCE-ID")


class IcsError(ValueError):
    """The file is not an iCalendar file at all (entries with problems are reported instead)."""


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ParseResult:
    entries: list[ImportEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _blocks(text: str) -> tuple[list[str], list[tuple[int, str]], str | None]:
    """The VTIMEZONE blocks, the (line, VEVENT/VTODO block) pairs, and X-WR-TIMEZONE."""
    timezones: list[str] = []
    entries: list[tuple[int, str]] = []
    default_zone = None
    current: list[str] | None = None
    kind, start_line = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        match = _BLOCK.match(line.strip())
        if current is None:
            if match and match.group(1).upper() == "BEGIN":
                current, kind, start_line = [line], match.group(2).upper(), number
            elif line.upper().startswith("X-WR-TIMEZONE:"):
                default_zone = line.split(":", 1)[1].strip()
            continue
        current.append(line)
        if match and match.group(1).upper() == "END" and match.group(2).upper() == kind:
            block = "\r\n".join(current)
            if kind == "VTIMEZONE":
                timezones.append(block)
            else:
                entries.append((start_line, block))
            current = None
    return timezones, entries, default_zone


def parse_ics(data: bytes) -> ParseResult:
    """Every event and task of an .ics file; each bad entry becomes a :class:`Problem`."""
    text = _decode(data)
    if "BEGIN:VCALENDAR" not in text.upper():
        raise IcsError("this is not an iCalendar file (no BEGIN:VCALENDAR)")
    timezones, blocks, default_zone = _blocks(text)
    floating = recurrence.zone(_iana(default_zone) if default_zone else None)
    header = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//cmdesk//import//EN\r\n"
    zones = "\r\n".join(timezones)
    result = ParseResult()
    for line, block in blocks:
        try:
            wrapped = f"{header}{zones}\r\n{block}\r\nEND:VCALENDAR\r\n"
            calendar = icalendar.Calendar.from_ical(wrapped)
            component = next(c for c in calendar.subcomponents if c.name in ("VEVENT", "VTODO"))
            result.entries.append(_entry(component, line, floating))
        except (ValueError, KeyError, TypeError, StopIteration) as exc:
            result.problems.append(Problem(line, _reason(exc)))
    if not blocks:
        result.problems.append(Problem(1, "the file holds no events or tasks"))
    return result


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    if "Content line could not be parsed" in text:
        return "a line of the entry is not valid iCalendar"
    return text.rstrip(".")


def _iana(tzid: str | None) -> str | None:
    """The IANA name for a TZID as files write it ("Europe/Paris", Outlook's Windows names...)."""
    if not tzid:
        return None
    name = tzid.strip().strip('"')
    if recurrence.is_known_zone(name):
        return name
    if name in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[name]
    parts = name.strip("/").split("/")  # "/mozilla.org/20050126_1/Europe/Berlin"
    for start in range(1, len(parts)):
        candidate = "/".join(parts[start:])
        if recurrence.is_known_zone(candidate):
            return candidate
    return None


def _moment(prop: object, floating: tzinfo) -> tuple[int, bool, str | None]:
    """(UTC seconds, is a date, IANA zone) of a DTSTART-like property."""
    value = prop.dt  # type: ignore[attr-defined]
    if isinstance(value, datetime):
        tzid = prop.params.get("TZID") if hasattr(prop, "params") else None  # type: ignore[attr-defined]
        if value.tzinfo is None:
            value = value.replace(tzinfo=floating)
            zone_name = getattr(floating, "key", "UTC")
        elif value.utcoffset() == timedelta(0) and not tzid:
            zone_name = "UTC"
        else:
            zone_name = _iana(tzid) or getattr(value.tzinfo, "key", None)
        return int(value.timestamp()), False, zone_name
    if isinstance(value, date):
        return int(datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp()), True, None
    raise ValueError(f"{type(value).__name__} is not a date or time")


def _check_broken(component: icalendar.cal.Component) -> None:
    for name, message in getattr(component, "errors", []):
        if name in TIME_FIELDS:
            raise ValueError(f"{name} is not valid ({message})")


def _entry(component: icalendar.cal.Component, line: int, floating: tzinfo) -> ImportEntry:
    _check_broken(component)
    is_task = component.name == "VTODO"
    uid = str(component.get("UID", "")).strip()
    if not uid:
        raise ValueError("the entry has no UID, so a second import could not recognise it")
    when = _when(component, is_task, floating)
    rule, exdates, rid = None, (), None
    if when is not None:
        starts_at, minutes, all_day, zone_name = when
        rule = _rule(component, zone_name, all_day)
        exdates = tuple(_moment_list(component.get("EXDATE"), floating, all_day))
        if component.get("RECURRENCE-ID") is not None:
            rid = _moment(component["RECURRENCE-ID"], floating)[0]
    else:
        starts_at, minutes, all_day, zone_name = None, 60, False, "UTC"
    data = ItemInput(
        title=_text(component, "SUMMARY") or "(untitled)",
        item_type=_own(component, "X-CMDESK-TYPE", ITEM_TYPES) or ("task" if is_task else "event"),
        status=_own(component, "X-CMDESK-STATUS", ITEM_STATUSES)
        or _status(component, is_task, starts_at),
        channels=tuple(_list(component, "X-CMDESK-CHANNELS")),
        owner=_text(component, "X-CMDESK-OWNER"),
        starts_at=starts_at,
        duration_minutes=minutes,
        all_day=all_day,
        timezone=zone_name,
        tags=tuple(_categories(component)),
        brief=_text(component, "DESCRIPTION"),
        published_url=_text(component, "X-CMDESK-PUBLISHED-URL") or _text(component, "URL"),
        location=_text(component, "LOCATION"),
        travel_starts_on=_day(component, "X-CMDESK-TRAVEL-START"),
        travel_ends_on=_day(component, "X-CMDESK-TRAVEL-END"),
        rrule=rule,
        reminder_minutes=_reminder(component),
    )
    return ImportEntry(line, uid, data, exdates, rid, _text(component, "X-CMDESK-CAMPAIGN"))


def _when(
    component: icalendar.cal.Component, is_task: bool, floating: tzinfo
) -> tuple[int, int, bool, str] | None:
    """(start, minutes, all-day, zone) or None for a task with no date."""
    start_prop = component.get("DTSTART")
    end_prop = component.get("DUE" if is_task else "DTEND")
    if start_prop is None:
        if not is_task:
            raise ValueError("the event has no start (DTSTART)")
        if end_prop is None:
            return None
        starts_at, all_day, zone_name = _moment(end_prop, floating)
        return starts_at, (1440 if all_day else 0), all_day, zone_name or "UTC"
    starts_at, all_day, zone_name = _moment(start_prop, floating)
    if end_prop is not None:
        ends_at = _moment(end_prop, floating)[0]
    elif component.get("DURATION") is not None:
        ends_at = starts_at + int(component["DURATION"].dt.total_seconds())
    else:
        ends_at = starts_at + (86400 if all_day else 0)
    if ends_at < starts_at:
        raise ValueError("the entry ends before it starts")
    minutes = (ends_at - starts_at) // 60
    if minutes > 366 * 1440:
        raise ValueError("the entry lasts more than a year")
    return starts_at, minutes, all_day, zone_name or "UTC"


def _rule(component: icalendar.cal.Component, zone_name: str, all_day: bool) -> str | None:
    prop = component.get("RRULE")
    if prop is None:
        return None
    if isinstance(prop, list):
        prop = prop[0]
    text = prop.to_ical().decode()
    try:
        return recurrence.normalise_rule(text, zone_name, all_day)
    except recurrence.RecurrenceError as exc:
        raise ValueError(f"RRULE: {exc}") from exc


def _moment_list(prop: object, floating: tzinfo, all_day: bool) -> list[int]:
    if prop is None:
        return []
    props = prop if isinstance(prop, list) else [prop]
    found: list[int] = []
    for item in props:
        for value in item.dts:  # type: ignore[attr-defined]
            found.append(_moment(value, floating)[0])
    return sorted(set(found))


def _text(component: icalendar.cal.Component, name: str) -> str | None:
    value = component.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _own(component: icalendar.cal.Component, name: str, allowed: Sequence[str]) -> str | None:
    value = (_text(component, name) or "").lower()
    return value if value in allowed else None


def _list(component: icalendar.cal.Component, name: str) -> list[str]:
    return [part.strip() for part in (_text(component, name) or "").split(",") if part.strip()]


def _categories(component: icalendar.cal.Component) -> list[str]:
    values = component.get("CATEGORIES")
    if values is None:
        return []
    props = values if isinstance(values, list) else [values]
    return [str(cat).strip() for prop in props for cat in prop.cats if str(cat).strip()]


def _day(component: icalendar.cal.Component, name: str) -> date | None:
    text = _text(component, name)
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _status(component: icalendar.cal.Component, is_task: bool, starts_at: int | None) -> str:
    status = (_text(component, "STATUS") or "").upper()
    if is_task:
        return TODO_STATUS.get(status, "scheduled" if starts_at is not None else "idea")
    return EVENT_STATUS.get(status, "scheduled")


def _reminder(component: icalendar.cal.Component) -> int | None:
    for alarm in component.walk("VALARM"):
        trigger = alarm.get("TRIGGER")
        if trigger is None or alarm.get("TRIGGER").params.get("RELATED", "START") != "START":
            continue
        value = trigger.dt
        if isinstance(value, timedelta) and value <= timedelta(0):
            return int(-value.total_seconds() // 60)
    return None


# -- writing ------------------------------------------------------------------------------------


def item_uid(item: ItemDetail) -> str:
    return item.uid or own_uid(item.id, item.created_at)


def export_ics(
    items: Sequence[ItemDetail], campaign_names: Mapping[int, str], now: int, name: str = ""
) -> bytes:
    """An .ics file holding ``items`` (series with their moved occurrences, backlog as VTODO)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name or "cmdesk content calendar")
    by_id = {item.id: item for item in items}
    stamp = datetime.fromtimestamp(now, UTC)
    for item in items:
        parent = by_id.get(item.recurrence_parent_id) if item.recurrence_parent_id else None
        if item.recurrence_parent_id and parent is None:
            continue  # a moved occurrence travels with its series
        calendar.add_component(_component(item, parent, campaign_names, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _component(
    item: ItemDetail,
    parent: ItemDetail | None,
    campaign_names: Mapping[int, str],
    stamp: datetime,
) -> icalendar.cal.Component:
    component = icalendar.Todo() if item.starts_at is None else icalendar.Event()
    component.add("uid", item_uid(parent or item))
    component.add("dtstamp", stamp)
    component.add("created", datetime.fromtimestamp(item.created_at, UTC))
    component.add("last-modified", datetime.fromtimestamp(item.updated_at, UTC))
    component.add("summary", item.title)
    if item.starts_at is not None:
        _add_times(component, item, parent)
    status = EXPORT_STATUS.get(item.status, "TENTATIVE")
    if item.starts_at is None:
        status = {"cancelled": "CANCELLED", "published": "COMPLETED"}.get(
            item.status, "NEEDS-ACTION"
        )
    component.add("status", status)
    for key, value in (
        ("description", item.brief),
        ("location", item.location),
        ("url", item.published_url),
        ("x-cmdesk-type", item.item_type),
        ("x-cmdesk-status", item.status),
        ("x-cmdesk-owner", item.owner),
        ("x-cmdesk-channels", ",".join(item.channels)),
        ("x-cmdesk-campaign", campaign_names.get(item.campaign_id or 0)),
        ("x-cmdesk-travel-start", item.travel_starts_on and item.travel_starts_on.isoformat()),
        ("x-cmdesk-travel-end", item.travel_ends_on and item.travel_ends_on.isoformat()),
    ):
        if value:
            component.add(key, value)
    if item.tags:
        component.add("categories", list(item.tags))
    if item.reminder_minutes is not None and item.starts_at is not None:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.title)
        alarm.add("trigger", timedelta(minutes=-item.reminder_minutes))
        component.add_component(alarm)
    return component


def _add_times(
    component: icalendar.cal.Component, item: ItemDetail, parent: ItemDetail | None
) -> None:
    assert item.starts_at is not None
    tz = ZoneInfo(item.timezone) if recurrence.is_known_zone(item.timezone) else UTC

    def at(seconds: int) -> date | datetime:
        if item.all_day:
            return recurrence.all_day_date(seconds)
        moment = datetime.fromtimestamp(seconds, tz)
        return moment if item.timezone != "UTC" else moment.astimezone(UTC)

    component.add("dtstart", at(item.starts_at))
    end_minutes = max(item.duration_minutes, 1440 if item.all_day else 0)
    component.add("dtend", at(item.starts_at + end_minutes * 60))
    if item.rrule:
        component.add("rrule", icalendar.vRecur.from_ical(item.rrule))
        if item.exdates:
            component.add("exdate", [at(seconds) for seconds in item.exdates])
    if parent is not None and item.recurrence_id is not None:
        parent_tz = ZoneInfo(parent.timezone) if recurrence.is_known_zone(parent.timezone) else UTC
        rid: date | datetime = (
            recurrence.all_day_date(item.recurrence_id)
            if parent.all_day
            else datetime.fromtimestamp(item.recurrence_id, parent_tz)
        )
        component.add("recurrence-id", rid)
