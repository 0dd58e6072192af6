"""The peewee base model and field conventions shared by every table.

Imports no Qt. Times are stored as integer Unix seconds in UTC: they sort, compare and aggregate
cheaply in SQL (``strftime('%Y-%m-%d', col, 'unixepoch')``) and never carry a local offset.
Lists and small structured values are stored as JSON text.
"""

from __future__ import annotations

import json
from typing import Any

import peewee


class JSONField(peewee.TextField):
    """A JSON document stored as text; ``None`` stays SQL NULL."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def python_value(self, value: str | None) -> Any:
        if value is None or value == "":
            return None
        return json.loads(value)


class BaseModel(peewee.Model):
    """Unbound base: :func:`cmdesk.core.db.open_workspace` binds every model to the workspace."""

    class Meta:
        legacy_table_names = False
