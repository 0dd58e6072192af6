"""Every number of a report, from SQL aggregates over the period and the one before it.

Imports core only (no Qt). Each aggregate walks the period's mentions once through the
``(published_at, id)`` index and groups in SQL, so Python only sees grouped rows (a few thousand
for a year), never one row per mention; the independent aggregates run in parallel on their own
connections. Conventions, also printed in the report's notes:

- Mentions marked spam are left out of every figure.
- A mention's day is its local day in ``tz``; charts group days into weeks (Monday) past 62 days
  and into months past 400.
- First-response time runs from when the mention reached cmdesk (``fetched_at``) to
  ``responded_at``; a reply made before cmdesk saw the mention counts as 0. The median of an even
  count is the mean of the two middle values; the 90th percentile is the nearest rank.
- A new advocate is a contact whose first recorded contribution falls in the period.
- Content counts calendar occurrences starting in the period; an item earned the mentions whose
  canonical URL is its published URL, published up to the end of the period.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, timedelta, tzinfo
from typing import Any

from cmdesk.core.db import Workspace
from cmdesk.core.models import SOURCE_KINDS
from cmdesk.core.progress import Progress
from cmdesk.core.services import workspace as workspace_service
from cmdesk.reports import figures_more
from cmdesk.reports.figures_scan import (
    AUTHOR_MENTIONS_SHIFT,
    ScanResult,
    Window,
    author_counts,
    percentiles,
    response_histograms,
    scan,
)
from cmdesk.reports.model import (
    AuthorRow,
    MentionTotals,
    QueryVolume,
    ReportFigures,
    ResponseGroup,
    Responsiveness,
    SourceRow,
    VoiceShare,
)
from cmdesk.reports.periods import ReportPeriod, day_expression, day_segments, epoch_day

TOP_ROWS = 10
DAILY_UP_TO = 62
WEEKLY_UP_TO = 400
SENTIMENTS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class ReportScope:
    """Which mentions a report covers: some queries and some sources (empty: all of them)."""

    query_ids: tuple[int, ...] = ()
    source_ids: tuple[int, ...] = ()


def compute_figures(
    ws: Workspace,
    period: ReportPeriod,
    *,
    tz: tzinfo = UTC,
    scope: ReportScope | None = None,
    progress: Progress | None = None,
) -> ReportFigures:
    """Compute every figure of a report over ``period`` (compared with the period before)."""
    scope = scope or ReportScope()
    progress = progress or Progress()
    previous = period.previous()
    window = _window(ws, period, previous, tz, scope)
    info = ws.db.execute_sql("SELECT id, name, kind FROM query ORDER BY position, id").fetchall()
    brand_ids = [qid for qid, _name, kind in info if kind in ("brand", "product")]
    with ThreadPoolExecutor(1, thread_name_prefix="cmdesk-report-side") as pool:
        # Content, quotes, advocates and alerts do not depend on the scan: they are counted
        # meanwhile, on their own connection, instead of after it.
        side = pool.submit(_side_figures, ws, window, scope)
        result = scan(ws, window, [qid for qid, _name, _kind in info], brand_ids, progress)
        progress.update(text="Listing content, quotes and alerts")
        side_figures = side.result()
    buckets, unit = bucket_starts(period)
    bucket_of = _bucket_index(period, buckets, unit)
    main = [(*key, *values) for key, values in result.main.items()]
    sources = _source_names(ws)
    responses = response_histograms(result.responses)
    totals, previous_totals = _totals(main, responses[0])
    queries = _query_volumes(info, result, bucket_of, len(buckets))
    voice = _voice(result.brand, [q for q in queries if q.kind == "competitor"])
    authors = _top_authors(ws, result.authors)
    figures = ReportFigures(
        period=period,
        previous_period=previous,
        brand_name=str(workspace_service.get_setting(ws, "brand_name") or ""),
        scope_label=_scope_label(ws, scope),
        generated_at=ws.clock.now(),
        totals=totals,
        previous_totals=previous_totals,
        bucket_unit=unit,
        buckets=tuple(buckets),
        volume_by_kind=_series_by(main, lambda row: sources[row[2]][1], bucket_of, len(buckets)),
        sentiment_series=_sentiment_series(main, bucket_of, len(buckets)),
        queries=queries,
        share_of_voice=voice,
        top_sources=_top_sources(main, sources),
        top_authors=authors[0],
        top_influencers=authors[1],
        responsiveness=_responsiveness(ws, *responses),
        **side_figures,
    )
    return replace(figures, goals=figures_more.goal_results(ws, figures))


def _side_figures(ws: Workspace, w: Window, scope: ReportScope) -> dict[str, Any]:
    """The figures besides the scan's, as :class:`ReportFigures` fields; run on a worker thread."""
    try:
        start, end, before = w.split, w.end, w.before_end
        quotes, quote_counts = figures_more.quotes(ws, w)
        return {
            "content": figures_more.content(ws, start, end, w.start, before),
            "new_advocates": figures_more.new_advocates(ws, start, end),
            "previous_new_advocates": len(figures_more.new_advocates(ws, w.start, before)),
            "quotes": quotes,
            "quote_counts": quote_counts,
            "alerts": figures_more.alerts(ws, start, end, scope.query_ids),
            "previous_alerts": len(figures_more.alerts(ws, w.start, before, scope.query_ids)),
        }
    finally:
        ws.db.close()  # this worker thread's own connection


