"""People and organisations in the CRM: create, edit, delete, handles, lists, author links.

Imports no Qt. A contact is written from a :class:`ContactInput` (what a form or an import row
gives); e-mails, phones and websites become ``ContactDetail`` rows, handles ``ContactHandle`` rows,
lists ``ContactListMember`` rows. Writes return a :class:`~cmdesk.core.changes.Changes` and expect
to run inside one transaction (``Workspace.write`` or the task runner's ``write``).

Lists (create, rename, cadence, membership) are in :mod:`cmdesk.core.services.contacts_lists`.
Every write here keeps the stored due time and influence
(:mod:`cmdesk.core.services.contacts_scores`) up to date in the same transaction.

Mentions reach a contact through ``author.contact``: the listening engine links new authors at
ingest; :func:`link_authors_to_contacts` links the authors that already exist when a handle is
added later (a new contact, an edit, an import, a merge).

What people type is normalised by :mod:`cmdesk.core.services.contacts_handles` (handles,
network names, e-mails), whose names are also importable from here.

Limits: handles are matched exactly after normalisation (see ``contacts_handles``); an author
spelled with other capitals than the handle as typed and in lower case is not linked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import CONTACT_STAGES, HANDLE_NETWORKS
from cmdesk.core.services.contacts_handles import (  # re-exported: forms and formats use them
    NETWORK_TITLES,
    author_keys,
    is_email,
    normalise_handle,
    normalise_network,  # noqa: F401 - re-exported for cmdesk.formats.vcard
)
from cmdesk.core.services.contacts_scores import refresh_contact_scores

DAY = 86_400
DETAIL_KINDS = ("email", "phone", "website")


class ContactError(ValueError):
    """A contact cannot be written as given; the message is one sentence for the user."""


@dataclass(frozen=True)
class HandleInput:
    network: str
    handle: str
    url: str | None = None
    reach: int | None = None


@dataclass(frozen=True)
class DetailInput:
    kind: str  # one of DETAIL_KINDS
    value: str
    label: str | None = None


@dataclass(frozen=True)
class ContactInput:
    """Everything a person can have, as a form or an import row gives it."""

    display_name: str = ""
    given_name: str | None = None
    family_name: str | None = None
    organisation: str | None = None
    title: str | None = None
    location: str | None = None
    timezone: str | None = None
    stage: str = "aware"
    owner: str | None = None
    notes: str | None = None
    cadence_days: int | None = None
    photo: bytes | None = None
    details: tuple[DetailInput, ...] = ()
    handles: tuple[HandleInput, ...] = ()
    lists: tuple[str, ...] = ()

    def named(self) -> ContactInput:
        """The input with a display name filled in from the names, e-mail or a handle."""
        if self.display_name.strip():
            return replace(self, display_name=self.display_name.strip())
        name = " ".join(p for p in (self.given_name, self.family_name) if p and p.strip())
        if not name:
            emails = [d.value for d in self.details if d.kind == "email"]
            name = emails[0] if emails else (self.handles[0].handle if self.handles else "")
        return replace(self, display_name=name.strip())

    @property
    def emails(self) -> tuple[str, ...]:
        return tuple(d.value for d in self.details if d.kind == "email")


@dataclass(frozen=True)
class ContactProfile:
    """One contact with everything the detail panel shows (not the timeline)."""

    id: int
    display_name: str
    given_name: str | None
    family_name: str | None
    organisation: str | None
    title: str | None
    location: str | None
    timezone: str | None
    stage: str
    owner: str | None
    notes: str | None
    cadence_days: int | None
    snoozed_until: int | None
    last_interaction_at: int | None
    created_at: int
    updated_at: int
    has_photo: bool
    details: tuple[DetailInput, ...] = ()
    handles: tuple[HandleInput, ...] = ()
    lists: tuple[tuple[int, str], ...] = ()
    author_ids: tuple[int, ...] = field(default=())

    def as_input(self, ws: Workspace | None = None) -> ContactInput:
        photo = contact_photo(ws, self.id) if ws is not None and self.has_photo else None
        return ContactInput(
            display_name=self.display_name,
            given_name=self.given_name,
            family_name=self.family_name,
            organisation=self.organisation,
            title=self.title,
            location=self.location,
            timezone=self.timezone,
            stage=self.stage,
            owner=self.owner,
            notes=self.notes,
            cadence_days=self.cadence_days,
            photo=photo,
            details=self.details,
            handles=self.handles,
            lists=tuple(name for _, name in self.lists),
        )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def check_input(data: ContactInput) -> ContactInput:
    """The input made ready to store, or :class:`ContactError` saying what is wrong."""
    data = data.named()
    if not data.display_name:
        raise ContactError("A contact needs a name, an e-mail address or a handle.")
    details = []
    for detail in data.details:
        value = detail.value.strip()
        if not value:
            continue
        if detail.kind not in DETAIL_KINDS:
            raise ContactError(f"Unknown detail kind {detail.kind!r}.")
        if detail.kind == "email":
            value = value.lower()
            if not is_email(value):
                raise ContactError(f"{detail.value!r} is not an e-mail address.")
        details.append(DetailInput(detail.kind, value, _clean(detail.label)))
    handles = []
    for h in data.handles:
        if h.network not in HANDLE_NETWORKS:
            raise ContactError(f"Unknown network {h.network!r}.")
        handle = normalise_handle(h.network, h.handle)
        if handle:
            reach = int(h.reach) if h.reach is not None else None
            if reach is not None and reach < 0:
                raise ContactError("Reach cannot be negative.")
            handles.append(HandleInput(h.network, handle, _clean(h.url), reach))
    if data.cadence_days is not None and data.cadence_days <= 0:
        raise ContactError("Keep-in-touch cadence must be a number of days above zero.")
    stage = (data.stage or "aware").strip().lower() or "aware"
    lists = tuple(dict.fromkeys(n.strip() for n in data.lists if n and n.strip()))
    return replace(
        data,
        details=tuple(dict.fromkeys(details)),
        handles=tuple({(h.network, h.handle): h for h in handles}.values()),
        stage=stage,
        lists=lists,
    )


# -- writes ----------------------------------------------------------------------------------------


def organisation_id(ws: Workspace, name: str | None) -> int | None:
    """The id of the organisation called ``name``, created when new (None for no name)."""
    name = _clean(name)
    if name is None:
        return None
    row = ws.db.execute_sql("SELECT id FROM organisation WHERE name = ?", [name]).fetchone()
    if row:
        return int(row[0])
    return int(ws.db.execute_sql("INSERT INTO organisation(name) VALUES (?)", [name]).lastrowid)


def list_id(ws: Workspace, name: str) -> int:
    """The id of the contact list called ``name`` (case-insensitive), created when new."""
    row = ws.db.execute_sql(
        "SELECT id FROM contact_list WHERE lower(name) = lower(?)", [name.strip()]
    ).fetchone()
    if row:
        return int(row[0])
    position = ws.db.execute_sql("SELECT COALESCE(MAX(position), 0) + 1 FROM contact_list")
    return int(
        ws.db.execute_sql(
            "INSERT INTO contact_list(name, position) VALUES (?, ?)",
            [name.strip(), position.fetchone()[0]],
        ).lastrowid
    )


def handle_owner(ws: Workspace, network: str, handle: str) -> int | None:
    row = ws.db.execute_sql(
        "SELECT contact_id FROM contact_handle WHERE network = ? AND handle = ?", [network, handle]
    ).fetchone()
    return int(row[0]) if row else None


def create_contact(ws: Workspace, data: ContactInput) -> tuple[int, Changes]:
    """Store a new contact; returns its id. Its handles link the authors who already wrote."""
    data = check_input(data)
    _refuse_taken_handles(ws, data.handles, None)
    now = ws.clock.now()
    contact_id = int(
        ws.db.execute_sql(
            "INSERT INTO contact(display_name, given_name, family_name, photo, organisation_id, "
            "title, location, timezone, stage, owner, notes, cadence_days, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*_contact_values(ws, data), now, now],
        ).lastrowid
    )
    _write_parts(ws, contact_id, data)
    link_authors_to_contacts(ws, [contact_id])
    refresh_contact_scores(ws, [contact_id])
    return contact_id, Changes(contacts=True, mentions=bool(data.handles))


def update_contact(ws: Workspace, contact_id: int, data: ContactInput) -> Changes:
    """Replace a contact's fields, details, handles and lists with ``data``."""
    data = check_input(data)
    _require(ws, contact_id)
    _refuse_taken_handles(ws, data.handles, contact_id)
    old = {(r[0], r[1]) for r in _handle_rows(ws, contact_id)}
    ws.db.execute_sql(
        "UPDATE contact SET display_name = ?, given_name = ?, family_name = ?, photo = ?, "
        "organisation_id = ?, title = ?, location = ?, timezone = ?, stage = ?, owner = ?, "
        "notes = ?, cadence_days = ?, updated_at = ? WHERE id = ?",
        [*_contact_values(ws, data), ws.clock.now(), contact_id],
    )
    for table in ("contact_detail", "contact_handle", "contact_list_member"):
        ws.db.execute_sql(f"DELETE FROM {table} WHERE contact_id = ?", [contact_id])
    _write_parts(ws, contact_id, data)
    new = {(h.network, h.handle) for h in data.handles}
    for network, handle in old - new:
        _unlink_handle(ws, contact_id, network, handle)
    link_authors_to_contacts(ws, [contact_id])
    refresh_contact_scores(ws, [contact_id])
    return Changes(contacts=True, mentions=old != new)


