from __future__ import annotations

import json

from inbox_data import NOW, add_author, add_contact, add_mention, add_query, add_source

from cmdesk.core.analysis import rules
from cmdesk.core.analysis.pipeline import after_ingest
from cmdesk.core.models import Rule


def make_rule(ws, name, conditions, actions, position=0):
    return Rule.create(
        name=name, position=position, conditions=conditions, actions=actions, created_at=NOW
    )


def state_of(ws, mention_id):
    return ws.db.execute_sql("SELECT state FROM mention WHERE id = ?", [mention_id]).fetchone()[0]


def tags_of(ws, mention_id):
    rows = ws.db.execute_sql(
        "SELECT t.name FROM mention_tag mt JOIN tag t ON t.id = mt.tag_id WHERE mention_id = ?",
        [mention_id],
    )
    return sorted(r[0] for r in rows)


def test_each_condition_kind_selects_the_right_mentions(workspace):
    ws = workspace
    hn = add_source(ws)
    reddit = add_source(ws, "r/selfhosted", "reddit")
    brand = add_query(ws, "Acme")
    vip = add_contact(ws, "Ada Lovelace", lists=("Influencers",))
    ada = add_author(ws, "ada", reach=50_000, contact_id=vip)
    bob = add_author(ws, "bob", reach=10)
    refund = add_mention(
        ws,
        hn,
        "Refund please",
        "my order is broken",
        author_id=bob,
        sentiment_label="negative",
        lang="en",
        query_ids=[brand],
    )
    praise = add_mention(
        ws,
        reddit,
        "Love it",
        "acme is great",
        author_id=ada,
        sentiment_label="positive",
        lang="fr",
        reach=50_000,
    )
    ids = [refund, praise]
    cases = [
        ([{"kind": "query", "query_ids": [brand]}], [refund]),
        ([{"kind": "words", "words": ["broken", "never shipped"]}], [refund]),
        ([{"kind": "source", "source_kinds": ["reddit"]}], [praise]),
        ([{"kind": "source", "source_ids": [hn]}], [refund]),
        ([{"kind": "contact_list", "list_ids": [1]}], [praise]),
        ([{"kind": "reach", "min": 1000}], [praise]),
        ([{"kind": "sentiment", "labels": ["negative"]}], [refund]),
        ([{"kind": "language", "langs": ["FR"]}], [praise]),
        (
            [{"kind": "sentiment", "labels": ["negative"]}, {"kind": "language", "langs": ["fr"]}],
            [],
        ),
    ]
    for conditions, expected in cases:
        assert sorted(rules.matching_ids(ws, conditions, ids)) == expected, conditions
        assert rules.count_matching(ws, conditions) == len(expected), conditions


def test_rules_run_in_order_and_apply_every_action(workspace):
    ws = workspace
    hn = add_source(ws)
    support = ws.db.execute_sql(
        "INSERT INTO department(name, position) VALUES ('Support', 0)"
    ).lastrowid
    mention = add_mention(ws, hn, "Refund", "my order is broken", sentiment_label="negative")
    other = add_mention(ws, hn, "Hello", "nice product", sentiment_label="positive")
    make_rule(
        ws,
        "complaints",
        [{"kind": "words", "words": ["broken"]}],
        [
            {"kind": "tag", "tags": ["complaint"]},
            {"kind": "route", "department_id": support, "note": "Check the order"},
            {"kind": "priority", "priority": 4},
            {"kind": "needs_response"},
            {"kind": "alert", "title": "Broken order"},
        ],
        position=0,
    )
    make_rule(
        ws,
        "negative to done",
        [{"kind": "sentiment", "labels": ["negative"]}],
        [{"kind": "state", "state": "done"}],
        position=1,
    )
    changes = after_ingest(ws, [mention, other])
    assert changes.mentions and changes.alerts
    row = ws.db.execute_sql(
        "SELECT department_id, routing_note, priority, needs_response, state FROM mention "
        "WHERE id = ?",
        [mention],
    ).fetchone()
    # the routing put it in "waiting", then the second rule (later in order) marked it done
    assert row == (support, "Check the order", 4, 1, "done")
    assert tags_of(ws, mention) == ["complaint"]
    assert state_of(ws, other) == "new" and tags_of(ws, other) == []
    alert = ws.db.execute_sql("SELECT kind, title, mention_id, detail FROM alert").fetchone()
    assert alert[:3] == ("rule", "Broken order", mention)
    assert json.loads(alert[3])["count"] == 1


def test_a_failing_rule_is_skipped_recorded_and_rolled_back(workspace):
    ws = workspace
    hn = add_source(ws)
    mention = add_mention(ws, hn, "Broken", "it is broken")
    bad = make_rule(
        ws,
        "bad",
        [{"kind": "words", "words": ["broken"]}],
        [
            {"kind": "tag", "tags": ["half-done"]},
            {"kind": "assign", "teammate_id": 999},  # no such teammate: foreign key fails
        ],
        position=0,
    )
    make_rule(
        ws,
        "good",
        [{"kind": "words", "words": ["broken"]}],
        [{"kind": "tag", "tags": ["seen"]}],
        position=1,
    )
    ws.write(lambda: after_ingest(ws, [mention])).result()
    assert tags_of(ws, mention) == ["seen"]  # the bad rule's tag was rolled back
    assert "FOREIGN KEY" in Rule.get_by_id(bad.id).last_error.upper()
    assert ws.db.execute_sql("SELECT COUNT(*) FROM mention").fetchone()[0] == 1


def test_validate_refuses_empty_or_unknown_rules():
    import pytest

    with pytest.raises(rules.RuleError):
        rules.validate([], [{"kind": "tag", "tags": ["x"]}])
    with pytest.raises(rules.RuleError):
        rules.validate([{"kind": "words", "words": ["x"]}], [])
    with pytest.raises(rules.RuleError):
        rules.validate([{"kind": "words", "words": ["x"]}], [{"kind": "explode"}])
    with pytest.raises(rules.RuleError):
        rules.validate([{"kind": "nope"}], [{"kind": "tag", "tags": ["x"]}])
    rules.validate([{"kind": "words", "words": ["x"]}], [{"kind": "state", "state": "spam"}])
