"""The explicit registry of listening connectors: ``Source.kind`` → connector class.

Listed here, never discovered by import name, so packagers and readers see every connector. Add a
connector with one line in ``CONNECTORS``. :func:`connector_for` is what the engine calls.
"""

from __future__ import annotations

from cmdesk.listening.connectors.base import Connector, ConnectorError

CONNECTORS: dict[str, type[Connector]] = {}


def connector_for(kind: str) -> Connector:
    """A fresh connector for a source kind; raises :class:`ConnectorError` for an unknown kind."""
    try:
        return CONNECTORS[kind]()
    except KeyError:
        raise ConnectorError(f"No connector for sources of kind {kind!r}.", "invalid") from None
