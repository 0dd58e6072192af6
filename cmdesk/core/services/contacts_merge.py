"""Duplicates: finding contacts that are the same person, and merging two into one.

Imports no Qt. Two contacts sharing an e-mail address are certain duplicates (a handle cannot be
shared: it belongs to one contact); similar names are suggestions with a similarity score from
rapidfuzz's ``token_sort_ratio`` (0–100, word order ignored, so "Doe, Jane" matches "Jane Doe").
To stay fast on 100,000 contacts, names are compared only within blocks that share the first two
letters of their sorted words (rapidfuzz's C scorers; numpy is not needed).

:func:`merge_contacts` keeps everything of both: empty fields are filled from the other contact,
differing values are written into the kept contact's notes, and every detail, handle, list,
interaction, contribution, calendar link and linked author moves over; the kept contact's stored
due time and influence are recomputed. The stage is the further one along aware → engaged →
advocate, a custom stage winning over those (the one not kept is noted). When both have a photo
the kept contact's stays and the note says another one was dropped (there is one photo column).
:func:`merge_pairs` merges several pairs at once, following earlier merges, so pairs that share
a contact (A–B, B–C) all end in one record.

Limits: blocking misses pairs whose sorted names start differently ("Jon" / "Jonathan Smith" are
still compared; "Smith, J." / "Jane Smith" are not); a suggestion is only a suggestion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import CONTACT_STAGES
from cmdesk.core.services.contacts_activity import refresh_last_interaction
from cmdesk.core.services.contacts_scores import refresh_contact_scores

SIMILAR_NAME_SCORE = 88.0
_SCALARS = (
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("organisation_id", "Organisation"),
    ("title", "Title"),
    ("location", "Location"),
    ("timezone", "Time zone"),
    ("owner", "Owner"),
    ("cadence_days", "Cadence (days)"),
    ("photo", "Photo"),
)


@dataclass(frozen=True)
class DuplicatePair:
    """Two contacts that may be one person; ``score`` 100 for a shared e-mail address."""

    first_id: int
    first_name: str
    second_id: int
    second_name: str
    score: float
    reason: str  # "same e-mail a@b.c" or "similar names"


def similar_contacts(
    ws: Workspace, contact_id: int, *, limit: int = 5, min_score: float = 80.0
) -> list[tuple[int, str, float]]:
    """Contacts whose names look like this contact's: (id, name, score), best first."""
    row = ws.db.execute_sql("SELECT display_name FROM contact WHERE id = ?", [contact_id])
    found = row.fetchone()
    if found is None:
        return []
    names = {
        cid: name
        for cid, name in ws.db.execute_sql(
            "SELECT id, display_name FROM contact WHERE id != ?", [contact_id]
        )
    }
    matches = process.extract(
        found[0],
        names,
        scorer=fuzz.token_sort_ratio,
        processor=default_process,
        score_cutoff=min_score,
        limit=limit,
    )
    return [(int(key), name, float(score)) for name, score, key in matches]


def duplicate_suggestions(
    ws: Workspace, *, min_score: float = SIMILAR_NAME_SCORE, limit: int = 500
) -> list[DuplicatePair]:
    """Likely duplicates: shared e-mail addresses first, then similar names, best first."""
    names = dict(ws.db.execute_sql("SELECT id, display_name FROM contact").fetchall())
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    for value, ids in ws.db.execute_sql(
        "SELECT value, GROUP_CONCAT(DISTINCT contact_id) FROM contact_detail WHERE kind = 'email' "
        "GROUP BY value HAVING COUNT(DISTINCT contact_id) > 1"
    ):
        members = sorted(int(i) for i in ids.split(","))
        for other in members[1:]:
            key = (members[0], other)
            pairs[key] = DuplicatePair(
                key[0], names[key[0]], key[1], names[key[1]], 100.0, f"same e-mail {value}"
            )
    blocks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for cid, name in names.items():
        words = sorted(default_process(name).split())
        if words:
            blocks[" ".join(words)[:2]].append((cid, " ".join(words)))
    for members in blocks.values():
        if len(members) < 2:
            continue
        texts = [text for _, text in members]
        for i, text in enumerate(texts[:-1]):
            later = texts[i + 1 :]
            for _, score, j in process.extract(
                text, later, scorer=fuzz.ratio, score_cutoff=min_score, limit=None
            ):
                a, b = sorted((members[i][0], members[i + 1 + j][0]))
                if (a, b) not in pairs:
                    pairs[(a, b)] = DuplicatePair(
                        a, names[a], b, names[b], round(float(score), 1), "similar names"
                    )
    ranked = sorted(pairs.values(), key=lambda p: (-p.score, p.first_name.lower(), p.first_id))
    return ranked[:limit]


