"""Reading the contact list: a filter, the matching ids in order, rows for the visible ids.

Imports no Qt. Big lists hold ids, not rows: :func:`snapshot_ids` returns every matching id in
list order as a compact array (100,000 ids cost a few hundred kilobytes), :func:`rows_for_ids`
builds display rows only for the ids on screen.

Sorting by name walks the ``display_name`` index, and the Due filter alone sorted by name walks
``contact_name_due`` (schema 8); the Due filter with others, the due sort and the influence
sort walk the indexes of the stored ``contact.due_at`` and ``contact.influence`` (schema 3, kept
up to date by the services: see :mod:`cmdesk.core.services.contacts_scores`). Stage walks
``contact_stage`` and organisation walks ``organisation_name_nocase`` then each organisation's
contacts (schema 6). Contacts without an organisation or a due time come last either way: they
are read by a second query, so each part is an index walk instead of a sort of every row
(organisation, stage and due each measured at 65-80 ms for 100,000 contacts). Search looks in
names, organisation, detail values (e-mails, phones, websites) and handles: terms of 3 characters
or more through the ``contact_search`` trigram index (schema 7, :mod:`cmdesk.core.contact_search`;
``mar`` in 100,000 contacts: 113 ms of scans before it, 28 ms with it), shorter ones with
``LIKE`` scans, both giving the same contacts.

Limits: search is a substring match (case-insensitive for ASCII letters only, as SQLite's LIKE).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from cmdesk.core import contact_search
from cmdesk.core.db import Workspace
from cmdesk.core.services.keep_in_touch import due_column_condition, due_condition

SORTS = ("name", "influence", "last_interaction", "recent", "due", "organisation", "stage")
SORT_TITLES = {
    "name": "Name",
    "organisation": "Organisation",
    "stage": "Stage",
    "influence": "Influence",
    "last_interaction": "Last interaction",
    "recent": "Recently added",
    "due": "Due date",
}


@dataclass(frozen=True)
class ContactFilter:
    """What the list shows: a search text, a list, a stage, an owner, only the due ones; a sort."""

    search: str = ""
    list_id: int | None = None
    stage: str | None = None
    owner: str | None = None
    due_only: bool = False
    organisation_id: int | None = None
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class ContactRow:
    """What the list shows for one contact."""

    id: int
    display_name: str
    organisation: str | None
    title: str | None
    stage: str
    owner: str | None
    last_interaction_at: int | None
    lists: tuple[str, ...]
    handles: tuple[tuple[str, str], ...]  # (network, handle)
    email: str | None
    influence: float | None = None
    due_at: int | None = None  # when keeping in touch is due (None: no cadence)


def _where(ws: Workspace, filt: ContactFilter) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    text = filt.search.strip()
    indexed = contact_search.search_condition(text) if text else None
    if indexed:
        where.append(indexed[0])
        params += indexed[1]
    elif text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # A UNION of four small scans: an OR of the four lets SQLite pick a far worse plan.
        where.append(
            "c.id IN (SELECT id FROM contact WHERE display_name LIKE ? ESCAPE '\\' "
            "UNION SELECT c2.id FROM contact c2 JOIN organisation o ON o.id = c2.organisation_id "
            "WHERE o.name LIKE ? ESCAPE '\\' "
            "UNION SELECT contact_id FROM contact_detail WHERE value LIKE ? ESCAPE '\\' "
            "UNION SELECT contact_id FROM contact_handle WHERE handle LIKE ? ESCAPE '\\')"
        )
        params += [like] * 4
    if filt.list_id is not None:
        where.append(
            "c.id IN (SELECT contact_id FROM contact_list_member WHERE contact_list_id = ?)"
        )
        params.append(filt.list_id)
    if filt.stage:
        where.append("c.stage = ?")
        params.append(filt.stage)
    if filt.owner:
        where.append("c.owner = ?")
        params.append(filt.owner)
    if filt.organisation_id is not None:
        where.append("c.organisation_id = ?")
        params.append(filt.organisation_id)
    if filt.due_only:
        condition, due_params = due_condition(ws, ws.clock.now())
        where.append(condition)
        params += due_params
    return where, params


def snapshot_ids(ws: Workspace, filt: ContactFilter) -> array[int]:
    """Every matching contact id, in list order.

    Influence reads naturally highest first, so its "descending" flips to lowest first. Contacts
    not scored yet (see :func:`~cmdesk.core.services.contacts_scores.scores_need_refresh`) sort
    as the lowest.
    """
    if filt.sort not in SORTS:
        raise ValueError(f"unknown sort {filt.sort!r}")
    where, params = _where(ws, filt)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    direction = "DESC" if filt.descending else "ASC"
    # With a filter, "+" keeps SQLite from walking the name index and fetching every row in
    # name order (random reads): scanning the table and sorting the matches is 5x faster.
    plus = "+" if where else ""
    high_first = "ASC" if filt.descending else "DESC"
    if filt.sort in ("organisation", "due"):
        return _with_blanks_last(ws, filt.sort, where, params, direction)
    if filt.sort == "name" and filt == ContactFilter(due_only=True, descending=filt.descending):
        condition, params = due_column_condition(ws.clock.now())
        order = f"c.display_name {direction}, c.id {direction}"
        return _ids(ws, f"SELECT c.id FROM contact c WHERE {condition} ORDER BY {order}", params)
    order = {
        "name": f"{plus}c.display_name {direction}, c.id {direction}",
        # Both terms in one direction: a backward walk of the contact_influence index.
        "influence": f"c.influence {high_first}, c.id {high_first}",
        # Never contacted (NULL) sorts as the oldest, as SQLite orders NULL first; no COALESCE,
        # which kept SQLite from walking the contact_last_interaction_at index (128-184 ms).
        "last_interaction": f"{plus}c.last_interaction_at {direction}, c.id {direction}",
        "recent": f"c.id {direction}",
        "stage": f"{plus}c.stage {direction}, c.id {direction}",
    }[filt.sort]
    return _ids(ws, f"SELECT c.id FROM contact c {clause} ORDER BY {order}", params)


def _with_blanks_last(
    ws: Workspace, sort: str, where: list[str], params: list[object], direction: str
) -> array[int]:
    """Ids with an organisation (or a due time) in order, then those without one, by id."""
    conditions = " ".join(f"AND {condition}" for condition in where)
    if sort == "organisation":
        first = (
            "SELECT c.id FROM organisation o JOIN contact c ON c.organisation_id = o.id "
            f"WHERE 1 {conditions} ORDER BY o.name COLLATE NOCASE {direction}, "
            f"o.id {direction}, c.id {direction}"
        )
        blank = "c.organisation_id IS NULL"
    else:
        first = (
            f"SELECT c.id FROM contact c WHERE c.due_at IS NOT NULL {conditions} "
            f"ORDER BY c.due_at {direction}, c.id {direction}"
        )
        blank = "c.due_at IS NULL"
    ids = _ids(ws, first, params)
    ids.extend(
        _ids(
            ws,
            f"SELECT c.id FROM contact c WHERE {blank} {conditions} ORDER BY c.id {direction}",
            params,
        )
    )
    return ids


def _ids(ws: Workspace, sql: str, params: Sequence[object]) -> array[int]:
    result = array("q")
    cursor = ws.db.execute_sql(sql, list(params))
    while True:
        chunk = cursor.fetchmany(5000)
        if not chunk:
            break
        result.extend(r[0] for r in chunk)
    return result


def find(ws: Workspace, text: str, *, limit: int = 20) -> list[tuple[int, str, str | None]]:
    """(id, name, organisation) of the first ``limit`` contacts matching ``text``, by name.

    The list's search, bounded for pickers: as fast at 100,000 contacts as at 100.
    """
    if not text.strip():
        return []
    where, params = _where(ws, ContactFilter(search=text))
    rows = ws.db.execute_sql(
        "SELECT c.id, c.display_name, o.name FROM contact c "
        "LEFT JOIN organisation o ON o.id = c.organisation_id "
        f"WHERE {' AND '.join(where)} ORDER BY +c.display_name COLLATE NOCASE, c.id LIMIT ?",
        [*params, limit],
    )
    return [(int(r[0]), r[1], r[2]) for r in rows]


def count(ws: Workspace, filt: ContactFilter) -> int:
    where, params = _where(ws, filt)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return int(ws.db.execute_sql(f"SELECT COUNT(*) FROM contact c {clause}", params).fetchone()[0])


def rows_for_ids(ws: Workspace, ids: Sequence[int]) -> dict[int, ContactRow]:
    """Display rows for ``ids`` (a page on screen), keyed by id; deleted ids are left out."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    params = list(ids)
    lists: dict[int, list[str]] = {}
    for cid, name in ws.db.execute_sql(
        "SELECT m.contact_id, l.name FROM contact_list_member m JOIN contact_list l "
        f"ON l.id = m.contact_list_id WHERE m.contact_id IN ({marks}) ORDER BY l.position, l.name",
        params,
    ):
        lists.setdefault(cid, []).append(name)
    handles: dict[int, list[tuple[str, str]]] = {}
    for cid, network, handle in ws.db.execute_sql(
        "SELECT contact_id, network, handle FROM contact_handle "
        f"WHERE contact_id IN ({marks}) ORDER BY id",
        params,
    ):
        handles.setdefault(cid, []).append((network, handle))
    emails: dict[int, str] = {}
    for cid, value in ws.db.execute_sql(
        "SELECT contact_id, value FROM contact_detail "
        f"WHERE kind = 'email' AND contact_id IN ({marks}) ORDER BY id DESC",
        params,
    ):
        emails[cid] = value  # the first one wins: rows come newest first
    rows = {}
    for r in ws.db.execute_sql(
        "SELECT c.id, c.display_name, o.name, c.title, c.stage, c.owner, c.last_interaction_at, "
        "c.influence, c.due_at FROM contact c LEFT JOIN organisation o ON o.id = c.organisation_id "
        f"WHERE c.id IN ({marks})",
        params,
    ):
        cid = r[0]
        rows[cid] = ContactRow(
            *r[:7],
            lists=tuple(lists.get(cid, ())),
            handles=tuple(handles.get(cid, ())),
            email=emails.get(cid),
            influence=r[7],
            due_at=r[8],
        )
    return rows
