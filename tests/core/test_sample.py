from __future__ import annotations

import json

import pytest

from cmdesk.cli.main import main
from cmdesk.core.analysis import rules
from cmdesk.core.clock import fixed_clock
from cmdesk.core.db import open_workspace
from cmdesk.core.models import ITEM_STATUSES, ITEM_TYPES, MENTION_STATES
from cmdesk.core.sample import ensure_sample_workspace, load_sample, sample_data
from cmdesk.core.services import workspace as workspace_service
from cmdesk.core.services.inbox_filters import MentionFilter, compile_filter

HOUR = 3600
WEEK = 7 * 24 * HOUR


@pytest.fixture
def sample(workspace):
    load_sample(workspace)
    return workspace


def rows(ws, sql, params=()):
    return ws.db.execute_sql(sql, params).fetchall()


def one(ws, sql, params=()):
    return ws.db.execute_sql(sql, params).fetchone()[0]


def test_the_data_file_ships_with_the_package():
    data = sample_data()
    assert 80 <= len(data["mentions"]) <= 120
    assert 15 <= len(data["contacts"]) <= 25
    assert len(data["calendar"]) >= 15


def test_loads_with_the_expected_counts(sample):
    data = sample_data()
    counts = workspace_service.counts(sample)
    assert counts == {
        "mentions": len(data["mentions"]),
        "sources": len(data["sources"]),
        "queries": len(data["queries"]),
        "contacts": len(data["contacts"]),
        "items": len(data["calendar"]),
    }
    assert workspace_service.get_setting(sample, "brand_name") == "Acme"
    assert one(sample, "SELECT name FROM teammate WHERE is_me") == "Sam Rivera"
    assert one(sample, "SELECT COUNT(*) FROM alert") == len(data["alerts"])


def test_times_are_relative_to_now(sample):
    now = sample.clock.now()
    times = [t for (t,) in rows(sample, "SELECT published_at FROM mention ORDER BY id")]
    assert times == sorted(times)  # ids grow with time
    assert now - WEEK <= times[0] and times[-1] <= now
    assert now - times[-1] < HOUR  # the inbox has something from the last hour
    recent = one(sample, "SELECT COUNT(*) FROM mention WHERE published_at > ?", [now - 24 * HOUR])
    assert recent >= 20  # the brewing Relay thread
    for published, responded in rows(
        sample, "SELECT published_at, responded_at FROM mention WHERE responded_at IS NOT NULL"
    ):
        assert published < responded <= now


def test_the_same_file_follows_the_clock(tmp_path, clock):
    later = fixed_clock(clock.now() + 30 * 24 * HOUR)
    first, second = (
        open_workspace(tmp_path / f"{n}.cmdesk", clock=c) for n, c in (("a", clock), ("b", later))
    )
    try:
        load_sample(first)
        load_sample(second)
        a = rows(first, "SELECT published_at FROM mention ORDER BY id")
        b = rows(second, "SELECT published_at FROM mention ORDER BY id")
        assert [y - x for (x,), (y,) in zip(a, b, strict=True)] == [30 * 24 * HOUR] * len(a)
    finally:
        first.close()
        second.close()


def test_triage_is_in_progress(sample):
    states = dict(rows(sample, "SELECT state, COUNT(*) FROM mention GROUP BY state"))
    assert set(states) <= set(MENTION_STATES)
    assert {"new", "open", "waiting", "done", "spam"} <= set(states)
    labels = dict(rows(sample, "SELECT sentiment_label, COUNT(*) FROM mention GROUP BY 1"))
    assert set(labels) == {"positive", "neutral", "negative"}
    assert (
        one(sample, "SELECT COUNT(*) FROM mention WHERE needs_response AND responded_at IS NULL")
        > 5
    )
    assert one(sample, "SELECT COUNT(*) FROM mention WHERE assignee_id IS NOT NULL") > 0
    assert one(sample, "SELECT COUNT(*) FROM mention_note") > 0
    assert one(sample, "SELECT COUNT(*) FROM mention WHERE lang != 'en'") >= 4
    kinds = {
        kind
        for (kind,) in rows(
            sample, "SELECT DISTINCT s.kind FROM mention m JOIN source s ON s.id = m.source_id"
        )
    }
    assert kinds == {
        "rss",
        "hackernews",
        "reddit",
        "mastodon",
        "bluesky",
        "stackexchange",
        "github",
    }


def test_mentions_match_queries_or_come_from_our_own_channels(sample):
    unmatched = rows(
        sample,
        "SELECT s.all_items_are_mentions FROM mention m JOIN source s ON s.id = m.source_id "
        "WHERE m.id NOT IN (SELECT mention_id FROM mention_query)",
    )
    assert all(everything for (everything,) in unmatched)
    relay = one(sample, "SELECT id FROM query WHERE name = 'Acme Relay'")
    for (text,) in rows(
        sample,
        "SELECT lower(title || ' ' || text) FROM mention m JOIN mention_query q "
        "ON q.mention_id = m.id WHERE q.query_id = ?",
        [relay],
    ):
        assert "acme relay" in text or "acmerelay" in text


