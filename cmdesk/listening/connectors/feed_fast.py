"""A fast path for plain RSS 2.0 and Atom 1.0: expat (in C) gives what feedparser would give.

Imports no Qt and does no I/O. feedparser costs ~20 ms of worker CPU per 60 KB feed (a Python
callback per element and per text run, and a date parser trying nine formats); expat alone parses
the same bytes in ~0.4 ms. Most feeds a community manager follows are plain and well-formed:
RSS 2.0 from WordPress, Discourse, Ghost and news sites, Atom from Google Alerts and blogs. So
:func:`read_plain_feed` reads those through ElementTree and returns ``None`` for anything else,
which then goes to feedparser as before.

"What feedparser would give" is meant exactly, for the fields cmdesk reads: the entries are the
same dictionaries (``link``, ``id``, ``title``, ``summary``, ``content``, ``published_parsed``,
``author``, ``tags``, ``comments``...), built by the rules feedparser 6's strict parser applies:
values stripped; links, comment links, permalink guids and Atom ids resolved against the feed's
address; the "UTF-8 read as Latin-1" repair and the Windows-1252 mapping; ``&amp;`` un-escaping
in RSS item links; a permalink guid or Atom id as the link of an entry without one; the last
alternate HTML ``<link>`` of an Atom entry; "name (email)" authors; dates through feedparser's
own date parser. tests/listening/connectors/test_feed_fast.py parses each case both ways and
compares the items cmdesk builds; feedparser's own test feeds were compared the same way.

The path says no (returns ``None``) rather than guess: a body that expat rejects (undefined
entities, bad bytes), an encoding feedparser would read otherwise than UTF-8 (or ASCII), a
DOCTYPE, ``xml:base``, ``xml:lang`` anywhere but on an Atom root, XHTML or other content types,
attributes or child elements where feedparser would act on them, a field given twice, or any
element feedparser has a handler for that is not one of those handled here.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from typing import Any

import feedparser.api
from feedparser.datetimes import _parse_date
from feedparser.encodings import parse_content_type
from feedparser.html import _cp1252
from feedparser.urls import _urljoin, make_safe_absolute_uri

_PARSER_CLASS = feedparser.api.StrictFeedParser
_NAMESPACES = {uri.lower(): prefix for uri, prefix in _PARSER_CLASS.namespaces.items()}
_XML_ENCODING = re.compile(rb"^<\?.*encoding=['\"](.*?)['\"].*\?>")
_DECLARATION = re.compile(rb"""xmlns:([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")
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

_ATOM = "http://www.w3.org/2005/atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_UTF8 = ("utf-8", "utf8")
_ASCII_SAFE = ("us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252")
_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}

# Entry and feed keys cmdesk reads (feed_parsing._xml_item, _parse_xml_feed): an element whose
# feedparser key is one of these and that is not handled here sends the feed to feedparser.
_ENTRY_KEYS = frozenset({
    "link", "links", "id", "guidislink", "title", "summary", "summary_detail", "content",
    "published", "published_parsed", "updated", "updated_parsed", "author", "authors", "tags",
    "language", "comments",
})  # fmt: skip
_FEED_KEYS = frozenset(["title", "link", "links", "language"])
# Elements feedparser handles in ways that touch nothing cmdesk reads, when they carry no child
# elements (``enclosure`` only adds to ``links``; ``source`` fills ``entry.source``...).
_ITEM_INERT = frozenset({"enclosure", "source"})
_CHANNEL_INERT = frozenset({
    "description", "generator", "lastbuilddate", "pubdate", "category", "managingeditor",
    "webmaster", "copyright", "rights", "cloud",
})  # fmt: skip
_IMAGE_CHILDREN = frozenset(["title", "url", "link", "width", "height", "description"])
# Item elements read here -> the slot they fill (author and dc:creator fill the same one).
_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "description": "description",
    "content:encoded": "content",
    "pubdate": "pubdate",
    "author": "author",
    "dc:creator": "author",
    "comments": "comments",
}


