"""The Reddit connector (kind "reddit"): new posts matching words, through the public search JSON.

Imports no Qt. ``GET <base>/search.json?q=…&sort=new&limit=100&raw_json=1[&after=t3_…]``, or
``/r/<sub>/search.json?…&restrict_sr=1`` for one subreddit: the public listing SOURCES.md B6
recommends (no OAuth: new OAuth apps need Reddit's approval since November 2025). Reddit allows
about 10 requests a minute without OAuth and throttles generic clients, so requests carry a
descriptive User-Agent (``desktop:cmdesk:<version> (by /u/<name>)`` when the user gives a Reddit
name), at most :data:`MAX_PAGES` pages are read, and ``x-ratelimit-remaining`` /
``x-ratelimit-reset`` (seconds) stop paging before the limit is hit.

Limits: search finds posts, not comments; no reach per author; Reddit answers 403 to some
networks (VPNs, data centres); whether the public JSON counts as "the API" under Reddit's terms is
unclear, so Reddit sources should stay opt-in (SOURCES.md B6).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from cmdesk import __version__
from cmdesk.listening.connectors.base import (
    ConfigField,
    ConnectorError,
    FetchedItem,
    FetchResult,
    Http,
    SourceSpec,
)
from cmdesk.listening.connectors.search_api import (
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
    wait_from_reset,
    web_url,
)
from cmdesk.listening.sanitize import html_to_text, plain_line

DEFAULT_BASE = "https://www.reddit.com"
WEB = "https://www.reddit.com"
NETWORK = "Reddit search"
PAGE_SIZE = 100
MAX_PAGES = 2  # Reddit allows ~10 requests a minute without OAuth: stay well under
RESET = "x-ratelimit-reset"
_SUBREDDIT = re.compile(r"^[A-Za-z0-9_]{2,21}$")
_USER = re.compile(r"^[A-Za-z0-9_-]{3,20}$")


def user_agent(reddit_user: str) -> str:
    """The User-Agent Reddit's API rules ask for: platform, app id, version and contact."""
    contact = f"by /u/{reddit_user}" if reddit_user else "+https://github.com/cmdesk/cmdesk"
    return f"desktop:cmdesk:{__version__} ({contact})"


def _name(value: str, prefix: str) -> str:
    value = value.strip().strip("/")
    return value[len(prefix) :] if value.lower().startswith(prefix) else value


class RedditConnector:
    """New Reddit posts (all of Reddit, or one subreddit) whose title or text match the words."""

    kind: ClassVar[str] = "reddit"
    label: ClassVar[str] = "Reddit search"
    needs_secret: ClassVar[bool] = False
    fields: ClassVar[tuple[ConfigField, ...]] = (
        ConfigField(
            "query",
            "Search words",
            required=True,
            placeholder='"acme widget"',
            help="Words to find in new posts (not comments).",
        ),
        ConfigField(
            "subreddit",
            "Subreddit",
            placeholder="widgets",
            help="Only search this subreddit; leave empty for all of Reddit.",
        ),
        ConfigField(
            "reddit_user",
            "Your Reddit username",
            placeholder="acme_community",
            help="Optional: sent as the contact in the User-Agent, as Reddit's API rules ask.",
        ),
        ConfigField(
            "url",
            "Reddit address",
            "url",
            default=DEFAULT_BASE,
            help="https://www.reddit.com; change it only for a mirror.",
        ),
    )

    @classmethod
    def check(cls, values: Mapping[str, str]) -> str | None:
        if not (values.get("query") or "").strip():
            return "Give the words to search Reddit for."
        subreddit = _name(values.get("subreddit") or "", "r/")
        if subreddit and not _SUBREDDIT.match(subreddit):
            return "A subreddit name has 2 to 21 letters, digits or underscores (no r/ needed)."
        user = _name(values.get("reddit_user") or "", "u/")
        if user and not _USER.match(user):
            return "A Reddit username has 3 to 20 letters, digits, dashes or underscores."
        return check_web_address(values.get("url", ""), "Reddit address")

    async def fetch(self, source: SourceSpec, http: Http, secret: str | None) -> FetchResult:
        query = config_text(source, "query")
        if not query:
            raise ConnectorError("This Reddit source has no search words; add some.", "invalid")
        subreddit = _name(config_text(source, "subreddit"), "r/")
        base = base_url(source, DEFAULT_BASE)
        url = f"{base}/r/{subreddit}/search.json" if subreddit else f"{base}/search.json"
        since = since_of(source)
        params: dict[str, str | int] = {
            "q": query,
            "sort": "new",
            "t": _window(since),
            "limit": PAGE_SIZE,
            "raw_json": 1,
        }
        if subreddit:
            params["restrict_sr"] = 1
        headers = {
            "User-Agent": user_agent(_name(config_text(source, "reddit_user"), "u/")),
            "Accept": "application/json",
        }
        items: list[FetchedItem] = []
        skipped = 0
        notes: list[str] = []
        retry_after: int | None = None
        after: str | None = None
        for _page in range(MAX_PAGES):
            page_params = {**params, "after": after} if after else params
            response = await http.get(url, params=page_params, headers=headers)
            listing = _listing(response)
            found, bad = map_items(listing["children"], _child_to_item, NETWORK)
            skipped += bad
            fresh = [i for i in found if since is None or (i.published_at or since + 1) > since]
            items += fresh
            remaining = response.headers.get("x-ratelimit-remaining", "").strip()
            if remaining and _float(remaining) < 1:
                retry_after = wait_from_reset(response.headers.get(RESET))
                break
            after = text_or_none(listing.get("after"))
            if not after or len(fresh) < len(found) or len(listing["children"]) < PAGE_SIZE:
                break
        else:
            if since is not None:
                notes.append(
                    f"More than {MAX_PAGES * PAGE_SIZE} new posts: the oldest were left out; "
                    "narrow the search words."
                )
        return FetchResult(
            items=unique(items), retry_after=retry_after, notes=notes + skipped_note(skipped)
        )


