"""Contacts as vCard: reading 3.0 and 4.0 files with vobject, writing 3.0.

Imports no Qt. vobject (a long-kept RFC 2426/6350 parser) parses each card; this module only cuts
the file into cards first, so that one broken card is reported with the line it starts on (and
the line vobject choked on) while the others are imported. Handles come from ``X-SOCIALPROFILE``
(vCard 4 style and Apple's), ``IMPP`` and profile URLs on known hosts (github.com, linkedin.com,
bsky.app, x.com, a Mastodon ``/@user`` path...); other URLs are websites.

Export writes vCard 3.0 — what Google Contacts, Apple Contacts, Outlook and Thunderbird all
read — with handles as ``X-SOCIALPROFILE``, lists as ``CATEGORIES`` and cmdesk's own fields
(stage, owner, cadence) as ``X-CMDESK-*`` so a round trip keeps them.

Limits: addresses become a one-line location; birthdays, anniversaries and related people are
not kept; a vCard 4.0 ``PHOTO`` is read only as an inline ``data:`` URI (a remote photo URL is
never fetched).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import vobject

from cmdesk.core.services.contacts import (
    ContactInput,
    ContactProfile,
    DetailInput,
    HandleInput,
    normalise_network,
)
from cmdesk.core.services.contacts_import import ParsedRecord, ParseResult, Problem

MAX_PHOTO_BYTES = 2 * 1024 * 1024
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)
_LINE_IN_ERROR = re.compile(r"^At line \d+:\s*")
_DATA_PHOTO = re.compile(r"^PHOTO[^:]*:data:image/[\w.+-]+;base64,(.*)$", re.IGNORECASE)
_HOSTS = {
    "github.com": "github",
    "www.github.com": "github",
    "linkedin.com": "linkedin",
    "www.linkedin.com": "linkedin",
    "x.com": "x",
    "twitter.com": "x",
    "www.twitter.com": "x",
    "bsky.app": "bluesky",
    "reddit.com": "reddit",
    "www.reddit.com": "reddit",
    "news.ycombinator.com": "hackernews",
    "youtube.com": "youtube",
    "www.youtube.com": "youtube",
    "stackoverflow.com": "stackexchange",
}


class VCardError(ValueError):
    """The file holds no vCard at all."""


def _cards(text: str) -> tuple[list[tuple[int, str]], list[Problem]]:
    """The text of each card with the line it starts on; unterminated cards are problems."""
    cards: list[tuple[int, str]] = []
    problems: list[Problem] = []
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if _BEGIN.match(line):
            if start is not None:
                problems.append(Problem(start, "card has no END:VCARD before the next card"))
            start, lines = number, [line]
        elif start is not None:
            lines.append(line)
            if _END.match(line):
                cards.append((start, "\n".join(lines) + "\n"))
                start = None
    if start is not None:
        problems.append(Problem(start, "card has no END:VCARD (the file may be cut short)"))
    return cards, problems


def parse_vcards(data: bytes) -> ParseResult:
    """Every card of a vCard 3.0/4.0 file; each broken card reported with its line number."""
    text = data.decode("utf-8-sig", errors="replace")
    cards, problems = _cards(text)
    if not cards and not problems:
        raise VCardError("The file holds no vCard (no BEGIN:VCARD line).")
    result = ParseResult(problems=problems)
    for start, card_text in cards:
        try:
            card = vobject.readOne(card_text, ignoreUnreadable=False)
            result.records.append(ParsedRecord(start, _record(card, card_text)))
        except (vobject.base.ParseError, ValueError, TypeError, binascii.Error) as exc:
            reason = _LINE_IN_ERROR.sub("", str(exc)).strip() or type(exc).__name__
            line = _offending_line(card_text, reason, start)
            result.problems.append(Problem(line, f"card starting at line {start}: {reason}"))
    result.problems.sort(key=lambda p: p.line)
    return result


def _offending_line(card_text: str, reason: str, start: int) -> int:
    """The file line vobject refused (its own line count is unreliable), else the card's start."""
    bad = reason.split("Failed to parse line:", 1)
    if len(bad) == 2:
        for offset, line in enumerate(card_text.splitlines()):
            if line.strip() == bad[1].strip():
                return start + offset
    return start


def _values(card: vobject.base.Component, name: str) -> list[vobject.base.ContentLine]:
    return list(card.contents.get(name, []))


def _text(card: vobject.base.Component, name: str) -> str | None:
    for line in _values(card, name):
        value = line.value
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        value = str(value).strip()
        if value:
            return value
    return None


def _label(line: vobject.base.ContentLine) -> str | None:
    types = [
        t.lower() for t in line.params.get("TYPE", []) if t.lower() not in ("internet", "pref")
    ]
    return types[0] if types else None


