"""Interactions, advocacy, the timeline, keep-in-touch, influence and Top voices."""

from __future__ import annotations

import pytest
from test_contacts import DAY, add_author, add_mention, add_source, create

from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts_activity as act
from cmdesk.core.services import contacts_influence as infl
from cmdesk.core.services import contacts_lists as lists
from cmdesk.core.services import contacts_query as q
from cmdesk.core.services import keep_in_touch as kit
from cmdesk.core.services.contacts import HandleInput


def test_interactions_keep_last_interaction_up_to_date(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    cid = create(ws, display_name="Ida")
    first, _ = ws.write(act.log_interaction, ws, cid, "call", summary="Intro",
                        occurred_at=now - 10 * DAY).result()  # fmt: skip
    second, _ = ws.write(act.log_interaction, ws, cid, "meeting", occurred_at=now - DAY).result()
    last = "SELECT last_interaction_at FROM contact WHERE id = ?"
    assert ws.db.execute_sql(last, [cid]).fetchone()[0] == now - DAY
    ws.write(act.delete_interaction, ws, second).result()
    assert ws.db.execute_sql(last, [cid]).fetchone()[0] == now - 10 * DAY
    with pytest.raises(act.ActivityError):
        act.log_interaction(ws, cid, "telepathy")


def test_timeline_merges_every_kind_and_filters(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    src = add_source(ws)
    cid = create(ws, display_name="Tim", handles=(HandleInput("github", "tim"),))
    author = add_author(ws, "github", "tim")  # an author heard after the contact was made
    ws.write(lambda: ws.db.execute_sql("UPDATE author SET contact_id = ?", [cid])).result()
    add_mention(ws, src, author, now - 3 * DAY, 0.6)
    ws.write(act.log_interaction, ws, cid, "email", summary="Sent the beta",
             occurred_at=now - 2 * DAY).result()  # fmt: skip
    ws.write(act.log_contribution, ws, cid, "talk", "Talk at FOSDEM",
             occurred_at=now - 5 * DAY).result()  # fmt: skip
    item = ws.db.execute_sql(
        "INSERT INTO calendar_item(title, item_type, channels, status, duration_minutes, all_day, "
        "timezone, tags, starts_at, created_at, updated_at) VALUES ('Podcast with Tim', "
        "'podcast', '[]', 'scheduled', 60, 0, 'UTC', '[]', ?, 0, 0)",
        [now + DAY],
    ).lastrowid
    ws.db.execute_sql(
        "INSERT INTO calendar_item_contact(item_id, contact_id, role) VALUES (?, ?, 'guest')",
        [item, cid],
    )
    entries = act.timeline(ws, cid)
    assert [e.kind for e in entries] == ["calendar", "interaction", "mention", "contribution"]
    assert entries[2].sentiment_label == "positive"
    only = act.timeline(ws, cid, kinds={"mention", "contribution"})
    assert [e.kind for e in only] == ["mention", "contribution"]
    older = act.timeline(ws, cid, before=entries[1].at, limit=1)
    assert [e.kind for e in older] == ["mention"]


def test_advocacy_and_not_yet_recognised(workspace: Workspace) -> None:
    ws = workspace
    cid = create(ws, display_name="Ava")
    talk, _ = ws.write(act.log_contribution, ws, cid, "talk", "Meetup talk").result()
    ws.write(act.log_contribution, ws, cid, "answer", "Answered on the forum").result()
    assert act.unrecognised_count(ws) == 2
    ws.write(act.recognise, ws, talk, "Thanked in the newsletter").result()
    waiting = act.contributions(ws, unrecognised_only=True)
    assert [c.description for c in waiting] == ["Answered on the forum"]
    kinds = [e.detail for e in act.timeline(ws, cid, kinds={"interaction"})]
    assert kinds == ["recognition"]  # the thank-you counts as keeping in touch


def test_keep_in_touch_due_snooze_and_logged_today(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    ws.clock.now_fn = lambda: now - 100 * DAY  # the contacts were added 100 days ago
    cid = create(ws, display_name="Due Person", cadence_days=30)
    by_list = create(ws, display_name="List Person", lists=("Press",))
    create(ws, display_name="No Cadence")
    ws.clock.now_fn = lambda: now
    assert kit.due_count(ws) == 1  # the list has no cadence yet
    press = lists.contact_lists(ws)[0]
    ws.write(lists.save_list, ws, "Press", cadence_days=60, list_id_=press.id).result()
    assert kit.due_count(ws) == 2
    assert {d.id for d in kit.due_contacts(ws)} == {cid, by_list}
    assert kit.effective_cadence(ws, by_list) == 60
    ws.write(kit.snooze, ws, [cid], 7).result()
    assert [d.id for d in kit.due_contacts(ws)] == [by_list]
    ws.write(kit.logged_contact_today, ws, [by_list, cid]).result()
    assert kit.due_count(ws) == 0
    assert kit.next_due_at(ws, by_list) == now + 60 * DAY
    assert list(q.snapshot_ids(ws, q.ContactFilter(due_only=True))) == []


def test_influence_scores_and_contact_figures(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    src = add_source(ws)
    loud = create(ws, display_name="Loud", handles=(HandleInput("github", "loud", reach=500),))
    quiet = create(ws, display_name="Quiet", handles=(HandleInput("github", "quiet", reach=9),))
    author = add_author(ws, "github", "loud", reach=2000)
    ws.db.execute_sql("UPDATE author SET contact_id = ? WHERE id = ?", [loud, author])
    stranger = add_author(ws, "github", "stranger")
    for n in range(9):
        add_mention(ws, src, author, now - n * DAY, 0.5, n)
    add_mention(ws, src, author, now - 200 * DAY, -0.5, 99)
    add_mention(ws, src, stranger, now - DAY, -0.8, 1)
    scores = infl.influence_scores(ws)
    expected = infl.influence_score(2000, 9, 0.5)
    assert scores[loud] == expected == round(10 * 3.30124 + 20 * 1 + 5, 1)
    assert scores[quiet] == infl.influence_score(9, 0, None) == 10.0
    figures = infl.contact_influence(ws, loud)
    assert figures.reach == 2000 and figures.mentions_total == 10
    assert figures.mentions_recent == 9 and figures.negative == 1
    assert figures.brand_share == pytest.approx(9 / 10)  # of the window's 10 mentions
    assert figures.score == expected
    assert len(figures.months) == 12 and figures.months[-1].mentions >= 1
    split = [(m.positive, m.neutral, m.negative, m.unrated) for m in figures.months]
    assert sum(p for p, *_ in split) == 9 and split[5] == (0, 0, 1, 0)  # 200 days ago
    assert figures.reach_by_handle == (("github", "loud", 2000),)


def test_top_voices_lists_authors_not_yet_contacts(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    src = add_source(ws)
    fan = add_author(ws, "reddit", "fan", reach=10)
    critic = add_author(ws, "reddit", "critic", reach=5000)
    known = add_author(ws, "reddit", "known", reach=99999)
    cid = create(ws, display_name="Known")
    ws.db.execute_sql("UPDATE author SET contact_id = ? WHERE id = ?", [cid, known])
    for n in range(3):
        add_mention(ws, src, fan, now - n * DAY, 0.7, n)
        add_mention(ws, src, known, now - n * DAY, 0.1, n)
    for n in range(2):
        add_mention(ws, src, critic, now - n * DAY, -0.6, n)
    assert [v.handle for v in infl.top_voices(ws, "mentions")] == ["fan", "critic"]
    assert [v.handle for v in infl.top_voices(ws, "reach")] == ["critic", "fan"]
    assert [v.handle for v in infl.top_voices(ws, "positive")] == ["fan"]
    assert [v.handle for v in infl.top_voices(ws, "negative")] == ["critic"]


def test_delete_contribution(workspace: Workspace) -> None:
    cid = create(workspace, display_name="Ada")
    first, _ = workspace.write(act.log_contribution, workspace, cid, "talk", "Talk").result()
    second, _ = workspace.write(act.log_contribution, workspace, cid, "post", "Post").result()
    assert workspace.write(act.delete_contribution, workspace, first).result().contacts
    assert not workspace.write(act.delete_contribution, workspace, first).result().contacts
    assert [c.id for c in act.contributions(workspace)] == [second]
    workspace.write(act.delete_contributions, workspace, [second]).result()
    assert act.unrecognised_count(workspace) == 0


def test_default_lists_are_added_once_to_a_workspace_without_lists(workspace: Workspace) -> None:
    assert lists.needs_default_lists(workspace)
    assert workspace.write(lists.add_default_lists, workspace).result().contacts
    names = [r.name for r in lists.contact_lists(workspace)]
    assert names == [name for name, _ in lists.DEFAULT_LISTS]
    assert "User-group leads" in names and not lists.needs_default_lists(workspace)
    for row in lists.contact_lists(workspace):
        workspace.write(lists.delete_list, workspace, row.id).result()
    assert not workspace.write(lists.add_default_lists, workspace).result().contacts
    assert lists.contact_lists(workspace) == []  # deleting them all is respected


def test_default_lists_leave_a_workspace_with_lists_alone(workspace: Workspace) -> None:
    workspace.write(lists.save_list, workspace, "VIP").result()
    assert not workspace.write(lists.add_default_lists, workspace).result().contacts
    assert [r.name for r in lists.contact_lists(workspace)] == ["VIP"]
    assert not lists.needs_default_lists(workspace)


def test_a_recurring_item_shows_its_occurrences_in_the_window(workspace: Workspace) -> None:
    from cmdesk.core.services import calendar, calendar_edits
    from cmdesk.core.services.calendar_edits import ItemInput

    ws = workspace
    now = ws.clock.now()
    cid = create(ws, display_name="Una")
    weekly = ItemInput("User group", item_type="event", starts_at=now - 400 * DAY,
                       rrule="FREQ=WEEKLY", contacts=((cid, "host"),))  # fmt: skip
    series = ws.write(calendar_edits.create_item, ws, weekly).result().item_id
    old = ItemInput("Old monthly", starts_at=now - 900 * DAY, rrule="FREQ=MONTHLY;COUNT=3",
                    contacts=((cid, "guest"),))  # fmt: skip
    ws.write(calendar_edits.create_item, ws, old).result()
    (skip, *_) = calendar.occurrences(ws, now, now + 8 * DAY)
    ws.write(calendar_edits.cancel_occurrence, ws, skip).result()
    entries = act.timeline(ws, cid, limit=500)
    mine = [e for e in entries if e.id == series]
    assert all(now - 366 * DAY < e.at < now + 93 * DAY for e in mine)
    assert len(mine) == 66 - 1  # weekly from 365 days back to 92 ahead, one cancelled
    assert skip.starts_at not in [e.at for e in mine]
    assert mine[0].detail == "event · idea · repeats"
    assert [e.at for e in entries if e.title == "Old monthly"] == [now - 900 * DAY]  # once
    page = act.timeline(ws, cid, before=now, limit=5)
    assert [e.at for e in page] == sorted((e.at for e in mine if e.at < now), reverse=True)[:5]
