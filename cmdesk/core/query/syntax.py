"""The boolean query language: text → a small tree, with errors that point at the problem.

Imports no Qt. The syntax, as a community manager writes it::

    acme                    a word (case- and accent-insensitive, whole words only)
    "acme cloud"            an exact phrase (the words next to each other, in order)
    acme*                   a word starting with "acme" (acme, acmecorp...)
    acme cloud              both (AND is implied; writing AND is allowed)
    acme OR initech         either (OR, AND and NOT are operators only in capitals)
    acme -jobs, acme NOT jobs   the first but not the second
    (acme OR initech) -"press release"

NOT binds tighter than AND, which binds tighter than OR. A query must always look for something:
a NOT needs a positive term in the same AND group (``acme -jobs``, never ``-jobs`` alone or
``acme OR -jobs``), because a full-text index cannot list "everything except". Limits keep a
hostile or pasted query cheap: :data:`MAX_LENGTH` characters, :data:`MAX_TERMS` terms,
:data:`MAX_DEPTH` nested parentheses. Positions in error messages count characters from 1.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 4000
MAX_TERMS = 256
MAX_DEPTH = 32

# FTS5's unicode61 tokenizer: letters, digits and private-use characters make tokens;
# everything else (the underscore included) separates them.
_TOKEN = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """A query that cannot be used; ``str(exc)`` names the position and the problem."""

    def __init__(self, problem: str, position: int | None = None) -> None:
        self.problem = problem
        self.position = position  # 0-based character offset, None when the query as a whole
        where = f"at position {position + 1}: " if position is not None else ""
        super().__init__(f"{where}{problem}")


def normalise(text: str) -> str:
    """Lower-case, without accents: the form both the query and the text are compared in."""
    text = text.lower()
    if text.isascii():  # the common case, and 10x cheaper than decomposing
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words_of(text: str) -> list[str]:
    """The normalised words of ``text``, in order (how the full-text index splits it)."""
    return _TOKEN.findall(normalise(text))


@dataclass(frozen=True)
class Term:
    """A word (one token), a multi-token word such as ``acme.com``, or a quoted phrase."""

    words: tuple[str, ...]
    prefix: bool = False  # the last word is a prefix (``acme*``)
    position: int = 0


@dataclass(frozen=True)
class AllOf:
    """Every positive child matches and no negative child does."""

    positive: tuple[Node, ...]
    negative: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    """At least one child matches."""

    children: tuple[Node, ...]


Node = Term | AllOf | AnyOf


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "(", ")", "OR", "AND", "NOT", "-"
    text: str
    position: int


def _refuse_control_characters(query: str) -> None:
    for index, ch in enumerate(query):
        if ch not in "\t\r\n" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise QueryError(
                f"the invisible control character U+{ord(ch):04X} is not allowed", index
            )


def _lex(query: str) -> list[_Token]:
    _refuse_control_characters(query)
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch in " \t\r\n\u00a0\u3000":
            i += 1
        elif ch == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError('this quote is never closed; add a closing "', i)
            tokens.append(_Token("phrase", query[i + 1 : end], i))
            i = end + 1
        elif ch in "()":
            tokens.append(_Token(ch, ch, i))
            i += 1
        elif ch == "-" and i + 1 < n and query[i + 1] not in " \t\r\n)":
            tokens.append(_Token("-", ch, i))
            i += 1
        else:
            start = i
            while i < n and query[i] not in ' \t\r\n\u00a0\u3000"()':
                i += 1
            word = query[start:i]
            kind = word if word in ("OR", "AND", "NOT") else "word"
            tokens.append(_Token(kind, word, start))
    return tokens


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _lex(query)
        self.index = 0
        self.terms = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise QueryError("the query is empty; type at least one word to look for")
        node = self.parse_or(0)
        extra = self.peek()
        if extra is not None:  # only a stray ")" can stop parse_or early
            raise QueryError("this ')' has no matching '('", extra.position)
        return node

    def parse_or(self, depth: int) -> Node:
        children = [self.parse_and(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            if self._at_group_end():
                raise QueryError("OR needs something to look for on its right", token.position)
            children.append(self.parse_and(depth))
        return children[0] if len(children) == 1 else AnyOf(tuple(children))

    def _at_group_end(self) -> bool:
        token = self.peek()
        return token is None or token.kind in (")", "OR", "AND")

    def parse_and(self, depth: int) -> Node:
        positive: list[Node] = []
        negative: list[Node] = []
        start = self.peek()
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                self.take()
                if self._at_group_end() or not (positive or negative):
                    raise QueryError(
                        "AND needs something to look for on both sides", token.position
                    )
                continue
            if token.kind in ("NOT", "-"):
                self.take()
                if self._at_group_end():
                    raise QueryError(
                        f"{token.text} needs a word or phrase after it", token.position
                    )
                negative.append(self.parse_atom(depth))
            else:
                positive.append(self.parse_atom(depth))
        if start is None or start.kind in (")", "OR"):
            position = start.position if start is not None else len(self.query)
            raise QueryError("there is nothing to look for here", position)
        if not positive:
            raise QueryError(
                "a NOT or '-' must go with a word to look for, as in: acme -jobs", start.position
            )
        if len(positive) == 1 and not negative:
            return positive[0]
        return AllOf(tuple(positive), tuple(negative))

    def parse_atom(self, depth: int) -> Node:
        token = self.take()
        if token.kind == "(":
            if depth + 1 > MAX_DEPTH:
                raise QueryError(f"parentheses nest deeper than {MAX_DEPTH} levels", token.position)
            nxt = self.peek()
            if nxt is not None and nxt.kind == ")":
                raise QueryError("these parentheses are empty", token.position)
            if nxt is None:
                raise QueryError("this '(' is never closed; add a ')'", token.position)
            node = self.parse_or(depth + 1)
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError("this '(' is never closed; add a ')'", token.position)
            self.take()
            return node
        if token.kind == ")":
            raise QueryError("this ')' has no matching '('", token.position)
        return self.make_term(token)

    def make_term(self, token: _Token) -> Term:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError(f"the query has more than {MAX_TERMS} terms", token.position)
        text = token.text
        prefix = token.kind == "word" and text.endswith("*") and len(text) > 1
        words = tuple(words_of(text[:-1] if prefix else text))
        if not words:
            what = "this phrase" if token.kind == "phrase" else f"{text!r}"
            raise QueryError(f"{what} has no letters or digits to look for", token.position)
        return Term(words, prefix, token.position)


def parse(query: str) -> Node:
    """Parse a query; raises :class:`QueryError` naming the position and the problem."""
    if len(query) > MAX_LENGTH:
        raise QueryError(f"the query is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    return _Parser(query).parse()
