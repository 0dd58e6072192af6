"""Recurring calendar items: checking RFC 5545 RRULE values and expanding them for a range.

Imports no Qt. A series is one ``calendar_item`` row with an ``rrule``; its first occurrence is
``starts_at`` (UTC seconds) and the rule is applied to the wall-clock time in the item's IANA
``timezone``, so a weekly 09:00 Paris newsletter stays at 09:00 Paris across DST changes (its UTC
time moves by an hour). All-day items are floating dates stored at UTC midnight and expand in UTC.

Cancelled occurrences are the series' ``exdates`` (UTC seconds of the original starts); a moved
occurrence is another row pointing at the series (``recurrence_parent``) with ``recurrence_id``
the original start, so expansion skips both. python-dateutil's ``rrulestr`` does the RFC 5545
arithmetic (BYDAY with ordinals, BYSETPOS, UNTIL/COUNT...). Limits: RDATE and EXRULE are not
stored; an expansion stops after ``MAX_OCCURRENCES`` occurrences in one range.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule as du_rrule

MAX_OCCURRENCES = 5000
FREQUENCIES = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_UNTIL = re.compile(r"UNTIL=([0-9]{8})(T[0-9]{6})?(Z)?", re.IGNORECASE)


class RecurrenceError(ValueError):
    """A recurrence rule that cannot be used; the message says why in plain words."""


def zone(name: str | None) -> tzinfo:
    """The IANA zone called ``name``; UTC for an empty or unknown name."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def is_known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def normalise_rule(rule: str, timezone: str = "UTC", all_day: bool = False) -> str:
    """``rule`` checked and in the form stored: no ``RRULE:`` prefix, upper case, UNTIL in UTC.

    Raises :class:`RecurrenceError` when the rule is not a usable RFC 5545 recurrence rule.
    """
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    text = text.strip().upper()
    if not text:
        raise RecurrenceError("the recurrence rule is empty")
    parts = dict(part.partition("=")[::2] for part in text.split(";") if part)
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        raise RecurrenceError(f"the rule has no valid FREQ ({freq or 'missing'})")
    if freq in ("SECONDLY", "MINUTELY", "HOURLY"):
        raise RecurrenceError(f"{freq.lower()} repetition is not supported for calendar items")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError("a rule cannot have both COUNT and UNTIL")
    text = _UNTIL.sub(lambda m: _until_in_utc(m, timezone, all_day), text)
    try:
        du_rrule.rrulestr(text, dtstart=datetime(2000, 1, 1, tzinfo=UTC))
    except (ValueError, TypeError, KeyError) as exc:
        raise RecurrenceError(f"the recurrence rule is not valid ({exc})") from exc
    return text


def _until_in_utc(match: re.Match[str], timezone: str, all_day: bool) -> str:
    day, clock, utc = match.group(1), match.group(2), match.group(3)
    if utc:
        return f"UNTIL={day}{clock}Z"
    try:
        moment = datetime.strptime(day + (clock or "T235959"), "%Y%m%dT%H%M%S")
    except ValueError as exc:
        raise RecurrenceError(f"UNTIL is not a date ({day})") from exc
    local = moment.replace(tzinfo=UTC if all_day else zone(timezone))
    return f"UNTIL={local.astimezone(UTC):%Y%m%dT%H%M%S}Z"


def describe_rule(rule: str | None) -> str:
    """A short sentence for a rule, e.g. "Every week on Thursday" (for lists and tooltips)."""
    if not rule:
        return "Does not repeat"
    parts = dict(part.partition("=")[::2] for part in rule.upper().split(";") if part)
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}.get(
        parts.get("FREQ", ""), "time"
    )
    interval = int(parts.get("INTERVAL", "1") or 1)
    text = f"Every {unit}" if interval == 1 else f"Every {interval} {unit}s"
    if "BYDAY" in parts:
        text += " on " + ", ".join(_day_name(day) for day in parts["BYDAY"].split(","))
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    elif "UNTIL" in parts:
        text += f", until {parts['UNTIL'][:4]}-{parts['UNTIL'][4:6]}-{parts['UNTIL'][6:8]}"
    return text


_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def _day_name(code: str) -> str:
    prefix, name = code[:-2], _DAY_NAMES.get(code[-2:], code)
    ordinals = {"1": "first", "2": "second", "3": "third", "4": "fourth", "-1": "last"}
    return f"the {ordinals.get(prefix, prefix)} {name}" if prefix else name


def expand(
    rule: str,
    starts_at: int,
    timezone: str,
    all_day: bool,
    range_start: int,
    range_end: int,
    duration_seconds: int = 0,
    skip: Iterable[int] = (),
) -> list[int]:
    """UTC starts of the occurrences that overlap ``[range_start, range_end)``.

    ``skip`` holds original starts to leave out (cancelled or moved occurrences). An occurrence
    that starts before the range but lasts into it is included.
    """
    tz = UTC if all_day else zone(timezone)
    first = datetime.fromtimestamp(starts_at, UTC).astimezone(tz)
    try:
        rules = du_rrule.rrulestr(rule, dtstart=first, forceset=True, cache=False)
    except (ValueError, TypeError, KeyError):
        return []
    after = datetime.fromtimestamp(range_start - max(duration_seconds, 0), UTC)
    before = datetime.fromtimestamp(range_end, UTC)
    skipped = set(skip)
    starts: list[int] = []
    for moment in rules.xafter(after - timedelta(seconds=1), inc=False):
        if moment >= before or len(starts) >= MAX_OCCURRENCES:
            break
        start = _utc_seconds(moment, tz)
        if start + duration_seconds <= range_start and duration_seconds > 0:
            continue
        if start not in skipped:
            starts.append(start)
    return starts


def _utc_seconds(moment: datetime, tz: tzinfo) -> int:
    """UTC seconds of a generated wall-clock time.

    zoneinfo's fold=0 does what clocks do: a time DST skips (02:30 on spring-forward day) lands
    an hour later (03:30), and a time that happens twice is the first one.
    """
    return int(moment.timestamp())


def next_occurrence_after(
    rule: str, starts_at: int, timezone: str, all_day: bool, after: int
) -> int | None:
    """The first occurrence starting strictly after ``after``, or None when the series ended."""
    found = expand(rule, starts_at, timezone, all_day, after + 1, after + 400 * 86400)
    return found[0] if found else None


def all_day_date(starts_at: int) -> date:
    """The calendar date of an all-day item (stored at UTC midnight)."""
    return datetime.fromtimestamp(starts_at, UTC).date()
