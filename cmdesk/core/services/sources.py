"""Sources: add, list, update, remove, pause and resume them, and keep their health.

Imports no Qt. Call the writing functions on the workspace writer (``ws.write``); each returns a
:class:`~cmdesk.core.changes.Changes`. Health is what the Sources pane shows: last success, the
last error in plain words, consecutive failures, the next planned fetch and items seen.
:func:`plan_after_failure` is the backoff policy (the engine applies it): the source's interval
doubling per consecutive failure up to a day, with jitter, or the server's Retry-After; a source
is never given up on silently (only a 410 disables it, and says why).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import SOURCE_KINDS, Source

DEFAULT_INTERVAL_MINUTES = 15
FEED_KIND = "rss"  # every other kind is a search: each hit is a mention by default
MAX_BACKOFF_SECONDS = 24 * 3600
# The health line of a source that needs a secret while no keychain is usable: not a failure (no
# backoff, not counted), the same words as the keychain banner's "paused".
NEEDS_KEYCHAIN = "Paused: needs the system keychain, which is not available."
EDITABLE = frozenset(
    {"name", "url", "site_url", "folder", "config", "account", "all_items_are_mentions",
     "interval_minutes"}
)  # fmt: skip


class SourceError(ValueError):
    """A source cannot be added or changed as asked; the message is one plain sentence."""


class Added(NamedTuple):
    id: int
    changes: Changes


@dataclass(frozen=True)
class SourceRow:
    id: int
    kind: str
    name: str
    url: str
    site_url: str | None
    folder: str | None
    config: Mapping[str, Any]
    account: str | None
    all_items_are_mentions: bool
    enabled: bool
    disabled_reason: str | None
    interval_minutes: int
    etag: str | None
    last_modified: str | None
    last_fetch_at: int | None
    last_success_at: int | None
    last_error: str | None
    consecutive_failures: int
    next_fetch_at: int | None
    items_seen: int
    created_at: int

    @property
    def state(self) -> str:
        """One of: paused (by the user), disabled (by the engine), failing, new, ok."""
        if not self.enabled:
            return "paused"
        if self.disabled_reason:
            return "disabled"
        if self.consecutive_failures:
            return "failing"
        return "ok" if self.last_success_at else "new"


def _row(source: Source) -> SourceRow:
    return SourceRow(
        source.id, source.kind, source.name, source.url, source.site_url, source.folder,
        source.config or {}, source.account, bool(source.all_items_are_mentions),
        bool(source.enabled), source.disabled_reason, source.interval_minutes, source.etag,
        source.last_modified, source.last_fetch_at, source.last_success_at, source.last_error,
        source.consecutive_failures, source.next_fetch_at, source.items_seen, source.created_at,
    )  # fmt: skip


def _check_url(kind: str, url: str) -> str:
    url = url.strip()
    if kind == "rss" or url:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise SourceError(f"{url or 'An empty address'} is not a web address (http/https).")
    return url


def _settings(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The user's settings of a source: its config without connector state (keys like ``_x``).

    Connectors keep cursors in the config under names starting with an underscore (merged from
    ``FetchResult.state``); two sources with the same settings are the same source whatever
    their cursors.
    """
    return {k: v for k, v in (config or {}).items() if not str(k).startswith("_")}


