"""OPML lists of feeds (Feedly, Inoreader, NetNewsWire...): reading safely and writing OPML 2.0.

Imports no Qt. The code lives in :mod:`cmdesk.core.services.sources_opml`: core never imports
formats, and the import service reads the file itself. This module is where the other file
formats are, so it is where a reader of the code looks; see the service's docstring for what is
read, what is refused and the limits.
"""

from __future__ import annotations

from cmdesk.core.services.sources_opml import (
    FOLDER_SEPARATOR,
    MAX_BYTES,
    MAX_DEPTH,
    OpmlEntry,
    OpmlError,
    ParseResult,
    Problem,
    feed_key,
    parse_opml,
    read_opml_file,
    write_opml,
)

__all__ = [
    "FOLDER_SEPARATOR",
    "MAX_BYTES",
    "MAX_DEPTH",
    "OpmlEntry",
    "OpmlError",
    "ParseResult",
    "Problem",
    "feed_key",
    "parse_opml",
    "read_opml_file",
    "write_opml",
]