def _window(since: int | None) -> str:
    """Reddit's ``t`` (time window) that still covers everything since ``since``."""
    if since is None:
        return "week"
    age = time.time() - since
    if age < 23 * 3600:
        return "day"
    if age < 6.5 * 86_400:
        return "week"
    return "month" if age < 29 * 86_400 else "all"


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 1.0


def _listing(response: Any) -> Mapping[str, Any]:
    if response.status in (401, 403):
        raise_for_api_status(
            response,
            NETWORK,
            auth_hint="Reddit blocks some networks (VPNs, data centres) and unnamed clients; "
            "add your Reddit username in this source's settings, or try from another network.",
        )
    raise_for_api_status(
        response,
        NETWORK,
        auth_hint="",
        reset_header=RESET,
        not_found_hint="check the subreddit name in this source's settings.",
    )
    payload = decode_json(response, NETWORK)
    data = payload.get("data") if isinstance(payload, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(data.get("children"), list):
        raise ConnectorError(f"{NETWORK} sent an answer without a list of posts.", "invalid")
    return data


def _child_to_item(child: Mapping[str, Any]) -> FetchedItem | None:
    if child.get("kind") != "t3":
        return None
    return post_to_item(child["data"])


def post_to_item(post: Mapping[str, Any]) -> FetchedItem | None:
    """One Reddit post (``t3`` data, fetched with ``raw_json=1``) as a FetchedItem."""
    name = text_or_none(post["name"])
    permalink = text_or_none(post.get("permalink"))
    if not name or not name.startswith("t3_"):
        return None
    author = text_or_none(post.get("author"))
    if author in ("[deleted]", "[removed]"):
        author = None
    html = text_or_none(post.get("selftext_html"))
    text = html_to_text(html) if html else str(post.get("selftext") or "").strip()
    return FetchedItem(
        external_id=f"reddit:{name}",
        url=f"{WEB}{permalink}" if permalink and permalink.startswith("/") else None,
        title=plain_line(str(post.get("title") or "")),
        text=text,
        html=html,
        author_name=author,
        author_handle=author,
        author_url=f"{WEB}/user/{author}" if author else None,
        published_at=epoch_of_unix(post.get("created_utc")),
        score=as_int(post.get("score")),
        replies=as_int(post.get("num_comments")),
        raw={
            "subreddit": text_or_none(post.get("subreddit_name_prefixed")),
            "subreddit_subscribers": as_int(post.get("subreddit_subscribers")),
            "upvote_ratio": post.get("upvote_ratio"),
            "link": web_url(post.get("url")),
            "over_18": bool(post.get("over_18")),
        },
    )
