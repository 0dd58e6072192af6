"""Calendar date arithmetic: month grids, weeks, day bounds in a zone, and moving by a period.

Imports no Qt. Everything here is about *local* dates: the views show the user's days, so a day
is "local midnight to the next local midnight" in the display zone (23 or 25 hours long on DST
days), converted to UTC seconds for queries. Weeks start on the day the user's locale says
(``first_weekday``: 0 Monday as in ISO 8601 ... 6 Sunday as in the US). Limits: the Gregorian
calendar only.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cmdesk.core.services.recurrence import all_day_date

PERIODS = ("month", "week", "agenda")
MONDAY, SUNDAY = 0, 6
GRID_DAYS = 42  # six weeks: every month fits, and the grid never changes height


@dataclass(frozen=True)
class Period:
    """What a view shows: ``kind`` and its first and last local dates (inclusive)."""

    kind: str
    first: date
    last: date
    anchor: date  # the date the user navigated to (the month's first day, the picked day...)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def week_start(day: date, first_weekday: int = MONDAY) -> date:
    """The first day of the week holding ``day``."""
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def month_grid(year: int, month: int, first_weekday: int = MONDAY) -> list[date]:
    """The 42 days a month view shows: whole weeks from the week holding the 1st."""
    start = week_start(date(year, month, 1), first_weekday)
    return [start + timedelta(days=n) for n in range(GRID_DAYS)]


def period_for(kind: str, anchor: date, first_weekday: int = MONDAY) -> Period:
    """The month grid, the week, or the agenda (the anchor's month) around ``anchor``."""
    if kind == "month":
        grid = month_grid(anchor.year, anchor.month, first_weekday)
        return Period(kind, grid[0], grid[-1], anchor.replace(day=1))
    if kind == "week":
        first = week_start(anchor, first_weekday)
        return Period(kind, first, first + timedelta(days=6), anchor)
    if kind == "agenda":
        last_day = stdlib_calendar.monthrange(anchor.year, anchor.month)[1]
        return Period(kind, anchor.replace(day=1), anchor.replace(day=last_day), anchor)
    raise ValueError(f"unknown period {kind!r}")


def shift(kind: str, anchor: date, steps: int) -> date:
    """``anchor`` moved by ``steps`` periods (months for month and agenda, weeks for week)."""
    if kind == "week":
        return anchor + timedelta(weeks=steps)
    month_index = anchor.year * 12 + anchor.month - 1 + steps
    year, month = divmod(month_index, 12)
    day = min(anchor.day, stdlib_calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def local_midnight(day: date, tz: tzinfo) -> int:
    """UTC seconds of local midnight starting ``day`` (the first existing minute on DST days)."""
    return int(datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC).timestamp())


def utc_bounds(first: date, last: date, tz: tzinfo) -> tuple[int, int]:
    """``[start, end)`` in UTC seconds covering the local days ``first`` to ``last``."""
    return local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz)


def local_date(seconds: int, tz: tzinfo) -> date:
    return datetime.fromtimestamp(seconds, tz).date()


def days_covered(starts_at: int, ends_at: int, all_day: bool, tz: tzinfo) -> tuple[date, date]:
    """The first and last local day an item occupies (all-day items are floating dates)."""
    if all_day:
        first = all_day_date(starts_at)
        days = max(1, -(-(ends_at - starts_at) // 86400))
        return first, first + timedelta(days=days - 1)
    first = local_date(starts_at, tz)
    # An item ending exactly at midnight does not occupy the next day.
    last = local_date(max(starts_at, ends_at - 1), tz)
    return first, last


def at_local_time(day: date, seconds_into_day: int, tz: tzinfo) -> int:
    """UTC seconds of the wall-clock time ``seconds_into_day`` on local ``day``."""
    hours, rest = divmod(max(0, seconds_into_day), 3600)
    moment = datetime.combine(day, time(min(hours, 23), rest // 60), tzinfo=tz)
    return int(moment.astimezone(UTC).timestamp())


def moved_to_day(starts_at: int, all_day: bool, new_day: date, tz: tzinfo) -> int:
    """The start an item gets when dropped on ``new_day``: same wall-clock time, or same date."""
    if all_day:
        return int(datetime.combine(new_day, time(0), tzinfo=UTC).timestamp())
    local = datetime.fromtimestamp(starts_at, tz)
    return at_local_time(new_day, local.hour * 3600 + local.minute * 60, tz)


def parse_day(text: str) -> date:
    """A date typed on the command line: ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD)") from exc


def local_zone() -> tzinfo:
    """The machine's zone with its DST rules (not a fixed offset); UTC when unknown.

    A named IANA zone (zoneinfo, fast) when the system says which one it is (``TZ``,
    ``/etc/localtime``'s link or ``/etc/timezone``), else dateutil's reading of the C library.
    """
    for name in _local_zone_names():
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    from dateutil import tz as dateutil_tz

    return dateutil_tz.gettz() or UTC


def _local_zone_names() -> list[str]:
    names = []
    if os.environ.get("TZ"):
        names.append(os.environ["TZ"].lstrip(":"))
    link = Path("/etc/localtime")
    if link.is_symlink():
        target = str(link.resolve())
        if "zoneinfo/" in target:
            names.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        names.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    return [name for name in names if name]
