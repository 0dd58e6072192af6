from __future__ import annotations

import pytest
from inbox_data import NOW, add_author, add_contact, add_mention, add_query, add_source

from cmdesk.core.services import mentions, triage
from cmdesk.core.services.inbox_filters import (
    SORT_KEYS,
    MentionFilter,
    builtin_view,
    highlight_pattern,
    highlight_terms,
    search_to_fts,
)


@pytest.fixture
def inbox(workspace):
    """A small realistic inbox: two sources, a query, a contact in a list, triage states."""
    ws = workspace
    hn = add_source(ws, "Hacker News", "hackernews")
    reddit = add_source(ws, "r/selfhosted", "reddit")
    acme = add_query(ws, "Acme")
    ada_contact = add_contact(ws, "Ada Lovelace", lists=("Advocates",))
    ada = add_author(ws, "ada", name="Ada L.", reach=50_000, contact_id=ada_contact)
    bob = add_author(ws, "bob", reach=12)
    me = ws.db.execute_sql("INSERT INTO teammate(name, is_me) VALUES ('Sam', 1)").lastrowid
    support = ws.db.execute_sql("INSERT INTO department(name, position) VALUES ('Support', 0)")
    ids = {}
    ids["refund"] = add_mention(
        ws,
        hn,
        "Refund request",
        "Acme broke my order, want a refund",
        author_id=bob,
        sentiment_label="negative",
        sentiment=-0.7,
        lang="en",
        query_ids=[acme],
        published_at=NOW - 7200,
    )
    ids["praise"] = add_mention(
        ws,
        reddit,
        "Acme is lovely",
        "Great self-hosting experience",
        author_id=ada,
        sentiment_label="positive",
        sentiment=0.8,
        lang="en",
        reach=50_000,
        query_ids=[acme],
    )
    ids["french"] = add_mention(
        ws,
        reddit,
        "Bonjour",
        "Acmé est formidable",
        lang="fr",
        sentiment_label="positive",
        sentiment=0.5,
        query_ids=[acme],
    )
    ids["done"] = add_mention(
        ws,
        hn,
        "Old thread",
        "nothing to do",
        state="done",
        lang="en",
        sentiment_label="neutral",
        published_at=NOW - 86400 * 3,
    )
    ids["spam"] = add_mention(ws, hn, "Buy pills", "cheap pills", state="spam")
    ids["mine"] = add_mention(
        ws,
        hn,
        "Question",
        "how to configure acme-cli?",
        assignee_id=me,
        state="open",
        needs_response=1,
        starred=1,
    )
    ids["routed"] = add_mention(
        ws,
        hn,
        "Invoice",
        "invoice wrong",
        department_id=support.lastrowid,
        state="waiting",
        url="https://example.com/invoice",
    )
    return (
        ws,
        ids,
        {
            "hn": hn,
            "reddit": reddit,
            "acme": acme,
            "me": me,
            "ada": ada,
            "contact": ada_contact,
            "support": support.lastrowid,
        },
    )


def ids_of(ws, filt):
    return [i for _, i in mentions.page_ids(ws, filt, limit=100)]


