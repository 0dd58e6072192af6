"""Fetched items → stored mentions: canonical URLs, query matching, sentiment, dedupe, authors.

Imports no Qt, no httpx and nothing from ``cmdesk.listening`` (items are taken by shape, see
:class:`IncomingItem`). Ingest runs in two steps so the expensive part can use both cores:

1. :func:`prepare_items` is pure (no database): it canonicalises URLs, matches the queries
   (respecting each query's source and language limits; "every item is a mention" sources skip
   matching) and scores sentiment with VADER for the items that become mentions. The engine runs
   it in a worker process. VADER costs ~1.4 ms per text, so only the title and the first
   :data:`SENTIMENT_CHARS` characters are scored.
2. :func:`store_mentions` runs on the workspace writer, in the caller's transaction (one per
   batch): it drops items already stored (same source and external id, or the same canonical URL
   from any source), creates Author rows (network + handle) linked to a contact whose
   ContactHandle matches, inserts mentions and their query links, then runs the inbox rules and
   spike detection (:func:`cmdesk.core.analysis.pipeline.after_ingest`). A caller storing many
   sources in one transaction passes ``run_pipeline=False`` and calls :func:`after_store` once
   with all the new ids.

Limits: an item whose HTML is given must arrive sanitised (the listening layer owns the
sanitiser); a language-limited query matches only items whose language is known.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from cmdesk.core.analysis.links import outgoing_links, store_links
from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.query import Document, QueryError, QuerySet, parse
from cmdesk.core.services.contacts_handles import author_keys

SENTIMENT_CHARS = 500
POSITIVE, NEGATIVE = 0.05, -0.05
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
        "ref_src", "ref_url", "s_cid", "spm", "scid", "ncid", "cmpid", "_ga", "_gl",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "itm_")


class IncomingItem(Protocol):
    """The shape of ``cmdesk.listening.connectors.base.FetchedItem`` (taken by shape)."""

    external_id: str
    url: str | None
    title: str
    text: str
    html: str | None
    author_name: str | None
    author_handle: str | None
    author_url: str | None
    author_reach: int | None
    published_at: int | None
    lang: str | None
    likes: int | None
    replies: int | None
    shares: int | None
    score: int | None
    views: int | None
    thread_url: str | None
    raw: Mapping[str, Any] | None


@dataclass(frozen=True)
class QuerySpec:
    """A query as ingest needs it (picklable, for worker processes)."""

    id: int
    expression: str
    language: str | None = None
    source_ids: frozenset[int] = frozenset()  # empty: every source


@dataclass(frozen=True)
class SourceContext:
    id: int
    kind: str
    all_items_are_mentions: bool = False


@dataclass(frozen=True)
class PreparedMention:
    """One item that will become a mention unless it is already stored."""

    external_id: str
    canonical_url: str | None
    query_ids: tuple[int, ...]
    sentiment: float | None
    sentiment_label: str | None
    network: str
    fields: Mapping[str, Any] = field(default_factory=dict)  # Mention columns
    links: tuple[str, ...] = ()  # canonical URLs it links to (mention_link)


@dataclass(frozen=True)
class IngestReport:
    new_ids: list[int] = field(default_factory=list)
    already_stored: int = 0
    changes: Changes = field(default_factory=Changes)


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters or fragment, host lower-cased; None if not http(s)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in ("http", "https") or not host:
        return None
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    kept = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(kept, doseq=True), ""))


def network_of(source: SourceContext, item: IncomingItem) -> str:
    """Where an author lives: the network for search connectors, the site's host for feeds."""
    if source.kind != "rss":
        return source.kind
    for url in (item.author_url, item.url):
        host = urlsplit(url or "").hostname
        if host:
            return host.lower().removeprefix("www.")
    return "web"


def compile_queries(queries: Sequence[QuerySpec]) -> QuerySet:
    """One matcher for many queries; a stored query that no longer parses is skipped."""
    compiled = QuerySet()
    for query in queries:
        try:
            compiled.add(query.id, parse(query.expression))
        except QueryError:
            continue
    return compiled


@functools.cache
def _vader() -> Any:
    # One analyzer per process: loading the lexicon costs ~30 ms, scoring is what repeats.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    class WindowedAnalyzer(SentimentIntensityAnalyzer):  # type: ignore[misc]
        """VADER with the same scores, without its quadratic cost.

        For every sentiment word, stock VADER (3.3.2) lower-cases the text's whole word list in
        ``_negation_check`` and ``_special_idioms_check``, which read only the 3 words before and
        2 after it: over half of its time on a 500-character text. These overrides hand them that
        window, indexed so that every word they read is the same one. They are only called with
        ``i >= 3`` for the idiom check and ``i > start_i`` for negation; anything else goes to the
        stock code. tests/core/services/test_ingest.py compares both analyzers on varied texts.
        """

        @staticmethod
        def _negation_check(valence: float, words: list[str], start_i: int, i: int) -> float:
            if i < 3:
                return SentimentIntensityAnalyzer._negation_check(valence, words, start_i, i)
            return SentimentIntensityAnalyzer._negation_check(
                valence, words[i - 3 : i + 1], start_i, 3
            )

        @staticmethod
        def _special_idioms_check(valence: float, words: list[str], i: int) -> float:
            if i < 3:
                return SentimentIntensityAnalyzer._special_idioms_check(valence, words, i)
            return SentimentIntensityAnalyzer._special_idioms_check(
                valence, words[i - 3 : i + 3], 3
            )

    return WindowedAnalyzer()


