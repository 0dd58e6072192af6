"""Fetching one mention's remote images, only when the user clicked "Load images" for it.

Deliberately small and strict: http/https only, at most ``MAX_IMAGES`` images of at most
``MAX_BYTES`` each, no content encoding (``identity``, read raw, so nothing inflates past the
cap), an overall deadline, and only ``image/*`` answers kept. Nothing here runs unless asked.
"""

from __future__ import annotations

import asyncio

import httpx

MAX_IMAGES = 20
MAX_BYTES = 5 * 1024 * 1024
DEADLINE_SECONDS = 20.0


async def _fetch_one(client: httpx.AsyncClient, url: str) -> bytes | None:
    async with client.stream("GET", url, headers={"Accept-Encoding": "identity"}) as response:
        kind = response.headers.get("content-type", "")
        encoding = response.headers.get("content-encoding", "identity").lower()
        if response.status_code != 200 or not kind.startswith("image/") or encoding != "identity":
            return None
        chunks, size = [], 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > MAX_BYTES:
                return None
            chunks.append(chunk)
        return b"".join(chunks)


async def fetch_images(urls: list[str]) -> dict[str, bytes]:
    """The images among ``urls`` that could be fetched within the limits."""
    wanted = [u for u in urls if u.lower().startswith(("http://", "https://"))][:MAX_IMAGES]
    out: dict[str, bytes] = {}
    if not wanted:
        return out
    timeout = httpx.Timeout(10.0)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=3) as client:
        async with asyncio.timeout(DEADLINE_SECONDS):
            results = await asyncio.gather(
                *(_fetch_one(client, url) for url in wanted), return_exceptions=True
            )
    for url, result in zip(wanted, results, strict=True):
        if isinstance(result, bytes):
            out[url] = result
    return out