def test_authors_and_contacts_are_linked_by_handle(sample):
    linked = rows(
        sample, "SELECT network, handle, contact_id FROM author WHERE contact_id IS NOT NULL"
    )
    assert len(linked) >= 15
    for network, handle, contact_id in linked:
        assert (
            one(
                sample,
                "SELECT COUNT(*) FROM contact_handle "
                "WHERE contact_id = ? AND network = ? AND handle = ?",
                [contact_id, network, handle],
            )
            == 1
        )
    stale = one(
        sample,
        "SELECT COUNT(*) FROM contact c WHERE c.last_interaction_at IS NOT "
        "(SELECT MAX(occurred_at) FROM interaction i WHERE i.contact_id = c.id)",
    )
    assert stale == 0
    lists = {name for (name,) in rows(sample, "SELECT name FROM contact_list")}
    assert {"Influencers", "Advocates", "Customers", "Press", "Partners", "Competitors"} <= lists
    assert one(sample, "SELECT COUNT(*) FROM contribution WHERE recognised_at IS NULL") > 0


def test_calendar_is_this_month_and_consistent(sample):
    now = sample.clock.now()
    items = rows(
        sample, "SELECT item_type, status, starts_at, rrule, published_url FROM calendar_item"
    )
    assert {kind for kind, *_ in items} == set(ITEM_TYPES)
    for kind, status, starts_at, rrule, url in items:
        assert status in ITEM_STATUSES
        if starts_at is None:
            assert status == "idea"
        elif not rrule:
            assert abs(starts_at - now) < 31 * 24 * HOUR, kind
            assert (status in ("published", "cancelled")) == (starts_at < now), (kind, status)
        assert (url is not None) <= (status == "published")
    assert one(sample, "SELECT COUNT(*) FROM calendar_item WHERE travel_starts_on IS NOT NULL") >= 1
    assert one(sample, "SELECT COUNT(*) FROM calendar_item_contact") >= 5
    linked = one(
        sample,
        "SELECT COUNT(*) FROM mention WHERE canonical_url IN "
        "(SELECT published_url FROM calendar_item WHERE published_url IS NOT NULL)",
    )
    assert linked >= 1


def test_rules_views_and_search_work(sample):
    for rule in rules.enabled_rules(sample):
        rules.validate(rule.conditions, rule.actions)
        assert rules.count_matching(sample, rule.conditions) > 0, rule.name
    for (filters,) in rows(sample, "SELECT filters FROM saved_view"):
        compiled = compile_filter(MentionFilter.from_dict(json.loads(filters)))
        assert (
            one(
                sample,
                f"SELECT COUNT(*) {compiled.from_sql} WHERE {compiled.where_sql}",
                compiled.params,
            )
            > 0
        )
    hits = one(sample, "SELECT COUNT(*) FROM mention_fts WHERE mention_fts MATCH '\"eu west\"'")
    assert hits >= 10
    alerts = rows(sample, "SELECT kind, acknowledged_at FROM alert ORDER BY created_at")
    assert alerts[-1] == ("negative_spike", None)


def test_ensure_builds_once_and_returns_the_open_workspace(tmp_path, clock):
    path = tmp_path / "sample.cmdesk"
    ws = ensure_sample_workspace(path, clock=clock)
    try:
        first = workspace_service.counts(ws)
        ws.db.execute_sql("UPDATE mention SET state = 'done' WHERE id = 1")
    finally:
        ws.close()
    ws = ensure_sample_workspace(path, clock=clock)
    try:
        assert workspace_service.counts(ws) == first
        assert (
            one(ws, "SELECT state FROM mention WHERE id = 1") == "done"
        )  # the user's change stays
    finally:
        ws.close()


def test_cmdesk_sample_opens_the_sample(capsys):
    assert main(["--sample", "info"]) == 0
    out = capsys.readouterr().out
    assert "sample.cmdesk" in out
    assert f"mentions:  {len(sample_data()['mentions'])}" in out


def test_published_items_show_the_mentions_that_earned_them(sample):
    from cmdesk.core.services import item_mentions

    data = sample_data()
    urls = {i["key"]: i["published_url"] for i in data["calendar"] if i.get("published_url")}
    expected = {}
    for m in data["mentions"]:
        if m.get("item"):
            expected[m["item"]] = expected.get(m["item"], 0) + 1
    assert expected  # the sample shows the feature
    for key, count in expected.items():
        stats = item_mentions.mention_stats(sample, urls[key])
        assert stats is not None and stats.total == count, key
    assert one(sample, "SELECT COUNT(*) FROM mention_link") > 0  # some earned by linking
