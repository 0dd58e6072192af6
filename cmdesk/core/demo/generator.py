"""Build a synthetic demo workspace: a year of listening, a CRM and a content calendar.

Imports no Qt. :func:`generate_demo` fills a new, empty workspace with content that is consistent
with the schema and with itself (authors are contacts' handles, mentions link to the queries their
text matches and to published calendar items, triage follows age), and is the same for the same
seed and clock. It exists for demos, screenshots and benchmarks: a million mentions take about a
minute (``bench/demo.py``).

The bulk load runs on the calling thread, which must have the workspace to itself (the CLI, a
benchmark, a test; never while the app's writer is busy). It is one transaction: full-text
triggers (the mentions' and the contacts') and the mention indexes are dropped first and rebuilt
in bulk at the end, which is much faster than maintaining them row by row; if anything fails or
the user cancels, the transaction rolls back and the workspace is left empty, triggers and
indexes as they were.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cmdesk.core import contact_search
from cmdesk.core.db import FTS_TRIGGERS, Workspace
from cmdesk.core.demo import calendar, configuration, people
from cmdesk.core.demo.mentions import CRISES, MENTION_COLUMNS, Links, MentionMaker, arrival_times
from cmdesk.core.models import ALL_MODELS
from cmdesk.core.progress import Progress
from cmdesk.core.services import workspace as workspace_service

HOUR = 3600
CHUNK = 20_000
BULK_TABLES = ("mention", "mention_query", "mention_tag", "mention_note", "mention_link")
CONTENT_TABLES = (
    "mention", "source", "query", "contact", "calendar_item", "teammate", "tag", "author",
    "organisation", "campaign", "rule",
)  # fmt: skip


class DemoError(ValueError):
    """The demo cannot be generated here; the message is one plain sentence."""


@dataclass(frozen=True)
class DemoSize:
    mentions: int = 5000
    contacts: int = 300
    items: int = 200


@dataclass(frozen=True)
class DemoSummary:
    counts: dict[str, int]
    authors: int
    alerts: int
    seconds: float


def is_empty(ws: Workspace) -> bool:
    """True when the workspace holds none of the things a demo would add."""
    return not any(
        ws.db.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() for table in CONTENT_TABLES
    )


def generate_demo(
    ws: Workspace, size: DemoSize | None = None, seed: int = 1, progress: Progress | None = None
) -> DemoSummary:
    """Fill the empty workspace ``ws`` with a demo of ``size``; raises :class:`DemoError`."""
    size = size or DemoSize()
    progress = progress or Progress()
    if min(size.mentions, size.contacts, size.items) < 0:
        raise DemoError("counts of mentions, contacts and items cannot be negative.")
    if not is_empty(ws):
        raise DemoError(f"{ws.path} already holds data; the demo needs a new, empty workspace.")
    started = time.perf_counter()
    now = ws.clock.now()

    def rng(part: str) -> random.Random:
        return random.Random(f"{seed}:{part}")

    # Models are bound to the workspace opened last; make sure they write into this one.
    with ws.db.bind_ctx(ALL_MODELS), _bulk_load(ws, progress):
        progress.update(0, 0, "setting up")
        setup = configuration.configure(ws, rng("setup"), size.mentions)
        owners = [name for _, name in setup.teammates]
        pool = people.draw_people(rng("people"), _pool_size(size))
        crowd = people.write_authors(ws, rng("authors"), pool, now)
        progress.update(0, 0, "contacts")
        people.write_contacts(ws, rng("contacts"), pool, crowd, size.contacts, owners)
        progress.update(0, 0, "calendar")
        published = calendar.write_calendar(ws, rng("calendar"), size.items, crowd, owners)
        maker = MentionMaker(rng("mentions"), now, setup, crowd.authors, published)
        _write_mentions(ws, maker, size.mentions, progress)
        people.finish_contacts(ws)
    alerts = _write_alerts(ws, setup) if size.mentions else 0
    authors = ws.db.execute_sql("SELECT COUNT(*) FROM author").fetchone()[0]
    return DemoSummary(workspace_service.counts(ws), authors, alerts, time.perf_counter() - started)


def _pool_size(size: DemoSize) -> int:
    """People behind the mentions: enough that the inbox does not feel like ten loud users."""
    return max(60, round(size.contacts * 1.5), size.mentions // 20)


@contextmanager
def _bulk_load(ws: Workspace, progress: Progress) -> Iterator[None]:
    """One transaction with no per-row index or full-text upkeep; both rebuilt at the end."""
    db = ws.db
    indexes = db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(BULK_TABLES))})",
        BULK_TABLES,
    ).fetchall()
    triggers = [re.search(r"EXISTS (\w+)", sql).group(1) for sql in FTS_TRIGGERS]  # type: ignore[union-attr]
    db.execute_sql("PRAGMA synchronous = OFF")  # a new file: nothing to lose if the machine dies
    try:
        with db.atomic():
            for name in triggers:
                db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
            contact_search.drop_triggers(db)
            for name, _ in indexes:
                db.execute_sql(f'DROP INDEX "{name}"')
            yield
            progress.update(text="building indexes")
            for _, sql in indexes:
                db.execute_sql(sql)
            progress.update(text="building the search index")
            db.execute_sql("INSERT INTO mention_fts(mention_fts) VALUES ('rebuild')")
            for sql in FTS_TRIGGERS:
                db.execute_sql(sql)
            contact_search.rebuild(db)
            contact_search.create_triggers(db)
    finally:
        db.execute_sql("PRAGMA synchronous = NORMAL")
    db.execute_sql("ANALYZE")


def _write_mentions(ws: Workspace, maker: MentionMaker, count: int, progress: Progress) -> None:
    con = ws.db.connection()
    columns = ", ".join(MENTION_COLUMNS)
    insert = f"INSERT INTO mention({columns}) VALUES ({','.join('?' * len(MENTION_COLUMNS))})"
    times = arrival_times(maker.rng, count, maker.now)
    links = Links()
    progress.update(0, count, "mentions")
    for start in range(0, count, CHUNK):
        chunk = times[start : start + CHUNK]
        con.executemany(insert, maker.rows(start + 1, chunk, links))
        con.executemany(
            "INSERT INTO mention_query(mention_id, query_id) VALUES (?, ?)", links.queries
        )
        con.executemany("INSERT INTO mention_tag(mention_id, tag_id) VALUES (?, ?)", links.tags)
        con.executemany(
            "INSERT INTO mention_note(mention_id, author, body, created_at) VALUES (?, ?, ?, ?)",
            links.notes,
        )
        con.executemany(
            "INSERT OR IGNORE INTO mention_link(url, mention_id) VALUES (?, ?)", links.pages
        )
        links.clear()
        progress.update(start + len(chunk), count, "mentions")
    con.executemany(
        "UPDATE author SET first_seen_at = ? WHERE id = ?",
        [(t, author_id) for author_id, t in maker.first_seen.items()],
    )
    con.executemany(
        "UPDATE source SET items_seen = ? WHERE id = ?",
        [(n, source_id) for source_id, n in maker.items_seen.items()],
    )


def _write_alerts(ws: Workspace, setup: configuration.Setup) -> int:
    """Spike alerts for each crisis, as the spike detector would have raised them at its peak."""
    now = ws.clock.now()
    written = 0
    with ws.db.atomic():
        for crisis in CRISES:
            query = setup.query(crisis.product)
            window_end = min(now, now - int(crisis.hours_ago * HOUR) + HOUR // 2)
            for kind in ("negative_spike", "spike"):
                minimum = 3 if kind == "negative_spike" else 10
                acknowledged = None if now - window_end < 12 * HOUR else window_end + 2400
                if write_spike_alert(
                    ws, query.id, query.name, kind, window_end, minimum, acknowledged
                ):
                    written += 1
    return written


def write_spike_alert(
    ws: Workspace,
    query_id: int,
    query_name: str,
    kind: str,
    window_end: int,
    minimum: int = 1,
    acknowledged_at: int | None = None,
) -> int | None:
    """Store the alert the spike detector raises for the hour before ``window_end``.

    Title and detail have the detector's shape and the stored mentions' real counts; nothing is
    written (None) when that hour has fewer than ``minimum`` mentions of the kind.
    """
    hourly = _hourly(ws, query_id, window_end, negative=kind == "negative_spike")
    current, baseline = hourly[-1], hourly[:-1]
    if current < minimum:
        return None
    mean, std = statistics.fmean(baseline), statistics.pstdev(baseline)
    what = "negative mentions" if kind == "negative_spike" else "mentions"
    title = f"{query_name}: {current} {what} in the last hour (usually {mean:.1f} an hour)"
    detail = {
        "current": current, "baseline_mean": round(mean, 2), "baseline_std": round(std, 2),
        "window_end": window_end, "window_hours": 1, "baseline_hours": 24,
    }  # fmt: skip
    cursor = ws.db.execute_sql(
        "INSERT INTO alert(kind, title, detail, query_id, created_at, acknowledged_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [kind, title, json.dumps(detail), query_id, window_end, acknowledged_at],
    )
    return int(cursor.lastrowid)


def _hourly(ws: Workspace, query_id: int, end: int, negative: bool) -> list[int]:
    """Mentions of a query in each of the 25 hours before ``end``, oldest first."""
    rows = ws.db.execute_sql(
        "SELECT (? - 1 - m.published_at) / 3600, COUNT(*) FROM mention m "
        "JOIN mention_query q ON q.mention_id = m.id AND q.query_id = ? "
        "WHERE m.published_at >= ? AND m.published_at < ? "
        + ("AND m.sentiment_label = 'negative' " if negative else "")
        + "GROUP BY 1",
        [end, query_id, end - 25 * HOUR, end],
    ).fetchall()
    counts = [0] * 25
    for hours_before, count in rows:
        counts[24 - int(hours_before)] = count
    return counts
