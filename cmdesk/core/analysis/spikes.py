"""Spike detection: a query's mentions (or negative mentions) per hour far above its baseline.

Imports no Qt. For each query the last hour (by ``published_at``) is compared with the hourly
counts of the 24 hours before it. A spike needs all three: at least ``min_count`` mentions, at
least ``factor`` times the baseline mean, and more than ``sigmas`` standard deviations above it
— so a quiet query going from 0 to 2 mentions is not a crisis, and a busy one needs a real jump.
One alert per query and kind per hour at most: the detector can run after every ingest batch.

Limits: hours are rolling windows ending "now" (the injected clock), not clock hours; mentions
published long ago and fetched late count in the hour they were published.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from cmdesk.core.db import Workspace

HOUR = 3600
BASELINE_HOURS = 24


@dataclass(frozen=True)
class SpikeSettings:
    min_count: int = 10
    min_negative: int = 5
    factor: float = 3.0
    sigmas: float = 3.0


@dataclass(frozen=True)
class Spike:
    query_id: int
    query_name: str
    kind: str  # "spike" or "negative_spike"
    current: int
    baseline_mean: float
    baseline_std: float


def hourly_counts(ws: Workspace, query_id: int, now: int) -> tuple[list[int], list[int]]:
    """Mentions and negative mentions of a query per hour, oldest first, the last hour last."""
    start = now - (BASELINE_HOURS + 1) * HOUR
    row = ws.db.execute_sql(
        "SELECT MIN(id) FROM mention WHERE published_at >= ? AND published_at < ?", [start, now]
    ).fetchone()
    totals = [0] * (BASELINE_HOURS + 1)
    negatives = [0] * (BASELINE_HOURS + 1)
    if row[0] is None:
        return totals, negatives
    # Ids grow with arrival: mentions published in the window arrived after MIN(id), so the walk
    # over the query's (query_id, mention_id) index starts there instead of at its oldest.
    rows = ws.db.execute_sql(
        "SELECT (m.published_at - ?) / ?, COUNT(*), "
        "SUM(CASE WHEN m.sentiment_label = 'negative' THEN 1 ELSE 0 END) "
        "FROM mention_query q JOIN mention m ON m.id = q.mention_id "
        "WHERE q.query_id = ? AND q.mention_id >= ? AND m.published_at >= ? "
        "AND m.published_at < ? GROUP BY 1",
        [start, HOUR, query_id, row[0], start, now],
    )
    for bucket, total, negative in rows:
        if 0 <= bucket <= BASELINE_HOURS:
            totals[int(bucket)] = int(total)
            negatives[int(bucket)] = int(negative or 0)
    return totals, negatives


def is_spike(
    series: Sequence[int], minimum: int, settings: SpikeSettings
) -> tuple[bool, float, float]:
    """Whether the last value of ``series`` is far above the ones before it; mean and std."""
    *baseline, current = series
    mean = sum(baseline) / len(baseline) if baseline else 0.0
    variance = sum((x - mean) ** 2 for x in baseline) / len(baseline) if baseline else 0.0
    std = math.sqrt(variance)
    spike = (
        current >= minimum
        and current >= settings.factor * max(mean, 1.0)
        and current > mean + settings.sigmas * std
    )
    return spike, mean, std


def detect_spikes(
    ws: Workspace, query_ids: Sequence[int] | None = None, settings: SpikeSettings | None = None
) -> list[Spike]:
    """Spikes happening now for ``query_ids`` (every enabled query when None). Reads only."""
    settings = settings or SpikeSettings()
    now = ws.clock.now()
    sql = "SELECT id, name FROM query WHERE enabled = 1"
    params: list[int] = []
    if query_ids is not None:
        if not query_ids:
            return []
        sql += f" AND id IN ({','.join('?' * len(query_ids))})"
        params = list(query_ids)
    spikes = []
    for query_id, name in ws.db.execute_sql(sql, params).fetchall():
        totals, negatives = hourly_counts(ws, query_id, now)
        for kind, series, minimum in (
            ("spike", totals, settings.min_count),
            ("negative_spike", negatives, settings.min_negative),
        ):
            spike, mean, std = is_spike(series, minimum, settings)
            if spike:
                spikes.append(Spike(query_id, name, kind, series[-1], mean, std))
    return spikes


def raise_spike_alerts(
    ws: Workspace, query_ids: Sequence[int] | None = None, settings: SpikeSettings | None = None
) -> list[int]:
    """Store an Alert for each new spike (one per query and kind per hour); their ids."""
    now = ws.clock.now()
    created = []
    for spike in detect_spikes(ws, query_ids, settings):
        recent = ws.db.execute_sql(
            "SELECT 1 FROM alert WHERE kind = ? AND query_id = ? AND created_at > ?",
            [spike.kind, spike.query_id, now - HOUR],
        ).fetchone()
        if recent:
            continue
        what = "negative mentions" if spike.kind == "negative_spike" else "mentions"
        title = (
            f"{spike.query_name}: {spike.current} {what} in the last hour "
            f"(usually {spike.baseline_mean:.1f} an hour)"
        )
        detail = {
            "current": spike.current,
            "baseline_mean": round(spike.baseline_mean, 2),
            "baseline_std": round(spike.baseline_std, 2),
            "window_end": now,
            "window_hours": 1,
            "baseline_hours": BASELINE_HOURS,
        }
        cursor = ws.db.execute_sql(
            "INSERT INTO alert(kind, title, detail, query_id, created_at) VALUES (?, ?, ?, ?, ?)",
            [spike.kind, title, json.dumps(detail), spike.query_id, now],
        )
        created.append(int(cursor.lastrowid))
    return created
