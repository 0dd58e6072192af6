"""The Mastodon connector (kind "mastodon"): a hashtag timeline or full-text search on an instance.

Imports no Qt. A hashtag needs no account: ``GET <instance>/api/v1/timelines/tag/<tag>?limit=40
&min_id=<cursor>`` (an access token is sent when the source has one, for instances that turned
public preview off). Search words need a signed-in account: ``GET <instance>/api/v2/search?q=…
&type=statuses`` with the user's access token (``read:search``) from the keychain; the instance
must also run full-text search (Elasticsearch/OpenSearch) and only indexes opted-in posts.

The cursor is the newest status id seen, kept in the source's config as ``_since_id`` (through
:attr:`FetchResult.state`) and sent as ``min_id``, which returns the statuses *immediately*
newer than it: a fetch that stops after :data:`MAX_PAGES` pages continues where it stopped next
time, without a gap. ``X-RateLimit-Remaining: 0`` stops paging until ``X-RateLimit-Reset``.

Limits: each instance sees its own slice of the fediverse, and counts of remote posts are what
that instance knows (SOURCES.md B4); the external id is the status ``uri`` (global), so the same
post heard on two instances is one item per source, deduplicated later by URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from cmdesk.listening.connectors.base import (
    ConfigField,
    ConnectorError,
    FetchedItem,
    FetchResult,
    Http,
    HttpResponse,
    SourceSpec,
)
from cmdesk.listening.connectors.search_api import (
    MAX_PAGES,
    as_int,
    base_url,
    check_web_address,
    config_text,
    decode_json,
    epoch_of_iso,
    error_message,
    map_items,
    raise_for_api_status,
    scrub,
    skipped_note,
    text_or_none,
    unique,
    wait_from_reset,
    web_url,
)
from cmdesk.listening.sanitize import html_to_text, plain_line

DEFAULT_INSTANCE = "https://mastodon.social"
PAGE_SIZE = 40  # the API's maximum
CURSOR = "_since_id"
RESET = "x-ratelimit-reset"
_TAG = re.compile(r"^\w+$")


class MastodonConnector:
    """Statuses with a hashtag (no account needed) or matching search words (access token)."""

    kind: ClassVar[str] = "mastodon"
    label: ClassVar[str] = "Mastodon hashtag or search"
    needs_secret: ClassVar[bool] = False  # a hashtag works without; search words need the token
    fields: ClassVar[tuple[ConfigField, ...]] = (
        ConfigField(
            "url",
            "Instance",
            "url",
            required=True,
            default=DEFAULT_INSTANCE,
            placeholder=DEFAULT_INSTANCE,
            help="The Mastodon server to ask; each one sees a different part of the fediverse.",
        ),
        ConfigField(
            "tag",
            "Hashtag",
            placeholder="acme",
            help="Follow one hashtag (no account needed). Leave empty to search words instead.",
        ),
        ConfigField(
            "query",
            "Search words",
            placeholder="acme widget",
            help="Full-text search: needs an access token and an instance that offers search.",
        ),
        ConfigField(
            "secret",
            "Access token",
            "secret",
            help="Preferences → Development → New application, scope read:search; "
            "only needed for search words.",
        ),
    )

    @classmethod
    def check(cls, values: Mapping[str, str]) -> str | None:
        url = (values.get("url") or "").strip()
        if not url:
            return "Give the address of the Mastodon instance, such as https://mastodon.social."
        problem = check_web_address(url, "instance address")
        if problem:
            return problem
        tag = (values.get("tag") or "").strip().lstrip("#")
        query = (values.get("query") or "").strip()
        if tag and query:
            return "Give a hashtag or search words, not both (add two sources for both)."
        if not tag and not query:
            return "Give a hashtag to follow or words to search for."
        if tag and not _TAG.match(tag):
            return "A hashtag has only letters, digits and underscores (no spaces)."
        return None

    async def fetch(self, source: SourceSpec, http: Http, secret: str | None) -> FetchResult:
        instance = base_url(source, DEFAULT_INSTANCE)
        host = urlsplit(instance).hostname or instance
        tag = config_text(source, "tag").lstrip("#")
        query = config_text(source, "query")
        if not tag and not query:
            raise ConnectorError(
                "This Mastodon source has neither a hashtag nor search words.", "invalid"
            )
        headers = {"Accept": "application/json"}
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        if tag:
            url, params, listed = f"{instance}/api/v1/timelines/tag/{quote(tag, safe='')}", {}, None
        elif not secret:
            raise ConnectorError(
                f"Searching words on {host} needs an access token with the read:search scope: "
                "add one in this source's settings, or follow a hashtag instead.",
                "auth",
            )
        else:
            url = f"{instance}/api/v2/search"
            params = {"q": query, "type": "statuses", "resolve": "false"}
            listed = "statuses"
        cursor = str((source.config or {}).get(CURSOR) or "") or None
        return await self._pages(
            http, url, params, headers, listed, cursor, _Context(host, tag, secret)
        )

    async def _pages(
        self,
        http: Http,
        url: str,
        params: dict[str, str | int],
        headers: dict[str, str],
        listed: str | None,
        cursor: str | None,
        context: _Context,
    ) -> FetchResult:
        items: list[FetchedItem] = []
        skipped = 0
        newest = cursor
        retry_after: int | None = None
        for page in range(MAX_PAGES):
            page_params: dict[str, str | int] = {**params, "limit": PAGE_SIZE}
            if listed is not None and page:  # search: further pages by offset
                page_params["offset"] = page * PAGE_SIZE
            after = cursor if listed is not None else newest
            if after:
                page_params["min_id"] = after
            response = await http.get(url, params=page_params, headers=headers)
            payload = _decode(response, context)
            statuses = payload.get(listed) if listed and isinstance(payload, Mapping) else payload
            if not isinstance(statuses, list):
                raise ConnectorError(
                    f"Mastodon ({context.host}) sent an answer without a list of posts.", "invalid"
                )
            found, bad = map_items(statuses, context.to_item, context.network)
            items += found
            skipped += bad
            newest = _newest_id([newest, *(s.get("id") for s in statuses if isinstance(s, dict))])
            if response.headers.get("x-ratelimit-remaining", "").strip() == "0":
                retry_after = wait_from_reset(response.headers.get(RESET))
                break
            if len(statuses) < PAGE_SIZE or (cursor is None and listed is None):
                break  # the first fetch of a hashtag reads only the newest page
        state = {CURSOR: newest} if newest and newest != cursor else None
        return FetchResult(
            items=unique(items), state=state, retry_after=retry_after, notes=skipped_note(skipped)
        )


class _Context:
    """What mapping and error messages need to know about the instance and the source."""

    def __init__(self, host: str, tag: str, secret: str | None) -> None:
        self.host, self.tag, self.secret = host, tag, secret
        self.network = f"Mastodon ({host})"

    def to_item(self, status: Mapping[str, Any]) -> FetchedItem | None:
        return status_to_item(status, self.host)


def _decode(response: HttpResponse, context: _Context) -> Any:
    network = context.network
    if response.status in (401, 403):
        if context.secret:
            hint = "the access token was refused; make a new one (scope read:search) and paste it."
        elif context.tag:
            hint = (
                f"{context.host} does not show hashtag timelines to visitors; add an access "
                "token in this source's settings, or use another instance."
            )
        else:
            hint = "add an access token in this source's settings."
        raise_for_api_status(response, network, auth_hint=hint)
    if not 200 <= response.status < 300:
        detail = ""
        if 400 <= response.status < 500:
            try:
                detail = scrub(error_message(decode_json(response, network), "error"), None)
            except ConnectorError:
                detail = ""
        hint = (
            f"is #{context.tag} a hashtag {context.host} knows?"
            if context.tag
            else "check the instance address."
        )
        raise_for_api_status(
            response,
            network,
            auth_hint="",
            reset_header=RESET,
            not_found_hint=hint,
            detail=scrub(detail, context.secret),
        )
    return decode_json(response, network)


def _newest_id(ids: list[Any]) -> str | None:
    """The newest of Mastodon status ids (numeric strings, compared as numbers)."""
    numeric = [str(i) for i in ids if isinstance(i, str | int) and str(i).isdigit()]
    return max(numeric, key=int) if numeric else None


def status_to_item(status: Mapping[str, Any], host: str) -> FetchedItem | None:
    """One Mastodon Status as a FetchedItem; None without a ``uri``."""
    uri = text_or_none(status["uri"])
    if not uri:
        return None
    account = status.get("account") or {}
    acct = text_or_none(account.get("acct"))
    handle = acct if not acct or "@" in acct else f"{acct}@{host}"
    content = text_or_none(status.get("content"))
    spoiler = plain_line(str(status.get("spoiler_text") or ""))
    body = html_to_text(content) if content else ""
    text = f"{spoiler}\n{body}".strip() if spoiler else body
    return FetchedItem(
        external_id=f"mastodon:{uri}",
        url=web_url(status.get("url")) or web_url(uri),
        text=text,
        html=content,
        author_name=plain_line(str(account.get("display_name") or "")) or acct,
        author_handle=handle,
        author_url=web_url(account.get("url")),
        author_reach=as_int(account.get("followers_count")),
        published_at=epoch_of_iso(status.get("created_at")),
        lang=text_or_none(status.get("language")),
        likes=as_int(status.get("favourites_count")),
        replies=as_int(status.get("replies_count")),
        shares=as_int(status.get("reblogs_count")),
        raw={"id": status.get("id"), "in_reply_to_id": status.get("in_reply_to_id")},
    )
