"""The one HTTP layer of the listening engine: the only place that builds an ``httpx.AsyncClient``.

Imports no Qt. :class:`HttpClient` implements :class:`~cmdesk.listening.connectors.base.Http` for
untrusted servers:

- bounded concurrency overall and per host, with an optional pause between requests to a host;
- connect/read timeouts AND an overall deadline per request (``asyncio.timeout``), because a
  server sending a byte a second never trips a read timeout;
- a size cap enforced while streaming: bodies are read with ``iter_raw`` and each
  Content-Encoding layer is inflated here with a size-limited ``zlib`` object, because httpx's own
  decoding inflates a whole network read at once (a 2 KB gzip bomb became a 1 GiB chunk);
- only complete bodies are returned (a connection cut mid-body is an error, never half a feed);
- redirects followed here, only to http/https, at most :data:`MAX_REDIRECTS`, loops detected;
  the target of a chain of permanent redirects (301/308) is reported so the source can move;
- an honest User-Agent; a failure to connect at all is a ``ConnectorError`` of kind "offline"
  (the engine decides whether the machine is offline or one host is down).

Limits: gzip and deflate only (we advertise only those); no cookies, no proxies beyond httpx's
environment defaults; a POST is never redirected.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from cmdesk import __version__
from cmdesk.listening.connectors.base import ConnectorError, HttpResponse

log = logging.getLogger(__name__)

USER_AGENT = f"cmdesk/{__version__} (+https://github.com/cmdesk/cmdesk)"
MAX_REDIRECTS = 5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
PERMANENT_STATUSES = (301, 308)


@dataclass(frozen=True)
class HttpSettings:
    """Limits of the HTTP layer; tests pass short timeouts and small caps."""

    max_connections: int = 24  # requests in flight overall
    per_host: int = 4  # requests in flight to one host
    host_interval: float = 0.0  # seconds between request starts to one host
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # the whole request, redirects included
    max_bytes: int = 8 * 1024 * 1024  # decompressed body
    clients: int = 4  # several clients: one AsyncClient slows with many requests in flight


class _Inflater:
    """Inflate one Content-Encoding layer, refusing to produce more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self.produced = 0
        self.fed = False
        self._wbits = 47 if encoding in ("gzip", "x-gzip") else 15  # 47: gzip or zlib header
        self._obj = zlib.decompressobj(self._wbits)
        self._raw_deflate_tried = False

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        self.fed = self.fed or bool(data)
        while data:
            try:
                chunk = self._obj.decompress(data, self.limit - self.produced + 1)
            except zlib.error:
                if self.encoding == "deflate" and not self._raw_deflate_tried and not out:
                    # Some servers send raw deflate without the zlib header.
                    self._raw_deflate_tried = True
                    self._obj = zlib.decompressobj(-15)
                    continue
                raise ConnectorError("The server sent a damaged compressed answer.") from None
            self.produced += len(chunk)
            out += chunk
            if self.produced > self.limit:
                raise _TooBig()
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._obj.unused_data.strip(b"\x00"):
                data = self._obj.unused_data  # a concatenated gzip member
                self._obj = zlib.decompressobj(self._wbits)
        return bytes(out)

    def finish(self) -> bytes:
        if self.fed and not self._obj.eof:
            tail = self._obj.flush()
            if not self._obj.eof:
                raise ConnectorError("The compressed answer was cut short.")
            return tail
        return b""


class _TooBig(Exception):
    pass


