"""The boolean query language: parsing, matching, FTS5 compilation and hostile input."""

from __future__ import annotations

import sqlite3

import pytest

from cmdesk.core.query import (
    MAX_DEPTH,
    Document,
    QueryError,
    QuerySet,
    matches,
    parse,
    query_to_fts,
)


@pytest.mark.parametrize(
    ("query", "title", "text", "expected"),
    [
        ("acme", "Acme launches", "", True),
        ("acme", "", "we love ACME!", True),
        ("acme", "", "acmecorp is not it", False),  # whole words only
        ("acme*", "", "acmecorp is it", True),
        ("cafe", "", "Le Café de Flore", True),  # diacritics
        ("café", "", "CAFE opens", True),
        ("ÉCOLE", "", "l'école", True),
        ("straße", "", "STRASSE", False),  # lower-casing, not full case folding: like FTS5
        ("Москва", "", "в москве и москва", True),  # unicode words
        ("東京", "", "東京 タワー", True),
        ('"acme cloud"', "", "the Acme  Cloud, today", True),
        ('"acme cloud"', "", "cloud acme", False),
        ('"acme cloud"', "acme", "cloud", False),  # a phrase never spans title and text
        ("acme cloud", "acme", "cloud", True),
        ("acme AND cloud", "", "cloud only", False),
        ("acme OR initech", "", "Initech layoffs", True),
        ("acme -jobs", "", "acme is hiring: jobs", False),
        ("acme NOT jobs", "", "acme is great", True),
        ('(acme OR initech) -"press release"', "", "Initech press release", False),
        ('(acme OR initech) -"press release"', "", "initech press and a release", True),
        ("acme.com", "", "visit https://acme.com/x", True),
        ("e-mail", "", "send an e mail", True),
        ("snake_case", "", "snake case", True),  # FTS5 splits on the underscore too
        ("acme or", "", "or acme", True),  # lower-case "or" is a word, not an operator
        ("acme clo*", "", "acme cloudy", True),
        ('"acme clo*"', "", "acme clo", True),  # inside quotes the star is just punctuation
    ],
)
def test_matching(query: str, title: str, text: str, expected: bool) -> None:
    assert matches(query, title, text) is expected


@pytest.mark.parametrize(
    ("query", "position", "fragment"),
    [
        ("", None, "empty"),
        ("   ", None, "empty"),
        ("-jobs", 0, "must go with a word"),
        ("NOT jobs", 0, "must go with a word"),
        ("acme OR -jobs", 8, "must go with a word"),
        ("(acme", 0, "never closed"),
        ("acme)", 4, "no matching '('"),
        ("((acme)", 0, "never closed"),
        ('acme "cloud', 5, "quote is never closed"),
        ("acme OR", 5, "right"),
        ("OR acme", 0, "nothing to look for"),
        ("AND acme", 0, "both sides"),
        ("acme AND", 5, "both sides"),
        ("acme ()", 5, "empty"),
        ("acme -", 5, "no letters or digits"),
        ("acme - jobs", 5, "no letters or digits"),
        ("acme NOT", 5, "needs a word"),
        ("!!!", 0, "no letters or digits"),
        ('acme ""', 5, "no letters or digits"),
        ("ac\x00me", 2, "U+0000"),
        ("acme\u200bx", 4, "U+200B"),
        ('"ac\x07"', 3, "U+0007"),
    ],
)
def test_bad_queries_name_position_and_problem(
    query: str, position: int | None, fragment: str
) -> None:
    with pytest.raises(QueryError) as info:
        parse(query)
    assert info.value.position == position
    assert fragment in str(info.value)
    if position is not None:
        assert str(info.value).startswith(f"at position {position + 1}:")


