"""Contacts as CSV: reading any export through a column mapping, presets, and writing our own.

Imports no Qt. Reading is two steps, so the UI can show a column-mapping dialog in between:
:func:`read_table` decodes the bytes, finds the delimiter and the header row (LinkedIn puts a few
lines of notes above it) and keeps each row with the line it starts on; :func:`parse_table` turns
rows into :class:`~cmdesk.core.services.contacts_import.ParsedRecord` through a mapping
``{column header: field}``. Presets give the mapping for Google Contacts (both the current
"First Name / E-mail 1 - Value" and the older "Given Name / Group Membership" headers), LinkedIn
connections and cmdesk's own export; :func:`guess_mapping` proposes one for any other file.

Every bad row is reported with its line number and why (wrong number of fields, bytes that are not
UTF-8, an e-mail that is not one, a number that is not one, nothing to name the person by); the
others are kept.

Limits: a file that is not UTF-8 (or UTF-16 with a BOM) is read as Windows-1252 only when it holds
no UTF-8 sequence at all; values several fields map to are joined (names, notes) or split on
" ::: " and ";" (e-mails, phones, websites, lists).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cmdesk.core.models import HANDLE_NETWORKS
from cmdesk.core.services.contacts import (
    NETWORK_TITLES,
    ContactInput,
    ContactProfile,
    DetailInput,
    HandleInput,
    is_email,
)
from cmdesk.core.services.contacts_import import ParsedRecord, ParseResult, Problem

SKIP = ""
FIELDS: dict[str, str] = {
    SKIP: "(skip)",
    "display_name": "Full name",
    "given_name": "Given name",
    "family_name": "Family name",
    "organisation": "Organisation",
    "title": "Title",
    "email": "E-mail",
    "phone": "Phone",
    "website": "Website",
    "location": "Location",
    "timezone": "Time zone",
    "stage": "Stage",
    "owner": "Owner",
    "lists": "Lists",
    "cadence_days": "Keep in touch every N days",
    "notes": "Notes",
    **{f"handle:{n}": f"{NETWORK_TITLES[n]} handle" for n in HANDLE_NETWORKS},
    **{f"reach:{n}": f"{NETWORK_TITLES[n]} reach" for n in HANDLE_NETWORKS},
}
_MULTI = ("email", "phone", "website", "lists")
_SPLIT = re.compile(r"\s*(?::::|;)\s*")

_GOOGLE_IGNORED_LABELS = {"* mycontacts", "* starred", "mycontacts", "starred"}
PRESETS: dict[str, dict[str, str]] = {
    "google": {
        # Google Contacts export since 2023
        "First Name": "given_name",
        "Last Name": "family_name",
        "Organization Name": "organisation",
        "Organization Title": "title",
        "Notes": "notes",
        "Labels": "lists",
        "Address 1 - Formatted": "location",
        # the older export ("Google CSV")
        "Name": "display_name",
        "Given Name": "given_name",
        "Family Name": "family_name",
        "Organization 1 - Name": "organisation",
        "Organization 1 - Title": "title",
        "Group Membership": "lists",
        "Address 1 - City": "location",
        **{f"E-mail {i} - Value": "email" for i in range(1, 6)},
        **{f"Phone {i} - Value": "phone" for i in range(1, 6)},
        **{f"Website {i} - Value": "website" for i in range(1, 6)},
    },
    "linkedin": {
        "First Name": "given_name",
        "Last Name": "family_name",
        "URL": "handle:linkedin",
        "Email Address": "email",
        "Company": "organisation",
        "Position": "title",
    },
    "cmdesk": {
        "Name": "display_name",
        "Given name": "given_name",
        "Family name": "family_name",
        "Organisation": "organisation",
        "Title": "title",
        "E-mails": "email",
        "Phones": "phone",
        "Websites": "website",
        "Location": "location",
        "Time zone": "timezone",
        "Stage": "stage",
        "Owner": "owner",
        "Lists": "lists",
        "Keep in touch (days)": "cadence_days",
        "Notes": "notes",
        **{NETWORK_TITLES[n]: f"handle:{n}" for n in HANDLE_NETWORKS},
        **{f"{NETWORK_TITLES[n]} reach": f"reach:{n}" for n in HANDLE_NETWORKS},
    },
}
PRESET_TITLES = {
    "google": "Google Contacts",
    "linkedin": "LinkedIn connections",
    "cmdesk": "cmdesk",
}
# What a header usually means when no preset fits (lower case, letters only).
_GUESSES = {
    "name": "display_name", "fullname": "display_name", "displayname": "display_name",
    "firstname": "given_name", "givenname": "given_name", "lastname": "family_name",
    "familyname": "family_name", "surname": "family_name", "company": "organisation",
    "organisation": "organisation", "organization": "organisation", "title": "title",
    "jobtitle": "title", "position": "title", "email": "email", "emailaddress": "email",
    "mail": "email", "phone": "phone", "mobile": "phone", "telephone": "phone",
    "website": "website", "url": "website", "city": "location", "location": "location",
    "timezone": "timezone", "notes": "notes", "note": "notes", "tags": "lists",
    "lists": "lists", "stage": "stage", "owner": "owner", "twitter": "handle:x",
    "mastodon": "handle:mastodon", "github": "handle:github", "linkedin": "handle:linkedin",
    "bluesky": "handle:bluesky", "reddit": "handle:reddit", "youtube": "handle:youtube",
}  # fmt: skip


class CsvError(ValueError):
    """The file cannot be read as CSV at all; one sentence for the user."""


@dataclass
class CsvTable:
    """A decoded CSV file: its header, its rows with the line each starts on, early problems."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    header_line: int
    problems: list[Problem] = field(default_factory=list)

    def samples(self, column: int, count: int = 3) -> list[str]:
        values = [row[column] for _, row in self.rows if column < len(row) and row[column]]
        return values[:count]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not re.search(rb"[\xc2-\xf4][\x80-\xbf]", data):
            return data.decode("cp1252", errors="replace")
        # Mostly UTF-8 with a few broken rows: keep the bad bytes visible to report those rows.
        return data.decode("utf-8-sig", errors="surrogateescape")


