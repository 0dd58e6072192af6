"""The feed connector (kind "rss"): RSS, Atom and JSON Feed over conditional GET, and autodiscovery.

Imports no Qt. The fetch is a conditional GET (ETag / Last-Modified, so an unchanged feed costs a
304 and no parsing); the body is parsed by :func:`~.feed_parsing.parse_feed` in the executor the
engine hands in (a process pool: parsing must not stall the event loop), or a thread when there
is none (the add dialog's preview). HTTP statuses become :class:`ConnectorError` kinds the engine
understands (410 "gone", 429/503 "rate_limited" with Retry-After...).

:meth:`FeedConnector.fetch_prepared` is the engine's path: the same fetch, but the worker that
parses the feed also runs the engine's ``prepare`` step on the items, so a feed costs one worker
call and only what ``prepare`` returns (a few prepared mentions) travels back to the event loop,
never the parsed items (pickling 50 items out of the worker and back in again cost ~1.5 ms of
CPU per feed).

:func:`discover_feeds` reads a web page's ``<link rel="alternate">`` feed links. Limit: links
added by scripts after the page loads are not seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import ClassVar, Generic, TypeVar
from urllib.parse import urljoin, urlsplit

from cmdesk.listening.connectors.base import (
    ConfigField,
    ConnectorError,
    FetchedItem,
    FetchResult,
    Http,
    HttpResponse,
    SourceSpec,
)
from cmdesk.listening.connectors.feed_parsing import FeedError, ParsedFeed, parse_feed

FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/feed+json": "JSON Feed",
    "application/json": "JSON Feed",
    "application/rdf+xml": "RSS",
    "text/xml": "RSS",
    "application/xml": "RSS",
}
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
MAX_RETRY_AFTER = 7 * 24 * 3600

T = TypeVar("T")


@dataclass(frozen=True)
class PreparedFetch(Generic[T]):
    """A fetch whose items were handed to ``prepare`` in the parsing worker (they stay there)."""

    result: FetchResult  # ``items`` is empty: see ``items_seen`` and ``prepared``
    items_seen: int
    prepared: T | None  # what ``prepare`` returned; None for a 304 or without ``prepare``


def parse_and_prepare(
    prepare: Callable[[Sequence[FetchedItem]], T] | None,
    body: bytes,
    url: str,
    content_type: str,
    now: int,
) -> tuple[int, T | None]:
    """Parse a feed and run ``prepare`` on its items, in one worker call: (item count, result)."""
    items = parse_feed(body, url, content_type, now).items
    return len(items), (prepare(items) if prepare is not None else None)


class FeedConnector:
    """RSS 0.9x/1.0/2.0, Atom and JSON Feed; ``parse_pool`` runs parsing off the event loop."""

    kind: ClassVar[str] = "rss"
    label: ClassVar[str] = "Feed (RSS, Atom, JSON Feed)"
    needs_secret: ClassVar[bool] = False
    parses_off_loop: ClassVar[bool] = True
    fields: ClassVar[tuple[ConfigField, ...]] = (
        ConfigField(
            "url",
            "Feed or web page",
            "url",
            required=True,
            placeholder="https://example.com/feed.xml",
            help="A feed URL, or a page whose feeds are found for you to pick.",
        ),
    )

    def __init__(self, parse_pool: Executor | None = None) -> None:
        self.parse_pool = parse_pool

    @classmethod
    def check(cls, values: Mapping[str, str]) -> str | None:
        """The address must be an http(s) URL with a host (a page's feeds are found later)."""
        url = (values.get("url") or "").strip()
        if not url:
            return "Give the address of a feed or of a web page that links to one."
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return f"{url} is not a web address (it must start with http:// or https://)."
        return None

    async def fetch(self, source: SourceSpec, http: Http, secret: str | None) -> FetchResult:
        response, result = await self._get(source, http)
        if response is None:
            return result
        parsed = await self._in_pool(
            functools.partial(parse_feed, *_parse_args(response)),
        )
        return replace(result, items=parsed.items)

    async def fetch_prepared(
        self,
        source: SourceSpec,
        http: Http,
        secret: str | None,
        prepare: Callable[[Sequence[FetchedItem]], T] | None,
    ) -> PreparedFetch[T]:
        """Like :meth:`fetch`, but the items go through ``prepare`` in the parsing worker.

        ``prepare`` must be picklable when the executor is a process pool (a module-level
        function or a ``functools.partial`` of one).
        """
        response, result = await self._get(source, http)
        if response is None:
            return PreparedFetch(result, 0, None)
        seen, prepared = await self._in_pool(
            functools.partial(parse_and_prepare, prepare, *_parse_args(response))
        )
        return PreparedFetch(result, seen, prepared)

    async def _get(self, source: SourceSpec, http: Http) -> tuple[HttpResponse | None, FetchResult]:
        """The conditional GET: (the 200 answer to parse, its result without items) or a 304."""
        headers = {"Accept": ACCEPT}
        if source.etag:
            headers["If-None-Match"] = source.etag
        if source.last_modified:
            headers["If-Modified-Since"] = source.last_modified
        response = await http.get(source.url, headers=headers)
        if response.status == 304:
            return None, FetchResult(
                not_modified=True,
                etag=response.headers.get("etag") or source.etag,
                last_modified=response.headers.get("last-modified") or source.last_modified,
                new_url=response.permanent_redirect,
            )
        raise_for_status(response)
        return response, FetchResult(
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            new_url=response.permanent_redirect,
        )

    async def parse(self, response: HttpResponse) -> ParsedFeed:
        """Parse a 200 answer off the event loop; FeedError becomes an "invalid" ConnectorError."""
        return await self._in_pool(functools.partial(parse_feed, *_parse_args(response)))

    async def _in_pool(self, job: Callable[[], T]) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(self.parse_pool, job)
        except FeedError as exc:
            raise ConnectorError(str(exc), "invalid") from None


def _parse_args(response: HttpResponse) -> tuple[bytes, str, str, int]:
    """``parse_feed``'s arguments for a response: body, final URL, content type, now."""
    return (
        response.body,
        response.url,
        response.headers.get("content-type", ""),
        int(time.time()),
    )


def raise_for_status(response: HttpResponse) -> None:
    """Turn a non-2xx answer into the :class:`ConnectorError` the engine acts on."""
    status = response.status
    if 200 <= status < 300:
        return
    host = urlsplit(response.url).hostname or response.url
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if status == 410:
        raise ConnectorError(f"{host} says this feed is gone for good (410 Gone).", "gone")
    if status == 404:
        raise ConnectorError(f"{host} has no feed at this address (404 Not Found).", "not_found")
    if status in (429, 503):
        what = "too many requests" if status == 429 else "temporarily unavailable"
        raise ConnectorError(
            f"{host} asked us to slow down ({status}, {what}).", "rate_limited", retry_after
        )
    if status in (401, 403):
        raise ConnectorError(f"{host} refused access to this feed ({status}).", "auth")
    if status >= 500:
        raise ConnectorError(f"{host} had a server error ({status}).", "transient", retry_after)
    raise ConnectorError(f"{host} answered with an unexpected status {status}.", "invalid")


def parse_retry_after(value: str | None, now: float | None = None) -> int | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped at a week."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(int(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    seconds = int(when.timestamp() - (now if now is not None else time.time()))
    return max(0, min(seconds, MAX_RETRY_AFTER))


@dataclass(frozen=True)
class FeedCandidate:
    """A feed a web page links to."""

    url: str
    title: str
    format: str  # "RSS", "Atom", "JSON Feed"


class _AlternateLinks(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: list[FeedCandidate] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "body":
            self.done = True
            return
        if tag == "base":
            href = dict(attrs).get("href")
            if href:
                self.base = urljoin(self.base, href)
        if tag != "link":
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" not in rels or kind not in FEED_TYPES or not values.get("href"):
            return
        url = urljoin(self.base, values["href"].strip())
        if urlsplit(url).scheme.lower() in ("http", "https"):
            title = " ".join(values.get("title", "").split())[:200]
            self.found.append(FeedCandidate(url, title, FEED_TYPES[kind]))


def discover_feeds(page: bytes, page_url: str) -> list[FeedCandidate]:
    """Feeds a web page announces with ``<link rel="alternate">``, in page order, unique."""
    text = page[:512_000].decode("utf-8", errors="replace")
    finder = _AlternateLinks(page_url)
    with contextlib.suppress(ValueError, AssertionError):  # a broken page: keep what was found
        finder.feed(text)
    unique: dict[str, FeedCandidate] = {}
    for candidate in finder.found:
        unique.setdefault(candidate.url, candidate)
    return list(unique.values())
