"""The team: teammates mentions are assigned to, and departments they are routed to.

Imports no Qt. What the "Team and departments" dialog and ``cmdesk team|departments`` call.

- Names are trimmed, non-empty, at most :data:`NAME_MAX` characters and unique regardless of case
  ("support" is refused when "Support" exists). E-mail addresses are optional and checked.
- At most one teammate is "me": marking one unmarks the others. "Assigned to me" and the name
  put on notes and responses follow it.
- Departments keep the order the user gives them (``position``); that order is the routing list's.

Removing someone never deletes a mention. As in Sprout Social and Agorapulse, when a user leaves
the team their conversations stay and become unassigned (or go to the teammate named in
``reassign_to``); a removed department's mentions are unrouted (or moved to ``move_to``), keeping
their state and routing note. Inbox rules that assigned or routed to the removed one lose that
action (a rule left with no action is switched off) and saved views stop filtering on it, so no
rule later fails on a missing id. :class:`Removed` says how many of each were touched, so the
UI can say so before and after.

Call the writing functions on the workspace's writer (``ws.write`` / ``TaskRunner.write``): they
do not open their own transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services.contacts import is_email

NAME_MAX = 80


class TeamError(ValueError):
    """A team change refused as asked (name taken, unknown teammate...); one plain sentence."""


@dataclass(frozen=True)
class TeammateRow:
    id: int
    name: str
    email: str | None
    is_me: bool
    assigned: int  # mentions assigned to them


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    email: str | None
    position: int
    routed: int  # mentions routed to it


class Saved(NamedTuple):
    """The id of what was added and what changed (the task runner announces ``changes``)."""

    id: int
    changes: Changes


class Removed(NamedTuple):
    """What a removal touched: mentions unassigned (or moved), rules and saved views edited."""

    name: str
    mentions: int
    rules: int
    views: int
    changes: Changes


# -- reading ------------------------------------------------------------------------------------


def list_teammates(ws: Workspace) -> list[TeammateRow]:
    """Every teammate by name, with how many mentions are assigned to each."""
    rows = ws.db.execute_sql(
        "SELECT t.id, t.name, t.email, t.is_me, "
        "(SELECT COUNT(*) FROM mention m WHERE m.assignee_id = t.id) FROM teammate t"
    ).fetchall()
    teammates = [TeammateRow(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]
    return sorted(teammates, key=lambda t: (t.name.casefold(), t.id))


def list_departments(ws: Workspace) -> list[DepartmentRow]:
    """Every department in the user's order, with how many mentions are routed to each."""
    rows = ws.db.execute_sql(
        "SELECT d.id, d.name, d.email, d.position, "
        "(SELECT COUNT(*) FROM mention m WHERE m.department_id = d.id) "
        "FROM department d ORDER BY d.position, d.name"
    ).fetchall()
    return [DepartmentRow(*r) for r in rows]


def get_teammate(ws: Workspace, key: int | str) -> TeammateRow:
    """A teammate by id, or by name (regardless of case) when ``key`` is not a number."""
    return _find(list_teammates(ws), key, "teammate")


def get_department(ws: Workspace, key: int | str) -> DepartmentRow:
    """A department by id, or by name (regardless of case) when ``key`` is not a number."""
    return _find(list_departments(ws), key, "department")


def _find(rows: list[Any], key: int | str, what: str) -> Any:
    if isinstance(key, str):
        wanted = key.strip().casefold()
        found = next((r for r in rows if r.name.casefold() == wanted), None)
        if found is None and wanted.isdigit():
            found = next((r for r in rows if r.id == int(wanted)), None)
    else:
        found = next((r for r in rows if r.id == key), None)
    if found is None:
        raise TeamError(f"There is no {what} {key!r}.")
    return found


# -- validation -----------------------------------------------------------------------------------


def _clean_name(ws: Workspace, table: str, name: str, own_id: int | None = None) -> str:
    what = "teammate" if table == "teammate" else "department"
    name = " ".join(name.split())
    if not name:
        raise TeamError(f"A {what} needs a name.")
    if len(name) > NAME_MAX:
        raise TeamError(f"A {what}'s name can be at most {NAME_MAX} characters.")
    for other_id, other in ws.db.execute_sql(f"SELECT id, name FROM {table}"):
        if other_id != own_id and other.casefold() == name.casefold():
            raise TeamError(f"There is already a {what} called “{other}”.")
    return name


def _set(ws: Workspace, table: str, row_id: int, column: str, value: str | None) -> None:
    """Set one checked value of a teammate or department (refused in words if it is gone)."""
    _exists(ws, table, row_id)
    ws.db.execute_sql(f"UPDATE {table} SET {column} = ? WHERE id = ?", [value, row_id])


