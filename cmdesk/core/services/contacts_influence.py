"""Influence: reach, mentions and sentiment per contact, the influence score, and Top voices.

Imports no Qt. The score is deliberately simple, so it can be shown and understood::

    influence = 10 × log10(1 + reach) + 20 × log10(1 + mentions in the last 90 days)
                + 10 × average sentiment of those mentions (−1 … 1)

Reach is the largest of the reach entered on a handle and the reach the network reports for a
linked author. A contact with 10,000 followers who never mentions the brand scores 40; one with
500 followers and 30 mentions in 90 days, mostly positive, scores about 27 + 30 + 5 = 62.

:func:`influence_scores` computes scores, for a few contacts or for every contact in one pass over
the mentions of linked authors (seconds at a million mentions); the scores are stored in
``contact.influence`` by :mod:`cmdesk.core.services.contacts_scores`, which the list sorts by.
:func:`contact_influence` gives one person's figures, with a month-by-month series (mentions,
average sentiment and counts by sentiment label);
:func:`top_voices` ranks the authors who are not contacts yet.

Limits: "brand mentions" are mentions matched by a query of kind "brand"; with no brand query,
every mention counts. Sentiment is averaged over mentions that have one.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from cmdesk.core.db import Workspace

DAY = 86_400
CHUNK = 500
WINDOW_DAYS = 90
FORMULA = (
    "influence = 10 × log10(1 + reach) + 20 × log10(1 + mentions in the last 90 days) "
    "+ 10 × average sentiment (−1 … 1)"
)
VOICE_SORTS = ("mentions", "reach", "positive", "negative")
VOICE_TITLES = {
    "mentions": "Most mentions",
    "reach": "Highest reach",
    "positive": "Most positive",
    "negative": "Most negative",
}
MIN_MENTIONS_FOR_TONE = 2  # one lucky post does not make someone "most positive"


def influence_score(reach: int | None, mentions: int, sentiment: float | None) -> float:
    score = 10 * math.log10(1 + max(0, reach or 0)) + 20 * math.log10(1 + max(0, mentions))
    return round(score + 10 * (sentiment or 0.0), 1)


@dataclass(frozen=True)
class MonthFigures:
    month: str  # "2026-11"
    mentions: int
    sentiment: float | None
    positive: int = 0  # mentions by sentiment label; the rest of ``mentions`` are not rated
    neutral: int = 0
    negative: int = 0

    @property
    def unrated(self) -> int:
        return max(0, self.mentions - self.positive - self.neutral - self.negative)


@dataclass(frozen=True)
class ContactInfluence:
    """One contact's figures for the detail panel."""

    contact_id: int
    reach: int | None
    reach_by_handle: tuple[tuple[str, str, int | None], ...]  # network, handle, reach
    mentions_total: int
    mentions_recent: int  # in the last WINDOW_DAYS
    sentiment_recent: float | None
    positive: int
    negative: int
    brand_share: float  # of the brand's mentions in the window, 0..1
    last_interaction_at: int | None
    last_mention_at: int | None
    score: float
    months: tuple[MonthFigures, ...]


def influence_scores(ws: Workspace, contact_ids: Collection[int] | None = None) -> dict[int, float]:
    """Influence scores of ``contact_ids``, or of every contact with reach or mentions (None).

    Every id asked for gets a score (0.0 with neither reach nor mentions). For every contact
    this is one pass over the mentions of linked authors (seconds at a million mentions: run it
    off the UI thread); for a few contacts it is a few indexed reads.
    """
    if contact_ids is None:
        return _scores(ws, "", [])
    ids = list(dict.fromkeys(contact_ids))
    scores: dict[int, float] = dict.fromkeys(ids, 0.0)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        scores.update(_scores(ws, f"IN ({','.join('?' * len(chunk))})", chunk))
    return scores


