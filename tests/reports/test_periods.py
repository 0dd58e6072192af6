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
        "this_week": ((16, 11), (20, 11), (9, 11), (13, 11)),  # Monday to Friday (today)
        "last_week": ((9, 11), (15, 11), (2, 11), (8, 11)),
        "this_month": ((1, 11), (20, 11), (1, 10), (20, 10)),
        "last_month": ((1, 10), (31, 10), (1, 9), (30, 9)),
        "this_quarter": ((1, 10), (20, 11), (1, 7), (20, 8)),
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


def test_current_periods_run_to_today_and_compare_with_the_same_days_before() -> None:
    wednesday = date(2026, 11, 18)
    week = period_for("this_week", wednesday)
    assert (week.first, week.last, week.days, week.to_date) == (
        date(2026, 11, 16),
        wednesday,
        3,
        True,
    )
    assert week.previous() == ReportPeriod(date(2026, 11, 9), date(2026, 11, 11))
    assert week.describe() == (
        "16–18 November 2026 (3 days), to date, compared with the same days of last week "
        "(9–11 November 2026)"
    )
    # A day past the end of a shorter month falls on its last day.
    march = period_for("this_month", date(2026, 3, 30))
    assert march.previous() == ReportPeriod(date(2026, 2, 1), date(2026, 2, 28))
    # On the last day the period is whole, and compares as whole.
    sunday = period_for("this_week", date(2026, 11, 22))
    assert not sunday.to_date and sunday.previous().last == date(2026, 11, 15)
    assert sunday.comparison() == "compared with 9–15 November 2026"
    whole = period_for("this_quarter", date(2026, 12, 31))
    assert not whole.to_date and whole.previous() == ReportPeriod(
        date(2026, 7, 1), date(2026, 9, 30)
    )
    assert period_for("this_month", date(2026, 11, 1)).days == 1  # the first day alone


def test_periods_to_date_across_dst_changes_cover_whole_local_days() -> None:
    paris = ZoneInfo("Europe/Paris")
    # Clocks go forward on Sunday 29 March 2026: this month to Monday 30 March is one hour short.
    march = period_for("this_month", date(2026, 3, 30))
    start, end = march.bounds(paris)
    assert (start, end) == (local_midnight(date(2026, 3, 1), paris),
                            local_midnight(date(2026, 3, 31), paris))  # fmt: skip
    assert end - start == 30 * 86400 - 3600
    before_start, before_end = march.previous().bounds(paris)
    assert before_end - before_start == 28 * 86400 and before_end == start
    # Clocks go back on Sunday 25 October 2026: a week to Tuesday 27 compares with 19-20 October,
    # and the days between (21-25, the 25-hour Sunday too) belong to neither.
    week = period_for("this_week", date(2026, 10, 27))
    (prev_start, prev_end), (cur_start, cur_end) = week.previous().bounds(paris), week.bounds(paris)
    assert prev_end - prev_start == 2 * 86400 == cur_end - cur_start
    assert cur_start - prev_end == 5 * 86400 + 3600
