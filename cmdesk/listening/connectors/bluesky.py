"""The Bluesky connector (kind "bluesky"): posts matching words, through the user's own account.

Imports no Qt. Since January 2025 the public AppView (public.api.bsky.app) answers 403 to
unauthenticated ``searchPosts`` (SOURCES.md B5), so this connector signs in: the user's handle and
an *app password* (from the keychain) go to ``POST <server>/xrpc/com.atproto.server.createSession``
(via :meth:`Http.post_json`), and the ``accessJwt`` it returns authorises ``GET <server>/xrpc/
app.bsky.feed.searchPosts?q=…&sort=latest&since=ISO&limit=100[&cursor=…]`` on the user's PDS,
which proxies to the AppView.

Sessions: createSession is limited (30 per 5 minutes, as few as 100 a day observed), so the
access token is kept in memory per server, handle and password (:attr:`BlueskyConnector.sessions`,
never written anywhere) and a new session is made only when it is refused as expired. Neither the
app password nor a token ever appears in an error message or a log line.

Limits: no reach (``getProfiles`` is not called); the refresh token is not used (a new session is
made instead, at most once per fetch); searchPosts is meant for human-directed queries: poll gently.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import urlsplit

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
    iso,
    map_items,
    raise_for_api_status,
    scrub,
    since_of,
    skipped_note,
    text_or_none,
    unique,
    wait_from_reset,
    web_url,
)
from cmdesk.listening.sanitize import plain_line

DEFAULT_SERVER = "https://bsky.social"
WEB = "https://bsky.app"
NETWORK = "Bluesky"
PAGE_SIZE = 100
RESET = "ratelimit-reset"
PUBLIC_APPVIEWS = ("public.api.bsky.app", "api.bsky.app")
EXPIRED = ("ExpiredToken", "InvalidToken")
CLOCK_SLACK = 600  # a createdAt later than indexedAt by more than this is a wrong client clock
_HANDLE = re.compile(r"^(did:[a-z]+:[A-Za-z0-9._:%-]+|([A-Za-z0-9-]+\.)+[A-Za-z0-9-]+)$")
SIGN_IN_HINT = (
    "check the handle and the app password in this source's settings (make an app password in "
    "Bluesky: Settings → Privacy and security → App passwords)."
)


class BlueskyConnector:
    """Posts matching the words, searched with the user's Bluesky account (app password)."""

    kind: ClassVar[str] = "bluesky"
    label: ClassVar[str] = "Bluesky search"
    needs_secret: ClassVar[bool] = True
    fields: ClassVar[tuple[ConfigField, ...]] = (
        ConfigField(
            "query",
            "Search words",
            required=True,
            placeholder='"acme widget"',
            help="Words to find in posts; Bluesky search syntax works (from:, lang:, #tag).",
        ),
        ConfigField(
            "handle",
            "Your handle",
            required=True,
            placeholder="you.bsky.social",
            help="The Bluesky account that searches (search needs a signed-in account).",
        ),
        ConfigField(
            "secret",
            "App password",
            "secret",
            required=True,
            help="Not your main password: Settings → Privacy and security → App passwords.",
        ),
        ConfigField(
            "url",
            "Server",
            "url",
            default=DEFAULT_SERVER,
            help="Your account's server (PDS): https://bsky.social unless you host your own.",
        ),
    )

    # (server, handle, sha256 of the app password) → accessJwt; in memory only, never stored.
    sessions: ClassVar[dict[tuple[str, str, str], str]] = {}

    @classmethod
    def check(cls, values: Mapping[str, str]) -> str | None:
        if not (values.get("query") or "").strip():
            return "Give the words to search Bluesky for."
        handle = (values.get("handle") or "").strip().lstrip("@")
        if not handle:
            return "Give the handle of the Bluesky account that searches, such as you.bsky.social."
        if not _HANDLE.match(handle):
            return "A Bluesky handle looks like you.bsky.social or your own domain (no spaces)."
        url = values.get("url", "")
        host = (urlsplit(url.strip()).hostname or "").lower()
        if host in PUBLIC_APPVIEWS:
            return (
                f"{host} refuses searches without an account (since January 2025): use your "
                "account's server, such as https://bsky.social."
            )
        return check_web_address(url, "server address")

    async def fetch(self, source: SourceSpec, http: Http, secret: str | None) -> FetchResult:
        query = config_text(source, "query")
        handle = config_text(source, "handle").lstrip("@")
        if not query or not handle:
            raise ConnectorError(
                "This Bluesky source needs search words and the handle of the account that "
                "searches.",
                "invalid",
            )
        if not secret:
            raise ConnectorError(
                "Bluesky search needs your account: add an app password in this source's settings.",
                "auth",
            )
        server = base_url(source, DEFAULT_SERVER)
        key = (server, handle.lower(), hashlib.sha256(secret.encode()).hexdigest())
        params: dict[str, str | int] = {"q": query, "sort": "latest", "limit": PAGE_SIZE}
        since = since_of(source)
        if since is not None:
            params["since"] = iso(since)
        url = f"{server}/xrpc/app.bsky.feed.searchPosts"
        items: list[FetchedItem] = []
        skipped = 0
        notes: list[str] = []
        retry_after: int | None = None
        cursor: str | None = None
        renewed = False
        page = 0
        while page < MAX_PAGES:
            token = self.sessions.get(key)
            if token is None:
                token = await _create_session(http, server, handle, secret)
                self.sessions[key] = token
                renewed = True
            page_params = {**params, "cursor": cursor} if cursor else params
            response = await http.get(
                url, params=page_params, headers={"Authorization": f"Bearer {token}"}
            )
            if _expired(response):
                self.sessions.pop(key, None)
                if renewed:  # a brand-new session refused: do not loop on createSession
                    raise ConnectorError(
                        f"{NETWORK} refused a fresh session; {SIGN_IN_HINT}", "auth"
                    )
                continue
            payload = _checked(response, secret)
            found, bad = map_items(payload["posts"], post_to_item, NETWORK)
            items += found
            skipped += bad
            page += 1
            if response.headers.get("ratelimit-remaining", "").strip() == "0":
                retry_after = wait_from_reset(response.headers.get(RESET))
                break
            cursor = text_or_none(payload.get("cursor"))
            if not cursor or len(payload["posts"]) < PAGE_SIZE:
                break
        else:
            notes.append(
                f"More than {MAX_PAGES * PAGE_SIZE} new posts: the oldest were left out; "
                "narrow the search words."
            )
        return FetchResult(
            items=unique(items), retry_after=retry_after, notes=notes + skipped_note(skipped)
        )


