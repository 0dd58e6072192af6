"""The explicit registry of listening connectors: ``Source.kind`` → connector class.

Listed here, never discovered by import name, so packagers and readers see every connector. Add a
connector with one line in ``CONNECTORS``. :func:`connector_for` is what the engine calls.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from cmdesk.listening.connectors.base import Connector, ConnectorError
from cmdesk.listening.connectors.bluesky import BlueskyConnector
from cmdesk.listening.connectors.feed import FeedConnector
from cmdesk.listening.connectors.github import GitHubConnector
from cmdesk.listening.connectors.hackernews import HackerNewsConnector
from cmdesk.listening.connectors.mastodon import MastodonConnector
from cmdesk.listening.connectors.reddit import RedditConnector
from cmdesk.listening.connectors.stackexchange import StackExchangeConnector

# In the order of ``SOURCE_KINDS``: the add-source dialog lists kinds in this order.
CONNECTORS: dict[str, type[Any]] = {
    FeedConnector.kind: FeedConnector,
    HackerNewsConnector.kind: HackerNewsConnector,
    RedditConnector.kind: RedditConnector,
    MastodonConnector.kind: MastodonConnector,
    BlueskyConnector.kind: BlueskyConnector,
    StackExchangeConnector.kind: StackExchangeConnector,
    GitHubConnector.kind: GitHubConnector,
}


def connector_for(kind: str, parse_pool: Executor | None = None) -> Connector:
    """A fresh connector for a source kind; raises :class:`ConnectorError` for an unknown kind.

    Connectors whose class sets ``parses_off_loop = True`` get the engine's process pool as
    ``parse_pool`` (CPU-heavy parsing must not stall the event loop); others take no arguments.
    """
    try:
        cls = CONNECTORS[kind]
    except KeyError:
        raise ConnectorError(f"No connector for sources of kind {kind!r}.", "invalid") from None
    if getattr(cls, "parses_off_loop", False):
        return cls(parse_pool=parse_pool)  # type: ignore[no-any-return]
    return cls()  # type: ignore[no-any-return]
