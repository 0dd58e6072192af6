"""The stored due time and influence (schema 3): fresh after every write, backfilled lazily."""

from __future__ import annotations

from test_contacts import DAY, add_author, add_mention, add_source, create

from cmdesk.core.analysis.pipeline import after_ingest
from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_activity as act
from cmdesk.core.services import contacts_import as imp
from cmdesk.core.services import contacts_influence as infl
from cmdesk.core.services import contacts_lists as lists
from cmdesk.core.services import contacts_merge as merge
from cmdesk.core.services import contacts_query as q
from cmdesk.core.services import contacts_scores as scores
from cmdesk.core.services import keep_in_touch as kit
from cmdesk.core.services import mention_detail
from cmdesk.core.services.contacts import ContactInput, HandleInput
from cmdesk.core.services.contacts_import import ParsedRecord, ParseResult


def stored(ws: Workspace, contact_id: int) -> tuple[int | None, float | None]:
    row = ws.db.execute_sql("SELECT due_at, influence FROM contact WHERE id = ?", [contact_id])
    return row.fetchone()


def assert_fresh(ws: Workspace) -> None:
    """Every stored value equals what the formulas compute from scratch."""
    stale_due = ws.db.execute_sql(
        f"SELECT c.id FROM contact c WHERE c.due_at IS NOT {kit.due_at_expression(ws)}"
    ).fetchall()
    assert stale_due == []
    ids = [r[0] for r in ws.db.execute_sql("SELECT id FROM contact")]
    expected = infl.influence_scores(ws, ids)
    actual = dict(ws.db.execute_sql("SELECT id, influence FROM contact").fetchall())
    assert actual == expected


