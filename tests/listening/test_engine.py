"""The engine: process-pool parsing, cancellation, preview, autodiscovery."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from listening.server import LoopbackServer, Reply

from cmdesk.core.progress import Progress
from cmdesk.core.services import queries, sources
from cmdesk.listening.connectors.base import ConnectorError, SourceSpec
from cmdesk.listening.engine import discover, fetch_sources, preview_source
from cmdesk.listening.http import HttpClient, HttpSettings
from cmdesk.listening.parse_pool import new_parse_pool

SETTINGS = HttpSettings(connect_timeout=2, read_timeout=2, deadline=3)
RSS = {"Content-Type": "application/rss+xml"}


def feed(n: int, items: int = 3) -> bytes:
    body = "".join(
        f"<item><title>Acme {n}-{i}</title><guid>{n}-{i}</guid>"
        f"<link>http://s{n}.example/{i}</link><description>&lt;b&gt;acme&lt;/b&gt;</description></item>"
        for i in range(items)
    )
    return f'<rss version="2.0"><channel><title>Feed {n}</title>{body}</channel></rss>'.encode()


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


def test_fetch_with_the_real_process_pool(workspace, server) -> None:
    ws = workspace
    ws.write(queries.add_query, ws, "brand", "acme").result()
    for n in range(4):
        server.route(f"/f{n}", Reply(200, feed(n), RSS))
        ws.write(sources.add_source, ws, server.url(f"/f{n}")).result()
    updates: list[tuple[int, int]] = []

    async def run():
        async with HttpClient(SETTINGS) as http:
            with new_parse_pool() as pool:
                return await fetch_sources(
                    ws, http, progress=Progress(lambda d, t, _: updates.append((d, t))),
                    parse_pool=pool,
                )  # fmt: skip

    summary = asyncio.run(run())
    assert (summary.fetched, summary.new_mentions, summary.failed) == (4, 12, [])
    assert summary.changes.mentions and summary.changes.sources
    assert updates[0] == (0, 4) and updates[-1] == (4, 4)
    html = ws.db.execute_sql("SELECT html FROM mention LIMIT 1").fetchone()[0]
    assert html == "<b>acme</b>"


def test_cancel_keeps_what_was_committed(workspace, server) -> None:
    ws = workspace
    ws.write(queries.add_query, ws, "brand", "acme").result()
    server.route("/fast", Reply(200, feed(1), RSS))
    server.route("/slow", Reply(200, feed(2), trickle=0.05))
    fast = ws.write(sources.add_source, ws, server.url("/fast")).result().id
    slow = ws.write(sources.add_source, ws, server.url("/slow")).result().id
    progress = Progress()

    async def run():
        async with HttpClient(HttpSettings(deadline=30)) as http:
            with ThreadPoolExecutor(2) as pool:
                task = asyncio.ensure_future(
                    fetch_sources(ws, http, [fast, slow], progress, parse_pool=pool)
                )
                while not sources.get_source(ws, fast).last_fetch_at and progress.done < 1:
                    await asyncio.sleep(0.02)
                progress.cancel()
                return await asyncio.wait_for(task, 5)

    summary = asyncio.run(run())
    assert summary.cancelled
    assert summary.new_mentions == 3
    assert ws.db.execute_sql("SELECT count(*) FROM mention").fetchone()[0] == 3
    assert sources.get_source(ws, slow).last_fetch_at is None  # untouched, still due


def test_preview_sanitises_and_stores_nothing(workspace, server) -> None:
    server.route(
        "/f",
        Reply(
            200, feed(1).replace(b"&lt;b&gt;", b"&lt;script&gt;x()&lt;/script&gt;&lt;b&gt;"), RSS
        ),
    )

    async def run():
        async with HttpClient(SETTINGS) as http:
            return await preview_source(SourceSpec(0, "rss", "test", server.url("/f")), http)

    items = asyncio.run(run())
    assert len(items) == 3 and all("script" not in (i.html or "") for i in items)
    assert workspace.db.execute_sql("SELECT count(*) FROM mention").fetchone()[0] == 0


def test_preview_of_a_broken_source_raises_a_plain_error(server) -> None:
    server.route("/f", Reply(200, b"<html><body>hi</body></html>", {"Content-Type": "text/html"}))

    async def run():
        async with HttpClient(SETTINGS) as http:
            return await preview_source(SourceSpec(0, "rss", "t", server.url("/f")), http)

    with pytest.raises(ConnectorError, match="web page, not a feed"):
        asyncio.run(run())


def test_discover_reads_alternate_links(server) -> None:
    page = (
        b'<html><head><base href="/blog/"><link rel="alternate" type="application/rss+xml" '
        b'title="Posts" href="posts.xml"><link rel="alternate" type="application/atom+xml" '
        b'href="https://x.example/atom"><link rel="alternate" type="application/feed+json" '
        b'href="javascript:x"><link rel="stylesheet" href="s.css"></head><body>'
        b'<link rel="alternate" type="application/rss+xml" href="/late.xml"></body></html>'
    )
    server.route("/", Reply(200, page, {"Content-Type": "text/html"}))
    server.route("/feed", Reply(200, feed(1), RSS))

    async def run(path):
        async with HttpClient(SETTINGS) as http:
            return await discover(server.url(path), http)

    found = asyncio.run(run("/"))
    assert [(c.url, c.title, c.format) for c in found] == [
        (server.url("/blog/posts.xml"), "Posts", "RSS"),
        ("https://x.example/atom", "", "Atom"),
    ]
    itself = asyncio.run(run("/feed"))
    assert [(c.url, c.title) for c in itself] == [(server.url("/feed"), "Feed 1")]
    assert [r.path for r in server.requests] == ["/", "/feed"]  # nothing else fetched


def test_fetch_prepared_agrees_with_fetch(server) -> None:
    """The engine's one-call path parses like ``fetch`` and sends back only what prepare made."""
    from cmdesk.listening.connectors.feed import FeedConnector

    server.route("/f", Reply(200, feed(1, items=4), RSS))
    spec = SourceSpec(id=1, kind="rss", name="f", url=server.url("/f"))

    async def run():
        async with HttpClient(SETTINGS) as http:
            with ThreadPoolExecutor(1) as pool:
                connector = FeedConnector(pool)
                plain = await connector.fetch(spec, http, None)
                prepared = await connector.fetch_prepared(spec, http, None, len)
                counted = await connector.fetch_prepared(spec, http, None, None)
        return plain, prepared, counted

    plain, prepared, counted = asyncio.run(run())
    assert len(plain.items) == 4
    assert (prepared.items_seen, prepared.prepared, prepared.result.items) == (4, 4, [])
    assert (counted.items_seen, counted.prepared) == (4, None)
    assert prepared.result.etag == plain.etag
