"""Feed bytes → items: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1 by hand.

Imports no Qt and does no I/O: :func:`parse_feed` is a pure function of bytes, so it can run in
a worker process (parsing costs 20–35 ms per 60–100 KB feed and must not stall the event loop).

Deciding "is this a feed?" is done here, not by feedparser (its ``bozo`` flag is set on good
feeds too, and an empty body is "no error" to it): an HTML page, an empty body or an unknown
document raises :class:`FeedError` with one plain sentence. Hostile input is defused before
parsing: the DOCTYPE (and any entity definitions with it) is cut out, NUL bytes removed, deeply
nested JSON caught (RecursionError). Item fields are tamed: impossible dates (years 0, 10000)
dropped, future dates clamped to the fetch time, titles stripped of markup and truncated, links
kept only when http/https, Google Alerts redirect links unwrapped. HTML stays unsanitised here:
:mod:`cmdesk.listening.sanitize` cleans it at ingest (feedparser's own cleaning is off: it is
incomplete and costs ~40% of parse time).
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import html as html_module
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser
import feedparser.mixin
from dateutil import parser as date_parser

from cmdesk.listening.connectors.base import FetchedItem
from cmdesk.listening.connectors.feed_fast import is_plain_url, read_plain_feed
from cmdesk.listening.sanitize import html_to_text, plain_line

MAX_TITLE = 500
MAX_TEXT = 50_000
MAX_HTML = 200_000
MAX_ITEMS = 1000
OLDEST = 631_152_000  # 1990-01-01: anything older is a broken date, not an old post

_DOCTYPE = re.compile(rb"<!DOCTYPE\b(?:[^\[>]*\[.*?\]\s*>|[^>]*>)", re.IGNORECASE | re.DOTALL)
_ENTITY_DECL = re.compile(rb"<!ENTITY\b[^>]*>", re.IGNORECASE)
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)
_FEED_ROOT = re.compile(rb"<(?:[a-z0-9_-]+:)?(?:rss|RDF|feed|channel)\b", re.IGNORECASE)


def _memoize_base_uri_resolution() -> None:
    """Let feedparser resolve each element's base URI once per feed, not once per element.

    feedparser 6.0.14 calls ``make_safe_absolute_uri(self.baseuri, baseuri)`` at every start tag
    (~350 per 50-item feed), nearly always with the same two strings; the ``urljoin`` behind it
    was ~19% of parse time. The function is pure (two strings and a module constant), so a small
    LRU cache returns exactly what it would: external ids and links do not change. Only for the
    version this was checked against; any other version runs unchanged.
    """
    if feedparser.__version__ != "6.0.14":
        return
    original = feedparser.mixin.make_safe_absolute_uri
    if not hasattr(original, "cache_info"):
        feedparser.mixin.make_safe_absolute_uri = functools.lru_cache(maxsize=256)(original)


_memoize_base_uri_resolution()


class FeedError(ValueError):
    """The bytes are not a usable feed; ``str(exc)`` is one plain sentence."""


@dataclass(frozen=True)
class ParsedFeed:
    title: str = ""
    site_url: str | None = None
    language: str | None = None
    format: str = ""  # "rss20", "atom10", "json11"... (feedparser's version names)
    items: list[FetchedItem] = field(default_factory=list)


def parse_feed(body: bytes, url: str, content_type: str = "", now: int = 0) -> ParsedFeed:
    """Parse a complete response body; ``now`` (UTC seconds) clamps future dates."""
    body = _without_bom_or_nul(body)
    start = body.lstrip()[:1]
    if not start:
        raise FeedError("The feed address answered with an empty page.")
    if start in (b"{", b"["):
        return _parse_json_feed(body, url, now)
    if _HTML_START.match(body[:4096]) and not _FEED_ROOT.search(body[:4096]):
        raise FeedError("This address is a web page, not a feed.")
    return _parse_xml_feed(body, url, content_type, now)


def _without_bom_or_nul(body: bytes) -> bytes:
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: NUL bytes are part of the text
        try:
            body = body.decode("utf-16").encode("utf-8")
            body = re.sub(rb"(<\?xml[^>]*encoding=)[\"'][^\"']*[\"']", rb'\1"utf-8"', body, count=1)
        except UnicodeDecodeError:
            raise FeedError("The feed's text encoding is damaged.") from None
    return body.replace(b"\x00", b"")


def _parse_xml_feed(body: bytes, url: str, content_type: str, now: int) -> ParsedFeed:
    head = body[:65536]
    if b"<!" in head:
        body = _ENTITY_DECL.sub(b"", _DOCTYPE.sub(b"", body, count=1))
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = read_plain_feed(body, url, content_type) or _feedparser(body, headers)
    if not parsed.get("version") and not parsed["entries"]:
        problem = parsed.get("bozo_exception")
        detail = f" ({_first_line(problem)})" if problem else ""
        raise FeedError(f"This address does not serve a feed cmdesk can read{detail}.")
    feed = parsed["feed"]
    language = _language(feed.get("language"))
    base = feed.get("link") or url
    items = [
        _xml_item(entry, base, language, now, feed.get("title", ""))
        for entry in parsed["entries"][:MAX_ITEMS]
    ]
    return ParsedFeed(
        title=plain_line(feed.get("title", ""), MAX_TITLE),
        site_url=_web_url(feed.get("link"), url),
        language=language,
        format=parsed.get("version") or "xml",
        items=[item for item in items if item is not None],
    )


def _feedparser(body: bytes, headers: dict[str, str]) -> Any:
    """What feedparser reads in ``body``; its own crashes on broken feeds become a FeedError.

    feedparser 6.0.14 raises ValueError on an out-of-range character reference (``&#x110000;``),
    TypeError on a stray ``</width>`` in a channel image and KeyError on a ``<textInput>`` inside
    an item.
    """
    try:
        return feedparser.parse(
            body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        detail = _first_line(exc)
        raise FeedError(f"This feed is broken in a way cmdesk cannot read ({detail}).") from None


def _xml_item(
    entry: Any, base: str, language: str | None, now: int, feed_title: str
) -> FetchedItem | None:
    link = _unwrap_redirect(_web_url(entry.get("link"), base))
    title = plain_line(_text(entry.get("title")), MAX_TITLE)
    # feedparser stores an unknown element under its own name: a feed with <summary_detail> or
    # <content foo="..."> puts a string or a dict where these lists and dicts belong.
    content = entry.get("content")
    first = content[0] if isinstance(content, list) and content else {}
    if not isinstance(first, dict):
        first = {}
    html = _text(first.get("value"))
    if not html:
        html = _text(entry.get("summary"))
        detail = entry.get("summary_detail")
        kind = _text(detail.get("type")) if isinstance(detail, dict) else ""
    else:
        kind = _text(first.get("type"))
    if kind == "text/plain":
        html = html_module.escape(html)
    html = html[:MAX_HTML]
    text = html_to_text(html)[:MAX_TEXT]
    # dict.get: FeedParserDict.get maps missing published_* to updated_* with a warning.
    published = _epoch(
        dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"), now
    )
    external_id = str(entry.get("id") or "").strip()[:2000] or link
    if not external_id:
        if not (title or text):
            return None  # nothing to identify and nothing to show
        external_id = "sha1:" + hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()
    author = plain_line(_text(entry.get("author")), 200) or None
    listed = entry.get("tags")
    tags = (
        [_text(t.get("term")) for t in listed if isinstance(t, dict)]
        if isinstance(listed, list)
        else []
    )
    tags = [term for term in tags if term][:20]
    return FetchedItem(
        external_id=external_id,
        url=link,
        title=title or plain_line(text, 120),
        text=text,
        html=html or None,
        author_name=author,
        author_handle=author,
        published_at=published,
        lang=_language(entry.get("language")) or language,
        thread_url=_web_url(entry.get("comments"), base),
        raw={"feed": plain_line(feed_title, 200), "tags": tags} if tags else None,
    )


def _parse_json_feed(body: bytes, url: str, now: int) -> ParsedFeed:
    try:
        document = json.loads(body.decode("utf-8", errors="replace"))
    except RecursionError:
        raise FeedError("The feed is nested too deeply to read.") from None
    except ValueError as exc:
        raise FeedError(f"The feed is not valid JSON ({_first_line(exc)}).") from None
    version = document.get("version", "") if isinstance(document, dict) else ""
    if not (isinstance(version, str) and version.startswith("https://jsonfeed.org/version/")):
        raise FeedError("This address serves JSON, but not a JSON Feed.")
    entries = document.get("items")
    if not isinstance(entries, list):
        raise FeedError("The JSON Feed has no list of items.")
    language = _language(document.get("language"))
    base = _web_url(document.get("home_page_url"), url) or url
    items = []
    for entry in entries[:MAX_ITEMS]:
        if isinstance(entry, dict) and (item := _json_item(entry, base, language, now)):
            items.append(item)
    return ParsedFeed(
        title=plain_line(str(document.get("title") or ""), MAX_TITLE),
        site_url=_web_url(document.get("home_page_url"), url),
        language=language,
        format="json1" + version.rsplit("/", 1)[-1].replace(".", ""),
        items=items,
    )


def _json_item(
    entry: dict[str, Any], base: str, language: str | None, now: int
) -> FetchedItem | None:
    link = _unwrap_redirect(_web_url(_text(entry.get("url")), base))
    html = _text(entry.get("content_html"))[:MAX_HTML]
    plain = _text(entry.get("content_text")) or _text(entry.get("summary"))
    text = (html_to_text(html) if html else plain.replace("\x00", ""))[:MAX_TEXT]
    title = plain_line(_text(entry.get("title")), MAX_TITLE)
    external_id = _text(entry.get("id")).strip()[:2000] or link
    if not external_id:
        if not (title or text):
            return None
        external_id = "sha1:" + hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()
    authors = entry.get("authors") or ([entry["author"]] if entry.get("author") else [])
    first = authors[0] if authors and isinstance(authors[0], dict) else {}
    author = plain_line(_text(first.get("name")), 200) or None
    date = _text(entry.get("date_published")) or _text(entry.get("date_modified"))
    return FetchedItem(
        external_id=external_id,
        url=link,
        title=title or plain_line(text, 120),
        text=text,
        html=html or None,
        author_name=author,
        author_handle=author,
        author_url=_web_url(_text(first.get("url")), base),
        published_at=_iso_epoch(date, now),
        lang=_language(entry.get("language")) or language,
    )


# -- field helpers ----------------------------------------------------------------------------
def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _first_line(exc: object) -> str:
    return str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__


def _language(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def _web_url(value: Any, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip().replace("\x00", "")
    if is_plain_url(value):  # what urljoin and the checks below would give, in a tenth the time
        return value[:4000]
    try:
        absolute = urljoin(base, value)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return absolute[:4000]


def _unwrap_redirect(url: str | None) -> str | None:
    """Google Alerts links are ``google.com/url?...&url=<real>``: keep the real address."""
    if not url or "google." not in url.lower():
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.path == "/url" and (host == "google.com" or host.endswith(".google.com")):
        query = parse_qs(parts.query)
        target = (query.get("url") or query.get("q") or [""])[0]
        unwrapped = _web_url(target, url)
        if unwrapped:
            return unwrapped
    return url


def _epoch(parsed: Any, now: int) -> int | None:
    """UTC seconds from feedparser's struct_time; None for impossible dates, clamped to now."""
    if not parsed:
        return None
    try:
        if not 1970 <= parsed[0] <= 9999:
            return None
        seconds = calendar.timegm(tuple(parsed[:6]) + (0, 0, 0))
    except (TypeError, ValueError, OverflowError):
        return None
    return _clamp(seconds, now)


def _iso_epoch(value: str, now: int) -> int | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = date_parser.isoparse(value.strip())
        except (ValueError, OverflowError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return _clamp(int(moment.timestamp()), now)
    except (OverflowError, OSError, ValueError):
        return None


def _clamp(seconds: int, now: int) -> int | None:
    if seconds < OLDEST:
        return None
    return min(seconds, now) if now else seconds
