"""Match texts against queries in Python, as items arrive (ingest).

Imports no Qt. A :class:`Document` splits a title and a text into normalised words once; a
:class:`QuerySet` compiles many queries into one matcher: an index from "a word that must be
present" to the queries that need it, so an item that shares no word with a query never walks
that query's tree. Phrases never span the title and the text. Limits: word boundaries are
Unicode letter/digit runs, so scripts written without spaces (Chinese, Japanese, Thai) match
whole runs only, the same as the full-text index.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from cmdesk.core.query.syntax import AnyOf, Node, Term, parse, words_of


class Document:
    """A text prepared for matching: each normalised word and where it occurs."""

    __slots__ = ("positions",)

    def __init__(self, title: str = "", text: str = "") -> None:
        positions: dict[str, list[int]] = {}
        offset = 0
        for part in (title, text):
            words = words_of(part) if part else []
            for index, word in enumerate(words, offset):
                positions.setdefault(word, []).append(index)
            offset += len(words) + 1  # a gap, so a phrase never spans title and text
        self.positions = positions

    def has_term(self, term: Term) -> bool:
        first, *rest = term.words
        if not rest:
            if term.prefix:
                return any(word.startswith(first) for word in self.positions)
            return first in self.positions
        starts = self.positions.get(first)
        if not starts:
            return False
        for start in starts:
            if all(
                self._has_at(word, start + i, term.prefix and i == len(rest))
                for i, word in enumerate(rest, 1)
            ):
                return True
        return False

    def _has_at(self, word: str, index: int, prefix: bool) -> bool:
        if not prefix:
            return index in self.positions.get(word, ())
        return any(w.startswith(word) and index in p for w, p in self.positions.items())


def evaluate(node: Node, doc: Document) -> bool:
    """Whether the parsed query ``node`` matches the document."""
    if isinstance(node, Term):
        return doc.has_term(node)
    if isinstance(node, AnyOf):
        return any(evaluate(child, doc) for child in node.children)
    return all(evaluate(child, doc) for child in node.positive) and not any(
        evaluate(child, doc) for child in node.negative
    )


def matches(query: str, title: str = "", text: str = "") -> bool:
    """One-off convenience: parse ``query`` and match it against a title and text."""
    return evaluate(parse(query), Document(title, text))


def _triggers(node: Node) -> frozenset[str] | None:
    """Words of which at least one must be present for ``node`` to match (None: cannot tell)."""
    if isinstance(node, Term):
        return None if node.prefix and len(node.words) == 1 else frozenset(node.words[:1])
    if isinstance(node, AnyOf):
        found: set[str] = set()
        for child in node.children:
            sub = _triggers(child)
            if sub is None:
                return None
            found |= sub
        return frozenset(found)
    options = [t for t in (_triggers(child) for child in node.positive) if t is not None]
    return min(options, key=len) if options else None


@dataclass
class QuerySet:
    """Many parsed queries compiled into one matcher; keys are whatever the caller uses (ids)."""

    queries: dict[Hashable, Node] = field(default_factory=dict)
    _by_word: dict[str, list[Hashable]] = field(default_factory=dict, init=False)
    _always: list[Hashable] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        for key, node in self.queries.items():
            self._index(key, node)

    @classmethod
    def from_expressions(cls, expressions: Iterable[tuple[Hashable, str]]) -> QuerySet:
        """Parse each ``(key, expression)``; raises QueryError on the first bad one."""
        return cls({key: parse(expression) for key, expression in expressions})

    def add(self, key: Hashable, node: Node) -> None:
        self.queries[key] = node
        self._index(key, node)

    def _index(self, key: Hashable, node: Node) -> None:
        triggers = _triggers(node)
        if triggers is None:
            self._always.append(key)
        else:
            for word in triggers:
                self._by_word.setdefault(word, []).append(key)

    def __len__(self) -> int:
        return len(self.queries)

    def could_match(self, title: str, text: str) -> bool:
        """False only when no query can match: a cheap check before building a Document.

        Every indexed query needs one of its trigger words as a whole word of the normalised
        text, so for an ASCII text (whose normalised form is its lower case) that word is at
        least a substring of it. Most fetched items match no query: this skips their word
        splitting (~5 ms of a 50-item feed's 40). Other texts, and queries that cannot be
        indexed, always go on to the real match.
        """
        if self._always:
            return True
        combined = f"{title}\n{text}".lower()
        if not combined.isascii():
            return True
        return any(word in combined for word in self._by_word)

    def match(self, doc: Document, among: Iterable[Hashable] | None = None) -> list[Hashable]:
        """Keys of the queries the document matches, in the order they were added.

        ``among`` restricts the answer to those keys (per-source or per-language limits).
        """
        allowed = None if among is None else set(among)
        candidates: set[Hashable] = set(self._always)
        for word in doc.positions:
            hit = self._by_word.get(word)
            if hit:
                candidates.update(hit)
        if allowed is not None:
            candidates &= allowed
        return [
            key for key in self.queries if key in candidates and evaluate(self.queries[key], doc)
        ]