def _scores(ws: Workspace, among: str, ids: list[int]) -> dict[int, float]:
    """Scores of contacts whose id is ``among`` (an "IN (?, ...)" over ``ids``; "" for all)."""
    since = ws.clock.now() - WINDOW_DAYS * DAY
    handle_filter = f"AND contact_id {among}" if among else ""
    author_filter = f"AND contact_id {among}" if among else "AND contact_id IS NOT NULL"
    reach: dict[int, int] = {}
    for cid, value in ws.db.execute_sql(
        "SELECT contact_id, MAX(reach) FROM contact_handle WHERE reach IS NOT NULL "
        f"{handle_filter} GROUP BY contact_id",
        ids,
    ):
        reach[cid] = value
    for cid, value in ws.db.execute_sql(
        f"SELECT contact_id, MAX(reach) FROM author WHERE reach IS NOT NULL {author_filter} "
        "GROUP BY contact_id",
        ids,
    ):
        reach[cid] = max(value, reach.get(cid, 0))
    activity: dict[int, tuple[int, float | None]] = {}
    linked = f"a.contact_id {among}" if among else "a.contact_id IS NOT NULL"
    for cid, mentions, sentiment in ws.db.execute_sql(
        "SELECT a.contact_id, COUNT(*), AVG(m.sentiment) FROM author a "
        "JOIN mention m ON m.author_id = a.id "
        f"WHERE {linked} AND m.published_at >= ? GROUP BY a.contact_id",
        [*ids, since],
    ):
        activity[cid] = (mentions, sentiment)
    return {
        cid: influence_score(reach.get(cid), *activity.get(cid, (0, None)))
        for cid in reach.keys() | activity.keys()
    }


def contact_influence(ws: Workspace, contact_id: int, *, months: int = 12) -> ContactInfluence:
    """Reach per handle, mentions and sentiment over time, brand share, score."""
    now = ws.clock.now()
    since = now - WINDOW_DAYS * DAY
    handles = [
        (network, handle, reach)
        for network, handle, reach in ws.db.execute_sql(
            "SELECT h.network, h.handle, MAX(COALESCE(h.reach, -1), COALESCE(("
            "SELECT MAX(a.reach) FROM author a WHERE a.contact_id = h.contact_id "
            "AND a.handle IN (h.handle, lower(h.handle), '@' || h.handle)), -1)) "
            "FROM contact_handle h WHERE h.contact_id = ? ORDER BY h.id",
            [contact_id],
        )
    ]
    by_handle = tuple((n, h, r if r is not None and r >= 0 else None) for n, h, r in handles)
    author_reach = ws.db.execute_sql(
        "SELECT MAX(reach) FROM author WHERE contact_id = ?", [contact_id]
    ).fetchone()[0]
    reaches = [r for _, _, r in by_handle if r is not None] + (
        [author_reach] if author_reach is not None else []
    )
    reach = max(reaches) if reaches else None
    authors = [
        r[0] for r in ws.db.execute_sql("SELECT id FROM author WHERE contact_id = ?", [contact_id])
    ]
    marks = ",".join("?" * len(authors)) or "NULL"
    total, last_at, recent, sentiment, positive, negative = ws.db.execute_sql(
        "SELECT COUNT(*), MAX(published_at), SUM(published_at >= ?), "
        "AVG(CASE WHEN published_at >= ? THEN sentiment END), "
        "SUM(sentiment_label = 'positive'), SUM(sentiment_label = 'negative') "
        f"FROM mention WHERE author_id IN ({marks})",
        [since, since, *authors],
    ).fetchone()
    recent = int(recent or 0)
    last_interaction = ws.db.execute_sql(
        "SELECT last_interaction_at FROM contact WHERE id = ?", [contact_id]
    ).fetchone()
    return ContactInfluence(
        contact_id=contact_id,
        reach=reach,
        reach_by_handle=by_handle,
        mentions_total=int(total or 0),
        mentions_recent=recent,
        sentiment_recent=sentiment,
        positive=int(positive or 0),
        negative=int(negative or 0),
        brand_share=_brand_share(ws, authors, since),
        last_interaction_at=last_interaction[0] if last_interaction else None,
        last_mention_at=last_at,
        score=influence_score(reach, recent, sentiment),
        months=_months(ws, authors, now, months),
    )


