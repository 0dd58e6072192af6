"""A loopback HTTP server for listening tests: canned answers, hostile behaviours, recorded calls.

Never touches the internet: it binds 127.0.0.1 on an ephemeral port, in a daemon thread, and
answers only what a test put in its route table. Usage::

    from listening.server import LoopbackServer, Reply

    with LoopbackServer() as server:
        server.route("/feed.xml", Reply(200, body=b"<rss>...</rss>",
                                        headers={"Content-Type": "application/rss+xml"}))
        server.route("/search?q=acme", Reply.json({"hits": []}))     # path + exact query
        server.route("/slow", Reply(200, body=b"x" * 100, trickle=1.0))  # a byte a second
        server.route("/cut", Reply(200, body=b"<rss>" * 1000, reset_after=100))  # RST mid-body
        server.route("/hang", Reply(hang=True))                      # never answers
        server.route("/old", Reply.redirect("/new", status=301))
        server.route("/gz", Reply(200, body=data, gzip=True))        # Content-Encoding: gzip
        server.route("/x", Reply(304), when=lambda req: req.header("If-None-Match") == '"v1"')
        url = server.url("/feed.xml")                                # http://127.0.0.1:PORT/feed.xml
        ...
        server.requests          # every request seen: Request(method, path, query, headers, body)
        server.requests_to("/feed.xml")

A route matches on method and path; a route registered with a query string (``/s?q=x``) matches
only that exact query and wins over the bare path. Several routes for one key are tried newest
first, each with its optional ``when`` predicate. An unknown path answers 404 (and is recorded,
so a test can assert "no other resource was fetched"). ``Reply.sequence`` answers differently
on successive calls. Keep-alive is supported; hanging replies end when the server stops.
"""

from __future__ import annotations

import gzip as gzip_module
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # as sent; look up case-insensitively via .get on the lower map
    body: bytes = b""

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float = 0.0  # seconds between single bytes of the body (0: send at once)
    trickle_headers: bool = False  # also trickle the status line and headers
    reset_after: int | None = None  # send this many body bytes, then reset the connection (RST)
    hang: bool = False  # accept the request and never answer
    gzip: bool = False  # gzip the body and say so in Content-Encoding
    content_length: bool = True  # False: no Content-Length, close the connection after the body
    sequence: list[Reply] | None = None  # successive calls get successive replies (last repeats)
    _calls: int = 0

    @classmethod
    def json(cls, payload: Any, status: int = 200, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        return cls(status, json.dumps(payload).encode(), headers, **kwargs)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status, b"", {"Location": location})

    @classmethod
    def of_sequence(cls, *replies: Reply) -> Reply:
        return cls(sequence=list(replies))

    def next(self) -> Reply:
        if not self.sequence:
            return self
        reply = self.sequence[min(self._calls, len(self.sequence) - 1)]
        self._calls += 1
        return reply


@dataclass
class _Route:
    reply: Reply
    when: Callable[[Request], bool] | None = None


class LoopbackServer:
    """A threaded HTTP/1.1 server on 127.0.0.1; use as a context manager or call start/stop."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._routes: dict[tuple[str, str], list[_Route]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- set-up -------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(
        self,
        path: str,
        reply: Reply,
        *,
        method: str = "GET",
        when: Callable[[Request], bool] | None = None,
    ) -> None:
        with self._lock:
            self._routes.setdefault((method.upper(), path), []).insert(0, _Route(reply, when))

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- serving ------------------------------------------------------------------------------
    def _find(self, request: Request) -> Reply | None:
        keys = []
        if request.query:
            keys.append((request.method, f"{request.path}?{request.query}"))
        keys.append((request.method, request.path))
        with self._lock:
            for key in keys:
                for route in self._routes.get(key, []):
                    if route.when is None or route.when(request):
                        return route.reply.next()
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
                pass

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                self._serve()

            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                self._serve()

            def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
                self._serve()

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    self.command, parts.path, parts.query, dict(self.headers.items()), body
                )
                with server._lock:
                    server.requests.append(request)
                reply = server._find(request) or Reply(404, b"not found")
                self._answer(reply)

            def _answer(self, reply: Reply) -> None:
                if reply.hang:
                    server._stopping.wait(120)
                    self.close_connection = True
                    return
                body = gzip_module.compress(reply.body) if reply.gzip else reply.body
                head = [f"HTTP/1.1 {reply.status} {self.responses.get(reply.status, ('',))[0]}"]
                headers = dict(reply.headers)
                if reply.gzip:
                    headers["Content-Encoding"] = "gzip"
                if reply.content_length:
                    headers.setdefault("Content-Length", str(len(body)))
                else:
                    headers["Connection"] = "close"
                    self.close_connection = True
                head += [f"{k}: {v}" for k, v in headers.items()]
                raw_head = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
                try:
                    if reply.trickle_headers:
                        self._trickle(raw_head, reply.trickle)
                    else:
                        self.wfile.write(raw_head)
                    if self.command == "HEAD":
                        return
                    if reply.reset_after is not None:
                        self.wfile.write(body[: reply.reset_after])
                        self.wfile.flush()
                        self._reset()
                    elif reply.trickle:
                        self._trickle(body, reply.trickle)
                    else:
                        self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError, OSError):
                    self.close_connection = True

            def _trickle(self, data: bytes, delay: float) -> None:
                for index in range(len(data)):
                    if server._stopping.is_set():
                        raise BrokenPipeError
                    self.wfile.write(data[index : index + 1])
                    self.wfile.flush()
                    time.sleep(delay)

            def _reset(self) -> None:
                # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True
                self.connection.close()

        return Handler
