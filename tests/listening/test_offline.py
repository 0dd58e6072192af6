"""Offline is a fact about the network, not about a few dead hosts.

Dead hosts are an unused loopback port (connection refused) and ``.invalid`` names whose DNS
lookup fails at once (a transport raises the resolver's "name not known" for them, so no real DNS
query is made); live hosts are loopback feed servers.
"""

from __future__ import annotations

import asyncio
import random
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from listening.server import LoopbackServer, Reply

from cmdesk.core.services import queries, sources
from cmdesk.core.services.sources import FetchOutcome
from cmdesk.listening.engine import FetchSummary, fetch_sources
from cmdesk.listening.http import HttpClient, HttpSettings

NOW = 1_795_168_800  # the conftest clock
SETTINGS = HttpSettings(connect_timeout=2, read_timeout=1, deadline=2)
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Blog</title>'
    b"<item><title>Acme news</title><link>http://blog.example/1</link><guid>id-1</guid>"
    b"<description>acme is great</description></item></channel></rss>"
)


class NoDnsForInvalid(httpx.AsyncBaseTransport):
    """Real loopback connections; ``*.invalid`` fails like a DNS lookup of an unknown name."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host.endswith(".invalid"):
            raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def fetch(ws, ids=None, concurrency: int = 2) -> FetchSummary:
    async def run() -> FetchSummary:
        async with HttpClient(SETTINGS, transport=NoDnsForInvalid()) as http:
            with ThreadPoolExecutor(2) as pool:
                return await fetch_sources(
                    ws, http, ids, parse_pool=pool, rng=random.Random(1), concurrency=concurrency
                )

    return asyncio.run(run())


@pytest.fixture
def ws(workspace):
    workspace.write(queries.add_query, workspace, "brand", "acme").result()
    return workspace


@pytest.fixture
def live():
    with LoopbackServer() as server:
        server.route("/feed", Reply(200, FEED, RSS))
        yield server


@pytest.fixture
def dead_port():
    with LoopbackServer() as server:
        url = server.url
    return url  # the port is closed now: connection refused


def add(ws, url: str) -> int:
    return ws.write(sources.add_source, ws, url).result().id


def test_dead_hosts_before_live_ones_get_their_own_error_and_backoff(ws, live, dead_port):
    dead = [add(ws, f"http://gone-{n}.invalid/feed") for n in range(3)] + [add(ws, dead_port("/f"))]
    alive = [add(ws, live.url("/feed")), add(ws, live.url("/feed?b"))]
    summary = fetch(ws, concurrency=2)  # the live feeds are still queued when three dead fail
    assert not summary.offline and summary.skipped == 0
    assert summary.fetched == 2 and summary.new_mentions == 1
    assert sorted(sid for sid, _, _ in summary.failed) == dead
    for sid in dead:
        row = sources.get_source(ws, sid)
        assert row.consecutive_failures == 1 and row.state == "failing"
        assert row.last_error.startswith("Could not connect to")
        assert row.next_fetch_at > NOW + 10 * 60  # backed off, not the 5-minute offline retry
    assert "Name or service not known" in sources.get_source(ws, dead[0]).last_error
    for sid in alive:
        assert sources.get_source(ws, sid).state == "ok"


def test_a_lone_dead_host_is_its_own_error_when_a_known_good_host_answers(ws, live, dead_port):
    good = add(ws, live.url("/feed"))
    outcome = FetchOutcome(good, True, NOW, NOW + 3600)
    ws.write(sources.record_outcome, ws, outcome).result()
    dead = add(ws, "http://nowhere.invalid/feed")
    summary = fetch(ws, [dead])
    assert not summary.offline
    assert [sid for sid, _, _ in summary.failed] == [dead]
    assert sources.get_source(ws, dead).consecutive_failures == 1
    assert any(r.path == "/" for r in live.requests)  # the probe asked the good host


def test_nothing_answers_is_offline_once_and_the_rest_is_not_tried(ws, dead_port):
    ids = [add(ws, f"http://gone-{n}.invalid/f") for n in range(4)]
    ids += [add(ws, dead_port(f"/f{n}")) for n in range(4)]
    summary = fetch(ws, concurrency=2)
    assert summary.offline and summary.failed == []
    assert summary.skipped >= 3
    for sid in ids:
        row = sources.get_source(ws, sid)
        assert row.consecutive_failures == 0
        assert row.last_error is None or row.last_error.startswith("Offline")
