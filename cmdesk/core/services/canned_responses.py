"""Canned responses: saved replies; ``{name}`` in a body is filled with the author's name.

Imports no Qt. Replies are never sent from the app: the inbox copies the filled-in text and opens
the original so the user answers where the conversation is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import CannedResponse

_PLACEHOLDER = re.compile(r"\{(name|first_name|handle)\}")


@dataclass(frozen=True)
class CannedRow:
    id: int
    name: str
    body: str


def list_responses(ws: Workspace) -> list[CannedRow]:
    return [
        CannedRow(c.id, c.name, c.body)
        for c in CannedResponse.select().order_by(CannedResponse.name)
    ]


def save_response(ws: Workspace, name: str, body: str, response_id: int | None = None) -> Changes:
    name, body = name.strip(), body.strip()
    if not name or not body:
        raise ValueError("a canned response needs a name and a text")
    if response_id is None:
        CannedResponse.create(name=name, body=body)
    else:
        CannedResponse.update(name=name, body=body).where(
            CannedResponse.id == response_id
        ).execute()
    return Changes(settings=True)


def delete_response(ws: Workspace, response_id: int) -> Changes:
    CannedResponse.delete().where(CannedResponse.id == response_id).execute()
    return Changes(settings=True)


def fill_in(body: str, author_name: str | None, handle: str | None = None) -> str:
    """The reply with ``{name}``, ``{first_name}`` and ``{handle}`` replaced.

    With no name known, "{name}" becomes "there" ("Hi there,"), the handle or nothing.
    """
    name = (author_name or "").strip() or (f"@{handle}" if handle else "there")
    first = name.split()[0] if name else name
    values = {"name": name, "first_name": first, "handle": f"@{handle}" if handle else name}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], body)