def test_due_at_follows_every_keep_in_touch_write(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    ws.clock.now_fn = lambda: now - 100 * DAY
    own = create(ws, display_name="Own Cadence", cadence_days=30)
    member = create(ws, display_name="Member", lists=("Press",))
    nobody = create(ws, display_name="No Cadence")
    ws.clock.now_fn = lambda: now
    created = now - 100 * DAY
    assert stored(ws, own)[0] == created + 30 * DAY
    assert stored(ws, member)[0] is None and stored(ws, nobody)[0] is None
    press = lists.contact_lists(ws)[0].id
    ws.write(lists.save_list, ws, "Press", cadence_days=60, list_id_=press).result()
    assert stored(ws, member)[0] == created + 60 * DAY
    ws.write(lists.add_to_list, ws, [nobody], "Press").result()
    assert stored(ws, nobody)[0] == created + 60 * DAY
    ws.write(lists.add_to_list, ws, [nobody], "Weekly").result()
    weekly = next(r.id for r in lists.contact_lists(ws) if r.name == "Weekly")
    ws.write(lists.save_list, ws, "Weekly", cadence_days=7, list_id_=weekly).result()
    assert stored(ws, nobody)[0] == created + 7 * DAY  # the shortest list cadence wins
    ws.write(lists.remove_from_list, ws, [nobody], weekly).result()
    assert stored(ws, nobody)[0] == created + 60 * DAY
    ws.write(lists.delete_list, ws, press).result()
    assert stored(ws, member)[0] is None and stored(ws, nobody)[0] is None
    ws.write(kit.set_cadence, ws, [nobody], 10).result()
    assert stored(ws, nobody)[0] == created + 10 * DAY
    ws.write(kit.snooze, ws, [own], 3).result()
    assert stored(ws, own)[0] == now + 3 * DAY
    ws.write(kit.logged_contact_today, ws, [own]).result()
    assert stored(ws, own)[0] == now + 30 * DAY
    interaction, _ = ws.write(act.log_interaction, ws, nobody, "call").result()
    assert stored(ws, nobody)[0] == now + 10 * DAY
    ws.write(act.delete_interaction, ws, interaction).result()
    assert stored(ws, nobody)[0] == created + 10 * DAY
    profile = svc.contact_profile(ws, own)
    assert profile is not None
    data = ContactInput(**{**profile.as_input(ws).__dict__, "cadence_days": None})
    ws.write(svc.update_contact, ws, own, data).result()
    assert stored(ws, own)[0] is None
    assert kit.due_count(ws) == 1 and [d.id for d in kit.due_contacts(ws)] == [nobody]
    assert list(q.snapshot_ids(ws, q.ContactFilter(due_only=True))) == [nobody]
    assert_fresh(ws)


def test_influence_is_stored_on_create_link_merge_and_after_ingest(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    src = add_source(ws)
    loud = add_author(ws, "github", "loud", reach=2000)
    for n in range(4):
        add_mention(ws, src, loud, now - n * DAY, 0.5, n)
    # A new contact holding the handle links the author; its score counts their mentions.
    cid = create(ws, display_name="Loud", handles=(HandleInput("github", "loud"),))
    assert stored(ws, cid)[1] == infl.influence_score(2000, 4, 0.5)
    # New mentions: the ingest path refreshes the contacts whose authors wrote them.
    fresh = [add_mention(ws, src, loud, now, 0.5, 10 + n) for n in range(5)]
    changes = ws.write(after_ingest, ws, fresh).result()
    assert changes.contacts and stored(ws, cid)[1] == infl.influence_score(2000, 9, 0.5)
    # Another contact's author merged in: its reach and mentions now count for the kept one.
    other = create(ws, display_name="Loud (alt)", handles=(HandleInput("x", "loud_alt"),))
    alt = add_author(ws, "x", "loud_alt", reach=50_000)
    ws.write(svc.contact_from_author, ws, alt).result()
    assert stored(ws, other)[1] == infl.influence_score(50_000, 0, None)
    ws.write(merge.merge_contacts, ws, cid, other).result()
    assert stored(ws, cid)[1] == infl.influence_score(50_000, 9, 0.5)
    assert_fresh(ws)


def test_import_stores_scores_of_every_contact_written(workspace: Workspace) -> None:
    ws = workspace
    parsed = ParseResult(records=[
        ParsedRecord(2, ContactInput("Reachy", handles=(HandleInput("x", "reachy", reach=999),),
                                     cadence_days=14)),
        ParsedRecord(3, ContactInput("Plain")),
    ])  # fmt: skip
    result = ws.write(imp.import_contacts, ws, parsed).result()
    reachy, plain = result.contact_ids
    assert stored(ws, reachy) == (ws.clock.now() + 14 * DAY, 30.0)
    assert stored(ws, plain) == (None, 0.0)
    assert_fresh(ws)


def test_backfill_after_migration_and_daily_refresh(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    src = add_source(ws)
    ws.clock.now_fn = lambda: now - 2 * DAY
    cid = create(ws, display_name="Due", cadence_days=1, handles=(HandleInput("x", "due"),))
    ws.clock.now_fn = lambda: now
    author = add_author(ws, "x", "due", reach=10)
    ws.write(svc.link_authors_to_contacts, ws, [cid]).result()
    add_mention(ws, src, author, now - DAY, 0.2)
    # What schema 3 leaves behind (and what the sample and demo loaders write): NULL columns.
    ws.db.execute_sql("UPDATE contact SET due_at = NULL, influence = NULL")
    assert scores.scores_need_refresh(ws)
    assert kit.due_count(ws) == 0  # not computed yet
    ws.write(scores.refresh_all_scores, ws).result()
    assert not scores.scores_need_refresh(ws)
    assert kit.due_count(ws) == 1
    assert_fresh(ws)
    # The 90-day window slides without a write: a day later the full pass is due again.
    ws.clock.now_fn = lambda: now + DAY
    assert scores.scores_need_refresh(ws)
    ws.clock.now_fn = lambda: now + 100 * DAY
    ws.write(scores.refresh_all_scores, ws).result()
    assert stored(ws, cid)[1] == infl.influence_score(10, 0, None)  # the mention aged out
    assert_fresh(ws)


def test_inbox_add_author_uses_the_contacts_service(workspace: Workspace) -> None:
    ws = workspace
    blog = add_author(ws, "blog.example.org", "Jane Blogger", reach=300)
    changes = ws.write(mention_detail.add_author_to_contacts, ws, blog).result()
    assert changes.contacts and changes.mentions
    contact_id = ws.db.execute_sql("SELECT contact_id FROM author WHERE id = ?", [blog])
    profile = svc.contact_profile(ws, contact_id.fetchone()[0])
    assert profile is not None
    # A blog author becomes an "rss" handle on a known network, with the blog's address.
    assert [(h.network, h.url) for h in profile.handles] == [("rss", "https://blog.example.org/")]
    assert stored(ws, profile.id)[1] == infl.influence_score(300, 0, None)
    again = ws.write(mention_detail.add_author_to_contacts, ws, blog).result()
    assert not again.contacts  # already a contact: nothing written
