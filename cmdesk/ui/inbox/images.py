"""Fetching one mention's remote images, only when the user clicked "Load images" for it.

Through the app's one HTTP layer (:mod:`cmdesk.listening.http`: per-host politeness, redirects
to http(s) only, bodies capped while streaming and inflated by its own size-limited decoder), and
strict on top of it: http/https only, at most ``MAX_IMAGES`` images of at most ``MAX_BYTES``
each, an overall deadline, and only ``image/*`` answers kept. Nothing here runs unless asked.
"""

from __future__ import annotations

import asyncio
import logging

from cmdesk.listening.connectors.base import ConnectorError, Http

MAX_IMAGES = 20
MAX_BYTES = 5 * 1024 * 1024
DEADLINE_SECONDS = 20.0

log = logging.getLogger(__name__)


async def _fetch_one(http: Http, url: str) -> bytes | None:
    try:
        response = await http.get(url, headers={"Accept": "image/*"}, max_bytes=MAX_BYTES)
    except ConnectorError as exc:  # refused, too big, timed out: that image stays a placeholder
        log.info("Image not loaded: %s", exc)
        return None
    kind = response.headers.get("content-type", "")
    return response.body if response.status == 200 and kind.startswith("image/") else None


async def fetch_images(urls: list[str], http: Http) -> dict[str, bytes]:
    """The images among ``urls`` that could be fetched within the limits."""
    wanted = [u for u in urls if u.lower().startswith(("http://", "https://"))][:MAX_IMAGES]
    if not wanted:
        return {}
    try:
        async with asyncio.timeout(DEADLINE_SECONDS):
            results = await asyncio.gather(*(_fetch_one(http, url) for url in wanted))
    except TimeoutError:
        return {}
    return {url: body for url, body in zip(wanted, results, strict=True) if body is not None}
