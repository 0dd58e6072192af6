"""The team service: teammates and departments, their names, "me", order, and safe removal."""

from __future__ import annotations

import pytest
from inbox_data import add_mention, add_source

from cmdesk.core.db import Workspace
from cmdesk.core.services import handoff, inbox_rules, mentions, saved_views, triage
from cmdesk.core.services import team as svc
from cmdesk.core.services.inbox_filters import MentionFilter
from cmdesk.core.services.team import TeamError


def column(ws: Workspace, mention_id: int, name: str) -> object:
    return ws.db.execute_sql(f"SELECT {name} FROM mention WHERE id = ?", [mention_id]).fetchone()[0]


def names(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [row.name for row in rows]


def test_add_teammates_through_the_writer_and_list_them_by_name(workspace: Workspace) -> None:
    saved = workspace.write(svc.add_teammate, workspace, "  Priya  Natarajan ", "priya@acme.io")
    added = saved.result()
    assert added.changes.settings and not added.changes.mentions
    workspace.write(svc.add_teammate, workspace, "ada", None).result()
    rows = svc.list_teammates(workspace)
    assert names(rows) == ["ada", "Priya Natarajan"]  # regardless of case; spaces tidied
    assert rows[1] == svc.TeammateRow(added.id, "Priya Natarajan", "priya@acme.io", False, 0)
    assert svc.get_teammate(workspace, "PRIYA natarajan").id == added.id
    assert svc.get_teammate(workspace, str(added.id)).name == "Priya Natarajan"
    with pytest.raises(TeamError, match="no teammate 'Bob'"):
        svc.get_teammate(workspace, "Bob")


def test_names_and_addresses_are_checked_with_clear_messages(workspace: Workspace) -> None:
    svc.add_teammate(workspace, "Sam Rivera")
    with pytest.raises(TeamError, match="needs a name"):
        svc.add_teammate(workspace, "   ")
    with pytest.raises(TeamError, match="already a teammate called “Sam Rivera”"):
        svc.add_teammate(workspace, "sam rivera")
    with pytest.raises(TeamError, match="at most 80 characters"):
        svc.add_teammate(workspace, "x" * 81)
    with pytest.raises(TeamError, match="“sam@” is not an e-mail address"):
        svc.add_teammate(workspace, "Jonas", "sam@")
    svc.add_department(workspace, "Support")
    with pytest.raises(TeamError, match="already a department called “Support”"):
        svc.add_department(workspace, "SUPPORT")
    assert names(svc.list_teammates(workspace)) == ["Sam Rivera"]
    assert names(svc.list_departments(workspace)) == ["Support"]


def test_rename_and_email_keep_the_rest(workspace: Workspace) -> None:
    jonas = svc.add_teammate(workspace, "Jonas").id
    lea = svc.add_teammate(workspace, "Léa").id
    assert svc.rename_teammate(workspace, jonas, "Jonas Weber").mentions
    svc.rename_teammate(workspace, lea, "léa")  # only the case changes: still hers
    with pytest.raises(TeamError, match="already a teammate called “léa”"):
        svc.rename_teammate(workspace, jonas, "LÉA")
    svc.set_teammate_email(workspace, jonas, " jonas@acme.io ")
    assert svc.get_teammate(workspace, jonas).email == "jonas@acme.io"
    svc.set_teammate_email(workspace, jonas, "")
    assert svc.get_teammate(workspace, jonas).email is None
    with pytest.raises(TeamError, match="no teammate #999"):
        svc.rename_teammate(workspace, 999, "Ghost")


def test_at_most_one_teammate_is_me_and_assigned_to_me_follows(workspace: Workspace) -> None:
    source = add_source(workspace)
    first, second = (add_mention(workspace, source, f"m{n}") for n in range(2))
    sam = svc.add_teammate(workspace, "Sam", is_me=True).id
    priya = svc.add_teammate(workspace, "Priya").id
    triage.assign(workspace, [first], sam)
    triage.assign(workspace, [second], priya)
    mine = MentionFilter(assigned_to_me=True)
    assert mentions.count(workspace, mine) == 1
    assert svc.set_me(workspace, priya).mentions
    assert [t.is_me for t in svc.list_teammates(workspace)] == [True, False]  # Priya, Sam
    assert mentions.me_teammate_id(workspace) == priya
    assert mentions.count(workspace, mine) == 1 and mentions.page_ids(workspace, mine)
    svc.add_teammate(workspace, "Alex", is_me=True)
    assert [t.name for t in svc.list_teammates(workspace) if t.is_me] == ["Alex"]
    svc.set_me(workspace, None)
    assert not any(t.is_me for t in svc.list_teammates(workspace))
    assert mentions.count(workspace, mine) == 0


def test_removing_a_teammate_unassigns_and_cleans_rules_and_views(workspace: Workspace) -> None:
    source = add_source(workspace)
    ids = [add_mention(workspace, source, f"m{n}") for n in range(3)]
    jonas = svc.add_teammate(workspace, "Jonas", is_me=True).id
    lea = svc.add_teammate(workspace, "Léa").id
    triage.assign(workspace, ids[:2], jonas)
    triage.set_state(workspace, ids[:2], "waiting")
    triage.assign(workspace, ids[2:], lea)
    only = inbox_rules.save_rule(
        workspace, "Bugs to Jonas", [{"kind": "words", "words": "bug"}],
        [{"kind": "assign", "teammate_id": jonas}],
    ).id  # fmt: skip
    mixed = inbox_rules.save_rule(
        workspace, "Urgent", [{"kind": "words", "words": "down"}],
        [{"kind": "assign", "teammate_id": jonas}, {"kind": "priority", "priority": 4}],
    ).id  # fmt: skip
    view = saved_views.save_view(workspace, "Jonas", MentionFilter(assignee_ids=(jonas, lea))).id
    inside = MentionFilter(states=("waiting",), also=MentionFilter(assignee_ids=(jonas,)))
    saved_views.save_view(workspace, "Waiting on Jonas", inside)  # picked in the filter bar
    assert svc.get_teammate(workspace, jonas).assigned == 2

    removed = workspace.write(svc.remove_teammate, workspace, jonas).result()
    assert removed == svc.Removed("Jonas", 2, 2, 2, removed.changes)
    assert removed.changes.mentions and removed.changes.settings
    assert [column(workspace, i, "assignee_id") for i in ids] == [None, None, lea]
    assert [column(workspace, i, "state") for i in ids[:2]] == ["waiting", "waiting"]  # kept
    rules = {r.id: r for r in inbox_rules.list_rules(workspace)}
    assert rules[only].actions == [] and not rules[only].enabled
    assert rules[mixed].actions == [{"kind": "priority", "priority": 4}] and rules[mixed].enabled
    views = saved_views.list_saved_views(workspace)
    assert views[0].filter.assignee_ids == (lea,)
    assert views[1].filter.also is not None and views[1].filter.also.assignee_ids == ()
    assert view and names(svc.list_teammates(workspace)) == ["Léa"]
    assert mentions.me_teammate_id(workspace) is None
    # The remaining rule still applies: no reference to a missing teammate is left behind.
    inbox_rules.apply_to_existing(workspace, mixed)


def test_removing_a_teammate_can_hand_their_mentions_to_someone(workspace: Workspace) -> None:
    source = add_source(workspace)
    mention = add_mention(workspace, source, "m")
    jonas = svc.add_teammate(workspace, "Jonas").id
    lea = svc.add_teammate(workspace, "Léa").id
    triage.assign(workspace, [mention], jonas)
    rule = inbox_rules.save_rule(
        workspace, "Bugs", [{"kind": "words", "words": "bug"}],
        [{"kind": "assign", "teammate_id": jonas}],
    ).id  # fmt: skip
    with pytest.raises(TeamError, match="someone else"):
        svc.remove_teammate(workspace, jonas, reassign_to=jonas)
    removed = svc.remove_teammate(workspace, jonas, reassign_to=lea)
    assert (removed.mentions, removed.rules) == (1, 1)
    assert column(workspace, mention, "assignee_id") == lea
    assert inbox_rules.list_rules(workspace)[0].actions == [{"kind": "assign", "teammate_id": lea}]
    assert inbox_rules.list_rules(workspace)[0].id == rule
    assert svc.remove_teammate(workspace, lea).mentions == 1


def test_departments_keep_the_users_order(workspace: Workspace) -> None:
    support = svc.add_department(workspace, "Support", "support@acme.io").id
    sales = svc.add_department(workspace, "Sales").id
    legal = svc.add_department(workspace, "Legal", "legal@acme.io").id
    assert [(d.name, d.position) for d in svc.list_departments(workspace)] == [
        ("Support", 0), ("Sales", 1), ("Legal", 2),
    ]  # fmt: skip
    assert svc.move_department(workspace, legal, -1).settings
    svc.move_department(workspace, support, -1)  # already first: stays
    assert names(svc.list_departments(workspace)) == ["Support", "Legal", "Sales"]
    svc.move_department(workspace, support, 5)  # past the end: last
    assert names(svc.list_departments(workspace)) == ["Legal", "Sales", "Support"]
    svc.reorder_departments(workspace, [sales])
    assert names(svc.list_departments(workspace)) == ["Sales", "Legal", "Support"]
    svc.rename_department(workspace, sales, "Sales & partnerships")
    svc.set_department_email(workspace, sales, "deals@acme.io")
    assert svc.get_department(workspace, "sales & PARTNERSHIPS").email == "deals@acme.io"
    with pytest.raises(TeamError, match="not an e-mail address"):
        svc.set_department_email(workspace, sales, "deals at acme")
    # The routing box's "type a new name" still adds at the end.
    triage.route_by_name(workspace, [], "PR")
    assert names(svc.list_departments(workspace))[-1] == "PR"


def test_removing_a_department_unroutes_its_mentions(workspace: Workspace) -> None:
    source = add_source(workspace)
    ids = [add_mention(workspace, source, f"m{n}") for n in range(3)]
    support = svc.add_department(workspace, "Support", "support@acme.io").id
    legal = svc.add_department(workspace, "Legal", "legal@acme.io").id
    product = svc.add_department(workspace, "Product").id
    triage.route_to_department(workspace, ids[:2], legal, "Check the claim")
    triage.route_to_department(workspace, ids[2:], support, None)
    assert handoff.hand_off(workspace, ids[0]).to == "legal@acme.io"
    rule = inbox_rules.save_rule(
        workspace, "Lawyers", [{"kind": "words", "words": "lawsuit"}],
        [{"kind": "route", "department_id": legal, "note": "x"}],
    ).id  # fmt: skip
    saved_views.save_view(workspace, "Legal queue", MentionFilter(department_ids=(legal,)))

    removed = workspace.write(svc.remove_department, workspace, legal).result()
    assert (removed.name, removed.mentions, removed.rules, removed.views) == ("Legal", 2, 1, 1)
    assert [column(workspace, i, "department_id") for i in ids] == [None, None, support]
    assert column(workspace, ids[0], "routing_note") == "Check the claim"  # kept
    assert column(workspace, ids[0], "state") == "waiting"
    assert handoff.hand_off(workspace, ids[0]).to is None
    assert not inbox_rules.list_rules(workspace)[0].enabled and rule
    assert saved_views.list_saved_views(workspace)[0].filter.department_ids == ()
    assert [(d.name, d.position) for d in svc.list_departments(workspace)] == [
        ("Support", 0), ("Product", 1),
    ]  # fmt: skip
    moved = svc.remove_department(workspace, support, move_to=product)
    assert moved.mentions == 1 and column(workspace, ids[2], "department_id") == product
    assert svc.get_department(workspace, product).routed == 1
