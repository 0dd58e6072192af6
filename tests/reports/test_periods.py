"""Report periods and their previous periods; local days in SQL across DST."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from cmdesk.reports.periods import (
    ReportPeriod,
    day_expression,
    day_segments,
    epoch_day,
    local_midnight,
    period_for,
)

FRIDAY = date(2026, 11, 20)


def test_named_periods_and_what_they_compare_with() -> None:
    cases = {
        "this_week": ((16, 11), (22, 11), (9, 11), (15, 11)),
        "last_week": ((9, 11), (15, 11), (2, 11), (8, 11)),
        "this_month": ((1, 11), (30, 11), (1, 10), (31, 10)),
        "last_month": ((1, 10), (31, 10), (1, 9), (30, 9)),
        "this_quarter": ((1, 10), (31, 12), (1, 7), (30, 9)),
        "last_quarter": ((1, 7), (30, 9), (1, 4), (30, 6)),
    }
    for kind, (first, last, prev_first, prev_last) in cases.items():
        period = period_for(kind, FRIDAY)
        previous = period.previous()
        got = [(d.day, d.month) for d in (period.first, period.last, previous.first, previous.last)]
        assert got == [first, last, prev_first, prev_last], kind


def test_custom_periods_compare_with_as_many_days_before_and_read_well() -> None:
    period = ReportPeriod(date(2026, 11, 3), date(2026, 11, 12))
    assert period.previous() == ReportPeriod(date(2026, 10, 24), date(2026, 11, 2))
    assert period.label() == "3–12 November 2026"
    assert ReportPeriod(date(2026, 11, 1), date(2026, 11, 30)).label() == "November 2026"
    assert period.goal_period == "week"


def test_local_day_in_sql_is_right_on_both_dst_changes() -> None:
    import sqlite3

    paris = ZoneInfo("Europe/Paris")
    segments = day_segments(date(2026, 3, 28), date(2026, 10, 26), paris)
    sql = day_expression("t", segments)
    con = sqlite3.connect(":memory:")
    for day in (date(2026, 3, 29), date(2026, 3, 30), date(2026, 10, 25), date(2026, 10, 26)):
        start = local_midnight(day, paris)
        end = local_midnight(date.fromordinal(day.toordinal() + 1), paris)
        for moment in (start, start + 3600 * 5, end - 1):
            got = con.execute(f"SELECT {sql} FROM (SELECT ? AS t)", (moment,)).fetchone()[0]
            assert got == epoch_day(day), (day, moment - start)
