"""Saved inbox views: a named combination of filters in the sidebar, editable and reorderable.

Imports no Qt. Filters are stored as :meth:`MentionFilter.to_dict` JSON, so a view saved by an
older version keeps opening (unknown keys are ignored).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import SavedView
from cmdesk.core.services.inbox_filters import MentionFilter


class Saved(NamedTuple):
    """The id of the saved view and what changed (the task runner announces ``changes``)."""

    id: int
    changes: Changes


@dataclass(frozen=True)
class SavedViewRow:
    id: int
    name: str
    position: int
    filter: MentionFilter


def list_saved_views(ws: Workspace) -> list[SavedViewRow]:
    return [
        SavedViewRow(v.id, v.name, v.position, MentionFilter.from_dict(v.filters))
        for v in SavedView.select().order_by(SavedView.position, SavedView.id)
    ]


def save_view(ws: Workspace, name: str, filt: MentionFilter, view_id: int | None = None) -> Saved:
    """Create a view (``view_id`` None, added last) or update one; returns its id."""
    name = name.strip()
    if not name:
        raise ValueError("a saved view needs a name")
    if view_id is None:
        last = SavedView.select(SavedView.position).order_by(SavedView.position.desc()).first()
        view = SavedView.create(
            name=name, filters=filt.to_dict(), position=(last.position + 1) if last else 0
        )
        return Saved(view.id, Changes(mentions=True, settings=True))
    SavedView.update(name=name, filters=filt.to_dict()).where(SavedView.id == view_id).execute()
    return Saved(view_id, Changes(mentions=True, settings=True))


def rename_view(ws: Workspace, view_id: int, name: str) -> Changes:
    if not name.strip():
        raise ValueError("a saved view needs a name")
    SavedView.update(name=name.strip()).where(SavedView.id == view_id).execute()
    return Changes(settings=True)


def delete_view(ws: Workspace, view_id: int) -> Changes:
    SavedView.delete().where(SavedView.id == view_id).execute()
    return Changes(settings=True)


def reorder_views(ws: Workspace, ordered_ids: list[int]) -> Changes:
    """Put the views in ``ordered_ids`` order; views not listed keep their place after them."""
    rest = [v.id for v in list_saved_views(ws) if v.id not in ordered_ids]
    for position, view_id in enumerate([*ordered_ids, *rest]):
        SavedView.update(position=position).where(SavedView.id == view_id).execute()
    return Changes(settings=True)


def move_view(ws: Workspace, view_id: int, step: int) -> Changes:
    """Move a view up (``step`` -1) or down (+1) in the sidebar."""
    ids = [v.id for v in list_saved_views(ws)]
    if view_id not in ids:
        raise ValueError("no such view")
    index = ids.index(view_id)
    target = max(0, min(len(ids) - 1, index + step))
    ids.insert(target, ids.pop(index))
    return reorder_views(ws, ids)
