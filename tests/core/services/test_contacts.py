from __future__ import annotations

import pytest

from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_lists as lists
from cmdesk.core.services import contacts_query as q
from cmdesk.core.services.contacts import ContactInput, DetailInput, HandleInput

DAY = 86_400


def add_source(ws: Workspace) -> int:
    return ws.db.execute_sql(
        "INSERT INTO source(kind, name, url, all_items_are_mentions, enabled, interval_minutes, "
        "consecutive_failures, items_seen, created_at) VALUES "
        "('mastodon', 'Fosstodon', 'https://f.example', 0, 1, 15, 0, 0, 0)"
    ).lastrowid


def add_author(ws: Workspace, network: str, handle: str, reach: int | None = None) -> int:
    return ws.db.execute_sql(
        "INSERT INTO author(network, handle, name, reach, first_seen_at) VALUES (?, ?, ?, ?, 0)",
        [network, handle, handle.title(), reach],
    ).lastrowid


def add_mention(
    ws: Workspace, source: int, author: int | None, at: int, sentiment: float = 0.0, n: int = 0
) -> int:
    label = "positive" if sentiment > 0.05 else "negative" if sentiment < -0.05 else "neutral"
    return ws.db.execute_sql(
        "INSERT INTO mention(source_id, external_id, title, text, author_id, published_at, "
        "fetched_at, sentiment, sentiment_label, state, starred, priority, needs_response) "
        "VALUES (?, ?, ?, 'text', ?, ?, ?, ?, ?, 'new', 0, 0, 0)",
        [source, f"x{author}-{at}-{n}", f"mention {n}", author, at, at, sentiment, label],
    ).lastrowid


def create(ws: Workspace, **kwargs) -> int:
    return ws.write(lambda: svc.create_contact(ws, ContactInput(**kwargs))[0]).result()


def test_create_contact_stores_every_part(workspace: Workspace) -> None:
    cid = create(
        workspace,
        given_name="Ada",
        family_name="Lovelace",
        organisation="Engines",
        title="Head of Community",
        details=(DetailInput("email", "ADA@Engines.example", "work"), DetailInput("phone", "+44")),
        handles=(HandleInput("mastodon", "https://fosstodon.example/@ada"),),
        lists=("Advocates", "Press"),
        stage="Engaged",
    )
    profile = svc.contact_profile(workspace, cid)
    assert profile is not None
    assert profile.display_name == "Ada Lovelace"
    assert profile.organisation == "Engines"
    assert profile.stage == "engaged"
    assert DetailInput("email", "ada@engines.example", "work") in profile.details
    assert profile.handles[0].handle == "ada@fosstodon.example"
    assert [name for _, name in profile.lists] == ["Advocates", "Press"]


@pytest.mark.parametrize(
    ("network", "typed", "stored"),
    [
        ("github", "@octocat", "octocat"),
        ("github", "https://github.com/octocat/", "octocat"),
        ("linkedin", "https://www.linkedin.com/in/ada-lovelace", "ada-lovelace"),
        ("mastodon", "@ada@fosstodon.example", "ada@fosstodon.example"),
        ("mastodon", "https://fosstodon.example/@ada", "ada@fosstodon.example"),
        ("reddit", "https://www.reddit.com/user/spez", "spez"),
        ("x", "  @jack ", "jack"),
        ("hackernews", "https://news.ycombinator.com/user?id=pg", "pg"),
        ("hackernews", "https://news.ycombinator.com/submitted?id=dang&p=2", "dang"),
        ("youtube", "https://www.youtube.com/profile?user=veritasium", "veritasium"),
        ("youtube", "https://www.youtube.com/@veritasium?si=abc", "veritasium"),
    ],
)
def test_normalise_handle(network: str, typed: str, stored: str) -> None:
    assert svc.normalise_handle(network, typed) == stored


def test_refuses_bad_input(workspace: Workspace) -> None:
    with pytest.raises(svc.ContactError, match="name"):
        svc.create_contact(workspace, ContactInput())
    with pytest.raises(svc.ContactError, match="e-mail"):
        svc.create_contact(workspace, ContactInput("X", details=(DetailInput("email", "nope"),)))
    create(workspace, display_name="A", handles=(HandleInput("github", "same"),))
    with pytest.raises(svc.ContactError, match="already belongs to A"):
        svc.create_contact(workspace, ContactInput("B", handles=(HandleInput("github", "same"),)))