def read_table(data: bytes, preset: str | None = None) -> CsvTable:
    """Decode and split a CSV file; the header is the first row (after LinkedIn's notes)."""
    text = _decode(data)
    if not text.strip():
        raise CsvError("The file is empty.")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    known = set(PRESETS[preset]) if preset in PRESETS else set().union(*PRESETS.values())
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CsvError(f"Line {reader.line_num}: the file is not valid CSV ({exc}).") from exc
    if not rows:
        raise CsvError("The file has no rows.")
    header_at = 0
    for i, (_, row) in enumerate(rows[:20]):
        if len(known & {cell.strip() for cell in row}) >= 2:
            header_at = i
            break
    header_line, headers = rows[header_at]
    return CsvTable([h.strip() for h in headers], rows[header_at + 1 :], header_line)


def detect_preset(headers: Iterable[str]) -> str | None:
    """The preset whose columns best cover these headers, if it covers at least three."""
    names = set(headers)
    best = max(PRESETS, key=lambda key: len(names & set(PRESETS[key])))
    return best if len(names & set(PRESETS[best])) >= 3 else None


def guess_mapping(headers: Iterable[str], preset: str | None = None) -> dict[str, str]:
    """A mapping for ``headers``: the preset's columns, the others guessed from their words."""
    mapping = {}
    table = PRESETS.get(preset or "", {})
    for header in headers:
        guess = _GUESSES.get(re.sub(r"[^a-z]", "", header.lower()), SKIP)
        mapping[header] = table.get(header, guess)
    return mapping


def parse_table(table: CsvTable, mapping: Mapping[str, str]) -> ParseResult:
    """Records from the rows through ``mapping`` (header → field); bad rows become problems."""
    for target in mapping.values():
        if target not in FIELDS:
            raise CsvError(f"Unknown field {target!r} in the column mapping.")
    result = ParseResult(problems=list(table.problems))
    columns = [(i, mapping.get(h, SKIP)) for i, h in enumerate(table.headers)]
    for line, row in table.rows:
        try:
            if len(row) != len(table.headers):
                raise ValueError(f"has {len(row)} fields where the header has {len(table.headers)}")
            result.records.append(ParsedRecord(line, _record(row, columns)))
        except ValueError as exc:
            result.problems.append(Problem(line, str(exc)))
    return result