def _window(
    ws: Workspace, period: ReportPeriod, previous: ReportPeriod, tz: tzinfo, scope: ReportScope
) -> Window:
    (start, previous_end), (split, end) = previous.bounds(tz), period.bounds(tz)
    where = ["m.published_at >= ?", "m.published_at < ?", "m.state != 'spam'"]
    params: list[Any] = [start, end]
    if previous_end < split:  # a period to date: the days between the two are in neither
        where.append("NOT (m.published_at >= ? AND m.published_at < ?)")
        params += [previous_end, split]
    if scope.source_ids:
        where.append(f"m.source_id IN ({','.join('?' * len(scope.source_ids))})")
        params += scope.source_ids
    if scope.query_ids:
        where.append(
            "m.id IN (SELECT mention_id FROM mention_query "
            f"WHERE query_id IN ({','.join('?' * len(scope.query_ids))}))"
        )
        params += scope.query_ids
    day_sql = day_expression("m.published_at", day_segments(previous.first, period.last, tz))
    return Window(start, split, epoch_day(period.first), end, epoch_day(previous.first),
                  epoch_day(period.last), day_sql, " AND ".join(where), tuple(params),
                  previous_end)  # fmt: skip


# -- buckets ---------------------------------------------------------------------------------


def bucket_starts(period: ReportPeriod) -> tuple[list[date], str]:
    """The first day of each chart bucket: days, Monday weeks or months, as the length asks."""
    if period.days <= DAILY_UP_TO:
        return [period.first + timedelta(days=n) for n in range(period.days)], "day"
    if period.days <= WEEKLY_UP_TO:
        first = period.first - timedelta(days=period.first.weekday())
        count = (period.last - first).days // 7 + 1
        return [first + timedelta(weeks=n) for n in range(count)], "week"
    starts, day = [], period.first.replace(day=1)
    while day <= period.last:
        starts.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return starts, "month"


def _bucket_index(period: ReportPeriod, buckets: list[date], unit: str) -> Callable[[int], int]:
    """Maps a local day number of the current period to its bucket index."""
    first = epoch_day(period.first)
    if unit == "day":
        return lambda day: day - first
    if unit == "week":
        monday = epoch_day(buckets[0])
        return lambda day: (day - monday) // 7
    lookup = {}
    for index, start in enumerate(buckets):
        following = buckets[index + 1] if index + 1 < len(buckets) else period.last
        for n in range(epoch_day(start), epoch_day(following) + 1):
            lookup[n] = index
    return lookup.__getitem__


# -- mentions by day, source and sentiment ---------------------------------------------------

# Rows: (current 1/0, local day, source id, sentiment, mentions, starred)
MainRow = tuple[int, int, int, str | None, int, int]


def _totals(
    rows: list[MainRow], responses: dict[tuple[str, int, Any], list[int]]
) -> tuple[MentionTotals, MentionTotals]:
    sums: dict[int, dict[str, int]] = {1: defaultdict(int), 0: defaultdict(int)}
    for current, _day, _source, label, count, starred in rows:
        bucket = sums[current]
        bucket["mentions"] += count
        if label in SENTIMENTS:
            bucket[label] += count
        bucket["starred"] += starred
    for current in (0, 1):
        needs, responded, awaiting = responses.get(("all", current, None), (0, 0, 0))
        sums[current].update(needs_response=needs, responded=responded, awaiting=awaiting)
    return MentionTotals(**sums[1]), MentionTotals(**sums[0])