def delete_contacts(ws: Workspace, contact_ids: Sequence[int]) -> Changes:
    """Delete contacts with their details, handles, interactions and contributions.

    Their authors stay (unlinked); the mentions they wrote are not touched.
    """
    for contact_id in contact_ids:
        ws.db.execute_sql("DELETE FROM contact WHERE id = ?", [contact_id])
    return Changes(contacts=True, mentions=True)


def set_stage(ws: Workspace, contact_ids: Sequence[int], stage: str) -> Changes:
    stage = stage.strip().lower()
    if not stage:
        raise ContactError("A stage needs a name.")
    now = ws.clock.now()
    for contact_id in contact_ids:
        ws.db.execute_sql(
            "UPDATE contact SET stage = ?, updated_at = ? WHERE id = ?", [stage, now, contact_id]
        )
    return Changes(contacts=True)


def set_notes(ws: Workspace, contact_id: int, notes: str) -> Changes:
    _require(ws, contact_id)
    ws.db.execute_sql(
        "UPDATE contact SET notes = ?, updated_at = ? WHERE id = ?",
        [notes.strip() or None, ws.clock.now(), contact_id],
    )
    return Changes(contacts=True)


def add_handle(ws: Workspace, contact_id: int, handle: HandleInput) -> Changes:
    """Give a contact one more handle and link the authors who wrote under it."""
    _require(ws, contact_id)
    profile = contact_profile(ws, contact_id)
    assert profile is not None
    data = replace(profile.as_input(ws), handles=(*profile.handles, handle))
    return update_contact(ws, contact_id, data)


