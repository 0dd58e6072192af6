"""The listening engine: fetch due sources, turn their items into mentions, keep source health.

Imports no Qt. Everything runs on the caller's asyncio loop (the qasync loop in the app,
``asyncio.run`` in the CLI) and never blocks it: network is awaited; feed parsing, query matching,
sanitising and sentiment run in a process pool (both cores); database writes go in batches through
:meth:`Workspace.write` (the single writer thread), one transaction per batch.

Health and scheduling: success plans the next fetch one interval ahead (or after Retry-After);
a 301/308 moves the stored URL; 410 disables the source with the reason; 429/503 wait for
Retry-After; other failures back off exponentially with jitter (see
:func:`cmdesk.core.services.sources.plan_after_failure`).

Offline is a fact about the network, not about a source. A failure to connect (refused, DNS "name
not known", no route) is held until the run knows whether the network answers: any source that
succeeds (or any server answer such as a 404) makes the run online, and then every held failure is
that source's own error, with its backoff. When :data:`OFFLINE_AFTER` connection failures pile up
before any answer, the run probes a couple of other hosts (ones that answered before first): if
one answers the run is online; if none does the run is offline — the remaining sources are not
tried, those that failed are not counted as failing, and the run says so in one line.

Public API for the UI and CLI: :func:`fetch_sources`, :func:`preview_source`, :func:`discover`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.progress import Cancelled, Progress
from cmdesk.core.query import QuerySet
from cmdesk.core.services import ingest, queries, sources
from cmdesk.core.services.ingest import PreparedMention, QuerySpec, SourceContext
from cmdesk.core.services.sources import FetchOutcome, SourceRow
from cmdesk.keychain import Keychain, KeychainError
from cmdesk.listening.connectors import connector_for
from cmdesk.listening.connectors.base import (
    Connector,
    ConnectorError,
    FetchedItem,
    FetchResult,
    Http,
    SourceSpec,
)
from cmdesk.listening.connectors.feed import (
    FeedCandidate,
    FeedConnector,
    discover_feeds,
    raise_for_status,
)
from cmdesk.listening.connectors.feed_parsing import FeedError, parse_feed
from cmdesk.listening.parse_pool import ParsePool
from cmdesk.listening.sanitize import clean_html

log = logging.getLogger(__name__)

CONCURRENCY = 24  # sources fetched at once (the HTTP layer also limits per host)
BATCH_ITEMS = 400  # prepared mentions per write transaction
BATCH_SECONDS = 0.5
OFFLINE_AFTER = 3  # connection failures with no answer before the run checks the network
OFFLINE_RETRY_SECONDS = 300
PROBE_HOSTS = 2  # distinct other hosts asked "do you answer?" when checking the network
PROBE_SECONDS = 10.0
PROBE_BYTES = 64 * 1024  # a probe reads little: any answer, even an error page, will do
ANSWERED_KINDS = frozenset({"gone", "not_found", "rate_limited"})  # errors only a server gives


@dataclass
class FetchSummary:
    """What a run did: shown in the status bar and printed by ``cmdesk fetch``."""

    fetched: int = 0  # sources answered with content
    unchanged: int = 0  # 304 Not Modified
    new_mentions: int = 0
    items_seen: int = 0
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, reason)
    offline: bool = False
    cancelled: bool = False
    skipped: int = 0  # not tried (offline or cancelled)
    waiting: list[tuple[int, str, str]] = field(default_factory=list)  # not tried: needs a secret
    changes: Changes = field(default_factory=Changes)


def spec_of(row: SourceRow) -> SourceSpec:
    return SourceSpec(
        id=row.id, kind=row.kind, name=row.name, url=row.url, config=dict(row.config),
        etag=row.etag, last_modified=row.last_modified, last_success_at=row.last_success_at,
        account=row.account,
    )  # fmt: skip


def prepare_in_worker(
    items: Sequence[FetchedItem], source: SourceContext, specs: Sequence[QuerySpec], now: int
) -> list[PreparedMention]:
    """Match, score and sanitise a source's items (runs in a worker process)."""
    prepared = ingest.prepare_items(items, source, specs, now, _matcher(tuple(specs)))
    return [
        replace(p, fields={**p.fields, "html": clean_html(p.fields["html"], p.fields["url"])})
        if p.fields.get("html")
        else p
        for p in prepared
    ]