def is_plain_url(value: str) -> bool:
    """True when ``urljoin(any_base, value)`` and feedparser's ``_urljoin`` return ``value``."""
    return _PLAIN_URL.match(value) is not None


class _NotPlain(Exception):
    """Raised inside the reader: this document is for feedparser."""


def read_plain_feed(body: bytes, url: str, content_type: str) -> dict[str, Any] | None:
    """``{"version", "feed", "entries"}`` as feedparser would give them, or None: use feedparser.

    ``body`` has had its DOCTYPE cut and NUL bytes removed (feed_parsing does both first).
    """
    if b"xml:base" in body or b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        return None
    if not _read_as_utf8(body, content_type):
        return None
    try:
        root = ET.fromstring(body)
    except (ET.ParseError, ValueError):
        return None
    root_lang = root.get(_XML_LANG)
    if body.count(b"xml:lang") != (root_lang is not None):
        return None  # xml:lang anywhere but on the root element
    try:
        names = _Names(body)
        root_name = names(root.tag)
        if root_name == "rss" and root_lang is None:
            return _RssReader(names, _base_of(url)).document(root)
        if root.tag.lower() == "{" + _ATOM + "}feed":
            return _AtomReader(names, _base_of(url), root_lang).document(root)
        return None
    except _NotPlain:
        return None


def _read_as_utf8(body: bytes, content_type: str) -> bool:
    """True when feedparser would decode ``body`` the way expat does (UTF-8, or plain ASCII).

    Mirrors feedparser.encodings.convert_to_utf8 (RFC 3023): the HTTP charset wins for XML media
    types; ``text/*`` without one means US-ASCII; no Content-Type at all means Latin-1.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    match = _XML_ENCODING.match(body)
    declared = match.group(1).decode("ascii", "replace").lower() if match else ""
    mime, charset = parse_content_type(content_type) if content_type else ("", "")
    charset = charset.lower()
    if not content_type:
        encoding = declared or "iso-8859-1"
    elif mime in ("application/xml", "application/xml-dtd") or (
        mime.startswith("application/") and mime.endswith("+xml")
    ):
        encoding = charset or declared or "utf-8"
    elif mime.startswith("text/"):
        encoding = charset or "us-ascii"
    else:
        encoding = declared or "utf-8"
    if declared and declared not in _UTF8 and not (declared in _ASCII_SAFE and body.isascii()):
        return False  # expat would follow the declaration
    return encoding in _UTF8 or (encoding in _ASCII_SAFE and body.isascii())


def _base_of(url: str) -> str:
    """The base feedparser resolves links against: the feed's address, if it is a safe one."""
    return make_safe_absolute_uri("", url) or make_safe_absolute_uri(url) or ""


class _Names:
    """feedparser's name for an element: its standard prefix (or the document's) and lower case."""

    def __init__(self, body: bytes) -> None:
        if _VERSION_NAMESPACE.search(body):
            raise _NotPlain  # feedparser would call the feed RSS 0.90 or 1.0, whatever its root
        self.prefix_of: dict[str, str] = {}
        uri_of: dict[str, str] = {}
        for match in _DECLARATION.finditer(body):
            prefix = match.group(1).decode("utf-8", "replace")
            uri = (match.group(2) or match.group(3) or b"").decode("utf-8", "replace")
            if self.prefix_of.setdefault(uri, prefix) != prefix:
                raise _NotPlain  # one namespace under two prefixes
            if uri_of.setdefault(prefix, uri) != uri:
                raise _NotPlain  # one prefix for two namespaces: feedparser keeps the last one
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
                raise _NotPlain  # an unknown default namespace
        return f"{prefix.lower()}:{local.lower()}" if prefix else local.lower()


def _has_handler(name: str) -> bool:
    method = name.replace(":", "_")
    return hasattr(_PARSER_CLASS, "_start_" + method) or hasattr(_PARSER_CLASS, "_end_" + method)


