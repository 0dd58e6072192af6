"""Feed sources in and out of OPML files, with their folders, as feed readers write them.

Imports no Qt. Reading is lenient about what Feedly, Inoreader, NetNewsWire and older tools
write (OPML 1.0, 1.1 and 2.0; attribute names in any case; folders typed ``rss``; a missing
``text``; ``feed://`` addresses) and strict about safety: the file is at most :data:`MAX_BYTES`,
parsed by expat through ``defusedxml`` (a file declaring entities is refused before any is
expanded, nothing external is ever fetched), and walked without recursion. Each entry that is not
imported says why, with its line: no feed address, not a web address, a link to another list, or
a second copy of a feed already in the file. A file that is not OPML at all raises
:class:`OpmlError` with one sentence.

:func:`import_opml` runs on the workspace writer and adds every new feed in one transaction
(a crash or a cancel adds nothing); a feed is a duplicate when its address, in the canonical form
listening uses for mentions (:func:`cmdesk.core.services.ingest.canonical_url`: tracking
parameters and fragment dropped, host lower-cased), is already a feed source. :func:`export_opml`
writes OPML 2.0 with one outline per folder (nested folders nested) and replaces the file
atomically; search sources are not feeds and are counted as skipped.

The format code lives here, not in :mod:`cmdesk.formats`, because core never imports formats and
this service reads the file itself; :mod:`cmdesk.formats.opml` re-exports it.

Limits: a feed listed in two folders (Inoreader does that) is imported once, in the first; an
``xmlUrl`` that differs only by a trailing slash or ``www.`` is a different feed; OPML's
``category`` attribute is ignored (folders come from the outline nesting).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax import SAXException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax
from defusedxml import DefusedXmlException, EntitiesForbidden

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.files import write_bytes_atomically
from cmdesk.core.models import Source
from cmdesk.core.progress import Progress
from cmdesk.core.services import ingest, sources
from cmdesk.core.services.sources import SourceError

MAX_BYTES = 20 * 1024 * 1024
FOLDER_SEPARATOR = " / "
MAX_DEPTH = 32  # folders inside folders; deeper outlines are reported, not read
PROGRESS_EVERY = 50
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=", re.IGNORECASE)
# Characters XML 1.0 cannot hold even escaped (feed titles sometimes carry them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class OpmlError(SourceError):
    """The file cannot be read as OPML at all; the message is one plain sentence."""


@dataclass(frozen=True)
class OpmlEntry:
    """One feed read from the file (``folder``: nested folders joined with " / ")."""

    line: int
    title: str
    url: str
    site_url: str | None = None
    folder: str | None = None


@dataclass(frozen=True)
class Problem:
    """An outline that is not imported, with the line it starts on and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ParseResult:
    title: str | None = None
    entries: list[OpmlEntry] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)  # second copies within the file
    problems: list[Problem] = field(default_factory=list)


def feed_key(url: str) -> str:
    """What two feed addresses must share to be the same feed."""
    return ingest.canonical_url(url) or url.strip()


# -- reading ------------------------------------------------------------------------------------


@dataclass
class _Outline:
    line: int
    attrs: dict[str, str]
    children: list[_Outline] = field(default_factory=list)
    cut: bool = False  # its children were nested too deep to be read


class _NotOpml(Exception):
    def __init__(self, root: str) -> None:
        super().__init__(root)
        self.root = root