@functools.lru_cache(maxsize=4)
def _matcher(specs: tuple[QuerySpec, ...]) -> QuerySet:
    """The compiled queries, once per worker process and query set (not once per feed)."""
    return ingest.compile_queries(specs)


class _Run:
    """One call of :func:`fetch_sources`: its tasks, its write batches and its bookkeeping."""

    def __init__(
        self,
        ws: Workspace,
        http: Http,
        pool: Executor,
        specs: list[QuerySpec],
        progress: Progress,
        rng: random.Random,
        concurrency: int,
        keychain: Keychain | None,
    ) -> None:
        self.keychain = keychain
        self.ws, self.http, self.pool, self.specs = ws, http, pool, specs
        self.progress, self.rng = progress, rng
        self.summary = FetchSummary()
        self.slots = asyncio.Semaphore(concurrency)
        self.pending: list[tuple[int, list[PreparedMention], FetchOutcome | None]] = []
        self.pending_items = 0
        self.rows: list[SourceRow] = []
        # Connection failures held until the run knows whether the network answers.
        self.held: list[tuple[SourceRow, FetchOutcome, str]] = []
        self.failed_hosts: set[str] = set()  # host:port that could not be connected to
        self.network: bool | None = None  # True: something answered; False: the probe failed
        self.probe: asyncio.Future[bool] | None = None
        self.write_lock = asyncio.Lock()
        self.last_flush = time.monotonic()
        self.done = 0

    # -- one source ---------------------------------------------------------------------------
    async def fetch_one(self, row: SourceRow) -> None:
        async with self.slots:
            if self.progress.cancelled or not await self._network_may_answer():
                self.summary.skipped += 1
                return
            now = self.ws.clock.now()
            try:
                secret = _secret_for(row.account, self.keychain)
            except KeychainError as exc:
                await self._waiting_for_keychain(row, exc, now)
                return
            try:
                connector = connector_for(row.kind, self.pool)
                result, seen, prepared = await self._fetch_and_prepare(connector, row, secret, now)
            except ConnectorError as exc:
                await self._failed(row, exc, now)
                return
            except (Cancelled, asyncio.CancelledError):
                raise
            except BrokenProcessPool:
                log.error("The parsing process stopped; source %s not parsed", row.id)
                broken = ConnectorError("The feed could not be parsed: the parser process stopped.")
                await self._failed(row, broken, now)
                return
            except Exception as exc:  # noqa: BLE001 - one broken source must not stop the run
                log.exception("Fetching source %s failed unexpectedly", row.id)
                reason = " ".join(str(exc).split())[:200] or type(exc).__name__
                await self._failed(row, ConnectorError(f"Unexpected error: {reason}"), now)
                return
            self.network = True
            if result.not_modified:
                self.summary.unchanged += 1
            else:
                self.summary.fetched += 1
            self.summary.items_seen += seen
            outcome = FetchOutcome(
                row.id, True, now,
                sources.plan_after_success(row.interval_minutes, now, result.retry_after),
                items_seen=seen, etag=result.etag,
                last_modified=result.last_modified, new_url=result.new_url, state=result.state,
            )  # fmt: skip
            await self._queue(row.id, prepared, outcome)
        self._advance(row.name)

    async def _fetch_and_prepare(
        self, connector: Connector, row: SourceRow, secret: str | None, now: int
    ) -> tuple[FetchResult, int, list[PreparedMention]]:
        """Fetch a source and prepare its items in the pool: (result, items seen, prepared).

        A feed is parsed and prepared in ONE worker call (its items never cross back); other
        connectors return their items here and these go to the pool to be prepared.
        """
        context = SourceContext(row.id, row.kind, row.all_items_are_mentions)
        wanted = bool(self.specs) or row.all_items_are_mentions
        prepare = (
            functools.partial(prepare_in_worker, source=context, specs=self.specs, now=now)
            if wanted
            else None
        )
        if isinstance(connector, FeedConnector):
            fetched = await connector.fetch_prepared(spec_of(row), self.http, secret, prepare)
            return fetched.result, fetched.items_seen, fetched.prepared or []
        result = await connector.fetch(spec_of(row), self.http, secret)
        prepared: list[PreparedMention] = []
        if result.items and prepare is not None:
            prepared = await asyncio.get_running_loop().run_in_executor(
                self.pool, prepare, result.items
            )
        return result, len(result.items), prepared

    async def _waiting_for_keychain(self, row: SourceRow, exc: KeychainError, now: int) -> None:
        """No usable keychain: the source is paused in words, not failing (no backoff)."""
        usable = self.keychain is not None and self.keychain.status().available
        reason = str(exc) if usable else sources.NEEDS_KEYCHAIN
        log.info("Source %s not fetched: %s", row.id, reason)
        self.summary.waiting.append((row.id, row.name, reason))
        retry_at = sources.plan_after_success(row.interval_minutes, now)
        outcome = FetchOutcome(row.id, False, now, retry_at, error=reason, count_failure=False)
        await self._queue(row.id, [], outcome)
        self._advance(row.name)

    async def _failed(self, row: SourceRow, exc: ConnectorError, now: int) -> None:
        reason = str(exc)
        disabled = reason if exc.kind == "gone" else None
        failures = row.consecutive_failures + 1
        retry_at = sources.plan_after_failure(
            row.interval_minutes, failures, now, exc.retry_after, self.rng
        )
        outcome = FetchOutcome(row.id, False, now, retry_at, error=reason, disabled_reason=disabled)
        if exc.kind == "offline" and self.network is not True:
            self.held.append((row, outcome, reason))
            self.failed_hosts.add(_host_of(row.url))
        else:
            if exc.kind in ANSWERED_KINDS:
                self.network = True
            self.summary.failed.append((row.id, row.name, reason))
            await self._queue(row.id, [], outcome)
        self._advance(row.name)

    # -- is the network there? ----------------------------------------------------------------
    async def _network_may_answer(self) -> bool:
        """False once the run knows it is offline; probes first when failures piled up."""
        if self.network is None and len(self.held) >= OFFLINE_AFTER:
            await self.check_network()
        return self.network is not False

    async def check_network(self) -> bool:
        """Whether the network answers: known from this run, else one shared probe."""
        if self.network is None:
            if self.probe is None or self.probe.cancelled():
                self.probe = asyncio.ensure_future(self._probe())
            answered = await asyncio.shield(self.probe)
            if self.network is None:  # a source may have succeeded meanwhile
                self.network = answered
        return bool(self.network)

    async def _probe(self) -> bool:
        known_good = await asyncio.to_thread(sources.known_good_urls, self.ws)
        urls = _probe_urls(self.rows, known_good, self.failed_hosts)
        if not urls:
            log.info("No other host to ask: the network looks down")
            return False
        tries = [asyncio.ensure_future(self._answers(url)) for url in urls]
        try:
            for attempt in asyncio.as_completed(tries):
                if await attempt:
                    return True
            log.info("None of %s answered: the network looks down", ", ".join(urls))
            return False
        finally:
            for attempt in tries:
                attempt.cancel()

    async def _answers(self, url: str) -> bool:
        try:
            async with asyncio.timeout(PROBE_SECONDS):
                await self.http.get(url, max_bytes=PROBE_BYTES)
        except ConnectorError as exc:
            return exc.kind not in ("offline", "transient")  # e.g. "too large" is an answer
        except (TimeoutError, OSError):
            return False
        return True

    def _advance(self, name: str) -> None:
        self.done += 1
        self.progress.update(self.done, None, name)

    # -- batched writes -----------------------------------------------------------------------
    async def _queue(
        self, source_id: int, prepared: list[PreparedMention], outcome: FetchOutcome | None
    ) -> None:
        self.pending.append((source_id, prepared, outcome))
        self.pending_items += len(prepared) + 1
        due = time.monotonic() - self.last_flush >= BATCH_SECONDS
        if (self.pending_items >= BATCH_ITEMS or due) and not self.write_lock.locked():
            await self.flush()

    async def flush(self) -> None:
        async with self.write_lock:
            batch, self.pending, self.pending_items = self.pending, [], 0
            self.last_flush = time.monotonic()
            if not batch:
                return
            new, changes = await asyncio.wrap_future(self.ws.write(_store_batch, self.ws, batch))
            self.summary.new_mentions += new
            self.summary.changes |= changes

    async def settle_offline(self, *, probe: bool = True) -> None:
        """At the end: held connection failures are per-source errors if the network answered."""
        if self.held and self.network is None and probe:
            await self.check_network()
        offline = bool(self.held) and self.network is not True
        for row, outcome, reason in self.held:
            if offline:
                now = outcome.at
                outcome = replace(
                    outcome,
                    error="Offline: the internet could not be reached.",
                    count_failure=False,
                    next_fetch_at=now + OFFLINE_RETRY_SECONDS,
                )
            else:
                self.summary.failed.append((row.id, row.name, reason))
            self.pending.append((row.id, [], outcome))
        self.summary.offline = offline
        await self.flush()


