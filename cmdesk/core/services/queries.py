"""Keyword queries: create, list, change and remove them, and count the stored mentions they match.

Imports no Qt. Expressions are validated with :func:`cmdesk.core.query.parse` before they are
stored, so a bad query is refused with the position of the problem
(:class:`~cmdesk.core.query.QueryError`). :func:`count_matching` uses the full-text index (the
query editor's live count); it counts stored mentions whatever queries they were matched by.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import QUERY_KINDS, Query, QuerySource, Source
from cmdesk.core.query import parse, query_to_fts
from cmdesk.core.services.ingest import QuerySpec


class QueryDefinitionError(ValueError):
    """A query cannot be saved as asked (name taken, unknown kind...); one plain sentence."""


class Saved(NamedTuple):
    id: int
    changes: Changes


@dataclass(frozen=True)
class QueryRow:
    id: int
    name: str
    kind: str
    expression: str
    language: str | None
    enabled: bool
    source_ids: tuple[int, ...]
    position: int
    color: str | None


def _source_ids(query_id: int) -> tuple[int, ...]:
    return tuple(
        link.source_id
        for link in QuerySource.select()
        .where(QuerySource.query == query_id)
        .order_by(QuerySource.source)
    )


def _row(query: Query) -> QueryRow:
    return QueryRow(
        query.id, query.name, query.kind, query.expression, query.language, bool(query.enabled),
        _source_ids(query.id), query.position, query.color,
    )  # fmt: skip


def _check(
    name: str | None, kind: str | None, language: str | None, source_ids: Iterable[int] | None
) -> None:
    if name is not None and not name.strip():
        raise QueryDefinitionError("A query needs a name.")
    if kind is not None and kind not in QUERY_KINDS:
        raise QueryDefinitionError(f"Unknown kind {kind!r}; use one of {', '.join(QUERY_KINDS)}.")
    if language is not None and not (2 <= len(language) <= 3 and language.isalpha()):
        raise QueryDefinitionError(f"{language!r} is not a language code such as en or fr.")
    ids = list(source_ids or [])
    if ids:
        known = {s.id for s in Source.select(Source.id).where(Source.id.in_(ids))}
        missing = sorted(set(ids) - known)
        if missing:
            raise QueryDefinitionError(f"There is no source #{missing[0]}.")


def add_query(
    ws: Workspace,
    name: str,
    expression: str,
    *,
    kind: str = "brand",
    language: str | None = None,
    source_ids: Sequence[int] = (),
    color: str | None = None,
) -> Saved:
    """Validate and store a query (placed last); raises QueryError or QueryDefinitionError."""
    parse(expression)
    language = language.lower() if language else None
    _check(name, kind, language, source_ids)
    if Query.select().where(Query.name == name.strip()).exists():
        raise QueryDefinitionError(f"There is already a query named {name.strip()!r}.")
    last = Query.select(Query.position).order_by(Query.position.desc()).first()
    query = Query.create(
        name=name.strip(),
        kind=kind,
        expression=expression.strip(),
        language=language,
        position=(last.position + 1) if last else 0,
        color=color,
        created_at=ws.clock.now(),
    )
    _set_sources(query.id, source_ids)
    return Saved(query.id, Changes(queries=True))


def _set_sources(query_id: int, source_ids: Iterable[int]) -> None:
    QuerySource.delete().where(QuerySource.query == query_id).execute()
    rows = [{"query": query_id, "source": sid} for sid in dict.fromkeys(source_ids)]
    if rows:
        QuerySource.insert_many(rows).execute()


def update_query(ws: Workspace, query_id: int, **values: Any) -> Changes:
    """Change name, kind, expression, language, enabled, color, position or source_ids."""
    get_query(ws, query_id)
    source_ids = values.pop("source_ids", None)
    if "expression" in values:
        parse(values["expression"])
    if values.get("language"):
        values["language"] = values["language"].lower()
    _check(values.get("name"), values.get("kind"), values.get("language"), source_ids)
    if "name" in values:
        values["name"] = values["name"].strip()
        clash = Query.select().where(Query.name == values["name"], Query.id != query_id)
        if clash.exists():
            raise QueryDefinitionError(f"There is already a query named {values['name']!r}.")
    if values:
        Query.update(**values).where(Query.id == query_id).execute()
    if source_ids is not None:
        _set_sources(query_id, source_ids)
    return Changes(queries=True)


def get_query(ws: Workspace, key: int | str) -> QueryRow:
    """A query by id, or by name when ``key`` is not a number."""
    query = None
    if isinstance(key, int) or str(key).isdigit():
        query = Query.get_or_none(Query.id == int(key))
    if query is None:
        query = Query.get_or_none(Query.name == str(key))
    if query is None:
        raise QueryDefinitionError(f"There is no query {key!r}.")
    return _row(query)


def list_queries(ws: Workspace) -> list[QueryRow]:
    return [_row(q) for q in Query.select().order_by(Query.position, Query.name)]


def remove_query(ws: Workspace, query_id: int) -> Changes:
    """Remove a query; its mentions stay (they lose only the link to it)."""
    get_query(ws, query_id)
    Query.delete().where(Query.id == query_id).execute()
    return Changes(queries=True, mentions=True)


def active_query_specs(ws: Workspace) -> list[QuerySpec]:
    """Enabled queries as ingest needs them."""
    links: dict[int, set[int]] = {}
    for query_id, source_id in ws.db.execute_sql("SELECT query_id, source_id FROM query_source"):
        links.setdefault(int(query_id), set()).add(int(source_id))
    return [
        QuerySpec(q.id, q.expression, q.language, frozenset(links.get(q.id, ())))
        for q in Query.select().where(Query.enabled == True).order_by(Query.position)  # noqa: E712
    ]


def count_matching(
    ws: Workspace,
    expression: str,
    *,
    source_ids: Sequence[int] = (),
    language: str | None = None,
) -> int:
    """Stored mentions the expression matches (full-text index); raises QueryError if bad.

    ``language`` filters as ingest does: the mention's language starts with it, ignoring case
    ("en" counts "en", "EN-us" and "en-GB"), so the live count agrees with what ingest links.
    """
    sql = (
        "SELECT count(*) FROM mention_fts f CROSS JOIN mention m ON m.id = f.rowid"
        " WHERE mention_fts MATCH ?"
    )
    params: list[Any] = [query_to_fts(expression)]
    if source_ids:
        sql += f" AND m.source_id IN ({','.join('?' * len(source_ids))})"
        params.extend(source_ids)
    if language:
        prefix = language.lower()
        sql += " AND substr(lower(coalesce(m.lang, '')), 1, ?) = ?"
        params.extend([len(prefix), prefix])
    return int(ws.db.execute_sql(sql, params).fetchone()[0])