def test_adding_a_handle_links_existing_authors_and_removing_unlinks(workspace: Workspace) -> None:
    ws = workspace
    src = add_source(ws)
    author = add_author(ws, "github", "Octocat")
    other = add_author(ws, "github", "someone")
    add_mention(ws, src, author, 100)
    cid = create(ws, display_name="Mona")
    assert (
        ws.db.execute_sql("SELECT contact_id FROM author WHERE id = ?", [author]).fetchone()[0]
        is None
    )
    ws.write(svc.add_handle, ws, cid, HandleInput("github", "@Octocat")).result()
    linked = ws.db.execute_sql("SELECT id FROM author WHERE contact_id = ?", [cid]).fetchall()
    assert linked == [(author,)]
    assert (
        ws.db.execute_sql("SELECT contact_id FROM author WHERE id = ?", [other]).fetchone()[0]
        is None
    )
    profile = svc.contact_profile(ws, cid)
    assert profile is not None
    ws.write(svc.update_contact, ws, cid, ContactInput("Mona", handles=())).result()
    assert (
        ws.db.execute_sql("SELECT contact_id FROM author WHERE id = ?", [author]).fetchone()[0]
        is None
    )


def test_link_authors_to_contacts_walks_every_handle(workspace: Workspace) -> None:
    ws = workspace
    cid = create(ws, display_name="Bea", handles=(HandleInput("bluesky", "bea.bsky.social"),))
    author = add_author(ws, "bluesky", "bea.bsky.social")  # arrives after the contact
    assert ws.write(svc.link_authors_to_contacts, ws).result() == 1
    row = ws.db.execute_sql("SELECT contact_id FROM author WHERE id = ?", [author]).fetchone()
    assert row[0] == cid


def test_blog_handle_links_authors_of_its_host(workspace: Workspace) -> None:
    ws = workspace
    author = add_author(ws, "blog.example.org", "carla")
    cid = create(
        ws,
        display_name="Carla",
        handles=(HandleInput("rss", "carla", "https://blog.example.org/authors/carla"),),
    )
    row = ws.db.execute_sql("SELECT contact_id FROM author WHERE id = ?", [author]).fetchone()
    assert row[0] == cid


def test_contact_from_author_in_one_click(workspace: Workspace) -> None:
    ws = workspace
    src = add_source(ws)
    author = add_author(ws, "mastodon", "zed@fosstodon.example", reach=1200)
    add_mention(ws, src, author, 10)
    cid, changes = ws.write(svc.contact_from_author, ws, author).result()
    assert changes.contacts and changes.mentions
    profile = svc.contact_profile(ws, cid)
    assert profile is not None
    assert profile.handles == (HandleInput("mastodon", "zed@fosstodon.example", None, 1200),)
    assert profile.author_ids == (author,)
    again, changes = ws.write(svc.contact_from_author, ws, author).result()
    assert again == cid and not changes


def test_list_filters_search_and_sorts(workspace: Workspace) -> None:
    ws = workspace
    a = create(ws, display_name="Zoe Zed", lists=("Press",), owner="Sam", stage="advocate")
    b = create(
        ws, display_name="Adam Ant", organisation="Initech",
        details=(DetailInput("email", "adam@initech.example"),),
    )  # fmt: skip
    c = create(ws, display_name="Mia Moe", handles=(HandleInput("github", "miamoe", reach=99),))
    assert list(q.snapshot_ids(ws, q.ContactFilter())) == [b, c, a]
    assert list(q.snapshot_ids(ws, q.ContactFilter(sort="name", descending=True))) == [a, c, b]
    assert list(q.snapshot_ids(ws, q.ContactFilter(search="initech"))) == [b]
    assert list(q.snapshot_ids(ws, q.ContactFilter(search="ADAM@"))) == [b]
    assert list(q.snapshot_ids(ws, q.ContactFilter(search="miamo"))) == [c]
    assert list(q.snapshot_ids(ws, q.ContactFilter(search="100%"))) == []
    press = lists.contact_lists(ws)[0]
    assert press.name == "Press" and press.members == 1
    assert list(q.snapshot_ids(ws, q.ContactFilter(list_id=press.id))) == [a]
    assert list(q.snapshot_ids(ws, q.ContactFilter(stage="advocate"))) == [a]
    assert list(q.snapshot_ids(ws, q.ContactFilter(owner="Sam"))) == [a]
    # Influence is stored at write time: Mia's reach scores 20, the others 0 (ties by id).
    assert list(q.snapshot_ids(ws, q.ContactFilter(sort="influence"))) == [c, b, a]
    assert list(q.snapshot_ids(ws, q.ContactFilter(sort="influence", descending=True))) == [
        a, b, c,
    ]  # fmt: skip
    rows = q.rows_for_ids(ws, [a, b, c])
    assert rows[a].lists == ("Press",)
    assert rows[b].email == "adam@initech.example" and rows[b].organisation == "Initech"
    assert rows[c].handles == (("github", "miamoe"),)
    assert (rows[a].influence, rows[c].influence) == (0.0, 20.0)
    assert q.count(ws, q.ContactFilter(search="e")) == 3


