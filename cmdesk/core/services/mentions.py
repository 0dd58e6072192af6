"""Reading the inbox: pages of mention ids by keyset, rows for the visible ids, counts per view.

Imports no Qt. Big lists hold ids, not rows: :func:`page_ids` returns one page after a keyset
(newest first walks an (x, id) index or the FTS5 hits in rowid order, so it costs a few
milliseconds at any depth), :func:`snapshot_ids` the whole ordered id list as a compact array
(for a list model that must jump anywhere), and :func:`rows_for_ids` builds display rows only for
the ids on screen. Triage writes live in :mod:`cmdesk.core.services.triage`.

Limits: arrival order (``newest``/``oldest``, the id) is the cheap key. ``published`` and
``state`` walk their (x, id) indexes; the other sort orders sort in SQL without an index: they
stay paged but cost a scan of the matching mentions.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cmdesk.core.db import Workspace
from cmdesk.core.progress import Progress
from cmdesk.core.services.inbox_filters import (
    SORT_KEYS,
    VIEW_KEYS,
    CompiledFilter,
    MentionFilter,
    builtin_view,
    compile_filter,
)

PAGE_SIZE = 200
SNIPPET_CHARS = 280
VIEW_TITLES = {
    "all": "All",
    "new": "New",
    "needs_response": "Needs response",
    "mine": "Assigned to me",
    "starred": "Starred",
    "done": "Done",
    "archived": "Archived & spam",
}

# Sort key expressions; each is paired with the id as tie-breaker. NULLs sort as the sentinel.
_SORT_EXPRESSIONS = {
    "published": "m.published_at",
    "reach": "COALESCE(m.reach, -1)",
    "priority": "m.priority",
    "sentiment": "COALESCE(m.sentiment, 0)",
    "source": "(SELECT lower(name) FROM source WHERE id = m.source_id)",
    # The name the list shows: the contact's, else the mention's or the author's name or handle.
    "author": (
        "lower(COALESCE((SELECT COALESCE(c.display_name, NULLIF(m.author_name, ''), a.name, "
        "m.author_handle, a.handle) FROM author a LEFT JOIN contact c ON c.id = a.contact_id "
        "WHERE a.id = m.author_id), NULLIF(m.author_name, ''), m.author_handle, ''))"
    ),
    "state": "m.state",
}


@dataclass(frozen=True)
class MentionRow:
    """What the list shows for one mention."""

    id: int
    published_at: int
    source_name: str
    source_kind: str
    author: str
    author_id: int | None
    contact_id: int | None
    contact_name: str | None
    list_badge: str | None
    title: str
    snippet: str
    url: str | None
    sentiment_label: str | None
    sentiment: float | None
    state: str
    starred: bool
    priority: int
    assignee: str | None
    department: str | None
    tags: tuple[str, ...]
    needs_response: bool
    responded_at: int | None
    reach: int | None
    lang: str | None


def me_teammate_id(ws: Workspace) -> int | None:
    row = ws.db.execute_sql("SELECT id FROM teammate WHERE is_me = 1 LIMIT 1").fetchone()
    return int(row[0]) if row else None


COMMON_QUERY_ROWS = 5_000  # a query with more mentions than this is probed row by row


def queries_are_common(ws: Workspace, query_ids: tuple[int, ...]) -> bool:
    """Whether these queries hold at least :data:`COMMON_QUERY_ROWS` mentions.

    Counted with a LIMIT over the (query_id, mention_id) index, so it costs at most a few
    thousand index entries (about a millisecond) whatever the workspace's size.
    """
    if not query_ids:
        return False
    marks = ",".join("?" * len(query_ids))
    row = ws.db.execute_sql(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM mention_query WHERE query_id IN ({marks}) "
        f"LIMIT {COMMON_QUERY_ROWS})",
        list(query_ids),
    ).fetchone()
    return int(row[0]) >= COMMON_QUERY_ROWS


def _all_query_ids(filt: MentionFilter) -> tuple[int, ...]:
    nested = _all_query_ids(filt.also) if filt.also is not None else ()
    return (*filt.query_ids, *nested)


def _wants_me(filt: MentionFilter) -> bool:
    return filt.assigned_to_me or (filt.also is not None and _wants_me(filt.also))


def compile_for(ws: Workspace, filt: MentionFilter) -> CompiledFilter:
    """The SQL for ``filt`` in this workspace: who "me" is, and "now" from the injected clock."""
    me = me_teammate_id(ws) if _wants_me(filt) else None
    return compile_filter(
        filt,
        me_id=me,
        common_queries=queries_are_common(ws, _all_query_ids(filt)),
        now=ws.clock.now(),
    )


def _order(filt: MentionFilter, key: str, reverse: bool) -> tuple[str | None, str]:
    """The sort expression (None for arrival order) and the direction, as SQL."""
    if filt.sort not in SORT_KEYS:
        raise ValueError(f"unknown sort {filt.sort!r}")
    descending = filt.sort != "oldest" and not (filt.sort != "newest" and filt.ascending)
    if reverse:
        descending = not descending
    direction = "DESC" if descending else "ASC"
    return _SORT_EXPRESSIONS.get(filt.sort), direction


def page_ids(
    ws: Workspace,
    filt: MentionFilter,
    *,
    after: tuple[Any, int] | None = None,
    limit: int = PAGE_SIZE,
    from_end: bool = False,
) -> list[tuple[Any, int]]:
    """One page of ``(sort value, id)`` after the keyset ``after`` (exclusive).

    ``from_end`` reads the list from its last row backwards (the page is returned in list order),
    which is how "jump to the end" stays as cheap as the first page.
    """
    compiled = compile_for(ws, filt)
    expression, direction = _order(filt, compiled.key, from_end)
    where = list(compiled.where)
    params = list(compiled.params)
    comparison = "<" if direction == "DESC" else ">"
    if after is not None:
        value, last_id = after
        if expression is None:
            where.append(f"{compiled.key} {comparison} ?")
            params.append(last_id)
        else:
            where.append(
                f"({expression} {comparison} ? OR ({expression} = ? "
                f"AND {compiled.key} {comparison} ?))"
            )
            params.extend([value, value, last_id])
    select = expression or compiled.key
    order = f"{compiled.key} {direction}"
    if expression is not None:
        order = f"{expression} {direction}, {order}"
    sql = (
        f"SELECT {select}, {compiled.key} {compiled.from_sql} "
        f"WHERE {' AND '.join(where) or '1'} ORDER BY {order} LIMIT ?"
    )
    rows = [(row[0], row[1]) for row in ws.db.execute_sql(sql, [*params, limit])]
    if from_end:
        rows.reverse()
    return rows


def snapshot_ids(
    ws: Workspace, filt: MentionFilter, progress: Progress | None = None, chunk: int = 50_000
) -> array[int]:
    """Every matching id in list order, as a compact array (8 bytes an id)."""
    compiled = compile_for(ws, filt)
    expression, direction = _order(filt, compiled.key, False)
    order = f"{compiled.key} {direction}"
    if expression is not None:
        order = f"{expression} {direction}, {order}"
    sql = f"SELECT {compiled.key} {compiled.from_sql} WHERE {compiled.where_sql} ORDER BY {order}"
    ids: array[int] = array("q")
    cursor = ws.db.cursor().execute(sql, compiled.params)
    try:
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                break
            ids.extend(row[0] for row in rows)
            if progress is not None:
                progress.update(len(ids), 0, "")
    finally:
        cursor.close()
    return ids


def count(ws: Workspace, filt: MentionFilter) -> int:
    compiled = compile_for(ws, filt)
    sql = f"SELECT COUNT(*) {compiled.from_sql} WHERE {compiled.where_sql}"
    return int(ws.db.execute_sql(sql, compiled.params).fetchone()[0])


def position_of(ws: Workspace, filt: MentionFilter, mention_id: int) -> int | None:
    """The row of ``mention_id`` in the list, or None if the filter does not include it."""
    compiled = compile_for(ws, filt)
    expression, direction = _order(filt, compiled.key, False)
    select = expression or "NULL"
    row = ws.db.execute_sql(
        f"SELECT {select} {compiled.from_sql} WHERE {compiled.where_sql} AND m.id = ?",
        [*compiled.params, mention_id],
    ).fetchone()
    if row is None:
        return None
    before = ">" if direction == "DESC" else "<"
    if expression is None:
        condition, params = f"{compiled.key} {before} ?", [mention_id]
    else:
        condition = f"({expression} {before} ? OR ({expression} = ? AND {compiled.key} {before} ?))"
        params = [row[0], row[0], mention_id]
    sql = f"SELECT COUNT(*) {compiled.from_sql} WHERE {compiled.where_sql} AND {condition}"
    return int(ws.db.execute_sql(sql, [*compiled.params, *params]).fetchone()[0])


def page_at(
    ws: Workspace, filt: MentionFilter, offset: int, limit: int = PAGE_SIZE
) -> list[tuple[Any, int]]:
    """The page starting at row ``offset``: for a jump into the middle of a long list.

    OFFSET walks the skipped rows (about 60 ms at depth 1M); neighbours of a loaded page should
    use :func:`page_ids` with a keyset instead.
    """
    compiled = compile_for(ws, filt)
    expression, direction = _order(filt, compiled.key, False)
    select = expression or compiled.key
    order = f"{compiled.key} {direction}"
    if expression is not None:
        order = f"{expression} {direction}, {order}"
    sql = (
        f"SELECT {select}, {compiled.key} {compiled.from_sql} WHERE {compiled.where_sql} "
        f"ORDER BY {order} LIMIT ? OFFSET ?"
    )
    return [(r[0], r[1]) for r in ws.db.execute_sql(sql, [*compiled.params, limit, offset])]


_ROW_SQL = f"""
SELECT m.id, m.published_at, s.name, s.kind,
       COALESCE(NULLIF(m.author_name, ''), a.name, m.author_handle, a.handle, ''),
       m.author_id, c.id, c.display_name,
       (SELECT cl.name FROM contact_list_member l JOIN contact_list cl ON cl.id = l.contact_list_id
        WHERE l.contact_id = c.id ORDER BY cl.position, cl.name LIMIT 1),
       m.title, substr(m.text, 1, {SNIPPET_CHARS}), COALESCE(m.url, m.canonical_url),
       m.sentiment_label, m.sentiment, m.state, m.starred, m.priority, t.name, d.name,
       (SELECT group_concat(tg.name, char(31)) FROM mention_tag mt JOIN tag tg ON tg.id = mt.tag_id
        WHERE mt.mention_id = m.id),
       m.needs_response, m.responded_at, COALESCE(m.reach, a.reach), m.lang
