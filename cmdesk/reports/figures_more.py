"""The smaller aggregates of a report: authors, content, advocates, quotes, alerts and goals.

Split from :mod:`cmdesk.reports.figures`, which assembles them.

Imports core only (no Qt). Each function is one or two SQL statements whose grouped result is
small; none reads one Python row per mention of the period.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from cmdesk.core.db import Workspace
from cmdesk.core.services import calendar, item_mentions
from cmdesk.core.services import reports as report_service
from cmdesk.reports.model import (
    AlertRow,
    Content,
    ContentItem,
    GoalResult,
    Quote,
    ReportFigures,
)
from cmdesk.reports.periods import GOAL_PERIOD_DAYS

if TYPE_CHECKING:
    from cmdesk.reports.figures_scan import Window

QUOTES_PER_TAG = 3  # quotes shown per sentiment and tag; the rest are counted
QUOTE_CHARS = 420
_LABELS = "'positive', 'neutral', 'negative'"
# (sentiment or None when not rated, first tag by name or None when untagged)
QuoteKey = tuple[str | None, str | None]
COUNTED_GOALS = frozenset({"mention_volume", "new_advocates", "items_published"})


def author_details(
    ws: Workspace, author_ids: list[int]
) -> dict[int, tuple[str, str, str | None, int | None]]:
    """{author id: (name, network, linked contact's name, reach)}."""
    ids = sorted(set(author_ids))
    if not ids:
        return {}
    rows = ws.db.execute_sql(
        "SELECT a.id, COALESCE(NULLIF(a.name, ''), a.handle), a.network, c.display_name, "
        "a.reach FROM author a LEFT JOIN contact c ON c.id = a.contact_id "
        f"WHERE a.id IN ({','.join('?' * len(ids))})",
        ids,
    ).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}  # type: ignore[misc]


def assignee_and_department_names(ws: Workspace) -> dict[str, dict[Any, str]]:
    return {
        "assignee": dict(ws.db.execute_sql("SELECT id, name FROM teammate").fetchall()),
        "department": dict(ws.db.execute_sql("SELECT id, name FROM department").fetchall()),
    }


def content(
    ws: Workspace, start: int, end: int, previous_start: int, previous_end: int | None = None
) -> Content:
    """Calendar occurrences starting in ``[start, end)``: planned, published, mentions earned.

    Published items of the previous period are counted in ``[previous_start, previous_end)``.
    """
    previous_end = start if previous_end is None else previous_end
    found = [
        occ
        for occ in calendar.occurrences(ws, start, end)
        if start <= occ.starts_at < end and occ.status != "cancelled"
    ]
    before = [
        occ
        for occ in calendar.occurrences(ws, previous_start, previous_end)
        if previous_start <= occ.starts_at < previous_end and occ.status == "published"
    ]
    ids = sorted({occ.item_id for occ in found})
    urls: dict[int, str | None] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        marks = ",".join("?" * len(part))
        urls.update(
            ws.db.execute_sql(
                f"SELECT id, published_url FROM calendar_item WHERE id IN ({marks})", part
            ).fetchall()
        )
    earned = _mentions_earned(ws, [url for url in urls.values() if url], end)
    items = tuple(
        ContentItem(
            occ.item_id, occ.starts_at, occ.title, occ.item_type, occ.status,
            urls.get(occ.item_id), earned.get(urls.get(occ.item_id) or "", 0),
        )
        for occ in found
    )  # fmt: skip
    published = sum(1 for item in items if item.status == "published")
    return Content(len(items), published, len(before), items)


def _mentions_earned(ws: Workspace, urls: list[str], end: int) -> dict[str, int]:
    """Mentions (not spam) at or linking to each URL, published before ``end``; keys as given."""
    return item_mentions.mention_counts(ws, urls, before=end, count_spam=False)


def new_advocates(ws: Workspace, start: int, end: int) -> tuple[str, ...]:
    """Contacts whose first recorded contribution falls in ``[start, end)``, earliest first."""
    rows = ws.db.execute_sql(
        "SELECT c.display_name FROM contact c JOIN (SELECT contact_id, MIN(occurred_at) AS f "
        "FROM contribution GROUP BY contact_id) first ON first.contact_id = c.id "
        "WHERE first.f >= ? AND first.f < ? ORDER BY first.f, c.display_name",
        (start, end),
    ).fetchall()
    return tuple(name for (name,) in rows)


def quotes(ws: Workspace, w: Window) -> tuple[tuple[Quote, ...], dict[QuoteKey, int]]:
    """Starred mentions of the period, grouped by sentiment and by first tag (by name).

    Returns the first :data:`QUOTES_PER_TAG` quotes of each group (who said it, where, when, and
    every tag they carry) and how many starred mentions each group holds in all.
    """
    groups = (
        f"SELECT m.id, m.published_at, CASE WHEN m.sentiment_label IN ({_LABELS}) "
        "THEN m.sentiment_label END AS label, (SELECT MIN(t.name) FROM mention_tag mt "
        "JOIN tag t ON t.id = mt.tag_id WHERE mt.mention_id = m.id) AS tag FROM mention m "
        # Starring is deliberate: a few thousand starred mentions, read through their partial
        # index, not the year of mentions around them (0.48 -> 0.04 s on a million).
        "INDEXED BY mention_starred_id "
        f"WHERE m.starred = 1 AND {w.where_sql} AND m.published_at >= {w.split}"
    )
    counts = {
        (label, tag): n
        for label, tag, n in ws.db.execute_sql(
            f"SELECT label, tag, COUNT(*) FROM ({groups}) GROUP BY label, tag", w.params
        )
    }
    rows = ws.db.execute_sql(
        "SELECT m.id, COALESCE(NULLIF(m.author_name, ''), m.author_handle, a.name, a.handle, "
        "'Someone'), s.name, m.published_at, COALESCE(m.url, m.canonical_url), m.title, "
        f"substr(m.text, 1, {QUOTE_CHARS + 1}), g.label FROM (SELECT id, label, ROW_NUMBER() "
        "OVER (PARTITION BY label, tag ORDER BY published_at, id) AS n FROM "
        f"({groups})) g JOIN mention m ON m.id = g.id JOIN source s ON s.id = m.source_id "
        "LEFT JOIN author a ON a.id = m.author_id WHERE g.n <= ? ORDER BY m.published_at, m.id",
        (*w.params, QUOTES_PER_TAG),
    ).fetchall()
    if not rows:
        return (), counts
    ids = [row[0] for row in rows]
    tags: dict[int, list[str]] = defaultdict(list)
    for mention_id, name in ws.db.execute_sql(
        f"SELECT mt.mention_id, t.name FROM mention_tag mt JOIN tag t ON t.id = mt.tag_id "
        f"WHERE mt.mention_id IN ({','.join('?' * len(ids))}) ORDER BY t.name",
        ids,
    ):
        tags[mention_id].append(name)
    found = tuple(
        Quote(mid, author, source, when, url, title or "", _excerpt(text or ""), label,
              tuple(tags[mid]))
        for mid, author, source, when, url, title, text, label in rows
    )  # fmt: skip
    return found, counts


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_CHARS:
        return text
    return text[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"


def alerts(ws: Workspace, start: int, end: int, query_ids: tuple[int, ...]) -> tuple[AlertRow, ...]:
    """Alerts raised in ``[start, end)`` (for the scoped queries, or not tied to a query)."""
    where, params = "a.created_at >= ? AND a.created_at < ?", [start, end]
    if query_ids:
        where += f" AND (a.query_id IS NULL OR a.query_id IN ({','.join('?' * len(query_ids))}))"
        params += query_ids
    rows = ws.db.execute_sql(
        "SELECT a.kind, a.title, q.name, a.created_at, a.acknowledged_at IS NOT NULL "
        f"FROM alert a LEFT JOIN query q ON q.id = a.query_id WHERE {where} "
        "ORDER BY a.created_at, a.id",
        params,
    ).fetchall()
    return tuple(
        AlertRow(kind, title, query, at, bool(ack)) for kind, title, query, at, ack in rows
    )


def goal_results(ws: Workspace, figures: ReportFigures) -> tuple[GoalResult, ...]:
    """Each goal against the period's actual figure.

    For each metric (and query), the goal set for the report's kind of period wins; a goal set
    per another period is used otherwise, its count targets scaled to the period's length
    (a monthly target of 300 mentions is 69 for a week), as are the count targets of a period
    to date (a weekly target of 70 is 30 by Wednesday); shares and medians are not scaled.
    """
    period = figures.period
    chosen: dict[tuple[str, int | None], report_service.Goal] = {}
    for goal in report_service.goals(ws):
        key = (goal.metric, goal.query_id)
        if key not in chosen or goal.period == period.goal_period:
            chosen[key] = goal
    results = []
    for goal in chosen.values():
        target = goal.target
        if goal.metric in COUNTED_GOALS and (goal.period != period.goal_period or period.to_date):
            target = round(target * period.days / GOAL_PERIOD_DAYS[goal.period])
        results.append(
            GoalResult(
                goal.id, goal.metric, goal.title, goal.query_name, target,
                _actual(goal, figures), goal.metric in report_service.LOWER_IS_BETTER,
            )
        )  # fmt: skip
    order = {metric: n for n, metric in enumerate(report_service.GOAL_TITLES)}
    return tuple(sorted(results, key=lambda g: (order.get(g.metric, 99), g.query_name or "")))


def _actual(goal: report_service.Goal, f: ReportFigures) -> float | None:
    """The period's figure for a goal; None ("no data") for a query the figure cannot follow."""
    if goal.query_id is not None:
        if goal.metric not in report_service.QUERY_GOAL_METRICS:
            return None  # set by an older version; the overall figure would be mislabelled
        query = next((q for q in f.queries if q.query_id == goal.query_id), None)
        if query is None:
            return None
        return float(query.mentions) if goal.metric == "mention_volume" else query.positive_share
    if goal.metric == "mention_volume":
        return float(f.totals.mentions)
    if goal.metric == "positive_share":
        return f.totals.share("positive")
    if goal.metric == "median_first_response_minutes":
        return f.responsiveness.overall.median_minutes
    if goal.metric == "new_advocates":
        return float(len(f.new_advocates))
    if goal.metric == "items_published":
        return float(f.content.published)
    return None
