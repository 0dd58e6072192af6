"""The boolean query language: parse, match in Python at ingest, compile to FTS5 for counts."""

from cmdesk.core.query.fts import query_to_fts, to_fts
from cmdesk.core.query.matching import Document, QuerySet, evaluate, matches
from cmdesk.core.query.syntax import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_TERMS,
    AllOf,
    AnyOf,
    Node,
    QueryError,
    Term,
    normalise,
    parse,
    words_of,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_TERMS",
    "AllOf",
    "AnyOf",
    "Document",
    "Node",
    "QueryError",
    "QuerySet",
    "Term",
    "evaluate",
    "matches",
    "normalise",
    "parse",
    "query_to_fts",
    "to_fts",
    "words_of",
]
