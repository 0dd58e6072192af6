"""Inbox filters: what the user narrowed the list to, and the SQL that finds those mentions.

Imports no Qt. A :class:`MentionFilter` is a plain value (it round-trips through JSON for saved
views, rules and cross-pane navigation). :func:`compile_filter` turns it into a FROM/WHERE pair
whose common case walks an index in id order:

- no search: ``FROM mention m`` and every condition on ``m``; SQLite picks one of the (x, id)
  indexes and walks it newest first;
- a full-text search: ``FROM mention_fts f CROSS JOIN mention m``: the FTS5 hits drive the loop in
  rowid order (rowid = mention id), each joined row is checked by primary key. Ordering hits by a
  joined column instead costs hundreds of milliseconds on a common term (TECH-NOTES).

A filter can carry another in ``also``: what the filter bar chose inside a view. Its conditions
are added to the view's with AND, so the bar always narrows the view (a query's view with another
query chosen shows the mentions that matched both). Relative dates are stored as ``since_days``
and resolved against the injected clock when the query runs, so a saved "Last 7 days" view keeps
meaning the last seven days.

Limits: the search syntax is a small, safe subset of FTS5 (words, "phrases", prefix*, OR, -word);
anything else is taken literally, so a user can never produce an FTS5 syntax error. ``also``
adds conditions only: its ``search``, ``words``, ``ids`` and sort are not used (the filter bar
puts its search in the outer filter).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from functools import cache
from typing import Any

from cmdesk.core.query import AllOf, AnyOf, Node, QueryError, Term, normalise, parse

INFLUENCER_REACH = 10_000
SORT_KEYS = (
    "newest",
    "oldest",
    "published",
    "reach",
    "priority",
    "sentiment",
    "source",
    "author",
    "state",
)
VIEW_KEYS = ("all", "new", "needs_response", "mine", "starred", "done", "archived")
OPEN_STATES = ("new", "open", "waiting")
HIDDEN_STATES = ("archived", "spam")


@dataclass(frozen=True)
class MentionFilter:
    """Every way the inbox can be narrowed; empty tuples and ``None`` mean "any"."""

    states: tuple[str, ...] = ()
    exclude_states: tuple[str, ...] = ()
    source_kinds: tuple[str, ...] = ()
    source_ids: tuple[int, ...] = ()
    query_ids: tuple[int, ...] = ()
    sentiments: tuple[str, ...] = ()
    tag_ids: tuple[int, ...] = ()
    assignee_ids: tuple[int, ...] = ()
    assigned_to_me: bool = False
    department_ids: tuple[int, ...] = ()
    langs: tuple[str, ...] = ()
    since: int | None = None  # published_at >= since (UTC seconds)
    since_days: int | None = None  # published in the last N days, counted from "now" at query time
    until: int | None = None  # published_at < until
    starred: bool | None = None
    needs_response: bool | None = None
    contact_id: int | None = None  # the author is this contact
    from_contact: bool = False  # the author is linked to any contact
    from_influencer: bool = False  # reach >= INFLUENCER_REACH or in an "influencer" list
    contact_list_ids: tuple[int, ...] = ()  # the author's contact is in one of these lists
    min_reach: int | None = None
    author_id: int | None = None
    url: str | None = None  # the canonical URL (item_mentions.canonical_url of the original)
    ids: tuple[int, ...] = ()  # exactly these mentions (a link from elsewhere)
    words: tuple[str, ...] = ()  # any of these words or phrases (rules)
    search: str = ""  # the search box
    sort: str = "newest"
    ascending: bool = False  # for sorts other than newest/oldest: A→Z, low→high
    also: MentionFilter | None = None  # more conditions, ANDed (the filter bar inside a view)

    def to_dict(self) -> dict[str, Any]:
        """Only the fields that differ from the default: short, stable JSON."""
        default = MentionFilter()
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            if isinstance(value, MentionFilter):
                out[f.name] = value.to_dict()
            else:
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> MentionFilter:
        """Build from JSON; unknown keys are ignored so old saved views still open."""
        kwargs: dict[str, Any] = {}
        known = {f.name: f for f in fields(cls)}
        for name, value in (data or {}).items():
            if name not in known:
                continue
            default = getattr(cls(), name)
            if name == "also":
                kwargs[name] = cls.from_dict(value) if isinstance(value, dict) else None
            elif isinstance(default, tuple):
                values = value if isinstance(value, list | tuple) else [value]
                kwargs[name] = tuple(values)
            else:
                kwargs[name] = value
        return replace(cls(), **kwargs)

    def with_(self, **changes: Any) -> MentionFilter:
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return not self.to_dict() or set(self.to_dict()) == {"sort"}


@dataclass
class CompiledFilter:
    """``SELECT ... {from_sql} WHERE {where_sql}`` with ``params``; ``key`` is the id column."""

    from_sql: str
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    key: str = "m.id"
    common_queries: bool = False

    @property
    def where_sql(self) -> str:
        return " AND ".join(self.where) if self.where else "1"


def builtin_view(key: str) -> MentionFilter:
    """The filter behind a built-in sidebar view (``all``, ``new``...)."""
    if key == "all":
        return MentionFilter(exclude_states=HIDDEN_STATES)
    if key == "new":
        return MentionFilter(states=("new",))
    if key == "needs_response":
        return MentionFilter(needs_response=True, exclude_states=("done", *HIDDEN_STATES))
    if key == "mine":
        return MentionFilter(assigned_to_me=True, states=OPEN_STATES)
    if key == "starred":
        return MentionFilter(starred=True)
    if key == "done":
        return MentionFilter(states=("done",))
    if key == "archived":
        return MentionFilter(states=HIDDEN_STATES)
    raise KeyError(key)


# -- full-text search syntax ------------------------------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchTerm:
    """One thing to find: a word, a phrase, or a prefix; ``excluded`` for ``-word``."""

    text: str
    prefix: bool = False
    phrase: bool = False
    excluded: bool = False


def parse_search(text: str) -> list[SearchTerm | str]:
    """Terms and the connective ``"OR"`` between them, in order."""
    out: list[SearchTerm | str] = []
    for match in _TOKEN.finditer(text or ""):
        minus, phrase, bare = match.groups()
        if phrase is not None:
            words = _WORD.findall(phrase)
            if words:
                out.append(SearchTerm(" ".join(words), phrase=True, excluded=bool(minus)))
            continue
        if bare == "OR":
            if out and out[-1] != "OR":
                out.append("OR")
            continue
        excluded = bare.startswith("-") and len(bare) > 1
        prefix = bare.endswith("*")
        words = _WORD.findall(bare)
        if not words:
            continue
        if len(words) > 1:  # "e-mail", "user@host": a phrase of its parts
            out.append(SearchTerm(" ".join(words), phrase=True, excluded=excluded))
        else:
            out.append(SearchTerm(words[0], prefix=prefix, excluded=excluded))
    while out and out[-1] == "OR":
        out.pop()
    while out and out[0] == "OR":
        out.pop(0)
    return out


def search_to_fts(text: str) -> str:
    """A safe FTS5 MATCH expression for the search box text; "" when there is nothing to find."""
    parts = parse_search(text)
    positives: list[str] = []
    negatives: list[str] = []
    pending_or = False
    for part in parts:
        if part == "OR":
            pending_or = True
            continue
        assert isinstance(part, SearchTerm)
        quoted = '"' + part.text.replace('"', "") + '"' + ("*" if part.prefix else "")
        if part.excluded:
            negatives.append(quoted)
        elif pending_or and positives:
            positives[-1] = f"({positives[-1]} OR {quoted})"
        else:
            positives.append(quoted)
        pending_or = False
    if not positives:
        return ""
    expression = " AND ".join(positives)
    for negative in negatives:
        expression = f"({expression}) NOT {negative}"
    return expression


def words_to_fts(words: tuple[str, ...] | list[str]) -> str:
    """An FTS5 expression matching any of ``words`` (each a word or a phrase)."""
    quoted = []
    for word in words:
        tokens = _WORD.findall(word)
        if tokens:
            quoted.append('"' + " ".join(tokens) + '"')
    return " OR ".join(quoted)


def highlight_terms(text: str) -> list[SearchTerm]:
    """The positive terms of a search, for highlighting hits."""
    return [p for p in parse_search(text) if isinstance(p, SearchTerm) and not p.excluded]


def query_highlight_terms(expression: str) -> list[SearchTerm]:
    """The words and phrases a boolean query looks for, read with the query parser.

    Excluded terms (``-word``, ``NOT word``, a negated group) are left out: the text was matched
    because it does *not* contain them. A query that does not parse highlights nothing.
    """
    try:
        root = parse(expression or "")
    except QueryError:
        return []
    out: list[SearchTerm] = []

    def walk(node: Node) -> None:
        if isinstance(node, Term):
            text = " ".join(node.words)
            out.append(SearchTerm(text, prefix=node.prefix, phrase=len(node.words) > 1))
        elif isinstance(node, AllOf):
            for child in node.positive:
                walk(child)
        elif isinstance(node, AnyOf):
            for child in node.children:
                walk(child)

    walk(root)
    return out


@cache
def _accented() -> dict[str, str]:
    """Each plain Latin letter and the accented letters that fold to it (é, è, ê... for e)."""
    table: dict[str, str] = {}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii() and base.isalpha() and ch.lower() != base.lower():
            table[base.lower()] = table.get(base.lower(), "") + ch.lower()
    return table


def _folding(word: str) -> str:
    """A regex for ``word`` that also matches it written with accents, as the index folds them."""
    table = _accented()
    parts = []
    for ch in normalise(word):
        variants = table.get(ch)
        parts.append(f"[{ch}{''.join(dict.fromkeys(variants))}]" if variants else re.escape(ch))
    return "".join(parts)


def highlight_pattern(terms: list[SearchTerm]) -> re.Pattern[str] | None:
    """A case-insensitive regex finding the terms in displayed text (prefixes included).

    Accents are folded both ways, like the full-text index: "cafe" finds "Café", "café" "cafe".
    The pattern is also valid for QRegularExpression (the reading pane uses its text).
    """
    alternatives = []
    for term in terms:
        body = r"\W+".join(_folding(w) for w in term.text.split())
        if body:
            alternatives.append(rf"\b{body}\w*" if term.prefix else rf"\b{body}\b")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE | re.UNICODE)


# -- SQL --------------------------------------------------------------------------------------


def _in(column: str, values: tuple[Any, ...], compiled: CompiledFilter, negate: bool = False):
    marks = ",".join("?" * len(values))
    compiled.where.append(f"{column} {'NOT ' if negate else ''}IN ({marks})")
    compiled.params.extend(values)


def compile_filter(
    filt: MentionFilter,
    *,
    me_id: int | None = None,
    among_ids: list[int] | None = None,
    common_queries: bool = False,
    now: int | None = None,
) -> CompiledFilter:
    """FROM and WHERE for ``filt``; ``me_id`` is the teammate marked as the user.

    ``now`` (UTC seconds, from the workspace clock) resolves ``since_days``; a filter with a
    relative date and no ``now`` is refused rather than silently frozen.

    ``among_ids`` restricts to those mentions (rules on a fresh batch): word conditions are then
    checked per mention by rowid instead of collecting every hit of the word. ``common_queries``
    says the filter's queries hold many mentions (see ``mentions.compile_for``), which decides
    how the query condition is written.
    """
    fts = search_to_fts(filt.search)
    words = words_to_fts(filt.words)
    if fts:
        compiled = CompiledFilter(
            "FROM mention_fts f CROSS JOIN mention m ON m.id = f.rowid", key="f.rowid"
        )
        compiled.where.append("mention_fts MATCH ?")
        compiled.params.append(fts)
    else:
        compiled = CompiledFilter("FROM mention m")
    if among_ids is not None:
        _in("m.id", tuple(among_ids), compiled)
    if words and among_ids is not None:
        compiled.where.append(
            "EXISTS (SELECT 1 FROM mention_fts WHERE mention_fts MATCH ? AND rowid = m.id)"
        )
        compiled.params.append(words)
    elif words:
        compiled.where.append("m.id IN (SELECT rowid FROM mention_fts WHERE mention_fts MATCH ?)")
        compiled.params.append(words)
    # A fresh batch (among_ids) is probed per mention too, never by collecting a query's ids.
    compiled.common_queries = common_queries or among_ids is not None
    _add_conditions(filt, compiled, me_id, now)
    return compiled


def _add_conditions(
    filt: MentionFilter, c: CompiledFilter, me_id: int | None, now: int | None
) -> None:
    _add_triage(filt, c, me_id)
    _add_origin(filt, c, now)
    _add_author(filt, c)
    if filt.also is not None:
        _add_conditions(filt.also, c, me_id, now)


def _add_triage(filt: MentionFilter, c: CompiledFilter, me_id: int | None) -> None:
    if filt.states:
        _in("m.state", filt.states, c)
    if filt.exclude_states:
        _in("m.state", filt.exclude_states, c, negate=True)
    if filt.starred is not None:
        # A literal, not a parameter: only then can SQLite use the partial index on starred.
        c.where.append("m.starred = 1" if filt.starred else "m.starred = 0")
    if filt.needs_response is not None:
        c.where.append(
            "(m.needs_response = 1 AND m.responded_at IS NULL)"
            if filt.needs_response
            else "(m.needs_response = 0 OR m.responded_at IS NOT NULL)"
        )
    if filt.assigned_to_me:
        c.where.append("m.assignee_id = ?")
        c.params.append(me_id if me_id is not None else -1)
    if filt.assignee_ids:
        _in("m.assignee_id", filt.assignee_ids, c)
    if filt.department_ids:
        _in("m.department_id", filt.department_ids, c)
    if filt.tag_ids:
        marks = ",".join("?" * len(filt.tag_ids))
        c.where.append(f"m.id IN (SELECT mention_id FROM mention_tag WHERE tag_id IN ({marks}))")
        c.params.extend(filt.tag_ids)


def _add_origin(filt: MentionFilter, c: CompiledFilter, now: int | None = None) -> None:
    if filt.source_ids:
        _in("m.source_id", filt.source_ids, c)
    if filt.source_kinds:
        marks = ",".join("?" * len(filt.source_kinds))
        c.where.append(f"m.source_id IN (SELECT id FROM source WHERE kind IN ({marks}))")
        c.params.extend(filt.source_kinds)
    if filt.query_ids:
        marks = ",".join("?" * len(filt.query_ids))
        if c.common_queries:
            # Walk the list in order and probe (mention_id, query_id) per row: the first page of
            # a query holding 870k of 1M mentions in 0.4 ms, where collecting its ids first and
            # sorting them takes 690 ms. For a rare query collecting is the cheap way.
            c.where.append(
                "EXISTS (SELECT 1 FROM mention_query mq WHERE mq.mention_id = m.id "
                f"AND mq.query_id IN ({marks}))"
            )
        else:
            c.where.append(
                f"m.id IN (SELECT mention_id FROM mention_query WHERE query_id IN ({marks}))"
            )
        c.params.extend(filt.query_ids)
    if filt.sentiments:
        _in("m.sentiment_label", filt.sentiments, c)
    if filt.langs:
        _in("m.lang", filt.langs, c)
    if filt.since is not None:
        c.where.append("m.published_at >= ?")
        c.params.append(int(filt.since))
    if filt.since_days is not None:
        if now is None:
            raise ValueError("a filter with since_days needs the current time (now)")
        c.where.append("m.published_at >= ?")
        c.params.append(int(now) - int(filt.since_days) * 86400)
    if filt.until is not None:
        c.where.append("m.published_at < ?")
        c.params.append(int(filt.until))
    if filt.ids:
        _in("m.id", filt.ids, c)
    if filt.url:
        # Callers pass the canonical form (item_mentions.canonical_url): the mention at that
        # address or linking to it. Both sides are index probes; "OR m.url = ?" would defeat
        # the canonical_url index and scan every mention.
        c.where.append(
            "(m.canonical_url = ? OR m.id IN (SELECT mention_id FROM mention_link WHERE url = ?))"
        )
        c.params.extend([filt.url, filt.url])


def _add_author(filt: MentionFilter, c: CompiledFilter) -> None:
    if filt.author_id is not None:
        c.where.append("m.author_id = ?")
        c.params.append(filt.author_id)
    if filt.contact_id is not None:
        c.where.append("m.author_id IN (SELECT id FROM author WHERE contact_id = ?)")
        c.params.append(filt.contact_id)
    if filt.from_contact:
        c.where.append("m.author_id IN (SELECT id FROM author WHERE contact_id IS NOT NULL)")
    if filt.contact_list_ids:
        marks = ",".join("?" * len(filt.contact_list_ids))
        c.where.append(
            "m.author_id IN (SELECT a.id FROM author a JOIN contact_list_member l "
            f"ON l.contact_id = a.contact_id WHERE l.contact_list_id IN ({marks}))"
        )
        c.params.extend(filt.contact_list_ids)
    if filt.min_reach is not None:
        c.where.append(
            "MAX(COALESCE(m.reach, 0), "
            "COALESCE((SELECT reach FROM author WHERE id = m.author_id), 0)) >= ?"
        )
        c.params.append(int(filt.min_reach))
    if filt.from_influencer:
        # "+" keeps SQLite from walking each influencer's mentions through the author index and
        # sorting them all (25k authors, 1M mentions: 128 ms); scanning the list in order and
        # testing membership finds a page in about half that.
        c.where.append(
            "+m.author_id IN (SELECT a.id FROM author a WHERE a.reach >= ? OR a.contact_id IN ("
            "SELECT l.contact_id FROM contact_list_member l JOIN contact_list cl "
            "ON cl.id = l.contact_list_id WHERE lower(cl.name) LIKE '%influencer%'))"
        )
        c.params.append(INFLUENCER_REACH)