def _host_of(url: str) -> str:
    """host:port of a URL (two loopback servers are two hosts)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or parts.scheme}"


def _probe_urls(
    rows: Sequence[SourceRow], known_good: Sequence[str], failed: set[str]
) -> list[str]:
    """The roots of up to :data:`PROBE_HOSTS` distinct hosts not known to fail, good ones first."""
    ranked = [r.url for r in rows if r.last_success_at] + list(known_good) + [r.url for r in rows]
    urls: list[str] = []
    seen = set(failed)
    for url in ranked:
        parts = urlsplit(url)
        host = _host_of(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or host in seen:
            continue
        seen.add(host)
        urls.append(f"{parts.scheme}://{parts.netloc}/")
        if len(urls) == PROBE_HOSTS:
            break
    return urls


def _store_batch(
    ws: Workspace, batch: list[tuple[int, list[PreparedMention], FetchOutcome | None]]
) -> tuple[int, Changes]:
    """On the writer, in one transaction: store each source's mentions and health, then the rest.

    The after-ingest pipeline (inbox rules, spikes, contact scores) runs once over the batch's new
    mentions: run once per source it cost ~1 ms of writer time each, mostly re-reading the rules.
    """
    new_ids: list[int] = []
    changes = Changes()
    for source_id, prepared, outcome in batch:
        if outcome is not None and not sources_exists(ws, source_id):
            continue
        if prepared:
            at = outcome.at if outcome else 0
            report = ingest.store_mentions(ws, source_id, prepared, at, run_pipeline=False)
            new_ids.extend(report.new_ids)
            changes |= report.changes
        if outcome is not None:
            changes |= sources.record_outcome(ws, outcome)
    if new_ids:
        changes |= ingest.after_store(ws, new_ids)
    return len(new_ids), changes


def sources_exists(ws: Workspace, source_id: int) -> bool:
    return (
        ws.db.execute_sql("SELECT 1 FROM source WHERE id = ?", (source_id,)).fetchone() is not None
    )


def _secret_for(account: str | None, keychain: Keychain | None) -> str | None:
    """The source's secret from the keychain; None when it has none (the connector says so)."""
    if not account or keychain is None:
        return None
    return keychain.get_secret(account)