def test_lists_and_stages(workspace: Workspace) -> None:
    ws = workspace
    cid = create(ws, display_name="X", stage="Champion")
    list_id, _ = ws.write(lists.save_list, ws, "Influencers", cadence_days=30).result()
    ws.write(lists.add_to_list, ws, [cid], "influencers").result()
    rows = lists.contact_lists(ws)
    assert [(r.name, r.cadence_days, r.members) for r in rows] == [("Influencers", 30, 1)]
    with pytest.raises(svc.ContactError, match="already a list"):
        ws.write(lists.save_list, ws, "INFLUENCERS").result()
    with pytest.raises(svc.ContactError, match="not a colour"):
        ws.write(lists.save_list, ws, "Press", color="blue").result()
    assert svc.stages(ws) == ["aware", "engaged", "advocate", "champion"]
    ws.write(lists.remove_from_list, ws, [cid], list_id).result()
    assert lists.contact_lists(ws)[0].members == 0


def test_delete_keeps_authors_and_mentions(workspace: Workspace) -> None:
    ws = workspace
    src = add_source(ws)
    author = add_author(ws, "github", "gone")
    mention = add_mention(ws, src, author, 5)
    cid = create(ws, display_name="Gone", handles=(HandleInput("github", "gone"),))
    ws.write(svc.delete_contacts, ws, [cid]).result()
    assert svc.contact_profile(ws, cid) is None
    assert (
        ws.db.execute_sql("SELECT author_id FROM mention WHERE id = ?", [mention]).fetchone()[0]
        == author
    )


def test_sorts_by_organisation_stage_and_due_with_blanks_last(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    a = create(ws, display_name="Ann", organisation="zeta labs", stage="engaged")
    b = create(ws, display_name="Bob", organisation="Acme", stage="advocate", cadence_days=30)
    c = create(ws, display_name="Cy", stage="aware", cadence_days=10)
    d = create(ws, display_name="Di", organisation="acme", stage="engaged")  # another, lower case

    def ids(sort: str, descending: bool = False, **filters) -> list[int]:  # noqa: ANN003
        return list(q.snapshot_ids(ws, q.ContactFilter(sort=sort, descending=descending,
                                                        **filters)))  # fmt: skip

    assert ids("organisation") == [b, d, a, c]  # by name ignoring case; none last
    assert ids("organisation", True) == [a, d, b, c]  # still none last
    assert ids("organisation", stage="engaged") == [d, a]
    assert ids("stage") == [b, c, a, d]  # advocate, aware, engaged (then by id)
    assert ids("stage", True) == [d, a, c, b]
    due = {cid: due_at for cid, due_at in ws.db.execute_sql("SELECT id, due_at FROM contact")}
    assert due[c] < due[b] and due[a] is None and now < due[c]
    assert ids("due") == [c, b, a, d]  # soonest first, no cadence last
    assert ids("due", True) == [b, c, d, a]
    for cid, days_ago in ((a, 3), (b, 40)):
        ws.db.execute_sql(
            "UPDATE contact SET last_interaction_at = ? WHERE id = ?", [now - days_ago * 86400, cid]
        )
    assert ids("last_interaction") == [c, d, b, a]  # never contacted counts as the oldest
    assert ids("last_interaction", True) == [a, b, d, c]


def test_list_sorts_walk_indexes(workspace: Workspace) -> None:
    """Every header sort reads ids in index order: no temporary B-tree over every contact."""
    plans = {
        "name": "SELECT c.id FROM contact c ORDER BY c.display_name, c.id",
        "stage": "SELECT c.id FROM contact c ORDER BY c.stage DESC, c.id DESC",
        "organisation": "SELECT c.id FROM organisation o JOIN contact c ON c.organisation_id ="
        " o.id ORDER BY o.name COLLATE NOCASE, o.id, c.id",
        "due": "SELECT c.id FROM contact c WHERE c.due_at IS NOT NULL ORDER BY c.due_at, c.id",
        "last_interaction": "SELECT c.id FROM contact c ORDER BY c.last_interaction_at DESC,"
        " c.id DESC",
    }
    for key, sql in plans.items():
        plan = " ".join(r[3] for r in workspace.db.execute_sql("EXPLAIN QUERY PLAN " + sql))
        assert "TEMP B-TREE" not in plan, (key, plan)
