"""One pass over the report's mentions: every per-mention aggregate, in parallel time slices.

Imports core only (no Qt). The period and the one before it are cut into slices holding about as
many mentions each (found on the ``(published_at, id)`` index); each slice runs on its own thread
and connection (SQLite releases the GIL while it works, so two cores halve the time). A slice
copies each of its mentions' group keys into a temporary table once (one read of the wide mention
rows), then counts that table several ways in SQL. Slices add up: the merge sums grouped rows (a
few thousand for a year, plus one per active author), never one Python row per mention.

Query matches are grouped by each mention's whole *set* of matching queries, in one pass over
``mention_query`` in key order: a (day, sentiment, query set) row then counts for every query in
the set, and once for the brand when the set holds a brand or product query (so a mention matching
several brand queries counts once). When the report's query ids span at most
:data:`MASK_BITS` ids, a set is an integer bit mask packed into the group key; otherwise it is the
ids as text (``group_concat``), a slower but general key.

First-response times are grouped to the minute (seconds dropped), which the percentiles use.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from cmdesk.core.db import Workspace
from cmdesk.core.progress import Progress

SLICES = 2
SENTIMENT_CODE = (
    "(CASE {col} WHEN 'positive' THEN 1 WHEN 'neutral' THEN 2 WHEN 'negative' THEN 3 ELSE 0 END)"
)
CODE_SENTIMENT = {0: None, 1: "positive", 2: "neutral", 3: "negative"}
MAX_MINUTES = (1 << 21) - 1  # about four years: longer first responses count as this
# Packed integer keys stay below 2**62: SQLite integers are signed 64-bit, and an overflowing
# sum would silently turn into a float.
KEY_BITS = 62
# A query set as a bit mask needs one bit per query id from the smallest to the largest.
MASK_BITS = 40
# An author's counts as one Python int, mentions << 64 | positive << 32 | negative: slices merge
# with one addition per author (a field would need 4 billion mentions to spill).
AUTHOR_FIELD = 32
AUTHOR_MENTIONS_SHIFT = 2 * AUTHOR_FIELD
_FIELD_MASK = (1 << AUTHOR_FIELD) - 1
# The per-slice working tables. TEMP tables live on their own connection, so slices never clash.
# Groups are counted with upserts into small tables keyed by one packed integer (a hash-like
# aggregate): SQLite's GROUP BY sorts every row first, which costs twice as much here.
_TABLES = {
    # Each mention's group keys, computed once: its main key (day, source, sentiment), starred,
    # its author when in the current period, its responses key when it needs or got a response.
    # Narrow rows: the copy and every pass over it cost less than with one column per field.
    "report_slice": "(id INTEGER PRIMARY KEY, mk INTEGER, starred INTEGER, author INTEGER, "
    "rk INTEGER)",
    "report_main": "(k INTEGER PRIMARY KEY, n INTEGER, starred INTEGER)",
    # author -> mentions, positive << 32 | negative
    "report_authors": "(k INTEGER PRIMARY KEY, n INTEGER, pn INTEGER)",
    "report_responses": "(k INTEGER PRIMARY KEY, n INTEGER)",
    # (query set as a bit mask << day bits | relative day * 4 + sentiment) -> mentions
    "report_masks": "(k INTEGER PRIMARY KEY, n INTEGER)",
    # (relative day * 4 + sentiment, query ids as text) -> mentions, when masks do not fit
    "report_sets": "(k INTEGER, qs TEXT, n INTEGER, PRIMARY KEY (k, qs)) WITHOUT ROWID",
}


@dataclass(frozen=True)
class KeyBits:
    """How many bits each id needs in a packed key (from the largest id in its table)."""

    source: int
    teammate: int
    department: int

    @classmethod
    def of(cls, ws: Workspace) -> KeyBits:
        def bits(table: str) -> int:
            row = ws.db.execute_sql(f'SELECT MAX(id) FROM "{table}"').fetchone()
            return max(1, int(row[0] or 0).bit_length())

        return cls(bits("source"), bits("teammate"), bits("department"))


@dataclass(frozen=True)
class QuerySets:
    """How a slice keys each mention's set of matching queries (see the module docstring).

    With ``use_mask``, bit ``i`` of a set stands for query id ``low + i`` and the set sits above
    ``day_bits`` bits of ``relative day * 4 + sentiment``; query ids outside ``low..high`` (added
    after the report started) are left out, as the report has no row for them anyway.
    """

    low: int
    high: int
    day_bits: int
    brand_ids: frozenset[int]

    @classmethod
    def of(cls, w: Window, query_ids: list[int], brand_ids: list[int]) -> QuerySets:
        low, high = (min(query_ids), max(query_ids)) if query_ids else (0, 0)
        day_bits = ((w.end_day - w.start_day + 1) * 4).bit_length()
        return cls(low, high, day_bits, frozenset(brand_ids))

    @property
    def use_mask(self) -> bool:
        spread = self.high - self.low + 1
        return spread <= MASK_BITS and spread + self.day_bits <= KEY_BITS

    @property
    def brand_mask(self) -> int:
        return sum(1 << (qid - self.low) for qid in self.brand_ids if self.low <= qid <= self.high)


@dataclass(frozen=True)
class Window:
    """The SQL pieces every aggregate shares: the time range, the day expression, the scope.

    ``where_sql`` starts with the two range conditions (``params[0:2]``), which slices replace.
    When the previous period does not end where the current one starts (a week to date compared
    with the same days of last week), ``where_sql`` also leaves out the days in between.
    """

    start: int  # the previous period's start
    split: int  # the current period's start
    split_day: int  # its local day number
    end: int
    start_day: int  # the local day numbers of the previous period's first day ...
    end_day: int  # ... and of the current period's last day
    day_sql: str
    where_sql: str
    params: tuple[Any, ...]
    previous_end: int = -1  # the previous period's end; -1: the current period's start

    @property
    def before_end(self) -> int:
        return self.split if self.previous_end < 0 else self.previous_end


@dataclass
class ScanResult:
    """Grouped counts over the window; keys start with ``cur`` (1 current, 0 previous period)."""

    # (cur, day, source id, sentiment) -> [mentions, starred]
    main: dict[tuple[int, int, int, str | None], list[int]] = field(default_factory=dict)
    # (cur, day, query id, sentiment) -> mentions
    queries: Counter[tuple[int, int, int, str | None]] = field(default_factory=Counter)
    # author id -> mentions, positive, negative packed (see author_counts; current period only)
    authors: dict[int, int] = field(default_factory=dict)
    # cur -> [mentions, positive, rated] matching any brand or product query, each counted once
    brand: dict[int, list[int]] = field(default_factory=dict)
    # (cur, assignee, department, needs response, responded, minutes) -> mentions
    responses: Counter[tuple[int, Any, Any, int, int, int | None]] = field(default_factory=Counter)

    def add(self, other: ScanResult) -> None:
        for key, (count, starred) in other.main.items():
            entry = self.main.setdefault(key, [0, 0])
            entry[0] += count
            entry[1] += starred
        self.queries.update(other.queries)
        authors = self.authors
        for author_id, packed in other.authors.items():
            authors[author_id] = authors.get(author_id, 0) + packed
        for cur, values in other.brand.items():
            entry = self.brand.setdefault(cur, [0, 0, 0])
            for n, value in enumerate(values):
                entry[n] += value
        self.responses.update(other.responses)


def scan(
    ws: Workspace,
    w: Window,
    query_ids: list[int],
    brand_query_ids: list[int],
    progress: Progress | None = None,
) -> ScanResult:
    """Every per-mention aggregate over ``w``, computed in parallel slices and merged.

    ``query_ids`` are the report's queries (matches of other ids may be left out);
    ``brand_query_ids`` those of them counted together as the brand.
    """
    bounds = _slice_bounds(ws, w)
    bits = KeyBits.of(ws)
    sets = QuerySets.of(w, query_ids, brand_query_ids)

    def run(low: int, high: int) -> ScanResult:
        try:
            return _scan_slice(ws, w, low, high, sets, bits)
        finally:
            ws.db.close()  # this worker thread's own connection

    with ThreadPoolExecutor(SLICES, thread_name_prefix="cmdesk-report") as pool:
        futures = [
            pool.submit(run, low, high) for low, high in zip(bounds, bounds[1:], strict=False)
        ]
        total = futures[0].result()  # the others are added to it, not it to an empty result
        for done, future in enumerate(futures, start=1):
            if done > 1:
                total.add(future.result())
            if progress is not None:
                progress.update(done, len(futures), "Counting mentions")
    return total


def _slice_bounds(ws: Workspace, w: Window) -> list[int]:
    """Cut points ``[start, ..., end]`` giving each slice about the same number of mentions."""
    count = ws.db.execute_sql(
        "SELECT COUNT(*) FROM mention WHERE published_at >= ? AND published_at < ?",
        (w.start, w.end),
    ).fetchone()[0]
    cuts = [w.start]
    for n in range(1, SLICES):
        row = ws.db.execute_sql(
            "SELECT published_at FROM mention WHERE published_at >= ? AND published_at < ? "
            "ORDER BY published_at LIMIT 1 OFFSET ?",
            (w.start, w.end, count * n // SLICES),
        ).fetchone()
        if row is not None and cuts[-1] < row[0] < w.end:
            cuts.append(row[0])
    cuts.append(w.end)
    return cuts


def _scan_slice(
    ws: Workspace, w: Window, low: int, high: int, sets: QuerySets, bits: KeyBits
) -> ScanResult:
    db = ws.db
    for name, columns in _TABLES.items():
        db.execute_sql(f"DROP TABLE IF EXISTS temp.{name}")
        db.execute_sql(f"CREATE TEMP TABLE {name} {columns}")
    try:
        _fill_slice(ws, w, (low, high, *w.params[2:]), bits)
        _fill_query_sets(ws, w, sets, bits)
        return _read_slice(ws, w, sets, bits)
    finally:
        for name in _TABLES:
            db.execute_sql(f"DROP TABLE IF EXISTS temp.{name}")


def _fill_slice(ws: Workspace, w: Window, params: tuple[Any, ...], b: KeyBits) -> None:
    """One read of the wide mention rows, then keyed upserts over the narrow copy."""
    db = ws.db
    current = f"(m.published_at >= {w.split})"  # the local day is split_day or later
    flags = "(m.needs_response * 2 + (m.responded_at IS NOT NULL))"
    minutes = f"MIN({MAX_MINUTES}, MAX(0, COALESCE(m.responded_at - m.fetched_at, 0)) / 60)"
    db.execute_sql(
        f"INSERT INTO report_slice SELECT m.id, "
        f"(({w.day_sql} << {b.source}) + m.source_id) * 4 + "
        f"{SENTIMENT_CODE.format(col='m.sentiment_label')}, m.starred, "
        f"CASE WHEN {current} THEN m.author_id END, "
        f"CASE WHEN {flags} > 0 THEN ((({current} << {b.teammate} | COALESCE(m.assignee_id, 0)) "
        f"<< {b.department} | COALESCE(m.department_id, 0)) << 2 | {flags}) << 21 | {minutes} END "
        f"FROM mention m WHERE {w.where_sql}",
        params,
    )
    db.execute_sql(
        "INSERT INTO report_main SELECT mk, 1, starred FROM report_slice WHERE 1 "
        "ON CONFLICT DO UPDATE SET n = n + 1, starred = starred + excluded.starred"
    )
    db.execute_sql(
        f"INSERT INTO report_authors SELECT author, 1, (mk & 3 = 1) << {AUTHOR_FIELD} | "
        "(mk & 3 = 3) FROM report_slice WHERE author IS NOT NULL "
        "ON CONFLICT DO UPDATE SET n = n + 1, pn = pn + excluded.pn"
    )
    db.execute_sql(
        "INSERT INTO report_responses SELECT rk, 1 FROM report_slice WHERE rk IS NOT NULL "
        "ON CONFLICT DO UPDATE SET n = n + 1"
    )


def _fill_query_sets(ws: Workspace, w: Window, sets: QuerySets, b: KeyBits) -> None:
    """Count the slice's mentions by (day, sentiment, set of matching queries).

    ``mention_query`` is read once in key order, over the slice's id range; the join keeps the
    slice's own mentions (ids follow publication only roughly). Mentions matching no query do not
    appear.
    """
    db = ws.db
    # Two subqueries: SQLite answers a lone MIN or MAX of the key from the b-tree's ends, but
    # scans the whole table for both in one SELECT.
    low, high = db.execute_sql(
        "SELECT (SELECT MIN(id) FROM report_slice), (SELECT MAX(id) FROM report_slice)"
    ).fetchone()
    if low is None:
        return
    day = f"((t.mk >> {2 + b.source}) - {w.start_day}) * 4 + (t.mk & 3)"
    upsert = (
        "CROSS JOIN report_slice t ON t.id = g.mention_id WHERE 1 "
        "ON CONFLICT DO UPDATE SET n = n + 1"
    )
    if sets.use_mask:
        db.execute_sql(
            f"INSERT INTO report_masks SELECT (g.qs << {sets.day_bits}) | {day}, 1 FROM "
            f"(SELECT mention_id, SUM(1 << (query_id - {sets.low})) AS qs FROM mention_query "
            "WHERE mention_id BETWEEN ? AND ? AND query_id BETWEEN ? AND ? GROUP BY mention_id) g "
            + upsert,
            (low, high, sets.low, sets.high),
        )
    else:
        db.execute_sql(
            f"INSERT INTO report_sets SELECT {day}, g.qs, 1 FROM (SELECT mention_id, "
            "group_concat(query_id) AS qs FROM mention_query WHERE mention_id BETWEEN ? AND ? "
            "GROUP BY mention_id) g " + upsert,
            (low, high),
        )


def _read_slice(ws: Workspace, w: Window, sets: QuerySets, b: KeyBits) -> ScanResult:
    db = ws.db
    result = ScanResult()
    for key, count, starred in db.execute_sql("SELECT k, n, starred FROM report_main"):
        day, source = key >> (2 + b.source), (key >> 2) & ((1 << b.source) - 1)
        result.main[(int(day >= w.split_day), day, source, CODE_SENTIMENT[key & 3])] = [
            count,
            starred,
        ]
    shift = AUTHOR_MENTIONS_SHIFT
    result.authors = {
        author_id: count << shift | pn
        for author_id, count, pn in db.execute_sql("SELECT k, n, pn FROM report_authors")
    }
    for key, count in db.execute_sql("SELECT k, n FROM report_responses"):
        minutes, rest = key & MAX_MINUTES, key >> 21
        flags, rest = rest & 3, rest >> 2
        department, rest = rest & ((1 << b.department) - 1), rest >> b.department
        assignee, cur = rest & ((1 << b.teammate) - 1), rest >> b.teammate
        needs, responded = flags >> 1, flags & 1
        result.responses[
            (cur, assignee or None, department or None, needs, responded,
             minutes if responded else None)
        ] += count  # fmt: skip
    _read_query_sets(ws, w, sets, result)
    return result


def _read_query_sets(ws: Workspace, w: Window, sets: QuerySets, result: ScanResult) -> None:
    """Spread each (day, sentiment, query set) count over its queries and the brand."""
    rows: list[tuple[int, Any, int]]
    decoded: dict[Any, tuple[tuple[int, ...], bool]] = {}
    if sets.use_mask:
        day_mask = (1 << sets.day_bits) - 1
        rows = [
            (key & day_mask, key >> sets.day_bits, count)
            for key, count in ws.db.execute_sql("SELECT k, n FROM report_masks")
        ]
        brand_mask = sets.brand_mask
        for _key, mask, _count in rows:
            if mask not in decoded:
                ids = tuple(sets.low + i for i in range(mask.bit_length()) if mask >> i & 1)
                decoded[mask] = (ids, bool(mask & brand_mask))
    else:
        rows = ws.db.execute_sql("SELECT k, qs, n FROM report_sets").fetchall()
        for _key, text, _count in rows:
            if text not in decoded:
                ids = tuple(int(qid) for qid in text.split(","))
                decoded[text] = (ids, not sets.brand_ids.isdisjoint(ids))
    queries, brand = result.queries, result.brand
    for key, query_set, count in rows:
        day, s = w.start_day + (key >> 2), key & 3
        cur, label = int(day >= w.split_day), CODE_SENTIMENT[s]
        ids, is_brand = decoded[query_set]
        for qid in ids:
            queries[(cur, day, qid, label)] += count
        if is_brand:
            entry = brand.setdefault(cur, [0, 0, 0])
            entry[0] += count
            entry[1] += count if s == 1 else 0
            entry[2] += count if s > 0 else 0


def author_counts(packed: int) -> tuple[int, int, int]:
    """(mentions, positive, negative) from a value of :attr:`ScanResult.authors`."""
    return (
        packed >> AUTHOR_MENTIONS_SHIFT,
        packed >> AUTHOR_FIELD & _FIELD_MASK,
        packed & _FIELD_MASK,
    )


def percentiles(histogram: dict[int, int]) -> tuple[float | None, float | None]:
    """(median, 90th percentile) of values given as {value: how many}.

    The median of an even count is the mean of the two middle values; P90 is the nearest rank.
    """
    count = sum(histogram.values())
    if not count:
        return None, None
    wanted = sorted({(count + 1) // 2, (count + 2) // 2, (9 * count + 9) // 10})
    at: dict[int, int] = {}
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while wanted and wanted[0] <= seen:
            at[wanted.pop(0)] = value
    median = (at[(count + 1) // 2] + at[(count + 2) // 2]) / 2
    return median, float(at[(9 * count + 9) // 10])


def response_histograms(
    responses: Counter[tuple[int, Any, Any, int, int, int | None]],
) -> tuple[dict[tuple[str, int, Any], list[int]], dict[tuple[str, int, Any], dict[int, int]]]:
    """Counts [needs response, responded, awaiting] and minute histograms per dimension.

    Keys are (dimension, cur, key): ("all", cur, None), ("assignee", cur, id),
    ("department", cur, id).
    """
    counts: dict[tuple[str, int, Any], list[int]] = defaultdict(lambda: [0, 0, 0])
    hist: dict[tuple[str, int, Any], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (cur, assignee, department, needs, responded, minutes), n in responses.items():
        for key in (
            ("all", cur, None),
            ("assignee", cur, assignee),
            ("department", cur, department),
        ):
            entry = counts[key]
            entry[0] += n if needs else 0
            entry[1] += n if responded else 0
            entry[2] += n if needs and not responded else 0
            if responded and minutes is not None:
                hist[key][minutes] += n
    return counts, hist
