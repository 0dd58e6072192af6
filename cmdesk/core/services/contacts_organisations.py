"""Organisations as records of their own: list them with their people, rename, website, notes.

Imports no Qt. Contacts name their organisation through
:func:`cmdesk.core.services.contacts.organisation_id` (created when new); here an organisation is
read with how many contacts work there and edited. People counts use the
``contact_organisation_id`` index (one grouped scan of it: a few ms at 100,000 contacts).

Limits: names are unique as stored (case matters, like the import); an organisation nobody works
at any more stays until it is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services.contacts import ContactError


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    website: str | None
    notes: str | None
    people: int


def organisations(ws: Workspace, search: str = "", *, limit: int = 2000) -> list[OrganisationRow]:
    """Organisations whose name holds ``search`` (any case), most people first, then by name."""
    like = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = ws.db.execute_sql(
        "SELECT o.id, o.name, o.website, o.notes, COALESCE(p.people, 0) FROM organisation o "
        "LEFT JOIN (SELECT organisation_id, COUNT(*) AS people FROM contact "
        "WHERE organisation_id IS NOT NULL GROUP BY organisation_id) p "
        "ON p.organisation_id = o.id WHERE o.name LIKE ? ESCAPE '\\' "
        "ORDER BY COALESCE(p.people, 0) DESC, o.name COLLATE NOCASE LIMIT ?",
        [like, limit],
    )
    return [OrganisationRow(*r) for r in rows]


def organisation_names(ws: Workspace) -> list[tuple[int, str]]:
    """Every organisation as (id, name), by name: what the contacts pane's filter offers."""
    return [
        (int(i), n)
        for i, n in ws.db.execute_sql(
            "SELECT id, name FROM organisation ORDER BY name COLLATE NOCASE"
        )
    ]


def organisation(ws: Workspace, organisation_id: int) -> OrganisationRow | None:
    row = ws.db.execute_sql(
        "SELECT id, name, website, notes, (SELECT COUNT(*) FROM contact "
        "WHERE organisation_id = organisation.id) FROM organisation WHERE id = ?",
        [organisation_id],
    ).fetchone()
    return OrganisationRow(*row) if row else None


def update_organisation(
    ws: Workspace, organisation_id: int, name: str, website: str | None, notes: str | None
) -> Changes:
    """Rename an organisation and set its website and notes; a taken name is refused."""
    name = (name or "").strip()
    if not name:
        raise ContactError("An organisation needs a name.")
    clash = ws.db.execute_sql(
        "SELECT 1 FROM organisation WHERE name = ? AND id != ?", [name, organisation_id]
    ).fetchone()
    if clash:
        raise ContactError(f"There is already an organisation called {name!r}.")
    cursor = ws.db.execute_sql(
        "UPDATE organisation SET name = ?, website = ?, notes = ? WHERE id = ?",
        [name, (website or "").strip() or None, (notes or "").strip() or None, organisation_id],
    )
    if not cursor.rowcount:
        raise ContactError("That organisation no longer exists.")
    return Changes(contacts=True)
