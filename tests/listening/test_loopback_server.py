"""The shared loopback server does what the listening tests rely on."""

from __future__ import annotations

import gzip
import http.client

import pytest
from listening.server import LoopbackServer, Reply


def _get(server: LoopbackServer, path: str, **headers: str) -> tuple[int, dict, bytes]:
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    con.request("GET", path, headers=headers)
    resp = con.getresponse()
    return resp.status, dict(resp.getheaders()), resp.read()


def test_routes_record_and_gzip() -> None:
    with LoopbackServer() as server:
        server.route("/a", Reply(200, b"hello", {"ETag": '"1"'}))
        server.route("/a?x=1", Reply(201, b"query"))
        server.route("/z", Reply(200, b"zipped", gzip=True))
        assert _get(server, "/a", **{"X-Test": "yes"})[2] == b"hello"
        assert _get(server, "/a?x=1")[0] == 201
        status, headers, body = _get(server, "/z")
        assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == b"zipped"
        assert _get(server, "/missing")[0] == 404
        assert [r.path for r in server.requests] == ["/a", "/a", "/z", "/missing"]
        assert server.requests_to("/a")[0].header("x-test") == "yes"


def test_sequence_and_predicate() -> None:
    with LoopbackServer() as server:
        server.route("/s", Reply.of_sequence(Reply(500), Reply(200, b"ok")))
        server.route("/c", Reply(200, b"full"))
        server.route("/c", Reply(304), when=lambda r: r.header("If-None-Match") == '"v"')
        assert _get(server, "/s")[0] == 500
        assert _get(server, "/s")[0] == 200
        assert _get(server, "/c")[0] == 200
        assert _get(server, "/c", **{"If-None-Match": '"v"'})[0] == 304


def test_reset_mid_body() -> None:
    with LoopbackServer() as server:
        server.route("/cut", Reply(200, b"x" * 10_000, reset_after=10))
        with pytest.raises((http.client.IncompleteRead, ConnectionResetError)):
            _get(server, "/cut")
