"""Plain Atom 1.0 read the way feedparser's strict parser reads it (``atom10``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from feedparser.datetimes import _parse_date as parse_date

from cmdesk.listening.connectors.feed_fast.reading import (
    ENTRY_KEYS,
    FEED_KEYS,
    XML_LANG,
    Names,
    NotPlain,
    Reader,
    repaired,
    text_of,
)

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


class AtomReader(Reader):
    """Atom 1.0 as feedparser reads it (``atom10``): text and html constructs, no xhtml."""

    def __init__(self, names: Names, base: str, lang: str | None) -> None:
        super().__init__(names, base)
        self.lang = lang

    def document(self, root: ET.Element) -> dict[str, Any]:
        if set(root.attrib) - {XML_LANG} or root.text and root.text.strip():
            raise NotPlain
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
                    raise NotPlain
                seen.add(name)
                if name == "title":
                    self.text_type(child)
                    feed["title"] = repaired(text_of(child))
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
                    raise NotPlain
            else:
                self.check_inert(child, name, FEED_KEYS)
        link = self.alternate(links)
        if link is not None or "id" in feed:
            feed["link"] = link if link is not None else feed["id"]
        return {"version": "atom10", "feed": feed, "entries": entries}

    def entry(self, element: ET.Element) -> dict[str, Any]:
        if element.attrib:
            raise NotPlain
        fields: dict[str, ET.Element] = {}
        links: list[ET.Element] = []
        tags: list[tuple[str | None, str | None, str | None]] = []
        author: ET.Element | None = None
        for child in element:
            name = self.names(child.tag)
            if name in _ATOM_ENTRY_FIELDS:
                if name in fields:
                    raise NotPlain
                fields[name] = child
            elif name == "link":
                links.append(child)
            elif name == "author":
                if author is not None:
                    raise NotPlain
                author = child
            elif name == "category":
                tag = self.category(child)
                if tag is not None and tag not in tags:
                    tags.append(tag)
            elif name == "contributor":
                self.person(child)
            elif name in ("rights", "media:thumbnail"):
                if len(child):
                    raise NotPlain
            else:
                self.check_inert(child, name, ENTRY_KEYS)
        entry: dict[str, Any] = {}
        if "title" in fields:
            self.text_type(fields["title"])
            entry["title"] = repaired(text_of(fields["title"]))
        link = self.alternate(links)
        if "id" in fields:
            entry["id"] = self.identifier(fields["id"])
        if link is not None or "id" in entry:
            entry["link"] = link if link is not None else entry["id"]
        content = None
        if "content" in fields:
            kind = self.text_type(fields["content"])
            content = repaired(text_of(fields["content"]))
            entry["content"] = [{"type": kind, "value": content}]
        if "summary" in fields:
            kind = self.text_type(fields["summary"])
            entry["summary"] = repaired(text_of(fields["summary"]))
            entry["summary_detail"] = {"type": kind}
        elif content is not None:  # feedparser copies text and html content to the summary
            entry["summary"] = content
        for name in ("published", "updated"):
            if name in fields:
                value = repaired(text_of(fields[name]))
                entry[f"{name}_parsed"] = parse_date(value)
        if author is not None:
            entry["author"] = self.person(author)
        if tags:
            entry["tags"] = [{"term": term} for term, _scheme, _label in tags]
        return entry

    def text_type(self, element: ET.Element) -> str:
        """The content type feedparser gives a text construct; only text and html are taken."""
        if set(element.attrib) - {"type"}:
            raise NotPlain  # src, mode, xml:base...
        kind = element.get("type")
        mapped = _ATOM_TEXT_TYPES.get(kind.lower() if kind is not None else None)
        if mapped is None:
            raise NotPlain
        return mapped

    def identifier(self, element: ET.Element) -> str:
        """An ``<id>``: feedparser treats it as a permalink guid, so it is resolved."""
        if element.attrib:
            raise NotPlain
        return repaired(self.resolve(text_of(element)))

    def alternate(self, links: list[ET.Element]) -> str | None:
        """The last ``<link>`` that is an alternate HTML page (feedparser keeps the last)."""
        found = None
        for link in links:
            if len(link) or (link.text or "").strip() or "href" not in link.attrib:
                raise NotPlain  # a link in the text, or children: feedparser's other paths
            if set(link.attrib) - _ATOM_LINK_ATTRIBUTES:
                raise NotPlain
            rel = link.get("rel", "alternate").lower()
            kind = link.get("type", "application/atom+xml" if rel == "self" else "text/html")
            if rel == "alternate" and kind.lower() in _HTML_TYPES:
                found = self.resolve_href(link.attrib["href"])
        return found

    def person(self, element: ET.Element) -> str:
        """An author: "name (email)", the name or the e-mail, else its own stripped text."""
        if element.attrib:
            raise NotPlain
        parts: dict[str, str] = {}
        for part in element:
            name = self.names(part.tag)
            if name not in _PERSON_PARTS or name in parts or part.attrib:
                raise NotPlain
            parts[name] = text_of(part)  # name and e-mail are kept as given (no repairs)
        own = "".join([element.text or "", *(part.tail or "" for part in element)]).strip()
        name, email = parts.get("name"), parts.get("email")
        if name and email:
            return f"{name} ({email})"
        return name or email or repaired(own)

    def category(self, element: ET.Element) -> tuple[str | None, str | None, str | None] | None:
        """(term, scheme, label) of an Atom category; None when it has none of them."""
        if len(element) or (element.text or "").strip():
            raise NotPlain
        if set(element.attrib) - {"term", "scheme", "label"}:
            raise NotPlain
        term, scheme, label = (element.get(key) for key in ("term", "scheme", "label"))
        return (term, scheme, label) if term or scheme or label else None