FROM mention m
JOIN source s ON s.id = m.source_id
LEFT JOIN author a ON a.id = m.author_id
LEFT JOIN contact c ON c.id = a.contact_id
LEFT JOIN teammate t ON t.id = m.assignee_id
LEFT JOIN department d ON d.id = m.department_id
WHERE m.id IN ({{marks}})
"""


def rows_for_ids(ws: Workspace, ids: Sequence[int]) -> dict[int, MentionRow]:
    """Display rows for ``ids`` (any order; missing ids are simply absent)."""
    out: dict[int, MentionRow] = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sql = _ROW_SQL.replace("{marks}", ",".join("?" * len(chunk)))
        for r in ws.db.execute_sql(sql, chunk):
            out[r[0]] = MentionRow(
                id=r[0],
                published_at=r[1],
                source_name=r[2],
                source_kind=r[3],
                author=r[4],
                author_id=r[5],
                contact_id=r[6],
                contact_name=r[7],
                list_badge=r[8],
                title=r[9] or "",
                snippet=" ".join((r[10] or "").split()),
                url=r[11],
                sentiment_label=r[12],
                sentiment=r[13],
                state=r[14],
                starred=bool(r[15]),
                priority=r[16],
                assignee=r[17],
                department=r[18],
                tags=tuple(sorted(r[19].split("\x1f"))) if r[19] else (),
                needs_response=bool(r[20]),
                responded_at=r[21],
                reach=r[22],
                lang=r[23],
            )
    return out


# -- views ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxView:
    """A sidebar entry of the inbox: built-in, one per query, or a saved view."""

    key: str  # "all", "query:3", "saved:7"
    title: str
    filter: MentionFilter
    icon_name: str | None = None


def views(ws: Workspace) -> list[InboxView]:
    """Every inbox view in sidebar order."""
    out = [InboxView(key, VIEW_TITLES[key], builtin_view(key)) for key in VIEW_KEYS]
    for query_id, name in ws.db.execute_sql(
        "SELECT id, name FROM query WHERE enabled = 1 ORDER BY position, name"
    ):
        out.append(
            InboxView(
                f"query:{query_id}",
                name,
                MentionFilter(query_ids=(query_id,), exclude_states=("archived", "spam")),
                "search",
            )
        )
    for view_id, name, filters in ws.db.execute_sql(
        "SELECT id, name, filters FROM saved_view ORDER BY position, id"
    ):
        import json

        out.append(
            InboxView(
                f"saved:{view_id}", name, MentionFilter.from_dict(json.loads(filters)), "view"
            )
        )
    return out


def view_counts(
    ws: Workspace, inbox_views: Sequence[InboxView], progress: Progress | None = None
) -> dict[str, int]:
    """How many mentions each view holds; heavy on big workspaces — call off the UI thread."""
    out = {}
    for number, view in enumerate(inbox_views):
        out[view.key] = count(ws, view.filter.with_(sort="newest"))
        if progress is not None:
            progress.update(number + 1, len(inbox_views))
    return out