async def fetch_sources(
    ws: Workspace,
    http: Http,
    source_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
    *,
    parse_pool: Executor | None = None,
    concurrency: int = CONCURRENCY,
    rng: random.Random | None = None,
    keychain: Keychain | None = None,
) -> FetchSummary:
    """Fetch the given sources (default: the due ones) and store what they bring.

    Cancelling (``progress.cancel()`` or cancelling the task) keeps every committed batch and
    writes what was already fetched; the summary says ``cancelled``.
    """
    progress = progress or Progress()
    rows = await asyncio.to_thread(_rows_to_fetch, ws, source_ids)
    specs = await asyncio.to_thread(queries.active_query_specs, ws)
    own_pool = parse_pool is None and bool(rows)
    pool = ParsePool() if own_pool else parse_pool  # its workers start at the first parse
    run = _Run(
        ws,
        http,
        pool,
        specs,
        progress,
        rng or random.Random(),
        concurrency,
        keychain,  # type: ignore[arg-type]
    )
    run.rows = rows
    progress.update(0, len(rows), "fetching")
    tasks = [asyncio.ensure_future(run.fetch_one(row)) for row in rows]
    try:
        await _until_done_or_cancelled(tasks, progress)
    except (Cancelled, asyncio.CancelledError) as exc:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        run.summary.cancelled = True
        run.summary.skipped = sum(1 for task in tasks if task.cancelled())
        await asyncio.shield(run.settle_offline(probe=False))
        if isinstance(exc, asyncio.CancelledError):
            raise
    finally:
        if run.probe is not None and not run.probe.done():
            run.probe.cancel()
        if own_pool and pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    if not run.summary.cancelled:
        await run.settle_offline()
    return run.summary