def add_source(
    ws: Workspace,
    url: str,
    *,
    kind: str = FEED_KIND,
    name: str | None = None,
    folder: str | None = None,
    all_items_are_mentions: bool | None = None,
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES,
    config: Mapping[str, Any] | None = None,
    account: str | None = None,
    site_url: str | None = None,
    check: Callable[[Mapping[str, str]], str | None] | None = None,
) -> Added:
    """Add a source, due for fetching at once; refuses a duplicate (same kind and address).

    ``all_items_are_mentions`` defaults to False for feeds and True for searches (each hit of
    a search is a mention). ``check`` is the connector's own validation (``Connector.check``),
    passed in by the caller because core does not import the listening layer; it receives the
    URL as ``"url"`` and each config value as text, and its sentence becomes the SourceError.
    """
    if kind not in SOURCE_KINDS:
        raise SourceError(f"Unknown source kind {kind!r}; use one of {', '.join(SOURCE_KINDS)}.")
    config = dict(config or {})
    if check is not None:
        values = {k: _as_text(v) for k, v in config.items()}
        problem = check({**values, "url": url.strip()})
        if problem:
            raise SourceError(problem)
    url = _check_url(kind, url)
    if interval_minutes < 1:
        raise SourceError("The fetch interval must be at least one minute.")
    if all_items_are_mentions is None:
        all_items_are_mentions = kind != FEED_KIND
    for existing in Source.select().where(Source.kind == kind, Source.url == url):
        if kind == FEED_KIND or _settings(existing.config) == _settings(config):
            raise SourceError(f"This source is already there: {existing.name} (#{existing.id}).")
    now = ws.clock.now()
    source = Source.create(
        kind=kind,
        name=(name or "").strip() or urlsplit(url).hostname or kind,
        url=url,
        site_url=site_url,
        folder=(folder or "").strip() or None,
        config=config or None,
        account=account,
        all_items_are_mentions=all_items_are_mentions,
        interval_minutes=interval_minutes,
        next_fetch_at=now,
        created_at=now,
    )
    return Added(source.id, Changes(sources=True))


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(part) for part in value)
    return "" if value is None else str(value)


def list_sources(ws: Workspace, *, folder: str | None = None) -> list[SourceRow]:
    query = Source.select().order_by(Source.folder, Source.name, Source.id)
    if folder is not None:
        query = query.where(Source.folder == folder)
    return [_row(source) for source in query]


def get_source(ws: Workspace, source_id: int) -> SourceRow:
    source = Source.get_or_none(Source.id == source_id)
    if source is None:
        raise SourceError(f"There is no source #{source_id}.")
    return _row(source)


def get_sources(ws: Workspace, source_ids: Sequence[int]) -> list[SourceRow]:
    """The sources with these ids, in that order; ids of removed sources are left out.

    One query per 500 ids, where :func:`get_source` in a loop cost ~1 ms of peewee query
    building each (a fetch of 500 sources starts with this list).
    """
    found: dict[int, SourceRow] = {}
    for start in range(0, len(source_ids), 500):
        chunk = list(source_ids[start : start + 500])
        found.update((s.id, _row(s)) for s in Source.select().where(Source.id.in_(chunk)))
    return [found[sid] for sid in source_ids if sid in found]


def update_source(ws: Workspace, source_id: int, **values: Any) -> Changes:
    """Change editable fields (name, url, folder, config, interval...)."""
    unknown = set(values) - EDITABLE
    if unknown:
        raise SourceError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    row = get_source(ws, source_id)
    if "url" in values:
        values["url"] = _check_url(row.kind, values["url"])
        values.update(etag=None, last_modified=None)  # a new address: fetch it in full
    if "interval_minutes" in values and int(values["interval_minutes"]) < 1:
        raise SourceError("The fetch interval must be at least one minute.")
    Source.update(**values).where(Source.id == source_id).execute()
    return Changes(sources=True)


def remove_source(ws: Workspace, source_id: int) -> Changes:
    """Remove a source and the mentions it brought (the caller confirms with the user first)."""
    get_source(ws, source_id)
    Source.delete().where(Source.id == source_id).execute()
    return Changes(sources=True, mentions=True)


def mention_count(ws: Workspace, source_id: int) -> int:
    row = ws.db.execute_sql("SELECT count(*) FROM mention WHERE source_id = ?", (source_id,))
    return int(row.fetchone()[0])


def pause_source(ws: Workspace, source_id: int) -> Changes:
    get_source(ws, source_id)
    Source.update(enabled=False).where(Source.id == source_id).execute()
    return Changes(sources=True)


def resume_source(ws: Workspace, source_id: int) -> Changes:
    """Resume a paused or disabled source: failures forgotten, due at once."""
    get_source(ws, source_id)
    Source.update(
        enabled=True, disabled_reason=None, consecutive_failures=0, next_fetch_at=ws.clock.now()
    ).where(Source.id == source_id).execute()
    return Changes(sources=True)


