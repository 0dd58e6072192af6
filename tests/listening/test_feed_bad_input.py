"""Bad input end to end: each case served from 127.0.0.1, fetched by the engine into a workspace.

Each ends in a clear per-source error or a clean ingest; none crashes, hangs past its timeout,
fetches a resource it was not asked for, or loses mentions already stored.
"""

from __future__ import annotations

import asyncio
import gzip
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from listening.server import LoopbackServer, Reply

from cmdesk.core.services import queries, sources
from cmdesk.listening.engine import FetchSummary, fetch_sources
from cmdesk.listening.http import HttpClient, HttpSettings

NOW = 1_795_168_800  # the conftest clock: 2026-11-20 10:00 UTC
SETTINGS = HttpSettings(connect_timeout=2, read_timeout=1, deadline=2, max_bytes=256 * 1024)
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def rss(items: str, extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{extra}<rss version="2.0"><channel>'
        f"<title>Blog</title><link>http://blog.example/</link>{items}</channel></rss>"
    ).encode()


def item(n: int, title: str = "Acme news", body: str = "acme is great") -> str:
    return (
        f"<item><title>{title} {n}</title><link>http://blog.example/{n}</link>"
        f"<guid>id-{n}</guid><description>{body}</description>"
        f"<pubDate>Wed, 18 Nov 2026 10:00:00 GMT</pubDate></item>"
    )


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def listening(workspace):
    ws = workspace
    ws.write(queries.add_query, ws, "brand", "acme").result()
    return ws


def fetch(ws, ids=None) -> FetchSummary:
    async def run():
        async with HttpClient(SETTINGS) as http:
            with ThreadPoolExecutor(2) as pool:
                return await fetch_sources(ws, http, ids, parse_pool=pool, rng=random.Random(1))

    return asyncio.run(run())


def add(ws, url: str, **kw) -> int:
    return ws.write(sources.add_source, ws, url, **kw).result().id


def mentions(ws) -> list[tuple]:
    return ws.db.execute_sql(
        "SELECT external_id, title, text, html, url, published_at FROM mention ORDER BY id"
    ).fetchall()


def failure_of(ws, source_id: int) -> str:
    row = sources.get_source(ws, source_id)
    assert row.consecutive_failures >= 1 or row.disabled_reason
    return row.last_error or ""


def test_good_feed_then_304_keeps_mentions(listening, server) -> None:
    ws = listening
    server.route(
        "/f", Reply(200, rss(item(1) + item(2, "Other", "nothing")), {**RSS, "ETag": '"v1"'})
    )
    server.route("/f", Reply(304), when=lambda r: r.header("If-None-Match") == '"v1"')
    sid = add(ws, server.url("/f"))
    first = fetch(ws)
    assert (first.fetched, first.new_mentions, first.failed) == (1, 1, [])
    second = fetch(ws, [sid])
    assert (second.unchanged, second.new_mentions) == (1, 0)
    assert server.requests[-1].header("If-None-Match") == '"v1"'
    assert len(mentions(ws)) == 1
    row = sources.get_source(ws, sid)
    assert row.state == "ok" and row.items_seen == 2 and row.next_fetch_at == NOW + 15 * 60


@pytest.mark.parametrize(
    ("reply", "fragment"),
    [
        (Reply(200, b"<rss><channel><item><title>acme", RSS), None),  # malformed: loose parse
        (Reply(200, b"<html><body><p>Welcome to acme</p></body></html>",
               {"Content-Type": "text/html"}), "web page, not a feed"),
        (Reply(200, b"", RSS), "empty page"),
        (Reply(200, b"   \n", RSS), "empty page"),
        (Reply(200, b"x" * 400_000, RSS), "larger than"),
        (Reply(200, gzip.compress(gzip.compress(b"<" * 30_000_000)),
               {"Content-Encoding": "gzip, gzip"}), "larger than"),
        (Reply(200, rss(item(1)), trickle=0.5), "took longer"),
        (Reply(hang=True), "timed out|took longer"),
        (Reply(200, rss(item(1) * 300), reset_after=500), "cut before"),
        (Reply(404), "404"),
        (Reply(500), r"server error \(500\)"),
        (Reply(200, b'{"version": 1}', {"Content-Type": "application/json"}), "not a JSON Feed"),
        (Reply(200, b"[" * 100_000 + b"]" * 100_000, {"Content-Type": "application/json"}),
         "nested too deeply|larger than"),
    ],
)  # fmt: skip
def test_bad_answers_end_in_a_clear_error(listening, server, reply, fragment) -> None:
    ws = listening
    server.route("/f", reply)
    sid = add(ws, server.url("/f"))
    summary = fetch(ws)
    if fragment is None:
        assert summary.failed == [] or "feed" in summary.failed[0][2]
        return
    assert len(summary.failed) == 1
    import re

    assert re.search(fragment, summary.failed[0][2]), summary.failed
    assert re.search(fragment, failure_of(ws, sid))
    assert [r.path for r in server.requests] == ["/f"]


