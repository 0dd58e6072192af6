"""Compile a parsed query to an SQLite FTS5 MATCH expression over ``mention_fts``.

Imports no Qt. The index uses ``unicode61 remove_diacritics 2``, which splits and folds text the
way :func:`cmdesk.core.query.syntax.words_of` does for Latin scripts, so a query counts the same
stored mentions that ingest would have matched. Every word is emitted as a quoted FTS5 string,
so no user text can inject FTS5 syntax (column filters, NEAR, ^). Limit: FTS5 lowercases but does
not apply full Unicode case folding or compatibility decomposition (``ß``, ligatures).
"""

from __future__ import annotations

from cmdesk.core.query.syntax import AllOf, AnyOf, Node, Term, parse


def to_fts(node: Node) -> str:
    """The FTS5 MATCH string for a parsed query."""
    if isinstance(node, Term):
        phrase = '"' + " ".join(node.words).replace('"', '""') + '"'
        return phrase + ("*" if node.prefix else "")
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(to_fts(child) for child in node.children) + ")"
    positive = " AND ".join(to_fts(child) for child in node.positive)
    if len(node.positive) > 1:
        positive = f"({positive})"
    if not node.negative:
        return positive
    negative = " OR ".join(to_fts(child) for child in node.negative)
    return f"({positive} NOT ({negative}))"


def query_to_fts(query: str) -> str:
    """Parse and compile in one step; raises :class:`~cmdesk.core.query.syntax.QueryError`."""
    return to_fts(parse(query))


__all__ = ["AllOf", "AnyOf", "query_to_fts", "to_fts"]
