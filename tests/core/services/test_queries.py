"""Queries: validation, CRUD, source limits and the live FTS count."""

from __future__ import annotations

import pytest

from cmdesk.core.query import QueryError
from cmdesk.core.services import ingest, queries, sources
from cmdesk.core.services.ingest import SourceContext
from cmdesk.core.services.queries import QueryDefinitionError

NOW = 1_795_168_800


class Item:
    def __init__(self, external_id: str, title: str, text: str = "", lang: str | None = None):
        self.external_id, self.title, self.text, self.lang = external_id, title, text, lang
        self.url = f"http://x.example/{external_id}"
        for name in ("html", "author_name", "author_handle", "author_url", "author_reach",
                     "published_at", "likes", "replies", "shares", "score", "views",
                     "thread_url", "raw"):  # fmt: skip
            setattr(self, name, None)


def test_add_validates_and_lists(workspace) -> None:
    ws = workspace
    sid = ws.write(sources.add_source, ws, "http://a.example/feed").result().id
    saved = ws.write(
        queries.add_query, ws, "Brand", "acme -jobs", kind="brand", language="EN", source_ids=[sid]
    ).result()
    row = queries.get_query(ws, "Brand")
    assert (row.id, row.language, row.source_ids) == (saved.id, "en", (sid,))
    with pytest.raises(QueryError, match="position 6"):
        ws.write(queries.add_query, ws, "Bad", "acme OR").result()
    with pytest.raises(QueryDefinitionError, match="already a query"):
        ws.write(queries.add_query, ws, "Brand", "x").result()
    with pytest.raises(QueryDefinitionError, match="no source #999"):
        ws.write(queries.add_query, ws, "Other", "x", source_ids=[999]).result()
    with pytest.raises(QueryDefinitionError, match="Unknown kind"):
        ws.write(queries.add_query, ws, "Other", "x", kind="weird").result()
    specs = queries.active_query_specs(ws)
    assert specs[0].source_ids == frozenset({sid}) and specs[0].language == "en"
    ws.write(queries.update_query, ws, saved.id, enabled=False).result()
    assert queries.active_query_specs(ws) == []
    ws.write(queries.remove_query, ws, saved.id).result()
    assert queries.list_queries(ws) == []


def test_count_matching_uses_the_index(workspace) -> None:
    ws = workspace
    sid = ws.write(sources.add_source, ws, "http://a.example/feed").result().id
    items = [Item("1", "Acme launch", lang="en"), Item("2", "Café Acme", lang="fr"),
             Item("3", "Initech news"), Item("4", "Acme jobs fair")]  # fmt: skip
    prepared = ingest.prepare_items(items, SourceContext(sid, "rss", True), [], NOW)
    ws.write(ingest.store_mentions, ws, sid, prepared, NOW).result()
    assert queries.count_matching(ws, "acme") == 3
    assert queries.count_matching(ws, "acme -jobs") == 2
    assert queries.count_matching(ws, "cafe OR initech") == 2
    assert queries.count_matching(ws, "acme", language="fr") == 1
    assert queries.count_matching(ws, "acme", source_ids=[sid + 1]) == 0
    with pytest.raises(QueryError):
        queries.count_matching(ws, "(acme")


def test_count_matching_filters_languages_as_ingest_does(workspace) -> None:
    ws = workspace
    sid = ws.write(sources.add_source, ws, "http://a.example/feed").result().id
    langs = ["en", "en-US", "EN-gb", "fr", None]
    items = [Item(str(n), f"Acme {n}", lang=lang) for n, lang in enumerate(langs)]
    prepared = ingest.prepare_items(items, SourceContext(sid, "rss", True), [], NOW)
    ws.write(ingest.store_mentions, ws, sid, prepared, NOW).result()
    spec = ingest.QuerySpec(1, "acme", "en", frozenset())
    linked = sum(bool(ingest._allowed_queries([spec], sid, lang)) for lang in langs)
    assert queries.count_matching(ws, "acme", language="en") == linked == 3
    assert queries.count_matching(ws, "acme", language="EN-US") == 1
    assert queries.count_matching(ws, "acme", language="de") == 0
