"""Shared fixtures of the connector tests: a loopback server, fixtures by name, one fetch call."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from listening.server import LoopbackServer

from cmdesk.listening.connectors.base import FetchResult, SourceSpec
from cmdesk.listening.http import HttpClient, HttpSettings

FIXTURES = Path(__file__).parents[2] / "fixtures" / "connectors"
SETTINGS = HttpSettings(connect_timeout=2, read_timeout=2, deadline=3, clients=1)


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def load() -> Callable[[str], Any]:
    """A fixture file's JSON: ``load("hackernews/search_by_date_page0.json")``."""

    def read(name: str) -> Any:
        return json.loads((FIXTURES / name).read_text(encoding="utf-8"))

    return read


@pytest.fixture
def fetch() -> Callable[..., FetchResult]:
    """Run ``connector.fetch(spec, http, secret)`` on a fresh loop with a real HttpClient."""

    def run(connector: Any, spec: SourceSpec, secret: str | None = None) -> FetchResult:
        async def go() -> FetchResult:
            async with HttpClient(SETTINGS) as http:
                return await connector.fetch(spec, http, secret)

        return asyncio.run(go())

    return run
