from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmdesk.core import contact_search
from cmdesk.core.analysis import rules
from cmdesk.core.db import open_workspace
from cmdesk.core.demo import DemoError, DemoSize, generate_demo, is_empty
from cmdesk.core.demo.configuration import plain_terms
from cmdesk.core.demo.mentions import CRISES, compile_templates
from cmdesk.core.models import (
    ITEM_STATUSES,
    ITEM_TYPES,
    MENTION_STATES,
    SENTIMENT_LABELS,
    SOURCE_KINDS,
)
from cmdesk.core.progress import Cancelled, Progress
from cmdesk.core.services import workspace as workspace_service
from cmdesk.core.services.contacts_query import ContactFilter, snapshot_ids
from cmdesk.core.services.inbox_filters import MentionFilter, compile_filter

SMALL = DemoSize(mentions=800, contacts=40, items=40)
YEAR = 366 * 86400


@pytest.fixture
def demo(workspace):
    summary = generate_demo(workspace, SMALL, seed=3)
    return workspace, summary


def rows(ws, sql, params=()):
    return ws.db.execute_sql(sql, params).fetchall()


def one(ws, sql, params=()):
    return ws.db.execute_sql(sql, params).fetchone()[0]


def dump(ws) -> dict[str, list[tuple]]:
    tables = {
        "mention": "SELECT * FROM mention ORDER BY id",
        "mention_query": "SELECT * FROM mention_query ORDER BY 1, 2",
        "mention_tag": "SELECT * FROM mention_tag ORDER BY 1, 2",
        "author": "SELECT * FROM author ORDER BY id",
        "contact": "SELECT * FROM contact ORDER BY id",
        "contact_handle": "SELECT * FROM contact_handle ORDER BY id",
        "interaction": "SELECT * FROM interaction ORDER BY id",
        "calendar_item": "SELECT * FROM calendar_item ORDER BY id",
        "source": "SELECT * FROM source ORDER BY id",
        "alert": "SELECT * FROM alert ORDER BY id",
    }
    return {name: rows(ws, sql) for name, sql in tables.items()}


def test_same_seed_same_content_and_another_seed_differs(tmp_path, clock):
    dumps = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        ws = open_workspace(tmp_path / f"{name}.cmdesk", clock=clock)
        try:
            generate_demo(ws, DemoSize(mentions=300, contacts=20, items=15), seed=seed)
            dumps.append(dump(ws))
        finally:
            ws.close()
    assert dumps[0] == dumps[1]
    assert dumps[0]["mention"] != dumps[2]["mention"]
    assert dumps[0]["contact"] != dumps[2]["contact"]


def test_counts_are_as_requested(demo):
    ws, summary = demo
    counts = workspace_service.counts(ws)
    assert counts["mentions"] == SMALL.mentions
    assert counts["contacts"] == SMALL.contacts
    assert counts["items"] == SMALL.items
    assert summary.counts == counts
    assert summary.authors == one(ws, "SELECT COUNT(*) FROM author") > 0
    assert summary.alerts == one(ws, "SELECT COUNT(*) FROM alert") > 0


def test_settings_team_and_configuration(demo):
    ws, _ = demo
    assert workspace_service.get_setting(ws, "brand_name") == "Acme"
    me = rows(ws, "SELECT name FROM teammate WHERE is_me")
    assert me == [(workspace_service.get_setting(ws, "my_name"),)]
    departments = {name for (name,) in rows(ws, "SELECT name FROM department")}
    assert departments == {"Support", "Sales", "Product", "PR", "Legal"}
    assert all("{name}" in body for (body,) in rows(ws, "SELECT body FROM canned_response"))
    kinds = {kind for (kind,) in rows(ws, "SELECT DISTINCT kind FROM source")}
    assert kinds == set(SOURCE_KINDS)
    failing = rows(
        ws, "SELECT last_error, consecutive_failures FROM source WHERE last_error IS NOT NULL"
    )
    assert failing and all(message.endswith(".") and count > 0 for message, count in failing)
    assert one(ws, "SELECT COUNT(*) FROM source WHERE NOT enabled AND disabled_reason IS NOT NULL")
    query_kinds = [kind for (kind,) in rows(ws, "SELECT kind FROM query ORDER BY position")]
    assert query_kinds.count("brand") == 1 and query_kinds.count("product") == 2
    assert query_kinds.count("competitor") >= 2 and "topic" in query_kinds


