"""Triage writes on mentions: state, star, priority, tags, notes, assignment, routing, responses.

Imports no Qt. Every function works on one or many mention ids (bulk actions are the same call)
and returns a :class:`TriageResult`: the :class:`Changes` to announce and an :class:`Undo` holding
exactly what was there before, so :func:`undo` can put it back. Writes are set-based (one UPDATE
per chunk of ids), so marking 1,000 mentions done is a few milliseconds of SQL.

Call these on the workspace's writer (``ws.write`` / ``TaskRunner.write``): they do not open their
own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import MENTION_STATES

CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit
TRIAGE_COLUMNS = (
    "state",
    "starred",
    "priority",
    "assignee_id",
    "department_id",
    "routing_note",
    "needs_response",
    "responded_at",
    "responded_by",
    "updated_at",
)
PRIORITIES = {0: "None", 1: "Low", 2: "Normal", 3: "High", 4: "Urgent"}


@dataclass(frozen=True)
class Undo:
    """What one triage action replaced: enough to revert it."""

    label: str
    columns: tuple[tuple[int, tuple[tuple[str, Any], ...]], ...] = ()  # id -> previous values
    tags_added: tuple[tuple[int, int], ...] = ()  # (mention id, tag id) to remove again
    tags_removed: tuple[tuple[int, int], ...] = ()  # (mention id, tag id) to put back
    notes_added: tuple[int, ...] = ()  # note ids to delete


@dataclass(frozen=True)
class TriageResult:
    changes: Changes
    count: int
    undo: Undo | None = None
    created_ids: tuple[int, ...] = field(default=())


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def set_columns(
    ws: Workspace,
    ids: Sequence[int],
    values: dict[str, Any],
    label: str,
    *,
    remember: Sequence[str] = (),
) -> TriageResult:
    """Set triage ``values`` on every mention in ``ids``, remembering the previous values.

    ``remember`` names more columns to keep in the undo record: ones the caller changes itself
    right after (``assign`` opens new mentions), so one undo puts them back too.
    """
    unknown = (set(values) | set(remember)) - set(TRIAGE_COLUMNS)
    if unknown:
        raise ValueError(f"not a triage column: {', '.join(sorted(unknown))}")
    values = {**values, "updated_at": ws.clock.now()}
    names = list(values) + [name for name in remember if name not in values]
    previous: list[tuple[int, tuple[tuple[str, Any], ...]]] = []
    assignments = ", ".join(f'"{name}" = ?' for name in values)
    for chunk in _chunks(ids):
        rows = ws.db.execute_sql(
            f"SELECT id, {', '.join(names)} FROM mention WHERE id IN ({_marks(chunk)})", chunk
        ).fetchall()
        previous.extend((row[0], tuple(zip(names, row[1:], strict=True))) for row in rows)
        ws.db.execute_sql(
            f"UPDATE mention SET {assignments} WHERE id IN ({_marks(chunk)})",
            [*values.values(), *chunk],
        )
    return TriageResult(Changes(mentions=True), len(previous), Undo(label, tuple(previous)))


def set_state(ws: Workspace, ids: Sequence[int], state: str) -> TriageResult:
    """Move mentions to ``state`` (new, open, waiting, done, archived, spam)."""
    if state not in MENTION_STATES:
        raise ValueError(f"unknown state {state!r}")
    return set_columns(ws, ids, {"state": state}, f"Mark {state}")


def set_starred(ws: Workspace, ids: Sequence[int], starred: bool) -> TriageResult:
    return set_columns(ws, ids, {"starred": int(starred)}, "Star" if starred else "Unstar")


def toggle_star(ws: Workspace, ids: Sequence[int]) -> TriageResult:
    """Star all of ``ids`` unless every one is starred already, then unstar them."""
    if not ids:
        return TriageResult(Changes(), 0)
    unstarred = 0
    for chunk in _chunks(ids):
        unstarred += ws.db.execute_sql(
            f"SELECT COUNT(*) FROM mention WHERE starred = 0 AND id IN ({_marks(chunk)})", chunk
        ).fetchone()[0]
    return set_starred(ws, ids, unstarred > 0)


def set_priority(ws: Workspace, ids: Sequence[int], priority: int) -> TriageResult:
    if priority not in PRIORITIES:
        raise ValueError(f"priority must be one of {sorted(PRIORITIES)}")
    return set_columns(ws, ids, {"priority": priority}, f"Priority {PRIORITIES[priority]}")


def assign(ws: Workspace, ids: Sequence[int], teammate_id: int | None) -> TriageResult:
    """Assign to a teammate (``None`` unassigns); a new mention becomes open.

    The undo record holds the previous state too, so undoing puts an opened mention back to new.
    """
    if teammate_id is None:
        return set_columns(ws, ids, {"assignee_id": None}, "Unassign")
    result = set_columns(ws, ids, {"assignee_id": teammate_id}, "Assign", remember=("state",))
    _open_new(ws, ids)
    return result


def route_to_department(
    ws: Workspace, ids: Sequence[int], department_id: int | None, note: str | None = None
) -> TriageResult:
    """Hand mentions to a department with a routing note; they wait for that team."""
    values: dict[str, Any] = {"department_id": department_id, "routing_note": note or None}
    if department_id is not None:
        values["state"] = "waiting"
    return set_columns(ws, ids, values, "Route")


def mark_responded(
    ws: Workspace, ids: Sequence[int], by: str, *, responded: bool = True
) -> TriageResult:
    """Record that the team answered (when and by whom): first-response time comes from this."""
    if not responded:
        return set_columns(ws, ids, {"responded_at": None, "responded_by": None}, "Not responded")
    return set_columns(
        ws, ids, {"responded_at": ws.clock.now(), "responded_by": by}, "Mark responded"
    )


def unmark_responded(ws: Workspace, ids: Sequence[int]) -> TriageResult:
    """Forget that the team answered (marked by mistake): the mention awaits a response again."""
    return mark_responded(ws, ids, "", responded=False)


def set_needs_response(ws: Workspace, ids: Sequence[int], needs: bool) -> TriageResult:
    return set_columns(ws, ids, {"needs_response": int(needs)}, "Needs response")


def _open_new(ws: Workspace, ids: Sequence[int]) -> None:
    for chunk in _chunks(ids):
        ws.db.execute_sql(
            f"UPDATE mention SET state = 'open' WHERE state = 'new' AND id IN ({_marks(chunk)})",
            chunk,
        )


# -- tags -------------------------------------------------------------------------------------


def tag_ids_for(ws: Workspace, names: Iterable[str]) -> list[int]:
    """Ids of the tags called ``names``, creating the missing ones (names are trimmed)."""
    out = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        ws.db.execute_sql("INSERT OR IGNORE INTO tag(name) VALUES (?)", [name])
        out.append(ws.db.execute_sql("SELECT id FROM tag WHERE name = ?", [name]).fetchone()[0])
    return out


def add_tags(ws: Workspace, ids: Sequence[int], names: Iterable[str]) -> TriageResult:
    """Put tags on mentions (tags that do not exist yet are created)."""
    added: list[tuple[int, int]] = []
    for tag_id in tag_ids_for(ws, names):
        for chunk in _chunks(ids):
            present = {
                row[0]
                for row in ws.db.execute_sql(
                    f"SELECT mention_id FROM mention_tag WHERE tag_id = ? "
                    f"AND mention_id IN ({_marks(chunk)})",
                    [tag_id, *chunk],
                )
            }
            new = [(mid, tag_id) for mid in chunk if mid not in present]
            ws.db.connection().executemany(
                "INSERT INTO mention_tag(mention_id, tag_id) VALUES (?, ?)", new
            )
            added.extend(new)
    return TriageResult(Changes(mentions=True), len(ids), Undo("Tag", tags_added=tuple(added)))


def remove_tags(ws: Workspace, ids: Sequence[int], tag_ids: Sequence[int]) -> TriageResult:
    removed: list[tuple[int, int]] = []
    for tag_id in tag_ids:
        for chunk in _chunks(ids):
            rows = ws.db.execute_sql(
                f"SELECT mention_id FROM mention_tag WHERE tag_id = ? "
                f"AND mention_id IN ({_marks(chunk)})",
                [tag_id, *chunk],
            ).fetchall()
            removed.extend((row[0], tag_id) for row in rows)
            ws.db.execute_sql(
                f"DELETE FROM mention_tag WHERE tag_id = ? AND mention_id IN ({_marks(chunk)})",
                [tag_id, *chunk],
            )
    return TriageResult(
        Changes(mentions=True), len(ids), Undo("Remove tag", tags_removed=tuple(removed))
    )


def department_id_for(ws: Workspace, name: str) -> int:
    """The department called ``name`` (regardless of case), added to the list if it is new."""
    from cmdesk.core.services import team

    wanted = " ".join(name.split()).casefold()  # "support" is the Support department
    for department in team.list_departments(ws):
        if department.name.casefold() == wanted:
            return department.id
    return team.add_department(ws, name).id  # refuses an empty or too long name in words


def route_by_name(
    ws: Workspace, ids: Sequence[int], department: str, note: str | None = None
) -> TriageResult:
    """Route to the department called ``department`` (created if new; "" removes the routing)."""
    department_id = department_id_for(ws, department) if department.strip() else None
    result = route_to_department(ws, ids, department_id, note)
    return TriageResult(result.changes | Changes(settings=True), result.count, result.undo)


def list_tags(ws: Workspace) -> list[tuple[int, str]]:
    return [tuple(row) for row in ws.db.execute_sql("SELECT id, name FROM tag ORDER BY name")]


# -- notes ------------------------------------------------------------------------------------


def add_note(ws: Workspace, mention_id: int, body: str, author: str) -> TriageResult:
    """An internal note with its time and author; never shown outside the team."""
    body = body.strip()
    if not body:
        raise ValueError("a note needs some text")
    cursor = ws.db.execute_sql(
        "INSERT INTO mention_note(mention_id, author, body, created_at) VALUES (?, ?, ?, ?)",
        [mention_id, author, body, ws.clock.now()],
    )
    note_id = int(cursor.lastrowid)
    return TriageResult(
        Changes(mentions=True), 1, Undo("Add note", notes_added=(note_id,)), (note_id,)
    )


# -- undo -------------------------------------------------------------------------------------


def undo(ws: Workspace, record: Undo) -> TriageResult:
    """Put back what ``record`` says an action replaced."""
    connection = ws.db.connection()
    groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for mention_id, previous in record.columns:
        names = tuple(name for name, _ in previous)
        groups.setdefault(names, []).append((*(value for _, value in previous), mention_id))
    for names, rows in groups.items():
        assignments = ", ".join(f'"{name}" = ?' for name in names)
        connection.executemany(f"UPDATE mention SET {assignments} WHERE id = ?", rows)
    connection.executemany(
        "DELETE FROM mention_tag WHERE mention_id = ? AND tag_id = ?", record.tags_added
    )
    connection.executemany(
        "INSERT OR IGNORE INTO mention_tag(mention_id, tag_id) VALUES (?, ?)", record.tags_removed
    )
    connection.executemany(
        "DELETE FROM mention_note WHERE id = ?", [(note_id,) for note_id in record.notes_added]
    )
    count = len(record.columns) + len(record.tags_added) + len(record.tags_removed)
    return TriageResult(Changes(mentions=True), count + len(record.notes_added))