class HttpClient:
    """Shared HTTP for every connector; use ``async with HttpClient() as http`` in one loop."""

    def __init__(
        self,
        settings: HttpSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings or HttpSettings()
        s = self.settings
        timeout = httpx.Timeout(s.read_timeout, connect=s.connect_timeout, pool=s.deadline)
        per_client = max(1, -(-s.max_connections // s.clients))
        limits = httpx.Limits(max_connections=per_client, max_keepalive_connections=per_client)
        # One TLS context for every client: loading the system's certificates costs ~40 ms
        # each time, which four clients paid four times (on the UI thread, at the first fetch).
        tls = httpx.create_ssl_context() if transport is None else True
        self._clients = [
            httpx.AsyncClient(
                timeout=timeout,
                limits=limits,
                follow_redirects=False,
                headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
                transport=transport,
                verify=tls,
            )
            for _ in range(max(1, s.clients))
        ]
        self._next_client = itertools.cycle(self._clients)
        self._overall = asyncio.Semaphore(s.max_connections)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._host_last_start: dict[str, float] = {}

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        for client in self._clients:
            await client.aclose()

    # -- the Http protocol ------------------------------------------------------------------
    async def get(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> HttpResponse:
        """GET with redirects, caps and the overall deadline; any HTTP status is returned."""
        if params:
            url = str(httpx.URL(url).copy_merge_params(dict(params)))
        return await self._with_deadline(
            url, self._get_following(url, dict(headers or {}), max_bytes)
        )

    async def post_json(
        self,
        url: str,
        payload: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        """POST a JSON body; redirects are not followed (the 3xx answer is returned)."""
        _check_scheme(url)
        request_headers = {"Content-Type": "application/json", **dict(headers or {})}

        async def run() -> HttpResponse:
            return await self._one(url, "POST", request_headers, None, json=dict(payload))

        return await self._with_deadline(url, run())

    # -- internals ----------------------------------------------------------------------------
    async def _with_deadline(self, url: str, work: Any) -> HttpResponse:
        try:
            async with asyncio.timeout(self.settings.deadline):
                return await work
        except TimeoutError:
            raise ConnectorError(
                f"{_host(url)} took longer than {self.settings.deadline:g} s to answer."
            ) from None

    async def _get_following(
        self, url: str, headers: dict[str, str], max_bytes: int | None
    ) -> HttpResponse:
        seen = {url}
        permanent: str | None = None
        still_permanent = True
        for _hop in range(MAX_REDIRECTS + 1):
            _check_scheme(url)
            response = await self._one(url, "GET", headers, max_bytes)
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return HttpResponse(
                    response.status, url, response.headers, response.body, permanent
                )
            target = urljoin(url, location.strip())
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise ConnectorError(
                    f"{_host(url)} redirected to a non-web address "
                    f"({urlsplit(target).scheme or 'no scheme'}:); it was not followed.",
                    "invalid",
                )
            if target in seen:
                raise ConnectorError(f"{_host(url)} redirects in a loop.", "invalid")
            seen.add(target)
            if still_permanent and response.status in PERMANENT_STATUSES:
                permanent = target
            else:
                still_permanent = False
            url = target
        raise ConnectorError(f"{_host(url)} redirected more than {MAX_REDIRECTS} times.", "invalid")

    async def _one(
        self,
        url: str,
        method: str,
        headers: Mapping[str, str],
        max_bytes: int | None,
        json: Mapping[str, Any] | None = None,
    ) -> HttpResponse:
        limit = max_bytes or self.settings.max_bytes
        host = _host(url)
        async with self._overall, self._host_slot(host):
            await self._polite_pause(host)
            client = next(self._next_client)
            try:
                request = client.build_request(method, url, headers=headers, json=json)
                response = await client.send(request, stream=True)
                try:
                    body = await self._read_body(response, limit, host)
                finally:
                    await response.aclose()
            except httpx.ConnectError as exc:
                raise ConnectorError(
                    f"Could not connect to {host} ({_reason(exc)}).", "offline"
                ) from None
            except httpx.InvalidURL:
                raise ConnectorError(
                    f"{host} redirected to an address that is not a valid web address.", "invalid"
                ) from None
            except httpx.TimeoutException:
                raise ConnectorError(f"{host} stopped answering (timed out).") from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                raise ConnectorError(
                    f"The connection to {host} was cut before the whole answer arrived "
                    f"({_reason(exc)})."
                ) from None
            except httpx.HTTPError as exc:
                raise ConnectorError(f"Fetching from {host} failed ({_reason(exc)}).") from None
        lowered = {k.lower(): v for k, v in response.headers.items()}
        return HttpResponse(response.status_code, url, lowered, body)

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(self.settings.per_host)
        return slot

    async def _polite_pause(self, host: str) -> None:
        interval = self.settings.host_interval
        if interval <= 0:
            return
        now = time.monotonic()
        start = max(now, self._host_last_start.get(host, 0.0) + interval)
        self._host_last_start[host] = start
        if start > now:
            await asyncio.sleep(start - now)

    async def _read_body(self, response: httpx.Response, limit: int, host: str) -> bytes:
        too_big = ConnectorError(
            f"The answer from {host} is larger than {limit // 1024:,} KB; it was not read.",
            "invalid",
        )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit and response.status_code < 300:
            raise too_big
        encodings = [
            e.strip().lower()
            for e in response.headers.get("content-encoding", "").split(",")
            if e.strip() and e.strip().lower() != "identity"
        ]
        unknown = [e for e in encodings if e not in ("gzip", "x-gzip", "deflate")]
        if unknown:
            raise ConnectorError(
                f"{host} answered in an encoding cmdesk does not read ({unknown[0]}).", "invalid"
            )
        layers = [_Inflater(e, limit) for e in reversed(encodings)]
        body = bytearray()
        try:
            async for raw in response.aiter_raw():
                if not layers and len(body) + len(raw) > limit:
                    raise _TooBig()
                body += _through(layers, raw)
                if len(body) > limit:
                    raise _TooBig()
            body += _finish(layers)
        except _TooBig:
            raise too_big from None
        return bytes(body)


def _through(layers: list[_Inflater], data: bytes) -> bytes:
    for layer in layers:
        if not data:
            break
        data = layer.feed(data)
    return data


def _finish(layers: list[_Inflater]) -> bytes:
    out = b""
    for index, layer in enumerate(layers):
        tail = layer.finish()
        if tail:
            out += _through(layers[index + 1 :], tail)
    return out


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ConnectorError(
            f"Only web addresses (http/https) can be fetched, not {scheme or 'this'}: addresses.",
            "invalid",
        )


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text[:160] if text else type(exc).__name__