def test_rules_and_saved_views_are_valid_for_the_inbox(demo):
    ws, _ = demo
    stored = list(rules.enabled_rules(ws))
    assert len(stored) >= 2
    for rule in stored:
        rules.validate(rule.conditions, rule.actions)
        assert rules.count_matching(ws, rule.conditions) > 0, rule.name
    for (filters,) in rows(ws, "SELECT filters FROM saved_view"):
        compiled = compile_filter(MentionFilter.from_dict(json.loads(filters)))
        sql = f"SELECT COUNT(*) {compiled.from_sql} WHERE {compiled.where_sql}"
        assert one(ws, sql, compiled.params) > 0


def test_mentions_arrive_in_time_order_over_the_past_year(demo):
    ws, _ = demo
    now = ws.clock.now()
    times = [t for (t,) in rows(ws, "SELECT published_at FROM mention ORDER BY id")]
    assert times == sorted(times)
    assert now - YEAR <= times[0] and times[-1] <= now
    fetched = [t for (t,) in rows(ws, "SELECT fetched_at FROM mention ORDER BY id")]
    assert fetched == sorted(fetched) and fetched[-1] <= now
    assert one(ws, "SELECT COUNT(*) FROM mention WHERE fetched_at < published_at") == 0


def test_states_sentiment_and_triage_are_consistent(demo):
    ws, _ = demo
    now = ws.clock.now()
    states = dict(rows(ws, "SELECT state, COUNT(*) FROM mention GROUP BY state"))
    assert set(states) <= set(MENTION_STATES)
    assert {"new", "done", "archived", "spam"} <= set(states)
    old_open = one(
        ws, "SELECT COUNT(*) FROM mention WHERE state IN ('new','open') AND published_at < ?",
        [now - 30 * 86400],
    )  # fmt: skip
    assert old_open < 0.05 * one(
        ws, "SELECT COUNT(*) FROM mention WHERE published_at < ?", [now - 30 * 86400]
    )
    recent = dict(
        rows(
            ws,
            "SELECT state, COUNT(*) FROM mention WHERE published_at > ? GROUP BY 1",
            [now - 86400],
        )
    )
    assert recent.get("new", 0) > recent.get("archived", 0)
    for score, label in rows(ws, "SELECT sentiment, sentiment_label FROM mention"):
        assert label in SENTIMENT_LABELS
        expected = "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"
        assert label == expected
    teammates = {name for (name,) in rows(ws, "SELECT name FROM teammate")}
    answered = rows(
        ws,
        "SELECT published_at, responded_at, responded_by, needs_response FROM mention "
        "WHERE responded_at IS NOT NULL",
    )
    assert answered
    for published, responded, by, _ in answered:
        assert published < responded <= now and by in teammates
    assert one(ws, "SELECT COUNT(*) FROM mention WHERE needs_response") > 0
    assert one(ws, "SELECT COUNT(*) FROM mention WHERE assignee_id IS NOT NULL") > 0
    assert one(ws, "SELECT COUNT(*) FROM mention WHERE department_id IS NOT NULL") > 0
    assert one(ws, "SELECT COUNT(*) FROM mention WHERE lang != 'en'") > 0


def test_every_mention_matches_queries_its_text_names(demo):
    ws, _ = demo
    terms = {qid: plain_terms(expr) for qid, expr in rows(ws, "SELECT id, expression FROM query")}
    unlinked = one(
        ws, "SELECT COUNT(*) FROM mention WHERE id NOT IN (SELECT mention_id FROM mention_query)"
    )
    assert unlinked == 0
    pairs = rows(
        ws,
        "SELECT m.title || ' ' || m.text, q.query_id FROM mention m "
        "JOIN mention_query q ON q.mention_id = m.id",
    )
    for text, query_id in pairs:
        assert any(term in text.lower() for term in terms[query_id]), (text, query_id)


def test_templates_each_match_some_query():
    from cmdesk.core.demo import phrases
    from cmdesk.core.demo.configuration import QueryInfo

    queries = [QueryInfo(1, "Acme", "brand", ("acme",))]
    with pytest.raises(ValueError, match="would match no query"):
        compile_templates((("praise", 1, "Nice", "Lovely {platform} app"),), "en", queries)
    assert compile_templates(phrases.ENGLISH, "en", queries)


