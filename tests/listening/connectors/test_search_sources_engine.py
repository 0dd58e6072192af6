"""Search sources end to end: added through the sources service, fetched by the engine."""

from __future__ import annotations

import asyncio
import random
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs

import pytest
from listening.server import Reply

from cmdesk.core.services import sources
from cmdesk.keychain import Keychain
from cmdesk.listening.connectors import CONNECTORS
from cmdesk.listening.connectors.search_api import OVERLAP_SECONDS
from cmdesk.listening.engine import fetch_sources
from cmdesk.listening.http import HttpClient, HttpSettings

NOW = 1_795_168_800  # the conftest clock: 2026-11-20 10:00 UTC
SETTINGS = HttpSettings(connect_timeout=2, read_timeout=2, deadline=3, clients=1)
HN = "/api/v1/search_by_date"


def fetch(ws, keychain=None):
    async def run():
        async with HttpClient(SETTINGS) as http:
            with ThreadPoolExecutor(2) as pool:
                return await fetch_sources(
                    ws, http, None, parse_pool=pool, rng=random.Random(1), keychain=keychain
                )

    return asyncio.run(run())


def add(ws, url: str, **kw) -> int:
    return ws.write(sources.add_source, ws, url, **kw).result().id


def test_hacker_news_hits_become_mentions_without_any_query(workspace, server, load) -> None:
    ws = workspace
    server.route(HN, Reply.json(load("hackernews/search_by_date_page0.json")),
                 when=lambda r: "page=0" in r.query)  # fmt: skip
    server.route(HN, Reply.json(load("hackernews/search_by_date_page1.json")),
                 when=lambda r: "page=1" in r.query)  # fmt: skip
    source_id = add(ws, server.url("/api/v1"), kind="hackernews", name="HN: acme",
                    config={"query": '"acme widget"'})  # fmt: skip
    assert sources.get_source(ws, source_id).all_items_are_mentions  # the search default
    summary = fetch(ws)
    assert (summary.fetched, summary.new_mentions, summary.failed) == (1, 4, [])
    stored = ws.db.execute_sql(
        "SELECT m.external_id, m.url, m.author_handle, a.network FROM mention m"
        " LEFT JOIN author a ON a.id = m.author_id ORDER BY m.id"
    ).fetchall()
    assert [row[0] for row in stored] == ["hn:42000107", "hn:42000050", "hn:42000020",
                                          "hn:41999321"]  # fmt: skip
    assert stored[0][1:] == ("https://news.ycombinator.com/item?id=42000107", "widgetfan",
                             "hackernews")  # fmt: skip
    row = sources.get_source(ws, source_id)
    assert (row.state, row.last_success_at, row.items_seen) == ("ok", NOW, 4)

    ws.db.execute_sql("UPDATE source SET next_fetch_at = 0")
    summary = fetch(ws)
    assert summary.new_mentions == 0  # the same hits again: nothing new
    last = parse_qs(server.requests_to(HN)[-1].query)
    assert last["numericFilters"] == [f"created_at_i>{NOW - OVERLAP_SECONDS}"]


def test_a_mastodon_cursor_is_kept_and_the_token_read_from_the_keychain(
    workspace, server, load, memory_keyring
) -> None:
    ws = workspace
    keychain = Keychain()
    keychain.set_secret("mastodon/acme", "tok-123")
    search = load("mastodon/search_statuses.json")["search"]
    server.route("/api/v2/search", Reply.json(search))
    source_id = add(ws, server.url(""), kind="mastodon", config={"query": "acme widget"},
                    account="mastodon/acme")  # fmt: skip
    summary = fetch(ws, keychain)
    assert (summary.new_mentions, summary.failed) == (1, [])
    config = dict(sources.get_source(ws, source_id).config)
    assert config == {"query": "acme widget", "_since_id": "113500000000000400"}
    assert server.requests[0].header("Authorization") == "Bearer tok-123"

    ws.db.execute_sql("UPDATE source SET next_fetch_at = 0")
    fetch(ws, keychain)
    assert parse_qs(server.requests[-1].query)["min_id"] == ["113500000000000400"]
    stored = ws.db.execute_sql("SELECT config, account FROM source").fetchall()
    assert "tok-123" not in repr(stored)


def test_a_failing_search_is_one_plain_line_in_the_source_health(workspace, server) -> None:
    ws = workspace
    server.route("/api/v1/timelines/tag/acme", Reply(401, b'{"error":"This method requires an'
                                                       b' authenticated user"}'))  # fmt: skip
    source_id = add(ws, server.url(""), kind="mastodon", config={"tag": "acme"})
    summary = fetch(ws)
    assert len(summary.failed) == 1
    row = sources.get_source(ws, source_id)
    assert row.state == "failing" and "does not show hashtag timelines" in (row.last_error or "")


def test_add_source_uses_the_connectors_check_and_ignores_cursors_for_duplicates(workspace):
    ws = workspace
    check = CONNECTORS["mastodon"].check
    with pytest.raises(sources.SourceError, match="not both"):
        add(ws, "https://m.example", kind="mastodon", config={"tag": "a", "query": "b"},
            check=check)  # fmt: skip
    source_id = add(ws, "https://m.example", kind="mastodon", config={"tag": "acme"}, check=check)
    ws.write(sources.update_source, ws, source_id,
             config={"tag": "acme", "_since_id": "99"}).result()  # fmt: skip
    with pytest.raises(sources.SourceError, match="already there"):
        add(ws, "https://m.example", kind="mastodon", config={"tag": "acme"})
    feed_id = add(ws, "https://blog.example/feed.xml")
    assert not sources.get_source(ws, feed_id).all_items_are_mentions  # feeds: unchanged
    with pytest.raises(sources.SourceError, match="Give the words"):
        add(ws, "", kind="hackernews", check=CONNECTORS["hackernews"].check)
