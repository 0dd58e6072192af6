"""Handing the task runner what it announces: services that return ``(new id, Changes)``.

The task runner announces a write's :class:`~cmdesk.core.changes.Changes` when the write returns
one, or an object with a ``changes`` attribute; the contacts services that create something
(``create_contact``, ``contact_from_author``, ``save_list``, ``log_interaction``…) return a
``(new id, Changes)`` pair instead, which would go unannounced and leave the panes stale.
:func:`written` runs such a service on the writer and returns a :class:`Written` carrying both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cmdesk.core.changes import Changes


@dataclass(frozen=True)
class Written:
    """What a creating write returned: the new row's id and what changed."""

    id: int
    changes: Changes


def written(fn: Callable[..., tuple[int, Changes]], *args: Any, **kwargs: Any) -> Written:
    """Run ``fn(*args, **kwargs)`` (on the writer) and wrap its ``(id, Changes)`` pair."""
    new_id, changes = fn(*args, **kwargs)
    return Written(int(new_id), changes)