def test_authors_link_to_contacts_with_the_same_handle(demo):
    ws, _ = demo
    linked = rows(
        ws, "SELECT id, network, handle, contact_id FROM author WHERE contact_id IS NOT NULL"
    )
    assert len(linked) >= SMALL.contacts // 3
    for _, network, handle, contact_id in linked:
        assert one(
            ws, "SELECT COUNT(*) FROM contact_handle "
            "WHERE contact_id = ? AND network = ? AND handle = ?",
            [contact_id, network, handle],
        ) == 1  # fmt: skip
    mentioned = one(
        ws, "SELECT COUNT(*) FROM mention m JOIN author a ON a.id = m.author_id "
        "WHERE a.contact_id IS NOT NULL",
    )  # fmt: skip
    assert mentioned > 0
    late = one(
        ws, "SELECT COUNT(*) FROM author a WHERE a.first_seen_at > "
        "(SELECT MIN(published_at) FROM mention m WHERE m.author_id = a.id)",
    )  # fmt: skip
    assert late == 0


def test_contacts_lists_and_history(demo):
    ws, _ = demo
    lists = {name for (name,) in rows(ws, "SELECT name FROM contact_list")}
    assert {"Influencers", "Advocates", "Customers", "Press", "Partners", "Competitors"} <= lists
    assert any("user-group" in name.lower() for name in lists)
    stale = one(
        ws, "SELECT COUNT(*) FROM contact c WHERE c.last_interaction_at IS NOT "
        "(SELECT MAX(occurred_at) FROM interaction i WHERE i.contact_id = c.id)",
    )  # fmt: skip
    assert stale == 0
    assert one(ws, "SELECT COUNT(*) FROM interaction WHERE occurred_at > ?", [ws.clock.now()]) == 0
    assert one(ws, "SELECT COUNT(*) FROM contribution WHERE recognised_at IS NULL") > 0
    assert one(ws, "SELECT COUNT(*) FROM contact_detail WHERE kind = 'email'") >= SMALL.contacts


def test_calendar_statuses_follow_dates(demo):
    ws, _ = demo
    now = ws.clock.now()
    items = rows(ws, "SELECT item_type, status, starts_at, published_url, rrule FROM calendar_item")
    assert {kind for kind, *_ in items} == set(ITEM_TYPES)
    for kind, status, starts_at, url, rrule in items:
        assert status in ITEM_STATUSES
        if starts_at is None:
            assert status == "idea"
        elif rrule:
            continue
        elif starts_at < now:
            assert status in ("published", "cancelled"), (kind, status)
        else:
            assert status not in ("published", "cancelled"), (kind, status)
        if url is not None:
            assert status == "published"
    assert any(rrule and rrule.startswith("FREQ=WEEKLY") for *_, rrule in items)
    assert any(starts_at is None for _, _, starts_at, _, _ in items)
    events = rows(
        ws, "SELECT location, travel_starts_on FROM calendar_item WHERE item_type = 'event'"
    )
    assert all(location for location, _ in events)
    assert one(ws, "SELECT COUNT(*) FROM calendar_item_contact") > 0
    linked = one(
        ws, "SELECT COUNT(*) FROM mention WHERE canonical_url IN "
        "(SELECT published_url FROM calendar_item WHERE published_url IS NOT NULL)",
    )  # fmt: skip
    assert linked > 0
    # Shares that carry the item's address in their text link to it (mention_link).
    shares = rows(
        ws, "SELECT l.url, m.text FROM mention_link l JOIN mention m ON m.id = l.mention_id"
    )
    published = {u for (u,) in rows(ws, "SELECT published_url FROM calendar_item")}
    assert shares and all(url in published and url in text for url, text in shares)


