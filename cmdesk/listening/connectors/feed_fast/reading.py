"""What both fast readers share: feedparser's element names, text values, the inert rule.

See :mod:`cmdesk.listening.connectors.feed_fast` for what the fast path promises.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET

import feedparser.api
from feedparser.html import _cp1252
from feedparser.urls import _urljoin

_PARSER_CLASS = feedparser.api.StrictFeedParser
_NAMESPACES = {uri.lower(): prefix for uri, prefix in _PARSER_CLASS.namespaces.items()}
_DECLARATION = re.compile(rb"""xmlns:([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Declaring these anywhere makes feedparser's version rss10 or rss090 (its track_namespace).
_VERSION_NAMESPACE = re.compile(
    rb"""xmlns(?::[^\s=/>]+)?\s*=\s*["'](?i:http://purl\.org/rss/1\.0/|"""
    rb"""http://my\.netscape\.com/rdf/simple/0\.9/)["']"""
)
# An absolute http(s) URL that urljoin (against any base) and urlsplit give back unchanged: a
# plain host, no empty "?" or "#", no ";" params, no brackets, blanks or non-ASCII characters.
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?"
    r"(?:/[^\x00-\x20\x7f-\U0010ffff;?#\[\]\\]*)?"
    r"(?:\?[^\x00-\x20\x7f-\U0010ffff;#\[\]\\]+)?"
    r"(?:#[^\x00-\x20\x7f-\U0010ffff;\[\]\\]+)?\Z"
)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Entry and feed keys cmdesk reads (feed_parsing._xml_item, _parse_xml_feed): an element whose
# feedparser key is one of these and that is not handled here sends the feed to feedparser.
ENTRY_KEYS = frozenset({
    "link", "links", "id", "guidislink", "title", "summary", "summary_detail", "content",
    "published", "published_parsed", "updated", "updated_parsed", "author", "authors", "tags",
    "language", "comments",
})  # fmt: skip
FEED_KEYS = frozenset(["title", "link", "links", "language"])


def is_plain_url(value: str) -> bool:
    """True when ``urljoin(any_base, value)`` and feedparser's ``_urljoin`` return ``value``."""
    return _PLAIN_URL.match(value) is not None


class NotPlain(Exception):
    """Raised inside the reader: this document is for feedparser."""


class Names:
    """feedparser's name for an element: its standard prefix (or the document's) and lower case."""

    def __init__(self, body: bytes) -> None:
        if _VERSION_NAMESPACE.search(body):
            raise NotPlain  # feedparser would call the feed RSS 0.90 or 1.0, whatever its root
        self.prefix_of: dict[str, str] = {}
        uri_of: dict[str, str] = {}
        for match in _DECLARATION.finditer(body):
            prefix = match.group(1).decode("utf-8", "replace")
            uri = (match.group(2) or match.group(3) or b"").decode("utf-8", "replace")
            if self.prefix_of.setdefault(uri, prefix) != prefix:
                raise NotPlain  # one namespace under two prefixes
            if uri_of.setdefault(prefix, uri) != uri:
                raise NotPlain  # one prefix for two namespaces: feedparser keeps the last one
        self._cache: dict[str, str] = {}

    def __call__(self, tag: str) -> str:
        name = self._cache.get(tag)
        if name is None:
            name = self._cache[tag] = self._name(tag)
        return name

    def _name(self, tag: str) -> str:
        if not tag.startswith("{"):
            return tag.lower()
        uri, _, local = tag[1:].partition("}")
        lower = uri.lower()
        if "backend.userland.com/rss" in lower:
            lower = "http://backend.userland.com/rss"
        prefix = _NAMESPACES.get(lower)
        if prefix is None:
            prefix = self.prefix_of.get(uri)
            if prefix is None:
                raise NotPlain  # an unknown default namespace
        return f"{prefix.lower()}:{local.lower()}" if prefix else local.lower()


def _has_handler(name: str) -> bool:
    method = name.replace(":", "_")
    return hasattr(_PARSER_CLASS, "_start_" + method) or hasattr(_PARSER_CLASS, "_end_" + method)


def text_of(element: ET.Element) -> str:
    """An element's text as feedparser's ``pop`` leaves it (before the encoding repairs)."""
    if len(element):
        raise NotPlain  # markup inside: feedparser would serialise it
    return (element.text or "").strip()


def repaired(value: str) -> str:
    """Feedparser's last steps on every value: undo UTF-8 read as Latin-1, map Windows-1252."""
    if value.isascii():  # both steps leave ASCII as it is
        return value
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("iso-8859-1").decode("utf-8")
    return value.translate(_cp1252)


class Reader:
    """What both formats share: element names, the base address, the inert-element rule."""

    def __init__(self, names: Names, base: str) -> None:
        self.names = names
        self.base = base

    def resolve(self, value: str) -> str:
        """A text value resolved as feedparser's ``pop`` does (an empty one stays empty)."""
        return self.resolve_href(value) if value else value

    def resolve_href(self, value: str) -> str:
        """An ``href`` attribute resolved as ``_start_link`` does (an empty one is the base)."""
        if is_plain_url(value):  # ~10 µs saved a link: most links are plain
            return value
        return _urljoin(self.base, value)

    def check_inert(self, element: ET.Element, name: str, keys: frozenset[str]) -> None:
        """Allow an element feedparser keeps under its own key, if cmdesk reads no such key."""
        if len(element) or _has_handler(name) or name.replace(":", "_") in keys:
            raise NotPlain