def test_every_filter_narrows_to_the_expected_mentions(inbox):
    ws, ids, refs = inbox
    cases = {
        "states": (MentionFilter(states=("done",)), ["done"]),
        "source kind": (MentionFilter(source_kinds=("reddit",)), ["french", "praise"]),
        "source": (MentionFilter(source_ids=(refs["hn"],), states=("new",)), ["refund"]),
        "query": (MentionFilter(query_ids=(refs["acme"],)), ["french", "praise", "refund"]),
        "sentiment": (MentionFilter(sentiments=("negative",)), ["refund"]),
        "assignee": (MentionFilter(assignee_ids=(refs["me"],)), ["mine"]),
        "me": (MentionFilter(assigned_to_me=True), ["mine"]),
        "department": (MentionFilter(department_ids=(refs["support"],)), ["routed"]),
        "language": (MentionFilter(langs=("fr",)), ["french"]),
        "since": (MentionFilter(since=NOW - 3600, states=("new",)), ["french", "praise"]),
        "until": (MentionFilter(until=NOW - 3600), ["done", "refund"]),
        "contact": (MentionFilter(contact_id=refs["contact"]), ["praise"]),
        "from a contact": (MentionFilter(from_contact=True), ["praise"]),
        "influencer": (MentionFilter(from_influencer=True), ["praise"]),
        "starred": (MentionFilter(starred=True), ["mine"]),
        "needs response": (MentionFilter(needs_response=True), ["mine"]),
        "url": (MentionFilter(url="https://example.com/invoice"), ["routed"]),
        "search": (MentionFilter(search="refund"), ["refund"]),
        "phrase": (MentionFilter(search='"self hosting"'), ["praise"]),
        "prefix": (MentionFilter(search="config*"), ["mine"]),
        "diacritics": (MentionFilter(search="acme", langs=("fr",)), ["french"]),
        "or": (MentionFilter(search="pills OR invoice"), ["routed", "spam"]),
        "not": (MentionFilter(search="acme -refund -lovely -bonjour"), ["mine"]),
        "search + filter": (
            MentionFilter(search="acme", sentiments=("positive",)),
            ["french", "praise"],
        ),
    }
    for label, (filt, expected) in cases.items():
        found = sorted(name for name, i in ids.items() if i in ids_of(ws, filt))
        assert found == sorted(expected), label
        assert mentions.count(ws, filt) == len(expected), label


def test_common_and_rare_queries_are_written_differently_with_the_same_result(inbox, monkeypatch):
    ws, ids, refs = inbox
    filt = MentionFilter(query_ids=(refs["acme"],), sentiments=("positive",))
    assert not mentions.queries_are_common(ws, filt.query_ids)
    rare = ids_of(ws, filt), mentions.count(ws, filt)
    assert "EXISTS" not in mentions.compile_for(ws, filt).where_sql
    monkeypatch.setattr(mentions, "COMMON_QUERY_ROWS", 2)  # 3 acme mentions now count as many
    assert mentions.queries_are_common(ws, filt.query_ids)
    assert "EXISTS" in mentions.compile_for(ws, filt).where_sql
    assert (ids_of(ws, filt), mentions.count(ws, filt)) == rare
    assert sorted(rare[0]) == sorted([ids["french"], ids["praise"]])


def test_tag_filter_and_views(inbox):
    ws, ids, refs = inbox
    triage.add_tags(ws, [ids["refund"], ids["praise"]], ["vip"])
    tag_id = triage.tag_ids_for(ws, ["vip"])[0]
    assert set(ids_of(ws, MentionFilter(tag_ids=(tag_id,)))) == {ids["refund"], ids["praise"]}
    counts = mentions.view_counts(ws, mentions.views(ws))
    assert counts["all"] == 6  # spam hidden
    assert counts["new"] == 3  # refund, praise, french
    assert counts["needs_response"] == 1 and counts["mine"] == 1 and counts["starred"] == 1
    assert counts["done"] == 1 and counts["archived"] == 1
    assert counts[f"query:{refs['acme']}"] == 3