def _clean_email(email: str | None) -> str | None:
    email = (email or "").strip()
    if not email:
        return None
    if not is_email(email):
        raise TeamError(f"“{email}” is not an e-mail address.")
    return email


def _exists(ws: Workspace, table: str, row_id: int) -> None:
    row = ws.db.execute_sql(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone()
    if row is None:
        raise TeamError(f"There is no {table} #{row_id}.")


# -- teammates ------------------------------------------------------------------------------------


def add_teammate(
    ws: Workspace, name: str, email: str | None = None, *, is_me: bool = False
) -> Saved:
    """Add a teammate; ``is_me`` makes them the user (and nobody else)."""
    name = _clean_name(ws, "teammate", name)
    email = _clean_email(email)
    if is_me:
        ws.db.execute_sql("UPDATE teammate SET is_me = 0 WHERE is_me = 1")
    cursor = ws.db.execute_sql(
        "INSERT INTO teammate(name, email, is_me) VALUES (?, ?, ?)", [name, email, int(is_me)]
    )
    return Saved(int(cursor.lastrowid), Changes(settings=True, mentions=is_me))


def rename_teammate(ws: Workspace, teammate_id: int, name: str) -> Changes:
    """Rename a teammate; their mentions follow (notes and replies keep the name they bore)."""
    _set(ws, "teammate", teammate_id, "name", _clean_name(ws, "teammate", name, teammate_id))
    return Changes(settings=True, mentions=True)


def set_teammate_email(ws: Workspace, teammate_id: int, email: str | None) -> Changes:
    """Set or clear (``None`` or "") a teammate's e-mail address."""
    _set(ws, "teammate", teammate_id, "email", _clean_email(email))
    return Changes(settings=True)


def set_me(ws: Workspace, teammate_id: int | None) -> Changes:
    """Mark ``teammate_id`` as the user, unmarking anyone else; ``None``: nobody is me."""
    if teammate_id is not None:
        _exists(ws, "teammate", teammate_id)
    ws.db.execute_sql("UPDATE teammate SET is_me = (id IS ?)", [teammate_id])
    return Changes(settings=True, mentions=True)


def remove_teammate(ws: Workspace, teammate_id: int, reassign_to: int | None = None) -> Removed:
    """Remove a teammate; their mentions become unassigned, or go to ``reassign_to``.

    Rules that assigned to them assign to ``reassign_to`` instead, or lose that action; saved
    views filtering on them do the same.
    """
    row = get_teammate(ws, teammate_id)
    if reassign_to == teammate_id:
        raise TeamError("Choose someone else to take over their mentions.")
    mentions, rules, views = _hand_over(ws, "teammate", teammate_id, reassign_to)
    changes = Changes(settings=True, mentions=bool(mentions) or row.is_me)
    return Removed(row.name, mentions, rules, views, changes)


# -- departments ----------------------------------------------------------------------------------


def add_department(ws: Workspace, name: str, email: str | None = None) -> Saved:
    """Add a department at the end of the list, with its hand-off address if given."""
    name = _clean_name(ws, "department", name)
    email = _clean_email(email)
    cursor = ws.db.execute_sql(
        "INSERT INTO department(name, email, position) "
        "VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM department))",
        [name, email],
    )
    return Saved(int(cursor.lastrowid), Changes(settings=True))


def rename_department(ws: Workspace, department_id: int, name: str) -> Changes:
    """Rename a department; mentions routed to it follow."""
    name = _clean_name(ws, "department", name, department_id)
    _set(ws, "department", department_id, "name", name)
    return Changes(settings=True, mentions=True)


def set_department_email(ws: Workspace, department_id: int, email: str | None) -> Changes:
    """Set or clear the address hand-offs to this department are addressed to."""
    _set(ws, "department", department_id, "email", _clean_email(email))
    return Changes(settings=True)


def reorder_departments(ws: Workspace, ordered_ids: list[int]) -> Changes:
    """Put departments in ``ordered_ids`` order; those not listed keep their order after them."""
    rest = [d.id for d in list_departments(ws) if d.id not in ordered_ids]
    ws.db.connection().executemany(
        "UPDATE department SET position = ? WHERE id = ?",
        [(position, row_id) for position, row_id in enumerate([*ordered_ids, *rest])],
    )
    return Changes(settings=True)


def move_department(ws: Workspace, department_id: int, step: int) -> Changes:
    """Move a department up (``step`` -1) or down (+1) in the routing list."""
    ids = [d.id for d in list_departments(ws)]
    if department_id not in ids:
        raise TeamError(f"There is no department #{department_id}.")
    index = ids.index(department_id)
    target = max(0, min(len(ids) - 1, index + step))
    ids.insert(target, ids.pop(index))
    return reorder_departments(ws, ids)


def remove_department(ws: Workspace, department_id: int, move_to: int | None = None) -> Removed:
    """Remove a department; its mentions are unrouted, or routed to ``move_to``.

    Mentions keep their state and routing note. Rules that routed to it route to ``move_to``
    instead, or lose that action; saved views filtering on it do the same.
    """
    row = get_department(ws, department_id)
    if move_to == department_id:
        raise TeamError("Choose another department to take over its mentions.")
    mentions, rules, views = _hand_over(ws, "department", department_id, move_to)
    ids = [d.id for d in list_departments(ws)]
    reorder_departments(ws, ids)  # no gap in the positions
    return Removed(
        row.name, mentions, rules, views, Changes(settings=True, mentions=bool(mentions))
    )


# -- references from mentions, rules and saved views ---------------------------------------------

# Where a teammate or a department is named: the mention column, the rule action and its key,
# the saved-view filter key.
_REFERENCES = {
    "teammate": ("assignee_id", "assign", "teammate_id", "assignee_ids"),
    "department": ("department_id", "route", "department_id", "department_ids"),
}


def _hand_over(ws: Workspace, table: str, row_id: int, to: int | None) -> tuple[int, int, int]:
    """Hand a teammate's or department's mentions, rules and views to ``to``, then delete it.

    ``to`` None hands them to nobody. Returns how many (mentions, rules, views) changed.
    """
    column, action, rule_key, view_key = _REFERENCES[table]
    if to is not None:
        _exists(ws, table, to)
    cursor = ws.db.execute_sql(
        f"UPDATE mention SET {column} = ?, updated_at = ? WHERE {column} = ?",
        [to, ws.clock.now(), row_id],
    )
    rules = _replace_in_rules(ws, action, rule_key, row_id, to)
    views = _replace_in_views(ws, view_key, row_id, to)
    ws.db.execute_sql(f'DELETE FROM "{table}" WHERE id = ?', [row_id])
    return max(cursor.rowcount, 0), rules, views


def _replace_in_rules(ws: Workspace, kind: str, key: str, old: int, new: int | None) -> int:
    """Point rule actions of ``kind`` at ``new``, or drop them; returns how many rules changed.

    A rule left with no action at all is switched off rather than deleted: its conditions are
    the user's work.
    """
    changed = 0
    for rule_id, raw in ws.db.execute_sql("SELECT id, actions FROM rule").fetchall():
        actions = json.loads(raw) if raw else []
        kept: list[dict[str, Any]] = []
        touched = False
        for action in actions:
            if action.get("kind") == kind and str(action.get(key)) == str(old):
                touched = True
                if new is not None:
                    kept.append({**action, key: new})
                continue
            kept.append(action)
        if not touched:
            continue
        changed += 1
        ws.db.execute_sql("UPDATE rule SET actions = ? WHERE id = ?", [_dumps(kept), rule_id])
        if not kept:
            ws.db.execute_sql("UPDATE rule SET enabled = 0 WHERE id = ?", [rule_id])
    return changed


def _replace_in_views(ws: Workspace, key: str, old: int, new: int | None) -> int:
    """Replace ``old`` by ``new`` (or drop it) in saved views' ``key`` filter; returns the count.

    A view's filter can nest another in ``also`` (what the filter bar chose inside a view):
    both levels are rewritten.
    """
    changed = 0
    for view_id, raw in ws.db.execute_sql("SELECT id, filters FROM saved_view").fetchall():
        filters = json.loads(raw) if raw else {}
        if not _replace_in_filter(filters, key, old, new):
            continue
        changed += 1
        ws.db.execute_sql(
            "UPDATE saved_view SET filters = ? WHERE id = ?", [_dumps(filters), view_id]
        )
    return changed


def _replace_in_filter(filters: dict[str, Any], key: str, old: int, new: int | None) -> bool:
    """Rewrite ``filters`` (and its nested ``also``) in place; True when anything changed."""
    changed = False
    nested = filters.get("also")
    if isinstance(nested, dict):
        changed = _replace_in_filter(nested, key, old, new)
    ids = filters.get(key) or []
    if old not in ids:
        return changed
    replaced = [i for i in ids if i != old]
    if new is not None and new not in replaced:
        replaced.append(new)
    if replaced:
        filters[key] = replaced
    else:
        filters.pop(key, None)
    return True


def _dumps(value: Any) -> str:
    """JSON as :class:`~cmdesk.core.models.base.JSONField` stores it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
