"""Plain RSS 2.0 (and 0.91-0.94) read the way feedparser's strict parser reads it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from feedparser.datetimes import _parse_date as parse_date

from cmdesk.listening.connectors.feed_fast.reading import (
    ENTRY_KEYS,
    FEED_KEYS,
    NotPlain,
    Reader,
    repaired,
    text_of,
)

_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")
_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}

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


class RssReader(Reader):
    def document(self, root: ET.Element) -> dict[str, Any]:
        if root.text and root.text.strip():
            raise NotPlain
        version = root.get("version", "")
        version = _VERSIONS.get(version) or ("rss20" if version.startswith("2.") else "")
        if not version or set(root.attrib) - {"version"} or len(root) != 1:
            raise NotPlain
        channel = root[0]
        if self.names(channel.tag) != "channel" or channel.attrib:
            raise NotPlain
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
                    raise NotPlain
                seen.add(name)
                value = text_of(child)
                if name == "link":
                    value = _ENTITY_IN_LINK.sub(r"&\g<1>", repaired(self.resolve(value)))
                    feed["link"] = value
                else:
                    feed[name] = repaired(value)
            elif name == "link":  # <atom:link rel="self" href="..."/>: adds to links only
                if child.get("rel") not in ("self", "hub") or "href" not in child.attrib:
                    raise NotPlain
            elif name == "image":
                if child.attrib or any(
                    len(part) or self.names(part.tag) not in _IMAGE_CHILDREN for part in child
                ):
                    raise NotPlain
            elif name in _CHANNEL_INERT:
                if len(child):
                    raise NotPlain
            else:
                self.check_inert(child, name, FEED_KEYS)
        return feed, entries

    def item(self, item: ET.Element) -> dict[str, Any]:
        if item.attrib:
            raise NotPlain
        fields: dict[str, ET.Element] = {}
        categories: list[str] = []
        for child in item:
            name = self.names(child.tag)
            slot = _ITEM_FIELDS.get(name)
            if slot is not None:
                allowed = {"isPermaLink"} if slot == "guid" else set()
                if slot in fields or set(child.attrib) - allowed:
                    raise NotPlain
                fields[slot] = child
            elif name == "category":
                if child.attrib:
                    raise NotPlain
                categories.append(text_of(child))
            elif name in _ITEM_INERT:
                if len(child):
                    raise NotPlain
            else:
                self.check_inert(child, name, ENTRY_KEYS)
        return self.entry(fields, categories)

    def entry(self, fields: dict[str, ET.Element], categories: list[str]) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        if "title" in fields:
            entry["title"] = repaired(text_of(fields["title"]))
        if "link" in fields:
            link = repaired(self.resolve(text_of(fields["link"])))
            entry["link"] = _ENTITY_IN_LINK.sub(r"&\g<1>", link.replace("&amp;", "&"))
        if "guid" in fields:
            guid = fields["guid"]
            permalink = guid.get("isPermaLink", "true") == "true"
            value = text_of(guid)
            entry["id"] = repaired(self.resolve(value) if permalink else value)
            if permalink:
                entry.setdefault("link", entry["id"])
        content = None
        if "content" in fields:
            content = repaired(text_of(fields["content"]))
            entry["content"] = [{"type": "text/html", "value": content}]
        if "description" in fields:
            entry["summary"] = repaired(text_of(fields["description"]))
            entry["summary_detail"] = {"type": "text/html"}
        elif content is not None:
            entry["summary"] = content
        if "pubdate" in fields:
            entry["published_parsed"] = parse_date(repaired(text_of(fields["pubdate"])))
        if "author" in fields:
            entry["author"] = repaired(text_of(fields["author"]))
        if "comments" in fields:
            entry["comments"] = repaired(self.resolve(text_of(fields["comments"])))
        tags: list[dict[str, Any]] = []
        for term in (repaired(value) for value in categories):
            tag = {"term": term}
            if term and tag not in tags:
                tags.append(tag)
        if tags:
            entry["tags"] = tags
        return entry
