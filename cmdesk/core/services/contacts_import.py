"""Importing parsed contacts in one transaction, and reading contacts out in chunks for export.

Imports no Qt. The file formats (:mod:`cmdesk.formats.contacts_csv`, :mod:`cmdesk.formats.vcard`)
turn a file into a :class:`ParseResult`: good records with their line numbers, and every bad row
or card with its line number and why. :func:`import_contacts` writes the good ones; it must run
inside one transaction (``Workspace.write`` does that), so a crash or a cancel leaves the
workspace as it was before. Each record is written under a savepoint, so a record refused by the
database is reported and the others still go in.

Duplicates are recognised while importing: a record sharing an e-mail address or a handle with a
contact (or with an earlier record of the same file) is merged into it — empty fields filled,
new e-mails, phones, handles and lists added — instead of creating a second person. The stored
due time and influence of every contact written are computed before the transaction ends.

Limits: a record matching two different contacts (its e-mail one, its handle another) is merged
into the first match and the other's handle is skipped, with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import peewee as pw

from cmdesk.core import contact_search
from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.progress import Progress
from cmdesk.core.services.contacts import (
    NETWORK_TITLES,
    ContactError,
    ContactInput,
    ContactProfile,
    DetailInput,
    HandleInput,
    check_input,
    link_authors_to_contacts,
    list_id,
    organisation_id,
)
from cmdesk.core.services.contacts_scores import refresh_contact_scores

PROGRESS_EVERY = 250


@dataclass(frozen=True)
class ParsedRecord:
    line: int  # where the row or card starts in the file (1-based)
    data: ContactInput


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ParseResult:
    records: list[ParsedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportResult:
    created: int = 0
    merged: int = 0  # records recognised as an existing contact
    linked_authors: int = 0
    problems: list[Problem] = field(default_factory=list)  # rows or cards not imported
    warnings: list[Problem] = field(default_factory=list)  # imported, but something was skipped
    contact_ids: list[int] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        parts = [f"{self.created} added", f"{self.merged} merged into existing contacts"]
        if self.problems:
            parts.append(f"{len(self.problems)} not imported")
        return ", ".join(parts)


class _Index:
    """Who already has which e-mail and handle; kept up to date as records go in."""

    def __init__(self, ws: Workspace) -> None:
        self.emails = dict(
            ws.db.execute_sql("SELECT value, contact_id FROM contact_detail WHERE kind = 'email'")
        )
        self.handles = {
            (n, h): c
            for c, n, h in ws.db.execute_sql(
                "SELECT contact_id, network, handle FROM contact_handle"
            )
        }

    def match(self, data: ContactInput) -> int | None:
        for email in data.emails:
            if email in self.emails:
                return int(self.emails[email])
        for h in data.handles:
            if (h.network, h.handle) in self.handles:
                return int(self.handles[(h.network, h.handle)])
        return None

    def add(self, contact_id: int, data: ContactInput) -> None:
        for email in data.emails:
            self.emails.setdefault(email, contact_id)


def import_contacts(
    ws: Workspace,
    parsed: ParseResult,
    progress: Progress | None = None,
    *,
    extra_lists: Sequence[str] = (),
) -> ImportResult:
    """Write ``parsed``'s good records (run inside one transaction); report what happened.

    ``extra_lists`` puts every imported contact in those lists too ("Imported 2026-11-20").
    """
    progress = progress or Progress()
    result = ImportResult(problems=list(parsed.problems))
    index = _Index(ws)
    total = len(parsed.records)
    progress.update(0, total, "importing contacts")
    touched: list[int] = []
    # The search index is brought up to date once at the end (see contact_search.refresh); if
    # the import fails or is cancelled, the rollback brings the triggers back.
    contact_search.drop_triggers(ws.db)
    for n, record in enumerate(parsed.records, 1):
        try:
            data = record.data
            if extra_lists:
                data = replace(data, lists=(*data.lists, *extra_lists))
            data = check_input(data)
            with ws.db.atomic():
                existing = index.match(data)
                if existing is None:
                    contact_id = _create(ws, data, index, result, record.line)
                    result.created += 1
                else:
                    contact_id = existing
                    _merge_into(ws, existing, data, index, result, record.line)
                    result.merged += 1
            index.add(contact_id, data)
            touched.append(contact_id)
        except (ContactError, pw.IntegrityError) as exc:
            result.problems.append(Problem(record.line, str(exc)))
        if n % PROGRESS_EVERY == 0:
            progress.update(n, total)
    progress.update(total, total, "linking authors")
    result.contact_ids = list(dict.fromkeys(touched))
    contact_search.refresh(ws.db, result.contact_ids)
    contact_search.create_triggers(ws.db)
    result.linked_authors = link_authors_to_contacts(ws, result.contact_ids)
    progress.update(total, total, "scoring contacts")
    refresh_contact_scores(ws, result.contact_ids)
    result.problems.sort(key=lambda p: p.line)
    result.changes = Changes(contacts=True, mentions=result.linked_authors > 0)
    return result


def _create(
    ws: Workspace, data: ContactInput, index: _Index, result: ImportResult, line: int
) -> int:
    now = ws.clock.now()
    contact_id = int(
        ws.db.execute_sql(
            "INSERT INTO contact(display_name, given_name, family_name, photo, organisation_id, "
            "title, location, timezone, stage, owner, notes, cadence_days, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                data.display_name, data.given_name, data.family_name, data.photo,
                organisation_id(ws, data.organisation), data.title, data.location,
                data.timezone, data.stage, data.owner, data.notes, data.cadence_days, now, now,
            ],
        ).lastrowid
    )  # fmt: skip
    _add_parts(ws, contact_id, data, set(), index, result, line)
    return contact_id


def _merge_into(
    ws: Workspace, contact_id: int, data: ContactInput, index: _Index, result: ImportResult,
    line: int,
) -> None:  # fmt: skip
    """Fill the existing contact's empty fields and add what it does not have yet."""
    values = {
        "given_name": data.given_name,
        "family_name": data.family_name,
        "photo": data.photo,
        "organisation_id": organisation_id(ws, data.organisation),
        "title": data.title,
        "location": data.location,
        "timezone": data.timezone,
        "owner": data.owner,
        "notes": data.notes,
        "cadence_days": data.cadence_days,
    }
    for column, value in values.items():
        if value is not None:
            ws.db.execute_sql(
                f"UPDATE contact SET {column} = ? WHERE id = ? AND {column} IS NULL",
                [value, contact_id],
            )
    ws.db.execute_sql(
        "UPDATE contact SET updated_at = ? WHERE id = ?", [ws.clock.now(), contact_id]
    )
    have = {
        (k, v)
        for k, v in ws.db.execute_sql(
            "SELECT kind, value FROM contact_detail WHERE contact_id = ?", [contact_id]
        )
    }
    _add_parts(ws, contact_id, data, have, index, result, line)


