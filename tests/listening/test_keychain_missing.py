"""No usable keychain: sources that need a secret are paused in words, not failing."""

from __future__ import annotations

import asyncio
import logging
import random
from concurrent.futures import ThreadPoolExecutor

from keyring.backends.fail import Keyring as NoKeyring
from listening.server import LoopbackServer, Reply

from cmdesk.core.services import sources
from cmdesk.keychain import Keychain
from cmdesk.listening.engine import FetchSummary, fetch_sources
from cmdesk.listening.http import HttpClient, HttpSettings
from cmdesk.ui.sources import health

NOW = 1_795_168_800  # the conftest clock
SETTINGS = HttpSettings(connect_timeout=2, read_timeout=2, deadline=3, clients=1)


def fetch(ws, keychain: Keychain) -> FetchSummary:
    async def run() -> FetchSummary:
        async with HttpClient(SETTINGS) as http:
            with ThreadPoolExecutor(2) as pool:
                return await fetch_sources(
                    ws, http, None, parse_pool=pool, rng=random.Random(1), keychain=keychain
                )

    return asyncio.run(run())


def test_a_source_with_an_account_waits_for_the_keychain_without_failing(workspace, caplog):
    ws = workspace
    keychain = Keychain(backend=NoKeyring())
    with LoopbackServer() as server:
        server.route("/x/api/v1/timelines/tag/acme", Reply.json([]))
        needs = ws.write(
            sources.add_source, ws, server.url(""), kind="mastodon",
            config={"query": "acme"}, account="mastodon/acme",
        ).result().id  # fmt: skip
        free = (
            ws.write(
                sources.add_source, ws, server.url("/x"), kind="mastodon", config={"tag": "acme"}
            )
            .result()
            .id
        )
        with caplog.at_level(logging.INFO):
            summary = fetch(ws, keychain)
            again = fetch(ws, keychain)  # not due again: the interval, not a backoff
    assert summary.failed == [] and not summary.offline
    assert summary.waiting == [(needs, sources.get_source(ws, needs).name, sources.NEEDS_KEYCHAIN)]
    assert again.waiting == []
    row = sources.get_source(ws, needs)
    assert row.consecutive_failures == 0 and row.last_error == sources.NEEDS_KEYCHAIN
    assert row.next_fetch_at == NOW + 15 * 60
    assert health.state_text(row, NOW) == "Paused: no keychain"
    assert sources.get_source(ws, free).state == "ok"
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "Paused" in " ".join(
        r.getMessage() for r in caplog.records if r.name == "cmdesk.listening.engine"
    )