async def _until_done_or_cancelled(tasks: list[asyncio.Future[None]], progress: Progress) -> None:
    """Wait for every task; raise :class:`Cancelled` soon after ``progress.cancel()``."""
    pending: set[asyncio.Future[None]] = set(tasks)
    while pending:
        done, pending = await asyncio.wait(pending, timeout=0.1)
        for task in done:
            task.result()
        progress.check()


def _rows_to_fetch(ws: Workspace, source_ids: Sequence[int] | None) -> list[SourceRow]:
    if source_ids is None:
        return sources.get_sources(ws, sources.due_source_ids(ws))
    return sources.get_sources(ws, source_ids)


async def preview_source(
    spec: SourceSpec, http: Http, keychain: Keychain | None = None
) -> list[FetchedItem]:
    """What a source would give now (the add dialog's Test button); HTML already sanitised.

    Raises :class:`ConnectorError` with a plain sentence when the source does not work.
    """
    connector = connector_for(spec.kind)
    fresh = replace(spec, etag=None, last_modified=None)
    result = await connector.fetch(fresh, http, _secret_for(spec.account, keychain))
    return [
        replace(item, html=clean_html(item.html, item.url)) if item.html else item
        for item in result.items
    ]


async def discover(url: str, http: Http) -> list[FeedCandidate]:
    """The feeds at ``url``: itself if it is a feed, else those its page links to."""
    response = await http.get(url, headers={"Accept": "text/html, application/xhtml+xml, */*"})
    raise_for_status(response)
    content_type = response.headers.get("content-type", "")
    try:
        feed = await asyncio.to_thread(
            parse_feed, response.body, response.url, content_type, int(time.time())
        )
    except FeedError:
        return discover_feeds(response.body, response.url)
    kind = (
        "JSON Feed"
        if feed.format.startswith("json")
        else ("Atom" if feed.format.startswith("atom") else "RSS")
    )
    return [FeedCandidate(response.permanent_redirect or url, feed.title, kind)]
