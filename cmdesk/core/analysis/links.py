"""The web pages a mention links to, so published content can count the mentions it earned.

Imports no Qt. A Hacker News story, a Reddit post or a blog article about the company's post has
its own address; the post's address is inside it, as a link in the HTML or a bare URL in the text.
:func:`outgoing_links` finds those addresses in listening's canonical form (tracking parameters
and fragment dropped, host lower-cased: :func:`cmdesk.core.services.ingest.canonical_url`), so a
calendar item's ``published_url`` in the same form finds every mention that links to it.
:func:`store_links` writes them to ``mention_link`` (indexed by URL).

Limits: at most :data:`MAX_LINKS` links a mention (a link farm or a digest post is not worth a
thousand rows); a URL has to start with http:// or https:// (``example.com/post`` in plain text
is not a link); the text is scanned up to :data:`MAX_SCAN` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import peewee as pw

MAX_LINKS = 25
MAX_SCAN = 200_000

_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
# A bare URL ends at white space, a quote or an angle bracket; trailing punctuation of the
# sentence around it (a full stop, a closing parenthesis) is not part of it.
_BARE = re.compile(r"""https?://[^\s<>"'`]+""", re.I)
_TRAILING = ".,;:!?)]}*_'\""
_ENTITIES = {"&amp;": "&", "&#38;": "&", "&#x26;": "&"}


def _unescape(url: str) -> str:
    for entity, char in _ENTITIES.items():
        url = url.replace(entity, char)
    return url


def _trim(url: str) -> str:
    while url and url[-1] in _TRAILING:
        # "(see https://x.test/a_(b))" keeps the balanced parenthesis of the URL itself.
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def outgoing_links(html: str | None, text: str | None, own_url: str | None = None) -> list[str]:
    """Canonical http(s) URLs the mention links to, first seen first, without its own address."""
    from cmdesk.core.services.ingest import canonical_url

    found: list[str] = []
    seen = {own_url} if own_url else set()
    candidates: list[str] = []
    if html:
        for match in _HREF.finditer(html[:MAX_SCAN]):
            candidates.append(_unescape(next(g for g in match.groups() if g is not None)))
    if text:
        candidates.extend(_trim(m.group(0)) for m in _BARE.finditer(text[:MAX_SCAN]))
    for candidate in candidates:
        url = canonical_url(candidate)
        if url and url not in seen:
            seen.add(url)
            found.append(url)
            if len(found) >= MAX_LINKS:
                break
    return found


def store_links(db: pw.Database, pairs: Iterable[tuple[int, Sequence[str]]]) -> int:
    """Write ``(mention_id, urls)`` pairs to ``mention_link``, keeping existing ones; row count."""
    rows = [(url, mention_id) for mention_id, urls in pairs for url in urls]
    for start in range(0, len(rows), 400):
        chunk = rows[start : start + 400]
        db.execute_sql(
            "INSERT OR IGNORE INTO mention_link (url, mention_id) VALUES "
            + ",".join("(?,?)" for _ in chunk),
            [value for pair in chunk for value in pair],
        )
    return len(rows)