def _add_parts(
    ws: Workspace, contact_id: int, data: ContactInput, have: set[tuple[str, str]],
    index: _Index, result: ImportResult, line: int,
) -> None:  # fmt: skip
    for d in data.details:
        if (d.kind, d.value) not in have:
            ws.db.execute_sql(
                "INSERT INTO contact_detail(contact_id, kind, value, label) VALUES (?, ?, ?, ?)",
                [contact_id, d.kind, d.value, d.label],
            )
    for h in data.handles:
        owner = index.handles.get((h.network, h.handle))
        if owner == contact_id:
            continue
        if owner is not None:
            result.warnings.append(
                Problem(line, f"{NETWORK_TITLES[h.network]} handle {h.handle!r} belongs to "
                              "another contact; not added")
            )  # fmt: skip
            continue
        ws.db.execute_sql(
            "INSERT INTO contact_handle(contact_id, network, handle, url, reach) "
            "VALUES (?, ?, ?, ?, ?)",
            [contact_id, h.network, h.handle, h.url, h.reach],
        )
        index.handles[(h.network, h.handle)] = contact_id
    for name in data.lists:
        ws.db.execute_sql(
            "INSERT OR IGNORE INTO contact_list_member(contact_id, contact_list_id) VALUES (?, ?)",
            [contact_id, list_id(ws, name)],
        )


# -- reading out, for export ----------------------------------------------------------------------


def iter_profiles(
    ws: Workspace, contact_ids: Sequence[int] | None = None, *, chunk: int = 500
) -> Iterator[tuple[ContactProfile, bytes | None]]:
    """Every contact (or those of ``contact_ids``) with its photo, read ``chunk`` at a time."""
    if contact_ids is None:
        contact_ids = [r[0] for r in ws.db.execute_sql("SELECT id FROM contact ORDER BY id")]
    for start in range(0, len(contact_ids), chunk):
        ids = list(contact_ids[start : start + chunk])
        marks = ",".join("?" * len(ids))
        details: dict[int, list[DetailInput]] = {}
        for cid, kind, value, label in ws.db.execute_sql(
            "SELECT contact_id, kind, value, label FROM contact_detail "
            f"WHERE contact_id IN ({marks}) ORDER BY id",
            ids,
        ):
            details.setdefault(cid, []).append(DetailInput(kind, value, label))
        handles: dict[int, list[HandleInput]] = {}
        for cid, network, handle, url, reach in ws.db.execute_sql(
            "SELECT contact_id, network, handle, url, reach FROM contact_handle "
            f"WHERE contact_id IN ({marks}) ORDER BY id",
            ids,
        ):
            handles.setdefault(cid, []).append(HandleInput(network, handle, url, reach))
        lists: dict[int, list[tuple[int, str]]] = {}
        for cid, lid, name in ws.db.execute_sql(
            "SELECT m.contact_id, l.id, l.name FROM contact_list_member m JOIN contact_list l "
            f"ON l.id = m.contact_list_id WHERE m.contact_id IN ({marks}) "
            "ORDER BY l.position, l.name",
            ids,
        ):
            lists.setdefault(cid, []).append((lid, name))
        rows = ws.db.execute_sql(
            "SELECT c.id, c.display_name, c.given_name, c.family_name, o.name, c.title, "
            "c.location, c.timezone, c.stage, c.owner, c.notes, c.cadence_days, c.snoozed_until, "
            "c.last_interaction_at, c.created_at, c.updated_at, c.photo FROM contact c "
            f"LEFT JOIN organisation o ON o.id = c.organisation_id WHERE c.id IN ({marks}) "
            "ORDER BY c.id",
            ids,
        ).fetchall()
        for row in rows:
            cid = row[0]
            profile = ContactProfile(
                *row[:16],
                has_photo=row[16] is not None,
                details=tuple(details.get(cid, ())),
                handles=tuple(handles.get(cid, ())),
                lists=tuple(lists.get(cid, ())),
            )
            yield profile, (bytes(row[16]) if row[16] is not None else None)