def _series_by(
    rows: list[MainRow], key: Callable[[MainRow], str], bucket_of: Callable[[int], int], size: int
) -> dict[str, tuple[int, ...]]:
    series: dict[str, list[int]] = {}
    for row in rows:
        if row[0]:
            values = series.setdefault(key(row), [0] * size)
            values[bucket_of(row[1])] += row[4]
    order = {kind: n for n, kind in enumerate(SOURCE_KINDS)}
    ordered = sorted(series.items(), key=lambda item: (-sum(item[1]), order.get(item[0], 99)))
    return {name: tuple(values) for name, values in ordered}


def _sentiment_series(
    rows: list[MainRow], bucket_of: Callable[[int], int], size: int
) -> dict[str, tuple[int, ...]]:
    series = {label: [0] * size for label in (*SENTIMENTS, "unrated")}
    for current, day, _source, label, count, _starred in rows:
        if current:
            series[label if label in SENTIMENTS else "unrated"][bucket_of(day)] += count
    return {label: tuple(values) for label, values in series.items()}


def _source_names(ws: Workspace) -> dict[int, tuple[str, str]]:
    rows = ws.db.execute_sql("SELECT id, name, kind FROM source").fetchall()
    return {source_id: (name, kind) for source_id, name, kind in rows}


def _top_sources(rows: list[MainRow], names: dict[int, tuple[str, str]]) -> tuple[SourceRow, ...]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # now, before, +, -
    for current, _day, source_id, label, count, _starred in rows:
        entry = counts[source_id]
        entry[0 if current else 1] += count
        if current and label == "positive":
            entry[2] += count
        elif current and label == "negative":
            entry[3] += count
    ranked = sorted(
        (item for item in counts.items() if item[1][0]), key=lambda item: (-item[1][0], item[0])
    )
    return tuple(
        SourceRow(source_id, *names.get(source_id, ("(deleted source)", "")), *values)
        for source_id, values in ranked[:TOP_ROWS]
    )


def _top_authors(
    ws: Workspace, counts: dict[int, int]
) -> tuple[tuple[AuthorRow, ...], tuple[AuthorRow, ...]]:
    """The most active authors, and the widest-reaching among everyone active in the period.

    ``counts`` holds packed counts (:func:`author_counts`), which compare by mentions first.
    """
    busiest = _busiest(counts)
    widest = _widest(ws, counts)
    people = figures_more.author_details(ws, [*busiest, *widest])

    def row(aid: int) -> AuthorRow:
        name, network, contact, author_reach = people.get(aid, ("(unknown)", "", None, None))
        return AuthorRow(aid, name, network, contact, *author_counts(counts[aid]), author_reach)

    return tuple(row(aid) for aid in busiest), tuple(row(aid) for aid in widest)


def _busiest(counts: dict[int, int]) -> list[int]:
    """The :data:`TOP_ROWS` authors with the most mentions (ties: lowest id first)."""
    if not counts:
        return []
    # The tenth largest packed value bounds the tenth largest count from above: every author
    # with at least that many mentions is a candidate, a handful to sort.
    tenth = heapq.nlargest(TOP_ROWS, counts.values())[-1] >> AUTHOR_MENTIONS_SHIFT
    floor = tenth << AUTHOR_MENTIONS_SHIFT
    candidates = [aid for aid, packed in counts.items() if packed >= floor]
    candidates.sort(key=lambda aid: (-(counts[aid] >> AUTHOR_MENTIONS_SHIFT), aid))
    return candidates[:TOP_ROWS]


def _widest(ws: Workspace, counts: dict[int, int]) -> list[int]:
    """The :data:`TOP_ROWS` active authors with the most reach (ties: most mentions, lowest id).

    Walks authors by reach from the top and stops after the tenth active one's reach.
    """
    found: list[tuple[int, int]] = []  # (reach, author id)
    rows = ws.db.execute_sql(
        "SELECT id, reach FROM author WHERE reach IS NOT NULL ORDER BY reach DESC"
    )
    for aid, reach in rows:
        if len(found) >= TOP_ROWS and reach < found[TOP_ROWS - 1][0]:
            break
        if aid in counts:
            found.append((reach, aid))
    rows.close()
    found.sort(key=lambda item: (-item[0], -(counts[item[1]] >> AUTHOR_MENTIONS_SHIFT), item[1]))
    return [aid for _reach, aid in found[:TOP_ROWS]]