async def _create_session(http: Http, server: str, handle: str, secret: str) -> str:
    """Sign in with the app password; the access token, or a ConnectorError without secrets."""
    response = await http.post_json(
        f"{server}/xrpc/com.atproto.server.createSession",
        {"identifier": handle, "password": secret},
    )
    if response.status in (400, 401):
        error = _error_of(response)
        if error.get("error") == "AuthFactorTokenRequired":
            hint = "this account asks for an e-mail code: sign in with an app password instead."
        else:
            hint = SIGN_IN_HINT
        raise ConnectorError(f"{NETWORK} refused to sign in ({response.status}): {hint}", "auth")
    raise_for_api_status(
        response,
        f"{NETWORK} sign-in",
        auth_hint=SIGN_IN_HINT,
        reset_header=RESET,
        not_found_hint="check the server address in this source's settings.",
    )
    session = decode_json(response, NETWORK)
    token = session.get("accessJwt") if isinstance(session, Mapping) else None
    if not isinstance(token, str) or not token:
        raise ConnectorError(f"{NETWORK} signed in but sent no session token.", "invalid")
    return token


def _error_of(response: HttpResponse) -> Mapping[str, Any]:
    try:
        error = decode_json(response, NETWORK)
    except ConnectorError:
        return {}
    return error if isinstance(error, Mapping) else {}