def test_full_text_index_is_built_and_triggers_are_back(demo):
    ws, _ = demo
    hits = one(ws, "SELECT COUNT(*) FROM mention_fts WHERE mention_fts MATCH 'relay'")
    like = one(ws, "SELECT COUNT(*) FROM mention WHERE title LIKE '%relay%' OR text LIKE '%relay%'")
    assert hits == like > 0
    triggers = {
        name for (name,) in rows(ws, "SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert {"mention_fts_ai", "mention_fts_ad", "mention_fts_au"} <= triggers
    indexes = {name for (name,) in rows(ws, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {
        "mention_state_id",
        "mention_source_id_external_id",
        "mention_query_query_id_mention_id",
    } <= indexes
    ws.db.execute_sql("UPDATE mention SET text = 'zyzzyva' WHERE id = 1")
    assert rows(ws, "SELECT rowid FROM mention_fts WHERE mention_fts MATCH 'zyzzyva'") == [(1,)]


def test_contact_search_index_is_built_and_its_triggers_are_back(demo):
    ws, _ = demo
    contacts = rows(ws, "SELECT id FROM contact ORDER BY id")
    assert rows(ws, "SELECT DISTINCT rowid >> 32 FROM contact_search ORDER BY 1") == contacts
    triggers = {
        name for (name,) in rows(ws, "SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert set(contact_search.TRIGGER_NAMES) <= triggers
    term = one(
        ws,
        "SELECT substr(lower(o.name), 2, 4) FROM contact c "
        "JOIN organisation o ON o.id = c.organisation_id ORDER BY c.id LIMIT 1",
    )
    found = list(snapshot_ids(ws, ContactFilter(search=term)))
    like = "%" + term + "%"
    expected = rows(
        ws,
        "SELECT c.id FROM contact c WHERE display_name LIKE ? OR EXISTS (SELECT 1 FROM "
        "organisation o WHERE o.id = c.organisation_id AND o.name LIKE ?) OR EXISTS (SELECT 1 "
        "FROM contact_detail d WHERE d.contact_id = c.id AND d.value LIKE ?) OR EXISTS (SELECT 1 "
        "FROM contact_handle h WHERE h.contact_id = c.id AND h.handle LIKE ?) "
        "ORDER BY c.display_name, c.id",
        [like] * 4,
    )
    assert found == [cid for (cid,) in expected] and found
    cid = contacts[0][0]
    ws.db.execute_sql("UPDATE contact SET display_name = 'Zyzzyva Person' WHERE id = ?", [cid])
    assert list(snapshot_ids(ws, ContactFilter(search="zyzzyva"))) == [cid]


def test_spike_alerts_describe_the_crises(demo):
    ws, _ = demo
    alerts = rows(
        ws, "SELECT kind, title, query_id, acknowledged_at FROM alert ORDER BY created_at"
    )
    assert {kind for kind, *_ in alerts} <= {"spike", "negative_spike"}
    assert all(
        query_id is not None and "in the last hour" in title for _, title, query_id, _ in alerts
    )
    negative = [alert for alert in alerts if alert[0] == "negative_spike"]
    assert len(negative) == len(CRISES)  # one per crisis, at its peak
    assert alerts[-1][3] is None  # the crisis of today is not acknowledged yet
    assert all(acknowledged for *_, acknowledged in negative[:-1])


def test_refuses_a_workspace_that_holds_data(demo):
    ws, _ = demo
    assert not is_empty(ws)
    with pytest.raises(DemoError, match="new, empty workspace"):
        generate_demo(ws, SMALL)


def test_cancelling_leaves_the_workspace_empty(tmp_path: Path, clock):
    ws = open_workspace(tmp_path / "cancel.cmdesk", clock=clock)
    progresses: list[Progress] = []

    def cancel_during_mentions(done: int, total: int, text: str) -> None:
        if text == "mentions":
            progresses[0].cancel()

    progress = Progress(cancel_during_mentions)
    progresses.append(progress)
    try:
        with pytest.raises(Cancelled):
            generate_demo(ws, SMALL, progress=progress)
        assert is_empty(ws)
        triggers = {n for (n,) in rows(ws, "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"mention_fts_ai", "mention_fts_ad", "mention_fts_au"} <= triggers
        generate_demo(ws, DemoSize(mentions=50, contacts=5, items=5))
        assert one(ws, "SELECT COUNT(*) FROM mention") == 50
    finally:
        ws.close()


def test_zero_sizes_make_an_empty_but_configured_workspace(workspace):
    summary = generate_demo(workspace, DemoSize(mentions=0, contacts=0, items=0))
    assert summary.counts["mentions"] == 0 and summary.counts["sources"] > 0
    assert summary.alerts == 0