def _record(card: vobject.base.Component, raw: str) -> ContactInput:
    given = family = None
    if "n" in card.contents:
        name = card.n.value
        given = (name.given if isinstance(name.given, str) else " ".join(name.given)) or None
        family = (name.family if isinstance(name.family, str) else " ".join(name.family)) or None
    details: list[DetailInput] = []
    handles: list[HandleInput] = []
    for line in _values(card, "email"):
        if str(line.value).strip():
            details.append(DetailInput("email", str(line.value).strip(), _label(line)))
    for line in _values(card, "tel"):
        value = re.sub(r"^tel:", "", str(line.value).strip(), flags=re.IGNORECASE)
        if value:
            details.append(DetailInput("phone", value, _label(line)))
    for line in _values(card, "x-socialprofile") + _values(card, "impp"):
        handle = _social(line)
        if handle is not None:
            handles.append(handle)
    for line in _values(card, "url"):
        url = str(line.value).strip()
        handle = _handle_from_url(url)
        if handle is not None:
            handles.append(handle)
        elif url:
            details.append(DetailInput("website", url, _label(line)))
    org = _values(card, "org")
    organisation = None
    if org:
        value = org[0].value
        organisation = (value[0] if isinstance(value, list) else str(value)).strip() or None
    lists: list[str] = []
    for line in _values(card, "categories"):
        lists += [c.strip() for c in (line.value if isinstance(line.value, list) else [line.value])]
    cadence = _text(card, "x-cmdesk-cadence")
    data = ContactInput(
        display_name=_text(card, "fn") or "",
        given_name=given,
        family_name=family,
        organisation=organisation,
        title=_text(card, "title"),
        location=_location(card),
        timezone=_text(card, "tz"),
        stage=_text(card, "x-cmdesk-stage") or "aware",
        owner=_text(card, "x-cmdesk-owner"),
        notes=_text(card, "note"),
        cadence_days=int(cadence) if cadence and cadence.isdigit() else None,
        photo=_photo(card, raw),
        details=tuple(details),
        handles=tuple(handles),
        lists=tuple(c for c in lists if c),
    ).named()
    if not data.display_name:
        raise ValueError("card has no name (FN or N), e-mail address or handle")
    return data


def _social(line: vobject.base.ContentLine) -> HandleInput | None:
    value = str(line.value).strip()
    network = ""
    for kind in line.params.get("TYPE", []) + line.params.get("X-SERVICE-TYPE", []):
        network = normalise_network(kind)
        if network:
            break
    if not network:
        from_url = _handle_from_url(value)
        return from_url
    url = value if value.lower().startswith(("http://", "https://")) else None
    handle = line.params.get("X-USER", [value])[0]
    return HandleInput(network, handle, url)


def _handle_from_url(url: str) -> HandleInput | None:
    if not url.lower().startswith(("http://", "https://")):
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in _HOSTS:
        return HandleInput(_HOSTS[host], url, url)
    if parts.path.startswith("/@") and len(parts.path) > 2:  # a Mastodon profile
        return HandleInput("mastodon", url, url)
    return None


def _location(card: vobject.base.Component) -> str | None:
    for line in _values(card, "adr"):
        address = line.value
        parts = [getattr(address, "city", ""), getattr(address, "region", ""),
                 getattr(address, "country", "")]  # fmt: skip
        text = ", ".join(p if isinstance(p, str) else " ".join(p) for p in parts if p)
        if text.strip(", "):
            return text
    return None


def _photo(card: vobject.base.Component, raw: str) -> bytes | None:
    for line in _values(card, "photo"):
        if isinstance(line.value, bytes):  # 3.0: ENCODING=b, decoded by vobject
            return line.value if len(line.value) <= MAX_PHOTO_BYTES else None
    unfolded = re.sub(r"\r?\n[ \t]", "", raw)
    for text_line in unfolded.splitlines():
        found = _DATA_PHOTO.match(text_line)
        if found:
            photo = base64.b64decode(found.group(1), validate=False)
            return photo if len(photo) <= MAX_PHOTO_BYTES else None
    return None


# -- writing ------------------------------------------------------------------------------------


def profile_card(profile: ContactProfile, photo: bytes | None = None) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("fn").value = profile.display_name
    card.add("n").value = vobject.vcard.Name(
        family=profile.family_name or "", given=profile.given_name or ""
    )
    if profile.organisation:
        card.add("org").value = [profile.organisation]
    for name, value in (
        ("title", profile.title),
        ("tz", profile.timezone),
        ("note", profile.notes),
        ("x-cmdesk-stage", profile.stage),
        ("x-cmdesk-owner", profile.owner),
        ("x-cmdesk-cadence", str(profile.cadence_days) if profile.cadence_days else None),
    ):
        if value:
            card.add(name).value = value
    if profile.location:
        card.add("adr").value = vobject.vcard.Address(city=profile.location)
    for d in profile.details:
        line = card.add({"email": "email", "phone": "tel", "website": "url"}[d.kind])
        line.value = d.value
        if d.kind == "email":
            line.type_param = "INTERNET"
        elif d.label:
            line.type_param = d.label.upper()
    for h in profile.handles:
        line = card.add("x-socialprofile")
        line.value = h.url or h.handle
        line.params["TYPE"] = [h.network]
        line.params["X-USER"] = [h.handle]
    if profile.lists:
        card.add("categories").value = [name for _, name in profile.lists]
    if photo:
        line = card.add("photo")
        line.value = photo
        line.encoding_param = "b"
    return card


def write_vcards(profiles: Iterable[tuple[ContactProfile, bytes | None]], stream: object) -> int:
    """Write vCard 3.0 cards to a text stream; returns how many."""
    written = 0
    for profile, photo in profiles:
        stream.write(profile_card(profile, photo).serialize())  # type: ignore[attr-defined]
        written += 1
    return written


__all__ = ["VCardError", "parse_vcards", "profile_card", "write_vcards"]