def _expired(response: HttpResponse) -> bool:
    """An access token refused as expired or invalid (XRPC answers 400 or 401 for that)."""
    return response.status in (400, 401) and _error_of(response).get("error") in EXPIRED


def _checked(response: HttpResponse, secret: str) -> Mapping[str, Any]:
    detail = ""
    if response.status == 400:
        detail = scrub(error_message(_error_of(response), "message", "error"), secret)
    raise_for_api_status(
        response,
        NETWORK,
        auth_hint=f"the account was refused for search; {SIGN_IN_HINT}",
        reset_header=RESET,
        not_found_hint="check the server address in this source's settings.",
        detail=detail,
    )
    payload = decode_json(response, NETWORK)
    if not isinstance(payload, Mapping) or not isinstance(payload.get("posts"), list):
        raise ConnectorError(f"{NETWORK} sent an answer without a list of posts.", "invalid")
    return payload


def _post_web_url(uri: str, actor: str | None) -> str | None:
    """https://bsky.app/profile/<handle or did>/post/<rkey> for an at:// post URI."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post" or not parts[2]:
        return None
    return f"{WEB}/profile/{actor or parts[0]}/post/{parts[2]}"


def _links(record: Mapping[str, Any], text: str) -> list[str]:
    """Link facets' URIs not already in the text (links are byte ranges, often shortened)."""
    found: list[str] = []
    for facet in record.get("facets") or []:
        features = facet.get("features") if isinstance(facet, Mapping) else None
        for feature in features if isinstance(features, list) else []:
            if not isinstance(feature, Mapping):
                continue
            link = web_url(feature.get("uri"))
            is_link = feature.get("$type") == "app.bsky.richtext.facet#link"
            if is_link and link and link not in text and link not in found:
                found.append(link)
    return found


def post_to_item(post: Mapping[str, Any]) -> FetchedItem | None:
    """One ``PostView`` as a FetchedItem; None without an at:// uri."""
    uri = text_or_none(post["uri"])
    if not uri or not uri.startswith("at://"):
        return None
    author = post.get("author") or {}
    record = post.get("record") or {}
    handle = text_or_none(author.get("handle"))
    if handle == "handle.invalid":
        handle = None
    did = text_or_none(author.get("did"))
    text = str(record.get("text") or "").replace("\x00", "").strip()
    links = _links(record, text)
    if links:
        text = "\n".join([text, *links]).strip()
    created = epoch_of_iso(record.get("createdAt"))
    indexed = epoch_of_iso(post.get("indexedAt"))
    if created is None or (indexed is not None and created > indexed + CLOCK_SLACK):
        created = indexed  # createdAt is set by the client and can be wrong
    langs = record.get("langs") or []
    root = (record.get("reply") or {}).get("root") or {}
    root_uri = text_or_none(root.get("uri")) if isinstance(root, Mapping) else None
    reposts, quotes = as_int(post.get("repostCount")), as_int(post.get("quoteCount"))
    return FetchedItem(
        external_id=f"bsky:{uri}",
        url=_post_web_url(uri, handle or did),
        text=text,
        author_name=plain_line(str(author.get("displayName") or "")) or handle,
        author_handle=handle or did,
        author_url=f"{WEB}/profile/{handle or did}" if handle or did else None,
        published_at=created,
        lang=langs[0] if langs and isinstance(langs[0], str) else None,
        likes=as_int(post.get("likeCount")),
        replies=as_int(post.get("replyCount")),
        shares=None if reposts is None and quotes is None else (reposts or 0) + (quotes or 0),
        thread_url=_post_web_url(root_uri, None) if root_uri else None,
        raw={"did": did, "indexed_at": post.get("indexedAt"), "cid": post.get("cid")},
    )