def merge_contacts(ws: Workspace, keep_id: int, other_id: int) -> Changes:
    """Merge ``other_id`` into ``keep_id``: nothing of either is lost; ``other_id`` is deleted."""
    if keep_id == other_id:
        raise ValueError("a contact cannot be merged with itself")
    columns = ", ".join(["display_name", "stage", "notes", *(c for c, _ in _SCALARS)])
    keep = ws.db.execute_sql(f"SELECT {columns} FROM contact WHERE id = ?", [keep_id]).fetchone()
    other = ws.db.execute_sql(f"SELECT {columns} FROM contact WHERE id = ?", [other_id]).fetchone()
    if keep is None or other is None:
        raise ValueError("both contacts must exist")
    updates: dict[str, object] = {}
    kept_aside = []
    if other[0] != keep[0]:
        kept_aside.append(f"Name: {other[0]}")
    for (column, title), mine, theirs in zip(_SCALARS, keep[3:], other[3:], strict=True):
        if theirs is None or theirs == mine:
            continue
        if mine is None:
            updates[column] = theirs
        elif column == "photo":
            kept_aside.append(
                f"Photo: theirs ({len(theirs) // 1024 + 1} KB) not kept, one a contact"
            )
        else:
            kept_aside.append(f"{title}: {_show(ws, column, theirs)}")
    updates["stage"] = _merged_stage(keep[1], other[1])
    dropped = other[1] if updates["stage"] == keep[1] else keep[1]
    if dropped != updates["stage"] and dropped not in CONTACT_STAGES:
        kept_aside.append(f"Stage: {dropped}")
    notes = [n for n in (keep[2], other[2]) if n]
    if kept_aside:
        notes.append(f"Merged from {other[0]} — " + "; ".join(kept_aside))
    updates["notes"] = "\n\n".join(notes) or None
    updates["updated_at"] = ws.clock.now()
    sets = ", ".join(f"{column} = ?" for column in updates)
    ws.db.execute_sql(f"UPDATE contact SET {sets} WHERE id = ?", [*updates.values(), keep_id])
    _move_children(ws, keep_id, other_id)
    ws.db.execute_sql("DELETE FROM contact WHERE id = ?", [other_id])
    refresh_last_interaction(ws, keep_id)
    refresh_contact_scores(ws, [keep_id])  # handles, authors, lists and cadence were combined
    return Changes(contacts=True, mentions=True, calendar=True)


def merge_pairs(ws: Workspace, pairs: Sequence[tuple[int, int]]) -> tuple[int, Changes]:
    """Merge each ``(keep, other)`` pair in order; returns how many merges were made.

    A contact merged away earlier stands for the one it went into, so pairs sharing a contact
    (A–B, A–C, B–C) end in one record instead of failing on a contact that no longer exists.
    """
    into: dict[int, int] = {}

    def survivor(contact_id: int) -> int:
        while contact_id in into:
            contact_id = into[contact_id]
        return contact_id

    merged = 0
    for keep_id, other_id in pairs:
        keep_id, other_id = survivor(keep_id), survivor(other_id)
        if keep_id == other_id:
            continue
        merge_contacts(ws, keep_id, other_id)
        into[other_id] = keep_id
        merged += 1
    return merged, Changes(contacts=True, mentions=True, calendar=True) if merged else Changes()


def _move_children(ws: Workspace, keep_id: int, other_id: int) -> None:
    ids = [keep_id, other_id]
    ws.db.execute_sql(
        "UPDATE contact_detail SET contact_id = ? WHERE contact_id = ? AND NOT EXISTS ("
        "SELECT 1 FROM contact_detail d WHERE d.contact_id = ? AND d.kind = contact_detail.kind "
        "AND d.value = contact_detail.value)",
        [keep_id, other_id, keep_id],
    )
    for table in ("contact_handle", "interaction", "contribution", "author"):
        ws.db.execute_sql(f"UPDATE {table} SET contact_id = ? WHERE contact_id = ?", ids)
    ws.db.execute_sql(
        "INSERT OR IGNORE INTO contact_list_member(contact_id, contact_list_id) "
        "SELECT ?, contact_list_id FROM contact_list_member WHERE contact_id = ?",
        ids,
    )
    ws.db.execute_sql(
        "INSERT OR IGNORE INTO calendar_item_contact(item_id, contact_id, role) "
        "SELECT item_id, ?, role FROM calendar_item_contact WHERE contact_id = ?",
        ids,
    )


def _merged_stage(mine: str, theirs: str) -> str:
    """The further stage along the standard ones; a custom stage (chosen by a person) wins."""
    order = {stage: i for i, stage in enumerate(CONTACT_STAGES)}
    if mine in order and theirs in order:
        return mine if order[mine] >= order[theirs] else theirs
    if mine not in order:
        return mine
    return theirs


def _show(ws: Workspace, column: str, value: object) -> str:
    if column == "organisation_id":
        row = ws.db.execute_sql("SELECT name FROM organisation WHERE id = ?", [value]).fetchone()
        return row[0] if row else str(value)
    return str(value)