def test_keyset_pages_walk_the_whole_list_without_gaps_in_every_sort(workspace):
    ws = workspace
    source = add_source(ws)
    for n in range(57):
        add_mention(
            ws,
            source,
            f"item {n}",
            "acme text",
            published_at=NOW - (n * 37) % 1000,
            reach=(n * 13) % 7 or None,
            priority=n % 5,
            sentiment=((n % 9) - 4) / 4,
            state=("new", "open", "done")[n % 3],
        )
    assert len(SORT_KEYS) == 9  # every key the list can sort by is walked below
    for sort in SORT_KEYS:
        filt = MentionFilter(sort=sort)
        snapshot = list(mentions.snapshot_ids(ws, filt))
        walked, after = [], None
        while True:
            page = mentions.page_ids(ws, filt, after=after, limit=10)
            if not page:
                break
            walked += [i for _, i in page]
            after = page[-1]
        assert walked == snapshot and len(set(walked)) == 57, sort
        tail = [i for _, i in mentions.page_ids(ws, filt, limit=10, from_end=True)]
        assert tail == snapshot[-10:], sort
        before = mentions.page_ids(ws, filt, after=page_key(ws, filt, 30), limit=5, from_end=True)
        assert [i for _, i in before] == snapshot[25:30], sort
        assert [i for _, i in mentions.page_at(ws, filt, 40, 7)] == snapshot[40:47], sort
        assert mentions.position_of(ws, filt, snapshot[33]) == 33, sort
        ascending = [i for _, i in mentions.page_ids(ws, filt.with_(ascending=True), limit=99)]
        if sort not in ("newest", "oldest"):
            assert ascending != snapshot and len(ascending) == 57, sort
    newest = list(mentions.snapshot_ids(ws, MentionFilter()))
    assert newest == sorted(newest, reverse=True)
    assert mentions.position_of(ws, MentionFilter(), newest[5]) == 5


def page_key(ws, filt, row):
    return mentions.page_at(ws, filt, row, 1)[0]


def test_search_pages_in_rowid_order(workspace):
    ws = workspace
    source = add_source(ws)
    made = [
        add_mention(ws, source, f"t{n}", "common word" + (" rare" if n % 10 == 0 else ""))
        for n in range(40)
    ]
    filt = MentionFilter(search="common")
    first = mentions.page_ids(ws, filt, limit=15)
    second = mentions.page_ids(ws, filt, after=first[-1], limit=15)
    assert [i for _, i in first + second] == sorted(made, reverse=True)[:30]
    assert [i for _, i in mentions.page_ids(ws, MentionFilter(search="rare"))] == sorted(
        made[::10], reverse=True
    )


def test_rows_carry_what_the_list_shows(inbox):
    ws, ids, refs = inbox
    triage.add_tags(ws, [ids["praise"]], ["vip", "advocacy"])
    rows = mentions.rows_for_ids(ws, [ids["praise"], ids["mine"], 999_999])
    praise = rows[ids["praise"]]
    assert (praise.author, praise.contact_name, praise.list_badge) == (
        "Ada L.",
        "Ada Lovelace",
        "Advocates",
    )
    assert praise.tags == ("advocacy", "vip") and praise.source_kind == "reddit"
    assert rows[ids["mine"]].assignee == "Sam" and rows[ids["mine"]].starred
    assert 999_999 not in rows


def test_search_syntax_is_safe_and_highlights():
    assert search_to_fts('"hello world" foo* OR bar -baz') == (
        '("hello world" AND ("foo"* OR "bar")) NOT "baz"'
    )
    for hostile in ['"', "AND", "NEAR(", "*", "col:foo", "(((", "-", 'a"b']:
        search_to_fts(hostile)  # never raises; compiled below in SQL by the other tests
    assert search_to_fts("col:foo") == '"col foo"'
    pattern = highlight_pattern(highlight_terms('refund* "order broken" -spam'))
    # like FTS5, a phrase matches across punctuation
    assert pattern.findall("Refunds for my order, broken twice") == ["Refunds", "order, broken"]
    assert pattern.findall("order  broken") == ["order  broken"]


def test_hostile_search_text_never_breaks_the_query(inbox):
    ws, _, _ = inbox
    for hostile in ['"', "AND", "NEAR(", "*", "col:foo", "(((", "-", 'a"b', "OR OR", "^x"]:
        mentions.page_ids(ws, MentionFilter(search=hostile))
        mentions.count(ws, MentionFilter(search=hostile))


