"""Report periods: this/last week, this/last month, this/last quarter, custom; and the one before.

Imports no Qt. A period is a span of *local* days, both ends included (a report for "last week"
covers Monday to Sunday where the user lives), turned into UTC seconds ``[start, end)`` only for
queries. The previous period is the one a reader compares with: the calendar month or quarter
before for months and quarters, otherwise the same number of days just before.

"This week", "this month" and "this quarter" run *to date*: from their first day to today (no
future days), compared with the same span of the period before (Monday to Wednesday against last
Monday to Wednesday; 1-20 November against 1-20 October, a day past the end of a shorter month
falling on its last day). Once today is the last day, they are whole and compare as whole.
Limits: today counts as a whole day on both sides (the current one is still going); weeks start
on Monday (ISO 8601); the Gregorian calendar only.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

PERIOD_KINDS = (
    "this_week",
    "last_week",
    "this_month",
    "last_month",
    "this_quarter",
    "last_quarter",
    "custom",
)
PERIOD_TITLES = {
    "this_week": "This week",
    "last_week": "Last week",
    "this_month": "This month",
    "last_month": "Last month",
    "this_quarter": "This quarter",
    "last_quarter": "Last quarter",
    "custom": "Custom dates",
}
# Periods that run to today while they last, and their length in months (0: a week).
TO_DATE_MONTHS = {"this_week": 0, "this_month": 1, "this_quarter": 3}
# Goals are set per week, month or quarter; their length in days for scaling to other periods.
GOAL_PERIOD_DAYS = {"week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4}


@dataclass(frozen=True)
class ReportPeriod:
    """Local days ``first`` to ``last`` (inclusive); ``kind`` says how they were chosen."""

    first: date
    last: date
    kind: str = "custom"

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("The period ends before it starts.")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def goal_period(self) -> str:
        """The goal period (week, month, quarter) this period is, or is closest to in length."""
        if self.kind in ("this_week", "last_week"):
            return "week"
        if self.kind in ("this_month", "last_month"):
            return "month"
        if self.kind in ("this_quarter", "last_quarter"):
            return "quarter"
        return min(GOAL_PERIOD_DAYS, key=lambda name: abs(GOAL_PERIOD_DAYS[name] - self.days))

    @property
    def to_date(self) -> bool:
        """A current week, month or quarter that has not ended: it stops at today."""
        return self.kind in TO_DATE_MONTHS and self.last < _natural_last(self.first, self.kind)

    def previous(self) -> ReportPeriod:
        """The period to compare with: the month or quarter before, else as many days before.

        A period to date compares with the same span of the period before it.
        """
        if self.to_date:
            months = TO_DATE_MONTHS[self.kind]
            if months == 0:
                return ReportPeriod(self.first - timedelta(days=7), self.last - timedelta(days=7))
            last = min(_add_months(self.last, -months), self.first - timedelta(days=1))
            return ReportPeriod(_add_months(self.first, -months), last)
        if _is_whole_months(self.first, self.last):
            months = _month_index(self.last) - _month_index(self.first) + 1
            first = _add_months(self.first, -months)
            return ReportPeriod(first, self.first - timedelta(days=1), "custom")
        return ReportPeriod(
            self.first - timedelta(days=self.days), self.first - timedelta(days=1), "custom"
        )

    def bounds(self, tz: tzinfo) -> tuple[int, int]:
        """``[start, end)`` in UTC seconds covering the local days of the period."""
        return local_midnight(self.first, tz), local_midnight(self.last + timedelta(days=1), tz)

    def label(self) -> str:
        """How a reader names the period: "3–9 November 2026", "November 2026"..."""
        first, last = self.first, self.last
        if _is_whole_months(first, last) and first.month == last.month and first.year == last.year:
            return f"{first:%B} {first.year}"
        if first == last:
            return f"{first.day} {first:%B} {first.year}"
        if first.year != last.year:
            return f"{first.day} {first:%B} {first.year} – {last.day} {last:%B} {last.year}"
        if first.month != last.month:
            return f"{first.day} {first:%B} – {last.day} {last:%B} {last.year}"
        return f"{first.day}–{last.day} {last:%B} {last.year}"

    def with_kind(self, kind: str) -> ReportPeriod:
        return replace(self, kind=kind)

    def comparison(self) -> str:
        """What the period is compared with, in words ("compared with 2–8 November 2026")."""
        previous = self.previous().label()
        if self.to_date:
            before = {"this_week": "last week", "this_month": "the month before",
                      "this_quarter": "the quarter before"}[self.kind]  # fmt: skip
            return f"to date, compared with the same days of {before} ({previous})"
        return f"compared with {previous}"

    def describe(self) -> str:
        """The period and what it is compared with, for the period picker."""
        return f"{self.label()} ({self.days} days), {self.comparison()}"


def period_for(kind: str, today: date) -> ReportPeriod:
    """The period called ``kind`` as seen on ``today`` (``custom`` gives this month so far)."""
    if kind == "this_week":
        return ReportPeriod(today - timedelta(days=today.weekday()), today, kind)
    if kind == "last_week":
        first = today - timedelta(days=today.weekday() + 7)
        return ReportPeriod(first, first + timedelta(days=6), kind)
    if kind in ("this_month", "last_month"):
        first = _add_months(today.replace(day=1), 0 if kind == "this_month" else -1)
        return ReportPeriod(first, today if kind == "this_month" else _month_end(first), kind)
    if kind in ("this_quarter", "last_quarter"):
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        if kind == "last_quarter":
            first = _add_months(first, -3)
            return ReportPeriod(first, _month_end(_add_months(first, 2)), kind)
        return ReportPeriod(first, today, kind)
    if kind == "custom":
        return ReportPeriod(today.replace(day=1), today, kind)
    raise ValueError(f"Unknown period {kind!r} (one of: {', '.join(PERIOD_KINDS)}).")


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` date; ``ValueError`` with a plain message otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD).") from None


def local_midnight(day: date, tz: tzinfo) -> int:
    """UTC seconds of the local midnight that starts ``day``."""
    return int(datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC).timestamp())


def day_segments(first: date, last: date, tz: tzinfo) -> list[tuple[int, int]]:
    """``(from_utc_seconds, day_number)`` segments turning a time into its local day number.

    Within a segment, a time ``t`` falls on day ``day_number + (t - from_utc_seconds) // 86400``.
    Days are 86400 s long except on DST changes, so a year needs a handful of segments and SQL
    can turn a time into a local day with a short ``CASE`` (see :func:`day_expression`).
    """
    segments: list[tuple[int, int]] = []
    day = first
    while day <= last:
        number = epoch_day(day)
        start = local_midnight(day, tz)
        if not segments or segments[-1][0] + (number - segments[-1][1]) * 86400 != start:
            segments.append((start, number))
        following = local_midnight(day + timedelta(days=1), tz)
        if following - start > 86400:  # a 25-hour day: its last hour is still this day
            segments.append((start + 86400, number))
        day += timedelta(days=1)
    return segments


def day_expression(column: str, segments: list[tuple[int, int]]) -> str:
    """SQL giving the local day number of ``column`` (which must be at or after the first one).

    The numbers are inlined: they come from :func:`day_segments`, never from user text.
    """
    if len(segments) == 1:
        start, number = segments[0]
        return f"({number} + ({column} - {start}) / 86400)"
    parts = []
    for (start, number), (following, _) in zip(segments, segments[1:], strict=False):
        parts.append(f"WHEN {column} < {following} THEN {number} + ({column} - {start}) / 86400")
    start, number = segments[-1]
    return f"(CASE {' '.join(parts)} ELSE {number} + ({column} - {start}) / 86400 END)"


def epoch_day(day: date) -> int:
    """The day number ``day`` has in :func:`day_offsets` arithmetic (days since 1970-01-01)."""
    return (day - date(1970, 1, 1)).days


def day_of_epoch(number: int) -> date:
    return date(1970, 1, 1) + timedelta(days=number)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _add_months(day: date, months: int) -> date:
    year, month = divmod(_month_index(day) + months, 12)
    last = stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _month_end(day: date) -> date:
    return day.replace(day=stdlib_calendar.monthrange(day.year, day.month)[1])


def _natural_last(first: date, kind: str) -> date:
    """The last day of the whole week, month or quarter a period to date starts."""
    months = TO_DATE_MONTHS[kind]
    if months == 0:
        return first + timedelta(days=6)
    return _month_end(_add_months(first, months - 1))


def _is_whole_months(first: date, last: date) -> bool:
    return first.day == 1 and last == _month_end(last)