def _require(ws: Workspace, contact_id: int) -> None:
    if not ws.db.execute_sql("SELECT 1 FROM contact WHERE id = ?", [contact_id]).fetchone():
        raise ContactError("That contact no longer exists.")


def _refuse_taken_handles(
    ws: Workspace, handles: Iterable[HandleInput], contact_id: int | None
) -> None:
    for h in handles:
        owner = handle_owner(ws, h.network, h.handle)
        if owner is not None and owner != contact_id:
            name = ws.db.execute_sql("SELECT display_name FROM contact WHERE id = ?", [owner])
            raise ContactError(
                f"{NETWORK_TITLES.get(h.network, h.network)} handle {h.handle!r} already "
                f"belongs to {name.fetchone()[0]}; merge the two contacts instead."
            )


def _contact_values(ws: Workspace, data: ContactInput) -> list[object]:
    return [
        data.display_name,
        _clean(data.given_name),
        _clean(data.family_name),
        data.photo,
        organisation_id(ws, data.organisation),
        _clean(data.title),
        _clean(data.location),
        _clean(data.timezone),
        data.stage,
        _clean(data.owner),
        _clean(data.notes),
        data.cadence_days,
    ]


def _write_parts(ws: Workspace, contact_id: int, data: ContactInput) -> None:
    for d in data.details:
        ws.db.execute_sql(
            "INSERT INTO contact_detail(contact_id, kind, value, label) VALUES (?, ?, ?, ?)",
            [contact_id, d.kind, d.value, d.label],
        )
    for h in data.handles:
        ws.db.execute_sql(
            "INSERT INTO contact_handle(contact_id, network, handle, url, reach) "
            "VALUES (?, ?, ?, ?, ?)",
            [contact_id, h.network, h.handle, h.url, h.reach],
        )
    for name in data.lists:
        ws.db.execute_sql(
            "INSERT OR IGNORE INTO contact_list_member(contact_id, contact_list_id) VALUES (?, ?)",
            [contact_id, list_id(ws, name)],
        )