def sentiment_of(title: str, text: str) -> tuple[float, str]:
    """VADER's compound score (-1..1) and its label, from the title and the start of the text."""
    sample = f"{title}. {text[:SENTIMENT_CHARS]}" if title else text[:SENTIMENT_CHARS]
    score = round(float(_vader().polarity_scores(sample)["compound"]), 4)
    label = "positive" if score >= POSITIVE else "negative" if score <= NEGATIVE else "neutral"
    return score, label


def _allowed_queries(queries: Sequence[QuerySpec], source_id: int, lang: str | None) -> list[int]:
    return [
        q.id
        for q in queries
        if (not q.source_ids or source_id in q.source_ids)
        and (q.language is None or (lang or "").lower().startswith(q.language.lower()))
    ]


def prepare_items(
    items: Iterable[IncomingItem],
    source: SourceContext,
    queries: Sequence[QuerySpec],
    now: int,
    matcher: QuerySet | None = None,
) -> list[PreparedMention]:
    """Items that become mentions (matched, or from an all-mentions source), ready to store."""
    matcher = matcher if matcher is not None else compile_queries(queries)
    prepared: list[PreparedMention] = []
    for item in items:
        if source.all_items_are_mentions:
            matched: list[Any] = []
        else:
            allowed = _allowed_queries(queries, source.id, item.lang)
            if not allowed:
                continue
            if not matcher.could_match(item.title, item.text):
                continue
            matched = matcher.match(Document(item.title, item.text), among=allowed)
            if not matched:
                continue
        score, label = sentiment_of(item.title, item.text)
        own_url = canonical_url(item.url)
        prepared.append(
            PreparedMention(
                external_id=item.external_id,
                canonical_url=own_url,
                query_ids=tuple(int(q) for q in matched),
                sentiment=score,
                sentiment_label=label,
                network=network_of(source, item),
                fields=_mention_fields(item, now),
                links=tuple(outgoing_links(item.html, item.text, own_url)),
            )
        )
    return prepared


def _mention_fields(item: IncomingItem, now: int) -> dict[str, Any]:
    published = item.published_at if item.published_at is not None else now
    return {
        "url": item.url,
        "title": item.title,
        "text": item.text,
        "html": item.html,
        "author_name": item.author_name,
        "author_handle": item.author_handle,
        "author_url": item.author_url,
        "author_reach": item.author_reach,
        "published_at": min(published, now),
        "lang": item.lang,
        "likes": item.likes,
        "replies": item.replies,
        "shares": item.shares,
        "score": item.score,
        "views": item.views,
        "thread_url": item.thread_url,
        "raw": dict(item.raw) if item.raw else None,
    }


def store_mentions(
    ws: Workspace,
    source_id: int,
    prepared: Sequence[PreparedMention],
    now: int,
    *,
    run_pipeline: bool = True,
) -> IngestReport:
    """Store what is new, on the writer, inside the caller's transaction; returns the new ids.

    With ``run_pipeline=False`` the inbox rules and spike detection are left to the caller
    (:func:`after_store`, once for a whole batch of sources).
    """
    fresh = _not_yet_stored(ws, source_id, prepared)
    authors = _authors_for(ws, fresh, now)
    new_ids: list[int] = []
    links: list[tuple[int, int]] = []
    pages: list[tuple[int, tuple[str, ...]]] = []  # the web pages each new mention links to
    for item in fresh:
        values = dict(item.fields)
        reach = values.pop("author_reach", None)
        handle = values.get("author_handle")
        author_id = authors.get((item.network, handle)) if handle else None
        raw = values.pop("raw", None)
        cursor = ws.db.execute_sql(
            "INSERT INTO mention (source_id, external_id, url, canonical_url, title, text, html,"
            " author_id, author_name, author_handle, published_at, fetched_at, lang, sentiment,"
            " sentiment_label, likes, replies, shares, score, views, reach, thread_url, raw,"
            " state, starred, priority, needs_response)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'new',0,0,0)",
            (
                source_id, item.external_id, values["url"], item.canonical_url,
                values["title"], values["text"], values["html"], author_id,
                values["author_name"], handle, values["published_at"], now, values["lang"],
                item.sentiment, item.sentiment_label, values["likes"], values["replies"],
                values["shares"], values["score"], values["views"], reach,
                values["thread_url"], _json(raw),
            ),
        )  # fmt: skip
        mention_id = int(cursor.lastrowid)
        new_ids.append(mention_id)
        links.extend((mention_id, query_id) for query_id in item.query_ids)
        if item.links:
            pages.append((mention_id, item.links))
    if links:
        ws.db.execute_sql(
            "INSERT OR IGNORE INTO mention_query (mention_id, query_id) VALUES "
            + ",".join("(?,?)" for _ in links),
            [value for pair in links for value in pair],
        )
    store_links(ws.db, pages)
    changes = Changes(mentions=True) if new_ids else Changes()
    if new_ids and run_pipeline:
        changes |= after_store(ws, new_ids)
    return IngestReport(new_ids, len(prepared) - len(fresh), changes)