def _text(element: ET.Element) -> str:
    """An element's text as feedparser's ``pop`` leaves it (before the encoding repairs)."""
    if len(element):
        raise _NotPlain  # markup inside: feedparser would serialise it
    return (element.text or "").strip()


def _repaired(value: str) -> str:
    """Feedparser's last steps on every value: undo UTF-8 read as Latin-1, map Windows-1252."""
    if value.isascii():  # both steps leave ASCII as it is
        return value
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("iso-8859-1").decode("utf-8")
    return value.translate(_cp1252)


class _Reader:
    """What both formats share: element names, the base address, the inert-element rule."""

    def __init__(self, names: _Names, base: str) -> None:
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
            raise _NotPlain


class _RssReader(_Reader):
    def document(self, root: ET.Element) -> dict[str, Any]:
        if root.text and root.text.strip():
            raise _NotPlain
        version = root.get("version", "")
        version = _VERSIONS.get(version) or ("rss20" if version.startswith("2.") else "")
        if not version or set(root.attrib) - {"version"} or len(root) != 1:
            raise _NotPlain
        channel = root[0]
        if self.names(channel.tag) != "channel" or channel.attrib:
            raise _NotPlain
        feed, entries = self.channel(channel)
        return {"version": version, "feed": feed, "entries": entries}

    def channel(self, channel: ET.Element) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        feed: dict[str, Any] = {}
        entries: list[dict[str, Any]] = []
        seen: set[str] = set()
        for child in channel:
            name = self.names(child.tag)
            if name == "item":
                entries.append(self.item(child))
                continue
            if name in ("title", "language") or (name == "link" and not child.attrib):
                if name in seen or child.attrib:
                    raise _NotPlain
                seen.add(name)
                value = _text(child)
                if name == "link":
                    value = _ENTITY_IN_LINK.sub(r"&\g<1>", _repaired(self.resolve(value)))
                    feed["link"] = value
                else:
                    feed[name] = _repaired(value)
            elif name == "link":  # <atom:link rel="self" href="..."/>: adds to links only
                if child.get("rel") not in ("self", "hub") or "href" not in child.attrib:
                    raise _NotPlain
            elif name == "image":
                if child.attrib or any(
                    len(part) or self.names(part.tag) not in _IMAGE_CHILDREN for part in child
                ):
                    raise _NotPlain
            elif name in _CHANNEL_INERT:
                if len(child):
                    raise _NotPlain
            else:
                self.check_inert(child, name, _FEED_KEYS)
        return feed, entries

    def item(self, item: ET.Element) -> dict[str, Any]:
        if item.attrib:
            raise _NotPlain
        fields: dict[str, ET.Element] = {}
        categories: list[str] = []
        for child in item:
            name = self.names(child.tag)
            slot = _ITEM_FIELDS.get(name)
            if slot is not None:
                allowed = {"isPermaLink"} if slot == "guid" else set()
                if slot in fields or set(child.attrib) - allowed:
                    raise _NotPlain
                fields[slot] = child
            elif name == "category":
                if child.attrib:
                    raise _NotPlain
                categories.append(_text(child))
            elif name in _ITEM_INERT:
                if len(child):
                    raise _NotPlain
            else:
                self.check_inert(child, name, _ENTRY_KEYS)
        return self.entry(fields, categories)

    def entry(self, fields: dict[str, ET.Element], categories: list[str]) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        if "title" in fields:
            entry["title"] = _repaired(_text(fields["title"]))
        if "link" in fields:
            link = _repaired(self.resolve(_text(fields["link"])))
            entry["link"] = _ENTITY_IN_LINK.sub(r"&\g<1>", link.replace("&amp;", "&"))
        if "guid" in fields:
            guid = fields["guid"]
            permalink = guid.get("isPermaLink", "true") == "true"
            value = _text(guid)
            entry["id"] = _repaired(self.resolve(value) if permalink else value)
            if permalink:
                entry.setdefault("link", entry["id"])
        content = None
        if "content" in fields:
            content = _repaired(_text(fields["content"]))
            entry["content"] = [{"type": "text/html", "value": content}]
        if "description" in fields:
            entry["summary"] = _repaired(_text(fields["description"]))
            entry["summary_detail"] = {"type": "text/html"}
        elif content is not None:
            entry["summary"] = content
        if "pubdate" in fields:
            entry["published_parsed"] = _parse_date(_repaired(_text(fields["pubdate"])))
        if "author" in fields:
            entry["author"] = _repaired(_text(fields["author"]))
        if "comments" in fields:
            entry["comments"] = _repaired(self.resolve(_text(fields["comments"])))
        tags: list[dict[str, Any]] = []
        for term in (_repaired(value) for value in categories):
            tag = {"term": term}
            if term and tag not in tags:
                tags.append(tag)
        if tags:
            entry["tags"] = tags
        return entry