def test_filter_round_trips_through_json():
    filt = MentionFilter(states=("new",), tag_ids=(3,), search="acme", since=5, starred=True)
    assert MentionFilter.from_dict(filt.to_dict()) == filt
    assert MentionFilter.from_dict({"states": "new", "unknown": 1}) == MentionFilter(
        states=("new",)
    )
    assert builtin_view("archived").states == ("archived", "spam")


def test_also_narrows_a_query_view_to_mentions_of_both_queries(workspace):
    ws = workspace
    source = add_source(ws)
    acme, initech = add_query(ws, "Acme"), add_query(ws, "Initech")
    only_a = add_mention(ws, source, "a", query_ids=[acme])
    both = add_mention(ws, source, "ab", query_ids=[acme, initech])
    add_mention(ws, source, "b", query_ids=[initech])
    view = MentionFilter(query_ids=(acme,), exclude_states=("archived", "spam"))
    narrowed = view.with_(also=MentionFilter(query_ids=(initech,)))
    assert [i for _, i in mentions.page_ids(ws, view)] == [both, only_a]
    assert [i for _, i in mentions.page_ids(ws, narrowed)] == [both]
    assert mentions.count(ws, narrowed) == 1
    assert MentionFilter.from_dict(narrowed.to_dict()) == narrowed
    nested = narrowed.with_(also=narrowed.also.with_(also=MentionFilter(states=("done",))))
    assert mentions.count(ws, nested) == 0


def test_since_days_is_resolved_with_the_workspace_clock(workspace):
    from cmdesk.core.services.inbox_filters import compile_filter

    ws = workspace
    source = add_source(ws)
    add_mention(ws, source, "old", published_at=NOW - 3 * 86_400)
    assert mentions.count(ws, MentionFilter(since_days=7)) == 1
    ws.clock.now_fn = lambda: NOW + 5 * 86_400
    assert mentions.count(ws, MentionFilter(since_days=7)) == 0
    with pytest.raises(ValueError):
        compile_filter(MentionFilter(since_days=7))  # never frozen at some implicit time


def test_query_highlight_terms_leave_out_exclusions_and_fold_accents():
    from cmdesk.core.services.inbox_filters import query_highlight_terms

    terms = query_highlight_terms('acme NOT jobs -careers ("Café crème" OR widget*) -(foo bar)')
    assert [(t.text, t.prefix, t.phrase) for t in terms] == [
        ("acme", False, False),
        ("cafe creme", False, True),
        ("widget", True, False),
    ]
    pattern = highlight_pattern(terms)
    text = "Acme jobs at ACME careers: CAFÉ Crème and widgets, not foo bar"
    assert [m.group(0) for m in pattern.finditer(text)] == ["Acme", "ACME", "CAFÉ Crème", "widgets"]
    assert query_highlight_terms("acme OR") == []  # does not parse: nothing to highlight
    assert highlight_pattern(highlight_terms("cafe")).search("Le café est bon").group(0) == "café"


def test_published_and_state_sorts_walk_their_indexes(workspace, monkeypatch):
    ws = workspace
    source = add_source(ws)
    for n in range(5):
        add_mention(ws, source, f"m{n}", published_at=NOW - n)
    statements = []
    original = ws.db.execute_sql

    def recording(sql, params=None, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        statements.append((sql, params))
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(ws.db, "execute_sql", recording)
    expected = {"published": "mention_published_at_id", "state": "mention_state_id"}
    for sort, index in expected.items():
        for ascending in (False, True):
            filt = MentionFilter(sort=sort, ascending=ascending)
            first = mentions.page_ids(ws, filt, limit=2)
            statements.clear()
            mentions.page_ids(ws, filt, after=first[-1], limit=2)
            sql, params = statements[-1]
            plan = " ".join(
                str(row[3]) for row in original("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            )
            assert index in plan and "TEMP B-TREE" not in plan, (sort, plan)