def after_store(ws: Workspace, mention_ids: list[int]) -> Changes:
    """Inbox rules, spike detection and contact scores for newly stored mentions (on the writer)."""
    from cmdesk.core.analysis.pipeline import after_ingest

    return after_ingest(ws, mention_ids)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _chunks(values: Sequence[Any], size: int = 400) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _not_yet_stored(
    ws: Workspace, source_id: int, prepared: Sequence[PreparedMention]
) -> list[PreparedMention]:
    """Drop items stored before (same source + id, or same canonical URL) or twice in the batch."""
    ids = [p.external_id for p in prepared]
    urls = [p.canonical_url for p in prepared if p.canonical_url]
    known_ids: set[str] = set()
    known_urls: set[str] = set()
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        known_ids.update(
            row[0]
            for row in ws.db.execute_sql(
                f"SELECT external_id FROM mention WHERE source_id = ? AND external_id IN ({marks})",
                [source_id, *chunk],
            )
        )
    for chunk in _chunks(urls):
        marks = ",".join("?" * len(chunk))
        known_urls.update(
            row[0]
            for row in ws.db.execute_sql(
                f"SELECT canonical_url FROM mention WHERE canonical_url IN ({marks})", list(chunk)
            )
        )
    fresh: list[PreparedMention] = []
    for item in prepared:
        if item.external_id in known_ids or (item.canonical_url in known_urls):
            continue
        known_ids.add(item.external_id)
        if item.canonical_url:
            known_urls.add(item.canonical_url)
        fresh.append(item)
    return fresh


def _contact_for_author(ws: Workspace, network: str, handle: str) -> int | None:
    """The contact whose handle stands for this author, by the rule contacts use when saved.

    ``contacts_handles.author_keys`` says which (network, handle) pairs a contact handle stands for
    (the handle as written, lower-cased or with "@"; an RSS handle on its site's host). The
    candidates are the handles that could produce this author's key; the rule picks among them,
    ignoring case as ingest always did (handles are case-insensitive on most networks).
    """
    bare = handle[1:] if handle.startswith("@") else handle
    rows = ws.db.execute_sql(
        "SELECT contact_id, network, handle, url FROM contact_handle "
        "WHERE network IN (?, 'rss') AND handle COLLATE NOCASE IN (?, ?) ORDER BY id",
        (network, handle, bare),
    ).fetchall()
    wanted = (network.lower(), handle.lower())
    for contact_id, contact_network, contact_handle, url in rows:
        keys = author_keys(contact_network, contact_handle, url)
        if wanted in {(n.lower(), h.lower()) for n, h in keys}:
            return int(contact_id)
    return None


def _authors_for(
    ws: Workspace, prepared: Sequence[PreparedMention], now: int
) -> dict[tuple[str, str], int]:
    """Author ids by (network, handle), created when new and linked to a matching contact."""
    wanted: dict[tuple[str, str], PreparedMention] = {}
    for item in prepared:
        handle = item.fields.get("author_handle")
        if handle:
            wanted.setdefault((item.network, handle), item)
    found: dict[tuple[str, str], int] = {}
    for (network, handle), item in wanted.items():
        row = ws.db.execute_sql(
            "SELECT id FROM author WHERE network = ? AND handle = ?", (network, handle)
        ).fetchone()
        if row:
            found[(network, handle)] = int(row[0])
            continue
        contact = _contact_for_author(ws, network, handle)
        cursor = ws.db.execute_sql(
            "INSERT INTO author (network, handle, name, url, reach, contact_id, first_seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                network,
                handle,
                item.fields.get("author_name"),
                item.fields.get("author_url"),
                item.fields.get("author_reach"),
                contact,
                now,
            ),
        )
        found[(network, handle)] = int(cursor.lastrowid)
    return found


__all__ = [
    "IncomingItem",
    "IngestReport",
    "after_store",
    "PreparedMention",
    "QuerySpec",
    "SourceContext",
    "canonical_url",
    "compile_queries",
    "prepare_items",
    "sentiment_of",
    "store_mentions",
]