# Atom text constructs cmdesk reads as they are: feedparser's type for each ``type`` attribute.
_ATOM_TEXT_TYPES = {
    None: "text/plain",
    "text": "text/plain",
    "text/plain": "text/plain",
    "html": "text/html",
    "text/html": "text/html",
}
_ATOM_LINK_ATTRIBUTES = frozenset({"href", "rel", "type", "hreflang", "title", "length"})
_PERSON_PARTS = frozenset({"name", "email", "uri"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_ATOM_FEED_INERT = frozenset({"updated", "subtitle", "rights", "generator", "icon", "logo"})
_ATOM_ENTRY_FIELDS = frozenset({"id", "title", "published", "updated", "content", "summary"})


class _AtomReader(_Reader):
    """Atom 1.0 as feedparser reads it (``atom10``): text and html constructs, no xhtml."""

    def __init__(self, names: _Names, base: str, lang: str | None) -> None:
        super().__init__(names, base)
        self.lang = lang

    def document(self, root: ET.Element) -> dict[str, Any]:
        if set(root.attrib) - {_XML_LANG} or root.text and root.text.strip():
            raise _NotPlain
        feed: dict[str, Any] = {}
        if self.lang:
            feed["language"] = self.lang.replace("_", "-")
        entries: list[dict[str, Any]] = []
        seen: set[str] = set()
        links: list[ET.Element] = []
        for child in root:
            name = self.names(child.tag)
            if name == "entry":
                entries.append(self.entry(child))
            elif name in ("title", "id"):
                if name in seen:
                    raise _NotPlain
                seen.add(name)
                if name == "title":
                    self.text_type(child)
                    feed["title"] = _repaired(_text(child))
                else:
                    feed["id"] = self.identifier(child)
            elif name == "link":
                links.append(child)
            elif name in ("author", "contributor"):
                self.person(child)
            elif name == "category":
                self.category(child)
            elif name in _ATOM_FEED_INERT:
                if len(child):
                    raise _NotPlain
            else:
                self.check_inert(child, name, _FEED_KEYS)
        link = self.alternate(links)
        if link is not None or "id" in feed:
            feed["link"] = link if link is not None else feed["id"]
        return {"version": "atom10", "feed": feed, "entries": entries}

    def entry(self, element: ET.Element) -> dict[str, Any]:
        if element.attrib:
            raise _NotPlain
        fields: dict[str, ET.Element] = {}
        links: list[ET.Element] = []
        tags: list[tuple[str | None, str | None, str | None]] = []
        author: ET.Element | None = None
        for child in element:
            name = self.names(child.tag)
            if name in _ATOM_ENTRY_FIELDS:
                if name in fields:
                    raise _NotPlain
                fields[name] = child
            elif name == "link":
                links.append(child)
            elif name == "author":
                if author is not None:
                    raise _NotPlain
                author = child
            elif name == "category":
                tag = self.category(child)
                if tag is not None and tag not in tags:
                    tags.append(tag)
            elif name == "contributor":
                self.person(child)
            elif name in ("rights", "media:thumbnail"):
                if len(child):
                    raise _NotPlain
            else:
                self.check_inert(child, name, _ENTRY_KEYS)
        entry: dict[str, Any] = {}
        if "title" in fields:
            self.text_type(fields["title"])
            entry["title"] = _repaired(_text(fields["title"]))
        link = self.alternate(links)
        if "id" in fields:
            entry["id"] = self.identifier(fields["id"])
        if link is not None or "id" in entry:
            entry["link"] = link if link is not None else entry["id"]
        content = None
        if "content" in fields:
            kind = self.text_type(fields["content"])
            content = _repaired(_text(fields["content"]))
            entry["content"] = [{"type": kind, "value": content}]
        if "summary" in fields:
            kind = self.text_type(fields["summary"])
            entry["summary"] = _repaired(_text(fields["summary"]))
            entry["summary_detail"] = {"type": kind}
        elif content is not None:  # feedparser copies text and html content to the summary
            entry["summary"] = content
        for name in ("published", "updated"):
            if name in fields:
                value = _repaired(_text(fields[name]))
                entry[f"{name}_parsed"] = _parse_date(value)
        if author is not None:
            entry["author"] = self.person(author)
        if tags:
            entry["tags"] = [{"term": term} for term, _scheme, _label in tags]
        return entry

    def text_type(self, element: ET.Element) -> str:
        """The content type feedparser gives a text construct; only text and html are taken."""
        if set(element.attrib) - {"type"}:
            raise _NotPlain  # src, mode, xml:base...
        kind = element.get("type")
        mapped = _ATOM_TEXT_TYPES.get(kind.lower() if kind is not None else None)
        if mapped is None:
            raise _NotPlain
        return mapped

    def identifier(self, element: ET.Element) -> str:
        """An ``<id>``: feedparser treats it as a permalink guid, so it is resolved."""
        if element.attrib:
            raise _NotPlain
        return _repaired(self.resolve(_text(element)))

    def alternate(self, links: list[ET.Element]) -> str | None:
        """The last ``<link>`` that is an alternate HTML page (feedparser keeps the last)."""
        found = None
        for link in links:
            if len(link) or (link.text or "").strip() or "href" not in link.attrib:
                raise _NotPlain  # a link in the text, or children: feedparser's other paths
            if set(link.attrib) - _ATOM_LINK_ATTRIBUTES:
                raise _NotPlain
            rel = link.get("rel", "alternate").lower()
            kind = link.get("type", "application/atom+xml" if rel == "self" else "text/html")
            if rel == "alternate" and kind.lower() in _HTML_TYPES:
                found = self.resolve_href(link.attrib["href"])
        return found

    def person(self, element: ET.Element) -> str:
        """An author: "name (email)", the name or the e-mail, else its own stripped text."""
        if element.attrib:
            raise _NotPlain
        parts: dict[str, str] = {}
        for part in element:
            name = self.names(part.tag)
            if name not in _PERSON_PARTS or name in parts or part.attrib:
                raise _NotPlain
            parts[name] = _text(part)  # name and e-mail are kept as given (no repairs)
        own = "".join([element.text or "", *(part.tail or "" for part in element)]).strip()
        name, email = parts.get("name"), parts.get("email")
        if name and email:
            return f"{name} ({email})"
        return name or email or _repaired(own)

    def category(self, element: ET.Element) -> tuple[str | None, str | None, str | None] | None:
        """(term, scheme, label) of an Atom category; None when it has none of them."""
        if len(element) or (element.text or "").strip():
            raise _NotPlain
        if set(element.attrib) - {"term", "scheme", "label"}:
            raise _NotPlain
        term, scheme, label = (element.get(key) for key in ("term", "scheme", "label"))
        return (term, scheme, label) if term or scheme or label else None