def parse_csv(
    data: bytes, *, preset: str | None = None, mapping: Mapping[str, str] | None = None
) -> ParseResult:
    """Read a whole file with a preset (or the detected one, or guessed columns)."""
    table = read_table(data, preset)
    if mapping is None:
        mapping = guess_mapping(table.headers, preset or detect_preset(table.headers))
    if not any(mapping.values()):
        raise CsvError("None of the file's columns is mapped to a contact field.")
    return parse_table(table, mapping)


def _record(row: list[str], columns: list[tuple[int, str]]) -> ContactInput:
    values: dict[str, list[str]] = {}
    for i, target in columns:
        cell = row[i].strip()
        if not target or not cell:
            continue
        if any("\udc80" <= ch <= "\udcff" for ch in cell):
            raise ValueError("contains bytes that are not UTF-8 text")
        multi = target in _MULTI or target.startswith("handle:")
        parts = _SPLIT.split(cell) if multi else [cell]
        values.setdefault(target, []).extend(p for p in parts if p)

    def one(key: str, sep: str = " ") -> str | None:
        return sep.join(values[key]) if key in values else None

    details = []
    for kind in ("email", "phone", "website"):
        for value in values.get(kind, []):
            if kind == "email" and not is_email(value):
                raise ValueError(f"{value!r} is not an e-mail address")
            details.append(DetailInput(kind, value))
    handles = []
    for network in HANDLE_NETWORKS:
        for value in values.get(f"handle:{network}", []):
            reach = _number(one(f"reach:{network}"), f"{NETWORK_TITLES[network]} reach")
            url = value if value.lower().startswith(("http://", "https://")) else None
            handles.append(HandleInput(network, value, url, reach))
    lists = tuple(
        v.lstrip("* ").strip()
        for v in values.get("lists", [])
        if v.lower() not in _GOOGLE_IGNORED_LABELS
    )
    data = ContactInput(
        display_name=one("display_name") or "",
        given_name=one("given_name"),
        family_name=one("family_name"),
        organisation=one("organisation"),
        title=one("title"),
        location=one("location", ", "),
        timezone=one("timezone"),
        stage=one("stage") or "aware",
        owner=one("owner"),
        notes=one("notes", "\n"),
        cadence_days=_number(one("cadence_days"), "keep-in-touch days"),
        details=tuple(details),
        handles=tuple(handles),
        lists=tuple(v for v in lists if v),
    ).named()
    if not data.display_name:
        raise ValueError("has no name, e-mail address or handle")
    return data


def _number(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    cleaned = text.replace(",", "").replace("\u202f", "").replace(" ", "")
    if not cleaned.isdigit():
        raise ValueError(f"{what} {text!r} is not a whole number")
    return int(cleaned)


# -- writing ------------------------------------------------------------------------------------


def _safe(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    first = value[:1]
    if first in ("=", "@", "\t", "\r") or (first in ("+", "-") and not _PHONE.match(value)):
        return "'" + value
    return value


_PHONE = re.compile(r"^[+-]?[\d\s().-]+$")


def write_csv(profiles: Iterable[ContactProfile], stream: io.TextIOBase) -> int:
    """Write contacts with cmdesk's columns (read back by the "cmdesk" preset); returns how many."""
    headers = list(PRESETS["cmdesk"])
    writer = csv.writer(stream)
    writer.writerow(headers)
    written = 0
    for p in profiles:
        by_kind = {
            k: [d.value for d in p.details if d.kind == k] for k in ("email", "phone", "website")
        }
        handles: dict[str, list[HandleInput]] = {}
        for h in p.handles:
            handles.setdefault(h.network, []).append(h)
        row = [
            p.display_name, p.given_name, p.family_name, p.organisation, p.title,
            "; ".join(by_kind["email"]), "; ".join(by_kind["phone"]),
            "; ".join(by_kind["website"]), p.location, p.timezone, p.stage, p.owner,
            "; ".join(name for _, name in p.lists), p.cadence_days, p.notes,
            *("; ".join(h.handle for h in handles.get(n, [])) for n in HANDLE_NETWORKS),
            *(next((h.reach for h in handles.get(n, []) if h.reach is not None), "")
              for n in HANDLE_NETWORKS),
        ]  # fmt: skip
        writer.writerow(["" if v is None else _safe(str(v)) for v in row])
        written += 1
    return written