def _brand_share(ws: Workspace, authors: list[int], since: int) -> float:
    if not authors:
        return 0.0
    marks = ",".join("?" * len(authors))
    brand = [r[0] for r in ws.db.execute_sql("SELECT id FROM query WHERE kind = 'brand'")]
    if brand:
        qmarks = ",".join("?" * len(brand))
        linked = (
            "SELECT COUNT(DISTINCT m.id) FROM mention_query q "
            "JOIN mention m ON m.id = q.mention_id "
            f"WHERE q.query_id IN ({qmarks}) AND m.published_at >= ?"
        )
        everyone = ws.db.execute_sql(linked, [*brand, since]).fetchone()[0]
        theirs = ws.db.execute_sql(
            linked + f" AND m.author_id IN ({marks})", [*brand, since, *authors]
        ).fetchone()[0]
    else:
        everyone = ws.db.execute_sql(
            "SELECT COUNT(*) FROM mention WHERE published_at >= ?", [since]
        ).fetchone()[0]
        theirs = ws.db.execute_sql(
            f"SELECT COUNT(*) FROM mention WHERE published_at >= ? AND author_id IN ({marks})",
            [since, *authors],
        ).fetchone()[0]
    return theirs / everyone if everyone else 0.0


def _months(ws: Workspace, authors: list[int], now: int, months: int) -> tuple[MonthFigures, ...]:
    today = datetime.fromtimestamp(now, UTC)
    keys = []
    year, month = today.year, today.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keys.reverse()
    found: dict[str, tuple[int, float | None, int, int, int]] = {}
    if authors:
        start = int(datetime(int(keys[0][:4]), int(keys[0][5:]), 1, tzinfo=UTC).timestamp())
        marks = ",".join("?" * len(authors))
        for key, n, sentiment, positive, neutral, negative in ws.db.execute_sql(
            "SELECT strftime('%Y-%m', published_at, 'unixepoch') AS k, COUNT(*), AVG(sentiment), "
            "SUM(sentiment_label = 'positive'), SUM(sentiment_label = 'neutral'), "
            "SUM(sentiment_label = 'negative') "
            f"FROM mention WHERE author_id IN ({marks}) AND published_at >= ? GROUP BY k",
            [*authors, start],
        ):
            found[key] = (n, sentiment, int(positive or 0), int(neutral or 0), int(negative or 0))
    return tuple(MonthFigures(k, *found.get(k, (0, None, 0, 0, 0))) for k in keys)


@dataclass(frozen=True)
class Voice:
    """An author of mentions who is not a contact yet."""

    author_id: int
    network: str
    handle: str
    name: str | None
    url: str | None
    reach: int | None
    mentions: int
    sentiment: float | None


def top_voices(
    ws: Workspace, by: str = "mentions", *, days: int = WINDOW_DAYS, limit: int = 50
) -> list[Voice]:
    """Authors not yet contacts, ranked by mentions, reach, or how positive or negative they are.

    Scans the mentions of the last ``days`` days (run it off the UI thread).
    """
    if by not in VOICE_SORTS:
        raise ValueError(f"unknown ranking {by!r}")
    since = ws.clock.now() - days * DAY
    base = (
        "SELECT a.id, a.network, a.handle, a.name, a.url, a.reach, s.n, s.sentiment "
        "FROM (SELECT author_id, COUNT(*) AS n, AVG(sentiment) AS sentiment FROM mention "
        "WHERE published_at >= ? AND author_id IS NOT NULL GROUP BY author_id) s "
        "JOIN author a ON a.id = s.author_id WHERE a.contact_id IS NULL"
    )
    order = {
        "mentions": "ORDER BY s.n DESC, a.reach DESC",
        "reach": "ORDER BY COALESCE(a.reach, -1) DESC, s.n DESC",
        "positive": f"AND s.n >= {MIN_MENTIONS_FOR_TONE} AND s.sentiment > 0 "
        "ORDER BY s.sentiment DESC, s.n DESC",
        "negative": f"AND s.n >= {MIN_MENTIONS_FOR_TONE} AND s.sentiment < 0 "
        "ORDER BY s.sentiment ASC, s.n DESC",
    }[by]
    rows = ws.db.execute_sql(f"{base} {order}, a.id LIMIT ?", [since, limit])
    return [Voice(*r) for r in rows]