def test_failures_keep_stored_mentions_and_back_off(listening, server) -> None:
    ws = listening
    server.route("/f", Reply.of_sequence(Reply(200, rss(item(1)), RSS), Reply(500), Reply(500)))
    sid = add(ws, server.url("/f"))
    fetch(ws)
    fetch(ws, [sid])
    first_backoff = sources.get_source(ws, sid).next_fetch_at - NOW
    fetch(ws, [sid])
    row = sources.get_source(ws, sid)
    assert len(mentions(ws)) == 1
    assert row.consecutive_failures == 2 and row.state == "failing"
    assert 15 * 60 * 0.85 <= first_backoff <= 15 * 60 * 1.15
    assert 30 * 60 * 0.85 <= row.next_fetch_at - NOW <= 30 * 60 * 1.15


def test_410_disables_and_says_why(listening, server) -> None:
    ws = listening
    server.route("/f", Reply(410))
    sid = add(ws, server.url("/f"))
    fetch(ws)
    row = sources.get_source(ws, sid)
    assert row.state == "disabled" and "410 Gone" in row.disabled_reason
    assert sid not in sources.due_source_ids(ws, NOW + 10**6)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(listening, server, status) -> None:
    ws = listening
    server.route("/f", Reply(status, headers={"Retry-After": "7200"}))
    sid = add(ws, server.url("/f"))
    fetch(ws)
    row = sources.get_source(ws, sid)
    assert row.next_fetch_at == NOW + 7200 and "slow down" in row.last_error


def test_permanent_redirect_moves_the_source(listening, server) -> None:
    ws = listening
    server.route("/old", Reply.redirect("/new", 301))
    server.route("/new", Reply(200, rss(item(1)), RSS))
    sid = add(ws, server.url("/old"))
    fetch(ws)
    assert sources.get_source(ws, sid).url == server.url("/new")


def test_redirect_loop_and_file_redirect_are_source_errors(listening, server) -> None:
    ws = listening
    server.route("/a", Reply.redirect("/b"))
    server.route("/b", Reply.redirect("/a"))
    server.route("/c", Reply.redirect("file:///etc/passwd"))
    a, c = add(ws, server.url("/a")), add(ws, server.url("/c"))
    fetch(ws)
    assert "loop" in failure_of(ws, a)
    assert "non-web address" in failure_of(ws, c)


BILLION_LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>'


def test_entity_attacks_are_defused(listening, server) -> None:
    ws = listening
    server.route("/laughs", Reply(200, rss(item(1, "Acme &lol3;") * 1, BILLION_LAUGHS), RSS))
    server.route("/many", Reply(200, rss(item(2, "Acme " + "&lol3;" * 5000), BILLION_LAUGHS), RSS))
    server.route("/xxe", Reply(200, rss(item(3, "Acme &xxe;"), EXTERNAL), RSS))
    for path in ("/laughs", "/many", "/xxe"):
        add(ws, server.url(path))
    summary = fetch(ws)
    assert summary.failed == []
    titles = [row[1] for row in mentions(ws)]
    assert len(titles) == 3
    assert all("lollollol" not in t and "secret" not in t for t in titles)
    assert sorted(r.path for r in server.requests) == ["/laughs", "/many", "/xxe"]


def test_odd_items_ingest_cleanly(listening, server) -> None:
    ws = listening
    items = (
        "<item><title>Acme without guid or link or date</title></item>"
        "<item><description>acme body only, no title</description></item>"
        f"<item><title>Acme {'very long ' * 5000}</title><guid>long</guid></item>"
        "<item><title>Acme from the future</title><guid>future</guid>"
        "<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>"
        "<item><title>Acme year zero</title><guid>zero</guid>"
        "<pubDate>Mon, 01 Jan 0000 00:00:00 GMT</pubDate></item>"
        "<item><title>Acme\x00 nul</title><guid>nul</guid><link>javascript:alert(1)</link></item>"
        "<item><title>Acme &lt;b&gt;bold&lt;/b&gt;</title><guid>html</guid><description>"
        "&lt;p onclick=x&gt;acme&lt;script&gt;steal()&lt;/script&gt;&lt;iframe src=http://e/&gt;"
        "&lt;/iframe&gt;&lt;img src=http://t.example/p.gif width=1 height=1&gt;"
        "&lt;img src=http://i.example/cat.png alt=cat&gt;&lt;/p&gt;</description></item>"
    )
    server.route("/f", Reply(200, rss(items), RSS))
    add(ws, server.url("/f"))
    summary = fetch(ws)
    assert summary.failed == [] and summary.new_mentions == 7
    rows = {row[0].rsplit("/", 1)[-1]: row for row in mentions(ws)}
    assert len(rows["long"][1]) <= 500
    assert rows["future"][5] == NOW and rows["zero"][5] == NOW  # clamped / missing → fetch time
    assert "\x00" not in rows["nul"][1]
    assert all(row[4] is None or row[4].startswith("http") for row in rows.values())
    html = rows["html"][3]
    assert rows["html"][1] == "Acme bold"
    for banned in ("script", "steal", "iframe", "onclick", "<img", "t.example"):
        assert banned not in html
    assert 'data-image="http://i.example/cat.png"' in html
    assert [r.path for r in server.requests] == ["/f"]


