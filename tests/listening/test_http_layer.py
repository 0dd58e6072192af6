"""The HTTP layer against hostile servers on 127.0.0.1: caps, bombs, deadlines, redirects."""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib

import pytest
from listening.server import LoopbackServer, Reply

from cmdesk.listening.connectors.base import ConnectorError
from cmdesk.listening.http import USER_AGENT, HttpClient, HttpSettings

FAST = HttpSettings(connect_timeout=2, read_timeout=2, deadline=2.5, max_bytes=64 * 1024)


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


def get(url: str, settings: HttpSettings = FAST, **kwargs):
    async def run():
        async with HttpClient(settings) as http:
            return await http.get(url, **kwargs)

    return asyncio.run(run())


def test_plain_get_sends_honest_user_agent_and_lowercases_headers(server) -> None:
    server.route("/a", Reply(200, b"hello", {"ETag": '"x"'}))
    response = get(server.url("/a"), params={"q": "acme"})
    assert (response.status, response.body, response.headers["etag"]) == (200, b"hello", '"x"')
    request = server.requests[0]
    assert request.query == "q=acme"
    assert request.header("User-Agent") == USER_AGENT
    assert USER_AGENT.startswith("cmdesk/") and "+https://github.com/cmdesk/cmdesk" in USER_AGENT


def test_gzip_body_is_inflated(server) -> None:
    server.route("/z", Reply(200, b"<rss>" * 1000, gzip=True))
    assert get(server.url("/z")).body == b"<rss>" * 1000


def test_double_gzip_bomb_stops_at_the_cap(server) -> None:
    inner = gzip.compress(b"\0" * (50 * 1024 * 1024))
    bomb = gzip.compress(inner)
    server.route("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip, gzip"}))
    started = time.monotonic()
    with pytest.raises(ConnectorError, match="larger than 64 KB") as info:
        get(server.url("/bomb"))
    assert info.value.kind == "invalid"
    assert time.monotonic() - started < 2


def test_deflate_with_and_without_zlib_header(server) -> None:
    raw = zlib.compressobj(wbits=-15)
    server.route("/raw", Reply(200, raw.compress(b"data" * 10) + raw.flush(),
                               {"Content-Encoding": "deflate"}))  # fmt: skip
    server.route("/zlib", Reply(200, zlib.compress(b"data" * 10), {"Content-Encoding": "deflate"}))
    assert get(server.url("/raw")).body == b"data" * 10
    assert get(server.url("/zlib")).body == b"data" * 10


def test_huge_body_is_refused_by_declared_length_and_while_streaming(server) -> None:
    server.route("/big", Reply(200, b"x" * 200_000))
    server.route("/big-chunked", Reply(200, b"x" * 200_000, content_length=False))
    for path in ("/big", "/big-chunked"):
        with pytest.raises(ConnectorError, match="larger than"):
            get(server.url(path))


def test_byte_a_second_hits_the_overall_deadline(server) -> None:
    server.route("/slow", Reply(200, b"x" * 100, trickle=0.2))
    started = time.monotonic()
    with pytest.raises(ConnectorError, match="took longer than 1 s"):
        get(server.url("/slow"), HttpSettings(read_timeout=5, deadline=1))
    assert time.monotonic() - started < 2.5


def test_slow_headers_hit_the_deadline_too(server) -> None:
    server.route("/slowhead", Reply(200, b"x", trickle=0.2, trickle_headers=True))
    with pytest.raises(ConnectorError, match="took longer"):
        get(server.url("/slowhead"), HttpSettings(read_timeout=5, deadline=1))


def test_never_answers(server) -> None:
    server.route("/hang", Reply(hang=True))
    started = time.monotonic()
    with pytest.raises(ConnectorError):
        get(server.url("/hang"), HttpSettings(read_timeout=0.5, deadline=3))
    assert time.monotonic() - started < 2


def test_reset_mid_body_is_an_error_not_half_a_body(server) -> None:
    server.route("/cut", Reply(200, b"<rss>" * 5000, reset_after=1000))
    with pytest.raises(ConnectorError, match="cut before the whole answer"):
        get(server.url("/cut"))


def test_truncated_gzip_is_an_error(server) -> None:
    body = gzip.compress(b"abc" * 10_000)[:-20]
    server.route("/tgz", Reply(200, body, {"Content-Encoding": "gzip"}))
    with pytest.raises(ConnectorError, match="cut short|damaged"):
        get(server.url("/tgz"))


def test_redirects_followed_and_permanent_target_reported(server) -> None:
    server.route("/old", Reply.redirect("/older", 301))
    server.route("/older", Reply.redirect(server.url("/new"), 308))
    server.route("/new", Reply(200, b"ok"))
    response = get(server.url("/old"))
    assert (response.status, response.url) == (200, server.url("/new"))
    assert response.permanent_redirect == server.url("/new")


def test_temporary_redirect_in_chain_stops_the_move(server) -> None:
    server.route("/a", Reply.redirect("/b", 301))
    server.route("/b", Reply.redirect("/c", 302))
    server.route("/c", Reply.redirect("/d", 301))
    server.route("/d", Reply(200, b"ok"))
    assert get(server.url("/a")).permanent_redirect == server.url("/b")


def test_redirect_loop_and_too_many_redirects(server) -> None:
    server.route("/loop1", Reply.redirect("/loop2"))
    server.route("/loop2", Reply.redirect("/loop1"))
    with pytest.raises(ConnectorError, match="loop"):
        get(server.url("/loop1"))
    for i in range(8):
        server.route(f"/r{i}", Reply.redirect(f"/r{i + 1}"))
    with pytest.raises(ConnectorError, match="more than 5"):
        get(server.url("/r0"))


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:x"])
def test_redirect_to_non_web_scheme_is_not_followed(server, target: str) -> None:
    server.route("/evil", Reply.redirect(target))
    with pytest.raises(ConnectorError, match="non-web address|not a valid web") as info:
        get(server.url("/evil"))
    assert info.value.kind == "invalid"
    assert [r.path for r in server.requests] == ["/evil"]


def test_non_web_url_is_refused_without_a_request() -> None:
    with pytest.raises(ConnectorError, match="Only web addresses"):
        get("file:///etc/passwd")


def test_connection_refused_is_offline_kind() -> None:
    with LoopbackServer() as srv:
        url = srv.url("/gone")
    with pytest.raises(ConnectorError) as info:
        get(url)
    assert info.value.kind == "offline"


def test_per_host_concurrency_is_bounded(server) -> None:
    server.route("/s", Reply(200, b"xxx", trickle=0.1))
    settings = HttpSettings(per_host=2, deadline=10)

    async def run() -> float:
        async with HttpClient(settings) as http:
            started = time.monotonic()
            await asyncio.gather(*(http.get(server.url("/s")) for _ in range(4)))
            return time.monotonic() - started

    assert asyncio.run(run()) >= 0.2  # 4 requests, 2 at a time, ~0.1 s each


def test_post_json(server) -> None:
    server.route("/p", Reply.json({"ok": True}), method="POST")

    async def run():
        async with HttpClient(FAST) as http:
            return await http.post_json(server.url("/p"), {"a": 1})

    assert asyncio.run(run()).body == b'{"ok": true}'
    assert server.requests[0].body == b'{"a":1}' or b'"a"' in server.requests[0].body
