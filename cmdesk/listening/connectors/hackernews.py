"""The Hacker News search connector (kind "hackernews"): stories and comments from Algolia's API.

Imports no Qt. ``GET <base>/search_by_date?query=…&tags=(story,comment)&numericFilters=
created_at_i>SINCE&hitsPerPage=100&page=N`` (no key; Algolia states ~10,000 requests an hour per
IP). SINCE is the source's last success minus a small overlap; at most :data:`MAX_PAGES` pages
are read per fetch, newest first, and a note says when older hits were left.

Limits: author karma (reach) is not looked up (one Firebase call per author); the index can stall
for hours (SOURCES.md B2): items indexed late but older than the last success are missed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from cmdesk.listening.connectors.base import (
    ConfigField,
    ConnectorError,
    FetchedItem,
    FetchResult,
    Http,
    SourceSpec,
)
from cmdesk.listening.connectors.search_api import (
    MAX_PAGES,
    as_int,
    base_url,
    check_web_address,
    config_text,
    decode_json,
    epoch_of_unix,
    map_items,
    raise_for_api_status,
    since_of,
    skipped_note,
    text_or_none,
    unique,
    web_url,
)
from cmdesk.listening.sanitize import html_to_text, plain_line

DEFAULT_BASE = "https://hn.algolia.com/api/v1"
HN = "https://news.ycombinator.com"
NETWORK = "Hacker News search"
PAGE_SIZE = 100


class HackerNewsConnector:
    """Stories and comments whose text matches the search words, newest first."""

    kind: ClassVar[str] = "hackernews"
    label: ClassVar[str] = "Hacker News search"
    needs_secret: ClassVar[bool] = False
    fields: ClassVar[tuple[ConfigField, ...]] = (
        ConfigField(
            "query",
            "Search words",
            required=True,
            placeholder='"acme widget"',
            help='Words to find in stories and comments; quote a phrase: "acme widget".',
        ),
        ConfigField(
            "url",
            "Search API",
            "url",
            default=DEFAULT_BASE,
            help="Algolia's Hacker News search API; change it only for a mirror.",
        ),
    )

    @classmethod
    def check(cls, values: Mapping[str, str]) -> str | None:
        if not (values.get("query") or "").strip():
            return "Give the words to search Hacker News for."
        return check_web_address(values.get("url", ""), "search API address")

    async def fetch(self, source: SourceSpec, http: Http, secret: str | None) -> FetchResult:
        query = config_text(source, "query")
        if not query:
            raise ConnectorError(
                "This Hacker News source has no search words; add some.", "invalid"
            )
        url = f"{base_url(source, DEFAULT_BASE)}/search_by_date"
        params: dict[str, str | int] = {
            "query": query,
            "tags": "(story,comment)",
            "hitsPerPage": PAGE_SIZE,
        }
        since = since_of(source)
        if since is not None:
            params["numericFilters"] = f"created_at_i>{since}"
        items: list[FetchedItem] = []
        skipped = 0
        notes: list[str] = []
        for page in range(MAX_PAGES):
            response = await http.get(url, params={**params, "page": page})
            raise_for_api_status(
                response,
                NETWORK,
                auth_hint="Algolia refused this computer; try again later.",
            )
            payload = decode_json(response, NETWORK)
            if not isinstance(payload, Mapping) or not isinstance(payload.get("hits"), list):
                raise ConnectorError(f"{NETWORK} sent an answer without a list of hits.", "invalid")
            found, bad = map_items(payload["hits"], hit_to_item, NETWORK)
            items += found
            skipped += bad
            pages = as_int(payload.get("nbPages")) or 0
            if page + 1 >= pages or not payload["hits"]:
                break
        else:
            notes.append(
                f"More than {MAX_PAGES * PAGE_SIZE} new hits: the oldest of them were left out; "
                "narrow the search words."
            )
        return FetchResult(items=unique(items), notes=notes + skipped_note(skipped))


def hit_to_item(hit: Mapping[str, Any]) -> FetchedItem | None:
    """One Algolia hit (story or comment) as a FetchedItem; None when it has no id."""
    object_id = str(hit["objectID"]).strip()
    if not object_id:
        return None
    tags = hit.get("_tags") or []
    is_comment = "comment" in tags or bool(hit.get("comment_text"))
    body = hit.get("comment_text") if is_comment else hit.get("story_text")
    html = text_or_none(body)
    author = text_or_none(hit.get("author"))
    story_id = as_int(hit.get("story_id")) or (None if is_comment else as_int(object_id))
    title = "" if is_comment else plain_line(str(hit.get("title") or ""))
    return FetchedItem(
        external_id=f"hn:{object_id}",
        url=f"{HN}/item?id={object_id}",
        title=title,
        text=html_to_text(html) if html else "",
        html=html,
        author_name=author,
        author_handle=author,
        author_url=f"{HN}/user?id={author}" if author else None,
        published_at=epoch_of_unix(hit.get("created_at_i")),
        score=as_int(hit.get("points")),
        replies=as_int(hit.get("num_comments")),
        thread_url=f"{HN}/item?id={story_id}" if story_id else None,
        raw={
            "type": "comment" if is_comment else "story",
            "link": web_url(hit.get("url")),
            "story_title": text_or_none(hit.get("story_title")),
            "parent_id": as_int(hit.get("parent_id")),
        },
    )