# -- authors ---------------------------------------------------------------------------------------


def _handle_rows(ws: Workspace, contact_id: int) -> list[tuple[str, str, str | None]]:
    return list(
        ws.db.execute_sql(
            "SELECT network, handle, url FROM contact_handle WHERE contact_id = ?", [contact_id]
        )
    )


def link_authors_to_contacts(ws: Workspace, contact_ids: Iterable[int] | None = None) -> int:
    """Link unlinked authors whose network and handle match a contact's handle; returns how many.

    ``contact_ids`` limits the work to those contacts' handles (a new or edited contact); None
    walks every handle (after a bulk import). Authors already linked to a contact are left alone.
    """
    if contact_ids is None:
        rows = ws.db.execute_sql("SELECT contact_id, network, handle, url FROM contact_handle")
    else:
        ids = list(contact_ids)
        rows = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows += ws.db.execute_sql(
                "SELECT contact_id, network, handle, url FROM contact_handle "
                f"WHERE contact_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
    linked = 0
    for contact_id, network, handle, url in list(rows):
        for author_network, author_handle in author_keys(network, handle, url):
            cursor = ws.db.execute_sql(
                "UPDATE author SET contact_id = ? "
                "WHERE network = ? AND handle = ? AND contact_id IS NULL",
                [contact_id, author_network, author_handle],
            )
            linked += cursor.rowcount
    return linked


def _unlink_handle(ws: Workspace, contact_id: int, network: str, handle: str) -> None:
    for author_network, author_handle in author_keys(network, handle, None):
        ws.db.execute_sql(
            "UPDATE author SET contact_id = NULL "
            "WHERE network = ? AND handle = ? AND contact_id = ?",
            [author_network, author_handle, contact_id],
        )


def contact_from_author(ws: Workspace, author_id: int) -> tuple[int, Changes]:
    """A contact for a mention's author in one click, with their handle; every mention linked.

    An author already linked returns its contact; a handle already held by a contact links the
    author to that contact instead of creating a second one.
    """
    row = ws.db.execute_sql(
        "SELECT network, handle, name, url, reach, contact_id FROM author WHERE id = ?",
        [author_id],
    ).fetchone()
    if row is None:
        raise ContactError("That author no longer exists.")
    network, handle, name, url, reach, contact_id = row
    if contact_id is not None:
        return int(contact_id), Changes()
    contact_network = network if network in HANDLE_NETWORKS else "rss"
    contact_handle = normalise_handle(contact_network, handle) or handle
    owner = handle_owner(ws, contact_network, contact_handle)
    if owner is None:
        owner, _ = create_contact(
            ws,
            ContactInput(
                display_name=name or contact_handle,
                handles=(
                    HandleInput(
                        contact_network,
                        contact_handle,
                        url or (f"https://{network}/" if contact_network == "rss" else None),
                        reach,
                    ),
                ),
            ),
        )
    ws.db.execute_sql("UPDATE author SET contact_id = ? WHERE id = ?", [owner, author_id])
    refresh_contact_scores(ws, [owner])  # their mentions now count for the contact
    return owner, Changes(contacts=True, mentions=True)


# -- reads -----------------------------------------------------------------------------------------


def contact_profile(ws: Workspace, contact_id: int) -> ContactProfile | None:
    row = ws.db.execute_sql(
        "SELECT c.id, c.display_name, c.given_name, c.family_name, o.name, c.title, c.location, "
        "c.timezone, c.stage, c.owner, c.notes, c.cadence_days, c.snoozed_until, "
        "c.last_interaction_at, c.created_at, c.updated_at, c.photo IS NOT NULL "
        "FROM contact c LEFT JOIN organisation o ON o.id = c.organisation_id WHERE c.id = ?",
        [contact_id],
    ).fetchone()
    if row is None:
        return None
    details = tuple(
        DetailInput(*r)
        for r in ws.db.execute_sql(
            "SELECT kind, value, label FROM contact_detail WHERE contact_id = ? ORDER BY id",
            [contact_id],
        )
    )
    handles = tuple(
        HandleInput(*r)
        for r in ws.db.execute_sql(
            "SELECT network, handle, url, reach FROM contact_handle WHERE contact_id = ? "
            "ORDER BY id",
            [contact_id],
        )
    )
    lists = tuple(
        (int(r[0]), r[1])
        for r in ws.db.execute_sql(
            "SELECT l.id, l.name FROM contact_list_member m JOIN contact_list l "
            "ON l.id = m.contact_list_id WHERE m.contact_id = ? ORDER BY l.position, l.name",
            [contact_id],
        )
    )
    authors = tuple(
        int(r[0])
        for r in ws.db.execute_sql("SELECT id FROM author WHERE contact_id = ?", [contact_id])
    )
    return ContactProfile(
        *row[:16], has_photo=bool(row[16]), details=details, handles=handles, lists=lists,
        author_ids=authors,
    )  # fmt: skip


@dataclass(frozen=True)
class AuthorBrief:
    """Who wrote a mention, as the contacts pane offers them: name, handle, linked contact."""

    id: int
    network: str
    handle: str
    name: str | None
    contact_id: int | None


def author_brief(ws: Workspace, author_id: int) -> AuthorBrief | None:
    row = ws.db.execute_sql(
        "SELECT id, network, handle, name, contact_id FROM author WHERE id = ?", [author_id]
    ).fetchone()
    return AuthorBrief(*row) if row else None


def contact_photo(ws: Workspace | None, contact_id: int) -> bytes | None:
    if ws is None:
        return None
    row = ws.db.execute_sql("SELECT photo FROM contact WHERE id = ?", [contact_id]).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def stages(ws: Workspace) -> list[str]:
    """The built-in stages in order, then custom stages in use (alphabetically)."""
    used = [r[0] for r in ws.db.execute_sql("SELECT DISTINCT stage FROM contact ORDER BY stage")]
    return list(CONTACT_STAGES) + [s for s in used if s not in CONTACT_STAGES]


def owners(ws: Workspace) -> list[str]:
    rows = ws.db.execute_sql(
        "SELECT DISTINCT owner FROM contact WHERE owner IS NOT NULL ORDER BY owner"
    )
    return [r[0] for r in rows]