@pytest.mark.parametrize(
    ("content_type", "declared", "payload"),
    [
        ("application/rss+xml; charset=utf8", "utf-8", "Café acme"),
        ("application/rss+xml", "iso-8859-1", "Café acme"),
        ("application/rss+xml; charset=iso-8859-1", "utf-8", "Café acme"),  # wrong header
        ("text/xml", None, "Café acme"),
    ],
)
def test_charsets(listening, server, content_type, declared, payload) -> None:
    ws = listening
    encoding = declared or "utf-8"
    head = f'<?xml version="1.0" encoding="{declared}"?>' if declared else ""
    body = (
        f'{head}<rss version="2.0"><channel><title>B</title><item><title>{payload}</title>'
        "<guid>1</guid></item></channel></rss>"
    ).encode(encoding)
    server.route("/f", Reply(200, body, {"Content-Type": content_type}))
    add(ws, server.url("/f"))
    summary = fetch(ws)
    assert summary.failed == []
    title = mentions(ws)[0][1]
    assert "acme" in title.lower()


def test_google_alerts_links_unwrapped_and_all_mentions_source(workspace, server) -> None:
    ws = workspace  # no query at all: the all-mentions source still ingests
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Alert</title>'
        b"<entry><id>tag:google.com,2013:googlealerts/feed:1</id>"
        b'<title type="html">New &lt;b&gt;Acme&lt;/b&gt; launch</title>'
        b'<link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://News.Example/a'
        b'%3Futm_source%3Dga%26id%3D3&amp;ct=ga"/><updated>2026-11-19T08:00:00Z</updated>'
        b'<content type="html">&lt;b&gt;Acme&lt;/b&gt; is out</content></entry></feed>'
    )
    server.route("/alert", Reply(200, atom, {"Content-Type": "application/atom+xml"}))
    add(ws, server.url("/alert"), all_items_are_mentions=True)
    summary = fetch(ws)
    assert summary.new_mentions == 1
    title, url, canonical = ws.db.execute_sql(
        "SELECT title, url, canonical_url FROM mention"
    ).fetchone()
    assert title == "New Acme launch"
    assert url == "https://News.Example/a?utm_source=ga&id=3"
    assert canonical == "https://news.example/a?id=3"


def test_json_feed(listening, server) -> None:
    ws = listening
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [
            {"id": 1, "url": "http://j.example/1", "title": "Acme json",
             "content_html": "<p>acme</p>", "date_published": "2026-11-19T10:00:00Z",
             "authors": [{"name": "Ann"}]},
            {"id": "2", "content_text": "acme plain text", "date_published": "10000-01-01"},
            "not an object",
        ],
    }  # fmt: skip
    server.route("/j", Reply.json(feed))
    add(ws, server.url("/j"))
    summary = fetch(ws)
    assert (summary.failed, summary.new_mentions) == ([], 2)
    author = ws.db.execute_sql("SELECT network, handle FROM author").fetchall()
    assert author == [("j.example", "Ann")]


def test_same_url_from_two_sources_is_stored_once(listening, server) -> None:
    ws = listening
    server.route("/a", Reply(200, rss(item(1)), RSS))
    body = rss(item(1).replace("blog.example/1", "BLOG.example/1?utm_medium=x#frag"))
    server.route("/b", Reply(200, body.replace(b"id-1", b"other-1"), RSS))
    add(ws, server.url("/a"))
    add(ws, server.url("/b"))
    summary = fetch(ws)
    assert summary.new_mentions == 1 and len(mentions(ws)) == 1


def test_offline_is_reported_once_and_not_counted(listening) -> None:
    ws = listening
    with LoopbackServer() as srv:
        dead = srv.url
    ids = [add(ws, dead(f"/f{i}")) for i in range(6)]
    summary = fetch(ws)
    assert summary.offline and summary.failed == []
    for sid in ids:
        row = sources.get_source(ws, sid)
        assert row.consecutive_failures == 0
        assert row.last_error is None or row.last_error.startswith("Offline")