class _OutlineCollector(ContentHandler):
    """Collects the outlines under ``<body>`` as a light tree, each with its line."""

    def __init__(self) -> None:
        super().__init__()
        self.locator: Locator | None = None
        self.path: list[str] = []
        self.open: list[_Outline] = []
        self.top: list[_Outline] = []
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.ignored_depth = 0  # inside an outline nested deeper than MAX_DEPTH
        self.too_deep_at: int | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        tag = name.rpartition(":")[2].lower()
        if not self.path and tag != "opml":
            raise _NotOpml(tag)
        self.path.append(tag)
        if tag == "outline" and len(self.path) > 2 and self.path[1] == "body":
            line = self.locator.getLineNumber() if self.locator else 0
            if self.ignored_depth or len(self.open) >= MAX_DEPTH:
                if not self.ignored_depth:
                    self.open[-1].cut = True
                self.ignored_depth += 1
                self.too_deep_at = self.too_deep_at or line
                return
            outline = _Outline(line, {key.lower(): value for key, value in attrs.items()})
            (self.open[-1].children if self.open else self.top).append(outline)
            self.open.append(outline)
        elif tag == "title" and self.path[-2:-1] == ["head"]:
            self.title_parts = []

    def characters(self, content: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(content)

    def endElement(self, name: str) -> None:
        tag = self.path.pop()
        if tag == "outline" and self.ignored_depth:
            self.ignored_depth -= 1
        elif tag == "outline" and self.open:
            self.open.pop()
        elif tag == "title" and self.title_parts is not None:
            self.title = _one_line("".join(self.title_parts)) or None
            self.title_parts = None


def read_opml_file(path: Path) -> ParseResult:
    """Read and parse an OPML file, refusing one over :data:`MAX_BYTES` before reading it all."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise OpmlError("There is no such file.") from exc
    except IsADirectoryError as exc:
        raise OpmlError("This is a folder, not an OPML file.") from exc
    except OSError as exc:
        raise OpmlError(f"The file cannot be read ({exc.strerror or exc}).") from exc
    if len(data) > MAX_BYTES:
        raise OpmlError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; "
            "OPML lists of feeds are far smaller, so it was not read."
        )
    return parse_opml(data)


def parse_opml(data: bytes) -> ParseResult:
    """The feeds of an OPML document, and every outline that is not one, with why."""
    data = _prepared(data)
    collector = _OutlineCollector()
    try:
        defusedxml.sax.parseString(data, collector)
    except _NotOpml as exc:
        raise OpmlError(_not_opml_sentence(exc.root)) from exc
    except EntitiesForbidden as exc:
        raise OpmlError(
            "The file declares XML entities, which OPML never needs; "
            "it was not read, to keep the computer safe."
        ) from exc
    except DefusedXmlException as exc:
        raise OpmlError(
            "The file refers to other files or web addresses in its XML header; "
            "it was not read, to keep the computer safe."
        ) from exc
    except SAXException as exc:
        line = getattr(exc, "getLineNumber", lambda: None)()
        where = f" (line {line}: {exc.getMessage()})" if line else ""
        raise OpmlError(f"The file is not valid XML{where}, so it cannot be read as OPML.") from exc
    except (ValueError, LookupError) as exc:  # an unknown or impossible declared encoding
        raise OpmlError(f"The file cannot be decoded: {exc}.") from exc
    result = ParseResult(title=collector.title)
    _walk(collector.top, result)
    if collector.too_deep_at:
        reason = f"outlines nested more than {MAX_DEPTH} deep were not read"
        result.problems.append(Problem(collector.too_deep_at, reason))
        result.problems.sort(key=lambda problem: problem.line)
    return result


def _prepared(data: bytes) -> bytes:
    """The bytes expat should see; a few plain-words refusals before any XML parsing."""
    if not data.strip():
        raise OpmlError("The file is empty.")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"))
    if b"\x00" in data[:4096] and not utf16:
        raise OpmlError("The file is not text (it looks like a binary file), so it is not OPML.")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise OpmlError("The file is a web page (HTML), not an OPML list of feeds.")
    if not utf16 and not _DECLARED_ENCODING.match(data):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            # Undeclared and not UTF-8: what older Windows tools wrote. Read it as Windows-1252.
            data = data.decode("cp1252", errors="replace").encode("utf-8")
    return data


def _not_opml_sentence(root: str) -> str:
    if root in ("rss", "feed", "rdf"):
        return "The file is a feed, not an OPML list of feeds; add it as a source instead."
    if root == "html":
        return "The file is a web page (HTML), not an OPML list of feeds."
    return f"The file is XML but not OPML (it starts with <{root}>, not <opml>)."


def _walk(top: list[_Outline], result: ParseResult) -> None:
    """Turn the outline tree into entries and problems, in document order, without recursion."""
    seen: dict[str, OpmlEntry] = {}
    stack: list[tuple[_Outline, tuple[str, ...]]] = [(o, ()) for o in reversed(top)]
    while stack:
        outline, folders = stack.pop()
        attrs = outline.attrs
        label = _one_line(attrs.get("text", "")) or _one_line(attrs.get("title", ""))
        xml_url = attrs.get("xmlurl", "").strip()
        if xml_url:
            _add_feed(outline, label, xml_url, folders, seen, result)
        elif not outline.children and not outline.cut:
            result.problems.append(Problem(outline.line, _why_not_a_feed(label, attrs)))
        inner = (*folders, label) if label else folders
        stack.extend((child, inner) for child in reversed(outline.children))


def _add_feed(
    outline: _Outline,
    label: str,
    xml_url: str,
    folders: tuple[str, ...],
    seen: dict[str, OpmlEntry],
    result: ParseResult,
) -> None:
    url = _web_address(xml_url)
    named = f"“{label}” ({xml_url})" if label else xml_url
    if url is None:
        reason = f"{named} is not a web address (http/https), so it cannot be fetched"
        result.problems.append(Problem(outline.line, reason))
        return
    key = feed_key(url)
    first = seen.get(key)
    if first is not None:
        reason = f"{named} is listed twice in the file (first on line {first.line})"
        result.duplicates.append(Problem(outline.line, reason))
        return
    site_url = _web_address(outline.attrs.get("htmlurl", "").strip())
    folder = FOLDER_SEPARATOR.join(folders) or None
    entry = OpmlEntry(outline.line, label, url, site_url, folder)
    seen[key] = entry
    result.entries.append(entry)


def _why_not_a_feed(label: str, attrs: dict[str, str]) -> str:
    named = f"“{label}”" if label else "an outline with no name"
    kind = attrs.get("type", "").strip().lower()
    if kind in ("link", "include") or attrs.get("url", "").strip():
        return f"{named} links to a web page or another list, not to a feed"
    return f"{named} has no feed address (xmlUrl)"


def _web_address(url: str) -> str | None:
    """``url`` if it is http(s) with a host (``feed://`` read as http), else None."""
    lowered = url.lower()
    if lowered.startswith("feed:"):
        url = url[5:]
        url = "http:" + url if url.startswith("//") else url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- writing ------------------------------------------------------------------------------------


def write_opml(entries: Iterable[OpmlEntry], *, title: str, created: datetime) -> bytes:
    """OPML 2.0 bytes (UTF-8): feeds outside folders first, then one outline per folder."""
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = _xml_text(title)
    ET.SubElement(head, "dateCreated").text = format_datetime(created.astimezone(UTC), True)
    body = ET.SubElement(opml, "body")
    folders: dict[tuple[str, ...], ET.Element] = {(): body}
    in_folders: list[OpmlEntry] = []
    for entry in entries:
        if entry.folder:
            in_folders.append(entry)
        else:
            _feed_outline(body, entry)
    for entry in in_folders:
        path = _folder_path(entry.folder or "")
        for depth in range(1, len(path) + 1):
            if path[:depth] not in folders:
                name = _xml_text(path[depth - 1])
                folders[path[:depth]] = ET.SubElement(
                    folders[path[: depth - 1]], "outline", text=name, title=name
                )
        _feed_outline(folders[path], entry)
    ET.indent(opml, space="  ")
    text = ET.tostring(opml, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'.encode()


def _folder_path(folder: str) -> tuple[str, ...]:
    return tuple(p for p in (_one_line(part) for part in folder.split(FOLDER_SEPARATOR)) if p)


def _feed_outline(parent: ET.Element, entry: OpmlEntry) -> None:
    title = _xml_text(entry.title)
    attrs = {"type": "rss", "text": title, "title": title, "xmlUrl": _xml_text(entry.url)}
    if entry.site_url:
        attrs["htmlUrl"] = _xml_text(entry.site_url)
    ET.SubElement(parent, "outline", attrs)


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


# -- the service --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpmlImport:
    added: int
    duplicates: list[str]  # plain words: title, address, and why it was not added again
    problems: list[str]  # plain words: the line, the title, and why it was not read
    changes: Changes


@dataclass(frozen=True)
class OpmlExport:
    written: int
    skipped: int  # search sources: OPML only describes feeds


def import_opml(ws: Workspace, path: Path, progress: Progress | None = None) -> OpmlImport:
    """Add the new feeds of an OPML file with their folders; run on the writer (``ws.write``)."""
    parsed = read_opml_file(path)
    if not (parsed.entries or parsed.duplicates or parsed.problems):
        raise OpmlError("The OPML file lists no feeds.")
    existing: dict[str, str] = {}
    for url, name in Source.select(Source.url, Source.name).where(Source.kind == "rss").tuples():
        existing.setdefault(feed_key(url), name)
    duplicates = list(parsed.duplicates)
    problems = list(parsed.problems)
    new: list[OpmlEntry] = []
    for entry in parsed.entries:
        name = existing.get(feed_key(entry.url))
        if name is None:
            new.append(entry)
            continue
        named = f"“{entry.title}” ({entry.url})" if entry.title else entry.url
        reason = f"{named} is already a source, “{name}”"
        duplicates.append(Problem(entry.line, reason))
    added = 0
    with ws.db.atomic():  # a savepoint inside ws.write's transaction: all of them or none
        for number, entry in enumerate(new, 1):
            try:
                sources.add_source(
                    ws, entry.url, name=entry.title or None, folder=entry.folder,
                    site_url=entry.site_url,
                )  # fmt: skip
                added += 1
            except SourceError as exc:
                problems.append(Problem(entry.line, str(exc).rstrip(".")))
            if progress is not None and (number % PROGRESS_EVERY == 0 or number == len(new)):
                progress.update(number, len(new), entry.title)
    return OpmlImport(
        added=added,
        duplicates=[str(p) for p in sorted(duplicates, key=lambda p: p.line)],
        problems=[str(p) for p in sorted(problems, key=lambda p: p.line)],
        changes=Changes(sources=bool(added)),
    )


def export_document(ws: Workspace, *, folder: str | None = None) -> tuple[bytes, OpmlExport]:
    """The feed sources (of ``folder`` and the folders inside it) as OPML 2.0 bytes."""
    rows = sources.list_sources(ws)
    if folder is not None:
        inside = folder + FOLDER_SEPARATOR
        rows = [r for r in rows if r.folder == folder or (r.folder or "").startswith(inside)]
        if not rows:
            raise SourceError(f"There is no source in the folder {folder}.")
    feeds = [
        OpmlEntry(0, row.name, row.url, row.site_url, row.folder)
        for row in rows
        if row.kind == "rss"
    ]
    title = f"cmdesk sources — {folder}" if folder else "cmdesk sources"
    now = datetime.fromtimestamp(ws.clock.now(), UTC)
    data = write_opml(feeds, title=title, created=now)
    return data, OpmlExport(written=len(feeds), skipped=len(rows) - len(feeds))


def export_opml(ws: Workspace, path: Path, *, folder: str | None = None) -> OpmlExport:
    """Write the feed sources to ``path`` as OPML 2.0; the file is replaced atomically."""
    data, result = export_document(ws, folder=folder)
    write_bytes_atomically(path, data)
    return result
