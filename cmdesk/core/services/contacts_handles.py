"""What people type about a contact's handles, networks and e-mails, in the form stored and matched.

Imports no Qt and touches no database. :func:`normalise_handle` reduces what is typed or imported
(``@ada``, a profile URL) to the handle stored; :func:`normalise_network` maps what a file or a
person calls a network ("Twitter", "Hacker News") to its key; :func:`author_keys` gives the
(network, handle) pairs of listening's authors that a contact handle stands for, which the
contacts service and ingest use to link mentions to people.

Limits: a handle is stored as typed apart from a leading "@" and blanks, and matched as typed and
in lower case, so an author spelled with other capitals is not linked. A blog ("rss") handle
links the authors of the host named in its URL.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from cmdesk.core.models import HANDLE_NETWORKS

NETWORK_TITLES = {
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "x": "X",
    "reddit": "Reddit",
    "hackernews": "Hacker News",
    "github": "GitHub",
    "stackexchange": "Stack Exchange",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
    "rss": "Blog / RSS",
}
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
# Profile URL path prefixes that come before the handle itself.
_URL_PREFIXES = ("in/", "u/", "user/", "users/", "profile/", "@", "c/", "channel/")
# Query keys that carry the handle on profile pages that are one page for everyone
# (news.ycombinator.com/user?id=pg, youtube.com/profile?user=..., reddit's ?username=...).
_QUERY_HANDLE_KEYS = ("id", "user", "username", "handle", "screen_name")


def normalise_handle(network: str, text: str) -> str:
    """The handle as stored: blanks and a leading "@" dropped; a profile URL reduced to its handle.

    Mastodon keeps ``user@instance`` (a URL ``https://instance/@user`` becomes that form). A
    handle carried in the query (``news.ycombinator.com/user?id=pg``) wins over the path.
    """
    text = (text or "").strip()
    if text.lower().startswith(("http://", "https://")) and network != "rss":
        parts = urlsplit(text)
        query = parse_qs(parts.query)
        for key in _QUERY_HANDLE_KEYS:
            value = (query.get(key) or [""])[0].strip()
            if value:
                return value.lstrip("@").strip()
        path = parts.path.strip("/")
        for prefix in _URL_PREFIXES:
            if path.startswith(prefix) and len(path) > len(prefix):
                path = path[len(prefix) :]
                break
        segment = path.split("/")[0] if path else ""
        if network == "mastodon" and segment:
            return f"{segment.lstrip('@')}@{parts.hostname}"
        if segment:
            text = segment
    return text.lstrip("@").strip()


def normalise_network(text: str) -> str:
    """A network key from what a file or a person calls it ("Twitter", "Hacker News"...)."""
    key = re.sub(r"[^a-z]", "", (text or "").lower())
    aliases = {
        "twitter": "x",
        "xcom": "x",
        "hn": "hackernews",
        "ycombinator": "hackernews",
        "stackoverflow": "stackexchange",
        "blog": "rss",
        "feed": "rss",
        "website": "rss",
        "bsky": "bluesky",
    }
    key = aliases.get(key, key)
    return key if key in HANDLE_NETWORKS else ""


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value.strip()))


def author_keys(network: str, handle: str, url: str | None) -> list[tuple[str, str]]:
    """The (author network, author handle) pairs a contact handle stands for.

    The handle as stored, in lower case and with an "@"; a blog ("rss") handle stands for the
    authors of the host named in its URL (or the handle itself when it looks like a host).
    """
    variants = list(dict.fromkeys((handle, handle.lower(), "@" + handle)))
    if network == "rss":
        host = urlsplit(url).hostname if url else None
        if not host and "." in handle and "/" not in handle:
            host = handle
        return [(host, v) for v in variants] if host else []
    return [(network, v) for v in variants]
