from __future__ import annotations

import pytest
from inbox_data import add_mention, add_query, add_source

from cmdesk.core.services import inbox_rules, mentions, saved_views
from cmdesk.core.services.inbox_filters import MentionFilter


def test_saved_views_are_editable_reorderable_and_listed(workspace):
    ws = workspace
    a, _ = saved_views.save_view(ws, "Negative", MentionFilter(sentiments=("negative",)))
    b, _ = saved_views.save_view(ws, "French", MentionFilter(langs=("fr",)))
    c, _ = saved_views.save_view(ws, "Starred", MentionFilter(starred=True))
    saved_views.move_view(ws, c, -2)
    assert [v.name for v in saved_views.list_saved_views(ws)] == ["Starred", "Negative", "French"]
    saved_views.save_view(
        ws, "Negative FR", MentionFilter(sentiments=("negative",), langs=("fr",)), a
    )
    saved_views.rename_view(ws, b, "Français")
    saved_views.delete_view(ws, c)
    listed = [(v.key, v.title) for v in mentions.views(ws) if v.key.startswith("saved:")]
    assert listed == [(f"saved:{a}", "Negative FR"), (f"saved:{b}", "Français")]
    assert saved_views.list_saved_views(ws)[0].filter.langs == ("fr",)
    with pytest.raises(ValueError):
        saved_views.save_view(ws, "  ", MentionFilter())


def test_rules_admin_try_then_apply_to_existing(workspace):
    ws = workspace
    source = add_source(ws)
    query = add_query(ws, "Acme")
    for n in range(5):
        add_mention(ws, source, f"crash {n}", "the app crashed", query_ids=[query])
    add_mention(ws, source, "fine", "all good")
    conditions = [{"kind": "words", "words": ["crashed"]}]
    actions = [{"kind": "tag", "tags": ["bug"]}, {"kind": "alert", "title": "Crashes"}]
    assert inbox_rules.try_rule(ws, conditions) == 5
    rule_id, _ = inbox_rules.save_rule(ws, "Crashes", conditions, actions)
    touched, changes = inbox_rules.apply_to_existing(ws, rule_id)
    assert touched == 5 and changes.mentions and changes.alerts
    assert ws.db.execute_sql("SELECT COUNT(*) FROM mention_tag").fetchone()[0] == 5
    assert ws.db.execute_sql("SELECT COUNT(*) FROM alert").fetchone()[0] == 1
    second, _ = inbox_rules.save_rule(
        ws, "Other", [{"kind": "language", "langs": ["de"]}], [{"kind": "state", "state": "spam"}]
    )
    inbox_rules.move_rule(ws, second, -1)
    assert [r.name for r in inbox_rules.list_rules(ws)] == ["Other", "Crashes"]
    with pytest.raises(ValueError):
        inbox_rules.save_rule(ws, "Empty", [], actions)


def test_saved_relative_dates_stay_relative_and_old_views_still_open(workspace):
    ws = workspace
    source = add_source(ws)
    day = 86_400
    now = ws.clock.now()
    for age in (1, 5, 9):
        add_mention(ws, source, f"{age} days old", "text", published_at=now - age * day)
    view_id, _ = saved_views.save_view(
        ws, "This week", MentionFilter(also=MentionFilter(since_days=7))
    )
    stored = ws.db.execute_sql("SELECT filters FROM saved_view WHERE id = ?", [view_id])
    assert "since_days" in stored.fetchone()[0]
    (view,) = [v for v in mentions.views(ws) if v.key == f"saved:{view_id}"]
    assert mentions.count(ws, view.filter) == 2
    ws.clock.now_fn = lambda: now + 3 * day  # three days later the 5-day-old mention drops out
    assert mentions.count(ws, view.filter) == 1
    # a view saved by an older version: a fixed start time and keys this version does not know
    ws.db.execute_sql(
        "INSERT INTO saved_view(name, position, filters) VALUES ('Old', 9, ?)",
        [f'{{"since": {now - 6 * day}, "langs": ["en"], "retired_key": 1}}'],
    )
    old = saved_views.list_saved_views(ws)[-1].filter
    assert old.since == now - 6 * day and old.since_days is None and old.langs == ("en",)