# -- queries and share of voice --------------------------------------------------------------


def _query_volumes(
    info: list[tuple[int, str, str]],
    result: ScanResult,
    bucket_of: Callable[[int], int],
    size: int,
) -> tuple[QueryVolume, ...]:
    sums = {qid: dict.fromkeys(("now", "before", *SENTIMENTS), 0) for qid, _n, _k in info}
    series = {qid: [0] * size for qid, _n, _k in info}
    for (current, day, query_id, label), count in result.queries.items():
        if query_id not in sums:
            continue
        entry = sums[query_id]
        entry["now" if current else "before"] += count
        if current:
            series[query_id][bucket_of(day)] += count
            if label in SENTIMENTS:
                entry[label] += count
    return tuple(
        QueryVolume(qid, name, kind, *(sums[qid][k] for k in ("now", "before", *SENTIMENTS)),
                    tuple(series[qid]))
        for qid, name, kind in info
    )  # fmt: skip


def _voice(brand: dict[int, list[int]], competitors: list[QueryVolume]) -> tuple[VoiceShare, ...]:
    """The brand (its brand and product queries, a mention counted once) against competitors.

    Every row's positive share is of its *rated* mentions, like the report's other shares.
    """
    if not competitors:
        return ()
    now, positive, rated = brand.get(1, [0, 0, 0])
    before = brand.get(0, [0, 0, 0])[0]
    now_total = now + sum(c.mentions for c in competitors)
    before_total = before + sum(c.previous for c in competitors)

    def share(count: int, total: int) -> float | None:
        return count / total if total else None

    rows = [VoiceShare("Brand", True, now, share(now, now_total), share(before, before_total),
                       share(positive, rated))]  # fmt: skip
    for c in competitors:
        rows.append(
            VoiceShare(c.name, False, c.mentions, share(c.mentions, now_total),
                       share(c.previous, before_total), c.positive_share)
        )  # fmt: skip
    return tuple(rows)


# -- responsiveness --------------------------------------------------------------------------


def _responsiveness(
    ws: Workspace,
    counts: dict[tuple[str, int, Any], list[int]],
    hist: dict[tuple[str, int, Any], dict[int, int]],
) -> Responsiveness:
    names = figures_more.assignee_and_department_names(ws)

    def group(dim: str, key: Any, name: str) -> ResponseGroup:
        needs, responded, awaiting = counts.get((dim, 1, key), (0, 0, 0))
        return ResponseGroup(
            name, needs, responded, awaiting, *percentiles(hist.get((dim, 1, key), {}))
        )

    def groups(dim: str, unset: str) -> tuple[ResponseGroup, ...]:
        keys = {key for d, cur, key in counts if d == dim and cur == 1}
        rows = [group(dim, key, names[dim].get(key, unset)) for key in keys]
        return tuple(sorted(rows, key=lambda g: (-g.needs_response - g.responded, g.name)))

    return Responsiveness(
        overall=group("all", None, "All"),
        previous_median_minutes=percentiles(hist.get(("all", 0, None), {}))[0],
        by_assignee=groups("assignee", "Unassigned"),
        by_department=groups("department", "Not routed"),
    )


def _scope_label(ws: Workspace, scope: ReportScope) -> str:
    parts = []
    if scope.query_ids:
        marks = ",".join("?" * len(scope.query_ids))
        names = ws.db.execute_sql(
            f"SELECT name FROM query WHERE id IN ({marks}) ORDER BY position, id", scope.query_ids
        ).fetchall()
        parts.append("Queries: " + ", ".join(name for (name,) in names))
    if scope.source_ids:
        marks = ",".join("?" * len(scope.source_ids))
        names = ws.db.execute_sql(
            f"SELECT name FROM source WHERE id IN ({marks}) ORDER BY name", scope.source_ids
        ).fetchall()
        parts.append("Sources: " + ", ".join(name for (name,) in names))
    return "; ".join(parts) or "All queries and sources"