def test_hostile_sizes_are_refused_quickly() -> None:
    with pytest.raises(QueryError, match="more than 256 terms"):
        parse(" ".join(f"w{i}" for i in range(600)))
    with pytest.raises(QueryError, match="longer than"):
        parse(" OR ".join(["w"] * 10_000))
    with pytest.raises(QueryError, match="nest deeper"):
        parse("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))
    parse("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH)  # the limit itself is fine


def test_tabs_and_newlines_are_spaces() -> None:
    assert matches("acme\n-jobs\tOR\r\ninitech", "", "initech")


def _fts_hits(rows: list[tuple[str, str]], query: str) -> set[int]:
    con = sqlite3.connect(":memory:")
    con.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')"
    )
    con.executemany(
        "INSERT INTO t(rowid, title, text) VALUES (?, ?, ?)",
        [(i, title, text) for i, (title, text) in enumerate(rows)],
    )
    return {
        row[0] for row in con.execute("SELECT rowid FROM t WHERE t MATCH ?", (query_to_fts(query),))
    }


CORPUS = [
    ("Acme launches Cloud", "a new product"),
    ("Initech press release", "quarterly numbers"),
    ("Jobs at Acme", "we are hiring"),
    ("Le café", "acmecorp merger"),
    ("nothing", "here at all"),
    ("acme.com outage", "status page: NOT ok (really)"),
    ('quote " AND ) inside', "column:title NEAR(x y) ^start"),
]


@pytest.mark.parametrize(
    "query",
    [
        "acme",
        "acme*",
        "cafe",
        '"acme cloud"',
        "acme -jobs",
        "(acme OR initech) -release",
        "acme.com",
        "release OR merger OR outage",
        "(acme OR initech) (cloud OR numbers) -jobs",
        "column title",
        "NEAR",
        '"inside column"',
    ],
)
def test_fts_counts_what_python_matches(query: str) -> None:
    python_hits = {i for i, (title, text) in enumerate(CORPUS) if matches(query, title, text)}
    assert _fts_hits(CORPUS, query) == python_hits


def test_user_text_cannot_inject_fts_syntax() -> None:
    assert query_to_fts("title:acme") == '"title acme"'
    assert query_to_fts("^acme") == '"acme"'
    assert query_to_fts("NEAR(a b)") == '("near" AND ("a" AND "b"))'
    assert query_to_fts('a "b "" c"') == '("a" AND "b" AND "c")'


def test_query_set_matches_many_queries_at_once() -> None:
    queries = QuerySet.from_expressions(
        [(1, "acme"), (2, "initech -jobs"), (3, "acme*"), (4, '"acme cloud" OR globex')]
    )
    doc = Document("Acme Cloud is up", "initech jobs page")
    assert queries.match(doc) == [1, 3, 4]
    assert queries.match(doc, among=[3, 4]) == [3, 4]
    assert queries.match(Document("globex", "")) == [4]
    assert queries.match(Document("unrelated", "words")) == []
    assert len(queries) == 4


def test_could_match_never_skips_a_text_a_query_matches() -> None:
    """The cheap pre-check only ever says no when the real match says no."""
    import random

    from cmdesk.core.query import Document

    expressions = [
        "acme", '"acme widget"', "acme OR globex", "relay -outage", "(acme OR initech) relay",
        "wid*", "café", "acme.com", '"new release" NOT beta', "naïve", "über",
    ]  # fmt: skip
    words = ["Acme", "acme", "ACME", "widget", "Globex", "relay", "outage", "Initech", "Widgets",
             "café", "cafe", "CAFÉ", "new", "release", "beta", "naive", "Über", "uber", "acme.com",
             "x", "the", "and", "AcmeRelay", "relay,", "(acme)", "ﬁne", "İstanbul"]  # fmt: skip
    rng = random.Random(5)
    for expression in expressions:
        one = QuerySet.from_expressions([(1, expression)])
        for _ in range(400):
            title = " ".join(rng.choice(words) for _ in range(rng.randint(0, 4)))
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
            if one.match(Document(title, text)):
                assert one.could_match(title, text), (expression, title, text)
    nothing = QuerySet.from_expressions([(1, "acme"), (2, '"relay delay"')])
    assert not nothing.could_match("Globex launches", "a new widget for everyone")
    assert QuerySet.from_expressions([(1, "wid*")]).could_match("x", "y")  # cannot be indexed