def due_source_ids(ws: Workspace, now: int | None = None) -> list[int]:
    """Enabled sources whose next fetch is due (or never planned), the longest-waiting first."""
    now = ws.clock.now() if now is None else now
    rows = ws.db.execute_sql(
        "SELECT id FROM source WHERE enabled = 1 AND disabled_reason IS NULL"
        " AND (next_fetch_at IS NULL OR next_fetch_at <= ?)"
        " ORDER BY coalesce(next_fetch_at, 0), id",
        (now,),
    )
    return [int(row[0]) for row in rows]


def known_good_urls(ws: Workspace, limit: int = 20) -> list[str]:
    """URLs of sources that were fetched fine before, most recent first (hosts known to answer)."""
    rows = ws.db.execute_sql(
        "SELECT url FROM source WHERE last_success_at IS NOT NULL"
        " ORDER BY last_success_at DESC, id LIMIT ?",
        (limit,),
    )
    return [str(row[0]) for row in rows]


# -- health ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FetchOutcome:
    """What one fetch did to a source's health (built by the engine, applied in its batch)."""

    source_id: int
    ok: bool
    at: int
    next_fetch_at: int
    items_seen: int = 0
    error: str | None = None
    count_failure: bool = True  # False when offline: the source did nothing wrong
    disabled_reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    new_url: str | None = None
    state: Mapping[str, Any] | None = None  # connector cursor merged into config


def plan_after_success(interval_minutes: int, now: int, retry_after: int | None = None) -> int:
    return now + max(interval_minutes * 60, retry_after or 0)


def plan_after_failure(
    interval_minutes: int,
    failures: int,
    now: int,
    retry_after: int | None = None,
    rng: random.Random | None = None,
) -> int:
    """When to try again after ``failures`` consecutive failures (>= 1)."""
    if retry_after is not None:
        return now + max(60, min(retry_after, 7 * MAX_BACKOFF_SECONDS))
    base = interval_minutes * 60 * 2 ** min(failures - 1, 20)
    delay = min(base, MAX_BACKOFF_SECONDS)
    jitter = (rng or random.Random()).uniform(0.85, 1.15)
    return now + int(min(delay * jitter, MAX_BACKOFF_SECONDS))


def record_outcome(ws: Workspace, outcome: FetchOutcome) -> Changes:
    """Apply one fetch's outcome to the source row (on the writer).

    Plain SQL: this runs once per source per fetch, and peewee's query building was most of its
    cost (~1.5 ms a source, on the writer a whole fetch waits for).
    """
    values: dict[str, Any] = {"last_fetch_at": outcome.at, "next_fetch_at": outcome.next_fetch_at}
    if outcome.ok:
        values.update(
            last_success_at=outcome.at,
            last_error=None,
            consecutive_failures=0,
            etag=outcome.etag,
            last_modified=outcome.last_modified,
        )
        if outcome.new_url:
            values["url"] = outcome.new_url
        if outcome.state:
            row = ws.db.execute_sql(
                "SELECT config FROM source WHERE id = ?", (outcome.source_id,)
            ).fetchone()
            config = Source.config.python_value(row[0]) if row else None
            values["config"] = Source.config.db_value({**(config or {}), **dict(outcome.state)})
    else:
        values["last_error"] = outcome.error
        if outcome.disabled_reason:
            values["disabled_reason"] = outcome.disabled_reason
    assignments = ", ".join(f"{column} = ?" for column in values)
    increments = (
        ", items_seen = items_seen + ?"
        if outcome.ok
        else ", consecutive_failures = consecutive_failures + 1"
        if outcome.count_failure
        else ""
    )
    parameters = [*values.values(), *([outcome.items_seen] if outcome.ok else [])]
    cursor = ws.db.execute_sql(
        f"UPDATE source SET {assignments}{increments} WHERE id = ?",
        (*parameters, outcome.source_id),
    )
    if cursor.rowcount == 0:  # removed while it was being fetched
        return Changes()
    return Changes(sources=True)
